package load

import (
	"context"
	"testing"
	"time"

	"ociedge/bench/internal/benchtest"
)

// A server that serves 2 requests at a time, 5ms each (≈400/s): closed-model
// throughput doubles from 1 to 2 connections and then stops growing, so the
// knee is found at a low connection count and the search ends by itself.
func TestFindKneeOnCapacityLimit(t *testing.T) {
	srv := benchtest.MustServe(t, benchtest.Limited(2, 5*time.Millisecond))
	tg := MustTarget(t, srv.URL, 64)
	run := func(ctx context.Context, cfg Config) (*Result, error) {
		return Run(ctx, cfg, getSource(tg), NewRecorder())
	}
	kc := KneeConfig{
		Step:    Config{Closed: true, Warmup: 20 * time.Millisecond, Duration: 200 * time.Millisecond},
		Max:     64,
		MinGain: 0.25,
		Blowup:  1000, // this test is about throughput
	}
	k, err := FindKnee(t.Context(), kc, run)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("steps %+v knee %d (%s)", k.Steps, k.Knee, k.Reason)
	if len(k.Steps) >= 7 {
		t.Fatalf("search did not stop before the maximum: %+v", k.Steps)
	}
	if at := k.At().Load; at < 2 || at > 8 {
		t.Fatalf("knee at %v connections, want 2..8", at)
	}
	if k.Steps[1].Throughput < 1.5*k.Steps[0].Throughput {
		t.Fatalf("throughput did not grow from 1 to 2 connections: %+v", k.Steps)
	}
}

// The same server in the open model: rates past its capacity cannot be kept
// up with, and the knee is a rate it could serve.
func TestFindKneeOpen(t *testing.T) {
	srv := benchtest.MustServe(t, benchtest.Limited(2, 5*time.Millisecond))
	tg := MustTarget(t, srv.URL, 64)
	run := func(ctx context.Context, cfg Config) (*Result, error) {
		return Run(ctx, cfg, getSource(tg), NewRecorder())
	}
	kc := KneeConfig{
		Step:  Config{Workers: 64, Duration: 150 * time.Millisecond, DropAfter: 20 * time.Millisecond},
		Start: 100, Factor: 2, Max: 6400,
	}
	k, err := FindKnee(t.Context(), kc, run)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("steps %+v knee %d (%s)", k.Steps, k.Knee, k.Reason)
	if len(k.Steps) >= 6 || k.At().Load > 400 {
		t.Fatalf("knee at %v/s after %d steps; capacity is 400/s", k.At().Load, len(k.Steps))
	}
}

func TestKneeConfigRejectsBadFactor(t *testing.T) {
	_, err := FindKnee(t.Context(), KneeConfig{Step: Config{Closed: true}, Factor: 1}, nil)
	if err == nil {
		t.Fatal("factor 1 accepted")
	}
}
