package orders

import (
	"sync"
	"time"
)

// CircuitState is the state of the circuit breaker in front of the core.
type CircuitState int

// Circuit states; the metric gauge reports the number.
const (
	CircuitClosed   CircuitState = 0 // calls go through
	CircuitHalfOpen CircuitState = 1 // one trial call goes through
	CircuitOpen     CircuitState = 2 // calls fail at once
)

func (s CircuitState) String() string {
	return [...]string{"closed", "half-open", "open"}[s]
}

// breaker opens after failures consecutive failed calls and stays open for
// openFor; then it lets one trial call through (half-open): its success
// closes the circuit, its failure opens it again. Safe for concurrent use.
type breaker struct {
	failures int
	openFor  time.Duration
	now      func() time.Time
	onChange func(CircuitState)

	mu        sync.Mutex // guards the fields below
	state     CircuitState
	fails     int       // consecutive failures while closed
	openUntil time.Time // while open
	trial     bool      // a half-open trial call is in flight
}

func newBreaker(failures int, openFor time.Duration, now func() time.Time, onChange func(CircuitState)) *breaker {
	if failures < 1 {
		failures = 1
	}
	return &breaker{failures: failures, openFor: openFor, now: now, onChange: onChange}
}

// allow reports whether a call may go to the core now, and whether it is
// the half-open trial. An allowed call must be followed by done.
func (b *breaker) allow() (trial, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case CircuitClosed:
		return false, true
	case CircuitOpen:
		if b.now().Before(b.openUntil) {
			return false, false
		}
		b.set(CircuitHalfOpen)
	}
	if b.trial {
		return false, false
	}
	b.trial = true
	return true, true
}

// done records the outcome of an allowed call: ok is false when the core
// failed to answer. Outcomes of calls let through before the circuit
// opened do not decide a half-open circuit; only its trial does.
func (b *breaker) done(trial, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case trial:
		b.trial = false
		if ok {
			b.fails = 0
			b.set(CircuitClosed)
		} else {
			b.open()
		}
	case b.state != CircuitClosed:
	case ok:
		b.fails = 0
	default:
		b.fails++
		if b.fails >= b.failures {
			b.open()
		}
	}
}

func (b *breaker) open() {
	b.openUntil = b.now().Add(b.openFor)
	b.fails = 0
	b.set(CircuitOpen)
}

func (b *breaker) set(s CircuitState) {
	if b.state != s {
		b.state = s
		if b.onChange != nil {
			b.onChange(s)
		}
	}
}

// State returns the current state.
func (b *breaker) State() CircuitState {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state
}
