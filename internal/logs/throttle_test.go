package logs

import (
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

func TestThrottleLetsOneLinePerIntervalWithTheDroppedCount(t *testing.T) {
	now := time.Unix(1000, 0)
	th := NewThrottle(func() time.Time { return now }, time.Second)
	core, logged := observer.New(zap.WarnLevel)
	log := zap.New(core)
	for range 5 {
		th.Warn(log, "core down", "core call failed")
	}
	th.Warn(log, "refused write", "legacy write refused")
	now = now.Add(time.Second)
	th.Warn(log, "core down", "core call failed")

	got := logged.All()
	if len(got) != 3 {
		t.Fatalf("want 3 lines (first of each key, then one after the interval), got %d", len(got))
	}
	want := []int64{0, 0, 4}
	for i, e := range got {
		if n := e.ContextMap()["suppressed"]; n != want[i] {
			t.Errorf("line %d %q: suppressed=%v, want %d", i, e.Message, n, want[i])
		}
	}
}

func TestNewFormats(t *testing.T) {
	for _, f := range []string{"json", "console"} {
		if _, err := New(f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if _, err := New("xml"); err == nil {
		t.Error("an unknown format must be refused")
	}
}
