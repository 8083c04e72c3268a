package ocapi

import (
	"sync"
	"time"

	"go.uber.org/zap"
)

// throttle lets one log line through per interval and counts the rest.
type throttle struct {
	now   func() time.Time
	every time.Duration

	mu         sync.Mutex // guards last and suppressed
	last       time.Time
	suppressed int
}

// allow reports whether to log now, and how many lines were suppressed
// since the last one that was.
func (t *throttle) allow() (bool, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if !t.last.IsZero() && now.Sub(t.last) < t.every {
		t.suppressed++
		return false, 0
	}
	n := t.suppressed
	t.last, t.suppressed = now, 0
	return true, n
}

// warn logs a refused write or skipped import records, throttled.
func (h *Handler) warn(msg string, fields ...zap.Field) {
	if ok, n := h.warnings.allow(); ok {
		h.log.Warn(msg, append(fields, zap.Int("suppressedSinceLast", n))...)
	}
}

func errField(err error) zap.Field { return zap.Error(err) }
