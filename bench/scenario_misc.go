package bench

import (
	"context"

	"ociedge/bench/wire"
)

var baselineScenario = &scenario{
	name:    "baseline",
	summary: "only the baselines: the bare fasthttp fixed-JSON server (closed, --connections) and this disk's fsync rate",
	run:     runBaseline,
}

func runBaseline(ctx context.Context, r *Runner, rep *Report) error {
	r.cfg.Baselines.Skip = false
	r.cfg.Load.Closed = true // the ceiling
	if err := r.httpBaseline(ctx, rep, len(wire.SampleAvailabilityAnswer)); err != nil {
		return err
	}
	return r.fsyncBaseline(ctx, rep)
}
