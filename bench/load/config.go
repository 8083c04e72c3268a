package load

import (
	"errors"
	"fmt"
	"time"
)

// Hard caps on what one run may ask for (peers.md §4: "hard caps on rate,
// duration and connections").
const (
	MaxRate     = 1_000_000
	MaxDuration = time.Hour
	MaxWorkers  = 4096
)

// Config is the load one Run applies. The zero value is not runnable: an open
// run needs a Rate (or Closed must be set); every other field has a default.
type Config struct {
	// Rate is the arrival rate in ops per second at the start of the measured
	// window (and during warm-up). Ignored when Closed.
	Rate float64
	// RampTo, if positive, is the rate at the end of the measured window; the
	// rate changes linearly from Rate to RampTo. Zero means a constant Rate.
	RampTo float64
	// Closed selects the closed model: Workers ops in flight at all times, each
	// worker starting its next op as soon as the last one finished.
	Closed bool
	// Workers bounds the ops in flight: the open model's worker pool, the
	// closed model's connection count. Zero means 256 (open) or 64 (closed).
	Workers int
	// Duration is the measured window, after Warmup. Zero means 10s.
	Duration time.Duration
	// Warmup runs load that is not recorded before the measured window. Zero
	// means none.
	Warmup time.Duration
	// MaxOps, if positive, ends the run after that many measured ops have been
	// scheduled (warm-up ops are not counted). Zero means only Duration bounds.
	MaxOps int64
	// LateAfter is how far past its intended time an op may start before it
	// counts as late. Zero means 1ms.
	LateAfter time.Duration
	// DropAfter is how long past its intended time an op may wait for a free
	// worker before it is dropped. Zero means 100ms.
	DropAfter time.Duration
}

// Normalized returns c with its zero fields set to their documented
// defaults, or an error naming the first bad field.
func (c Config) Normalized() (Config, error) {
	if c.Workers == 0 {
		c.Workers = 256
		if c.Closed {
			c.Workers = 64
		}
	}
	c.Duration = orDuration(c.Duration, 10*time.Second)
	c.LateAfter = orDuration(c.LateAfter, time.Millisecond)
	c.DropAfter = orDuration(c.DropAfter, 100*time.Millisecond)
	return c, c.validate()
}

func (c Config) validate() error {
	switch {
	case !c.Closed && (c.Rate <= 0 || c.Rate > MaxRate):
		return fmt.Errorf("load: Rate %v must be in (0, %d] for an open run", c.Rate, MaxRate)
	case c.RampTo < 0 || c.RampTo > MaxRate:
		return fmt.Errorf("load: RampTo %v must be in [0, %d]", c.RampTo, MaxRate)
	case c.Workers < 1 || c.Workers > MaxWorkers:
		return fmt.Errorf("load: Workers %d must be in [1, %d]", c.Workers, MaxWorkers)
	case c.Duration < 0 || c.Warmup < 0 || c.Duration+c.Warmup > MaxDuration:
		return fmt.Errorf("load: Duration %v + Warmup %v must be positive and at most %v", c.Duration, c.Warmup, MaxDuration)
	case c.MaxOps < 0:
		return errors.New("load: MaxOps must not be negative")
	case c.LateAfter < 0 || c.DropAfter < 0:
		return errors.New("load: LateAfter and DropAfter must not be negative")
	}
	return nil
}

func orDuration(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// Mode names the load model for reports: "open" or "closed".
func (c Config) Mode() string {
	if c.Closed {
		return "closed"
	}
	return "open"
}
