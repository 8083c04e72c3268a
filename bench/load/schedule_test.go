package load

import (
	"context"
	"testing"
	"time"
)

func contextWithCancel(t *testing.T) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(cancel)
	return ctx, cancel
}

// countBefore counts the ops a schedule intends before d.
func countBefore(s schedule, d time.Duration) int64 {
	var i int64
	for s.offset(i) < d {
		i++
	}
	return i
}

func TestScheduleConstant(t *testing.T) {
	s := newSchedule(Config{Rate: 1000, Duration: time.Second})
	if got := s.offset(250); got != 250*time.Millisecond {
		t.Fatalf("op 250 at %v, want 250ms", got)
	}
	if n := countBefore(s, time.Second); n != 1000 {
		t.Fatalf("%d ops in 1s at 1000/s", n)
	}
}

func TestScheduleRamp(t *testing.T) {
	cfg := Config{Rate: 100, RampTo: 300, Warmup: time.Second, Duration: time.Second}
	s := newSchedule(cfg)
	// warm-up at 100/s: 100 ops; ramp 100→300 over 1s: 200 ops.
	if n := countBefore(s, time.Second); n != 100 {
		t.Fatalf("%d warm-up ops, want 100", n)
	}
	if n := countBefore(s, 2*time.Second); n < 299 || n > 301 {
		t.Fatalf("%d ops by the end, want 300", n)
	}
	first := s.offset(101) - s.offset(100)
	last := s.offset(299) - s.offset(298)
	if last*2 > first {
		t.Fatalf("gap at the end %v not well under the start's %v", last, first)
	}
	for i := int64(1); i < 400; i++ {
		if s.offset(i) < s.offset(i-1) {
			t.Fatalf("offset %d goes back in time", i)
		}
	}
}

func TestScheduleRampDown(t *testing.T) {
	s := newSchedule(Config{Rate: 300, RampTo: 100, Duration: time.Second})
	if n := countBefore(s, time.Second); n < 199 || n > 201 {
		t.Fatalf("%d ops ramping 300→100 over 1s, want 200", n)
	}
}
