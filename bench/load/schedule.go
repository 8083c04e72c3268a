package load

import (
	"math"
	"time"
)

// schedule gives the intended send time of op i, as an offset from the start
// of the run: constant Rate during warm-up, then a linear ramp from Rate to
// RampTo over the measured window. It is pure arithmetic, so two runs with the
// same Config intend the same times.
type schedule struct {
	r0, r1   float64 // ops/s at the start and end of the measured window
	warmup   float64 // seconds
	duration float64 // seconds
}

func newSchedule(c Config) schedule {
	r1 := c.RampTo
	if r1 == 0 {
		r1 = c.Rate
	}
	return schedule{r0: c.Rate, r1: r1, warmup: c.Warmup.Seconds(), duration: c.Duration.Seconds()}
}

// offset returns when op i is intended to start. Past the end of a
// ramp-down that never reaches op i it returns a time beyond the window.
func (s schedule) offset(i int64) time.Duration {
	n := float64(i)
	warm := s.r0 * s.warmup
	if n < warm {
		return seconds(n / s.r0)
	}
	// In the ramp, arrivals up to u seconds are r0·u + a·u² with
	// a = (r1−r0)/(2·duration); solve for u in the stable form.
	n -= warm
	a := (s.r1 - s.r0) / (2 * s.duration)
	disc := s.r0*s.r0 + 4*a*n
	if disc < 0 {
		return seconds(s.warmup + 2*s.duration)
	}
	den := s.r0 + math.Sqrt(disc)
	if den == 0 {
		return seconds(s.warmup)
	}
	return seconds(s.warmup + 2*n/den)
}

func seconds(f float64) time.Duration {
	if f > MaxDuration.Seconds()*2 {
		return 2 * MaxDuration
	}
	return time.Duration(f * float64(time.Second))
}
