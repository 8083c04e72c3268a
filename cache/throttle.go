package cache

import (
	"sync"
	"time"
)

// throttle lets one log line per key through per interval and counts the
// lines it holds back, so a noisy failure logs once with a count instead of
// once per retry. Safe for concurrent use.
type throttle struct {
	now   func() time.Time
	every time.Duration

	mu      sync.Mutex // guards last and dropped
	last    map[string]time.Time
	dropped map[string]int
}

func newThrottle(now func() time.Time, every time.Duration) *throttle {
	return &throttle{now: now, every: every, last: map[string]time.Time{}, dropped: map[string]int{}}
}

// allow reports whether a line for key may be logged now and, if so, how
// many lines for key were held back since the last one.
func (t *throttle) allow(key string) (bool, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if last, ok := t.last[key]; ok && now.Sub(last) < t.every {
		t.dropped[key]++
		return false, 0
	}
	n := t.dropped[key]
	t.last[key], t.dropped[key] = now, 0
	return true, n
}
