// Package clocktest is a fake clock for tests: the test sets the time and
// moves it by hand, and the code under test reads it through Now (or waits
// on After) instead of the wall clock.
package clocktest

import (
	"sync"
	"time"
)

// Noon is the usual start of a test clock.
var Noon = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// Clock is a settable clock for tests, safe for concurrent use.
type Clock struct {
	mu sync.Mutex // guards t
	t  time.Time
}

// New returns a clock that reads t until it is moved.
func New(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// After advances the clock by d and fires at once with the new time, so
// backoffs and waits cost no real time yet the clock sees them pass.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	c.Advance(d)
	ch := make(chan time.Time, 1)
	ch <- c.Now()
	return ch
}
