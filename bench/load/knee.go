package load

import (
	"context"
	"fmt"
	"time"
)

// KneeConfig describes a capacity search: run the same load at growing
// steps until throughput stops growing or p99 explodes. The zero value
// searches closed-model connection counts 1, 2, 4, … 1024.
type KneeConfig struct {
	// Step is the load of every step; the search sets its Workers (closed)
	// or Rate (open) and keeps the rest.
	Step Config
	// Start is the first step's connections (closed) or rate (open). Zero
	// means 1 connection or 100 ops/s.
	Start float64
	// Factor multiplies the load at each step. Zero means 2; it must be > 1.
	Factor float64
	// Max is the highest load tried. Zero means 1024 connections or
	// MaxRate ops/s.
	Max float64
	// MinGain is the fraction by which good throughput must beat the best
	// step so far for the search to go on. Zero means 0.05.
	MinGain float64
	// Blowup ends the search when a step's op p99 exceeds Blowup times the
	// first step's. Zero means 10.
	Blowup float64
}

// KneeStep is one step of the search.
type KneeStep struct {
	Load       float64       `json:"load"`       // connections or offered ops/s
	Throughput float64       `json:"throughput"` // good ops/s
	P99        time.Duration `json:"p99Ns"`      // whole-op p99
	Dropped    int64         `json:"dropped"`
}

// Knee is the result of a search: the steps, the index of the knee (the best
// throughput before the load stopped paying off) and why the search ended.
type Knee struct {
	Closed bool       `json:"closed"`
	Steps  []KneeStep `json:"steps"`
	Knee   int        `json:"knee"`
	Reason string     `json:"reason"`
}

// At returns the knee step.
func (k *Knee) At() KneeStep { return k.Steps[k.Knee] }

func (kc KneeConfig) withDefaults() (KneeConfig, error) {
	closed := kc.Step.Closed
	kc.Start = orFloat(kc.Start, pick(closed, 1, 100))
	kc.Factor = orFloat(kc.Factor, 2)
	kc.Max = orFloat(kc.Max, pick(closed, 1024, MaxRate))
	kc.MinGain = orFloat(kc.MinGain, 0.05)
	kc.Blowup = orFloat(kc.Blowup, 10)
	if kc.Factor <= 1 || kc.Start <= 0 || kc.Max < kc.Start {
		return kc, fmt.Errorf("load: knee search needs Factor > 1 and 0 < Start ≤ Max (got %v, %v, %v)", kc.Factor, kc.Start, kc.Max)
	}
	return kc, nil
}

// RunFunc runs one step: the same ops under the given load, with a fresh
// Recorder.
type RunFunc func(ctx context.Context, cfg Config) (*Result, error)

// FindKnee runs steps of growing load until good throughput grows by less
// than MinGain over the best step, the op p99 exceeds Blowup × the first
// step's, an open step cannot keep up with its offered rate, or Max is
// reached. The knee is the best-throughput step that did not blow up p99.
func FindKnee(ctx context.Context, kc KneeConfig, run RunFunc) (*Knee, error) {
	kc, err := kc.withDefaults()
	if err != nil {
		return nil, err
	}
	k := &Knee{Closed: kc.Step.Closed}
	for load := kc.Start; load <= kc.Max && ctx.Err() == nil; load = nextLoad(load, kc) {
		res, err := run(ctx, kc.stepConfig(load))
		if err != nil {
			return nil, err
		}
		step := KneeStep{Load: load, Throughput: res.GoodRate, P99: res.OpLatency.P99, Dropped: res.Dropped}
		k.Steps = append(k.Steps, step)
		if k.Reason = kc.stopReason(k, step, res); k.Reason != "" {
			return k, nil
		}
	}
	k.Reason = "reached the highest load asked for"
	if ctx.Err() != nil {
		k.Reason = "interrupted"
	}
	return k, nil
}

// stopReason decides, after the last step of k, whether to stop; it also
// moves k.Knee to the best step so far.
func (kc KneeConfig) stopReason(k *Knee, step KneeStep, res *Result) string {
	last := len(k.Steps) - 1
	if last > 0 && step.P99 > time.Duration(kc.Blowup*float64(k.Steps[0].P99)) {
		return fmt.Sprintf("p99 %v exceeded %.0f× the first step's %v", step.P99.Round(time.Microsecond), kc.Blowup, k.Steps[0].P99.Round(time.Microsecond))
	}
	if !kc.Step.Closed && res.GoodRate < 0.9*res.TargetRate {
		return "could not keep up with the offered rate" // not a knee candidate
	}
	best := k.Steps[k.Knee].Throughput
	if last == 0 || step.Throughput > best {
		k.Knee = last
	}
	if last > 0 && step.Throughput < best*(1+kc.MinGain) {
		return fmt.Sprintf("throughput grew less than %.0f%% over the best step", 100*kc.MinGain)
	}
	return ""
}

func (kc KneeConfig) stepConfig(load float64) Config {
	c := kc.Step
	if c.Closed {
		c.Workers = int(load)
	} else {
		c.Rate = load
	}
	return c
}

func nextLoad(load float64, kc KneeConfig) float64 {
	next := load * kc.Factor
	if kc.Step.Closed && int(next) == int(load) {
		next = load + 1
	}
	return next
}

func orFloat(f, def float64) float64 {
	if f == 0 {
		return def
	}
	return f
}

func pick(closed bool, ifClosed, ifOpen float64) float64 {
	if closed {
		return ifClosed
	}
	return ifOpen
}
