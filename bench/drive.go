package bench

import (
	"context"
	"fmt"
	"time"

	"ociedge/bench/load"
)

// drive runs the sources newSource makes under the configured load — one
// run, or a knee search when Config.Knee — and puts the result in rep. Each
// run gets a fresh source, so every step sends the same request sequence.
func (r *Runner) drive(ctx context.Context, rep *Report, newSource func() load.Source) (*load.Result, error) {
	if !r.cfg.Knee {
		r.logf("%s: %s", r.sc.name, describeLoad(r.cfg.Load))
		res, err := load.Run(ctx, r.cfg.Load, newSource(), load.NewRecorder())
		rep.Load = res
		return res, err
	}
	var results []*load.Result
	run := func(ctx context.Context, cfg load.Config) (*load.Result, error) {
		r.logf("%s knee step: %s", r.sc.name, describeLoad(cfg))
		res, err := load.Run(ctx, cfg, newSource(), load.NewRecorder())
		results = append(results, res)
		return res, err
	}
	k, err := load.FindKnee(ctx, r.kneeConfig(), run)
	if err != nil {
		return nil, err
	}
	rep.Knee, rep.Load = k, results[k.Knee]
	return rep.Load, nil
}

func (r *Runner) kneeConfig() load.KneeConfig {
	lc, _ := r.cfg.Load.Normalized()
	if lc.Closed {
		return load.KneeConfig{Step: lc, Start: 1, Max: float64(lc.Workers)}
	}
	top := lc.RampTo
	if top == 0 {
		top = min(64*lc.Rate, load.MaxRate)
	}
	lc.RampTo = 0
	return load.KneeConfig{Step: lc, Start: lc.Rate, Max: top}
}

func describeLoad(c load.Config) string {
	c, _ = c.Normalized()
	d, w := c.Duration.Round(time.Millisecond), c.Warmup.Round(time.Millisecond)
	if c.Closed {
		return fmt.Sprintf("closed, %d connections, %v after %v warm-up", c.Workers, d, w)
	}
	rate := fmt.Sprintf("%g/s", c.Rate)
	if c.RampTo > 0 {
		rate = fmt.Sprintf("%g→%g/s", c.Rate, c.RampTo)
	}
	return fmt.Sprintf("open, %s, ≤ %d in flight, %v after %v warm-up", rate, c.Workers, d, w)
}
