package logs

import (
	"sync"
	"time"

	"go.uber.org/zap"
)

// Throttle lets one log line per key through per interval and counts the
// lines it holds back, so that a noisy failure (a refused write retried by
// a client, a core that stays down) logs once per interval with the number
// of lines dropped since the last one instead of once per event.
//
// Keys name a kind of event ("reserve: core unreachable"), never an id: the
// map of keys grows with their number. A Throttle is safe for concurrent
// use; the zero value is not usable, use NewThrottle.
type Throttle struct {
	now   func() time.Time
	every time.Duration

	mu      sync.Mutex // guards last and dropped
	last    map[string]time.Time
	dropped map[string]int
}

// NewThrottle returns a Throttle letting one line per key through every
// interval by the clock now (time.Now if nil).
func NewThrottle(now func() time.Time, every time.Duration) *Throttle {
	if now == nil {
		now = time.Now
	}
	return &Throttle{now: now, every: every, last: map[string]time.Time{}, dropped: map[string]int{}}
}

// Allow reports whether a line for key may be logged now and, if so, how
// many lines for key were held back since the last one that was.
func (t *Throttle) Allow(key string) (ok bool, dropped int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if last, seen := t.last[key]; seen && now.Sub(last) < t.every {
		t.dropped[key]++
		return false, 0
	}
	n := t.dropped[key]
	t.last[key], t.dropped[key] = now, 0
	return true, n
}

// Warn logs msg at warn level under key unless the key logged within the
// interval; a line that gets through carries "suppressed", the number of
// lines held back since the previous one.
func (t *Throttle) Warn(log *zap.Logger, key, msg string, fields ...zap.Field) {
	if ok, n := t.Allow(key); ok {
		log.Warn(msg, append(fields, zap.Int("suppressed", n))...)
	}
}
