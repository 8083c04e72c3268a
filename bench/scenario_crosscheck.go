package bench

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"

	"ociedge/bench/load"
	"ociedge/bench/wire"
)

var crosscheckScenario = &scenario{
	name: "crosscheck",
	summary: "closed-model requests/s of this harness and of wrk (--wrk) on the same endpoint — the edge's " +
		"1-sku lookup, and with --lookup-sizes 24 a 24-sku one — same connections and duration, in rounds; " +
		"they must agree within 15%",
	edge: needRequired,
	load: true,
	run:  runCrosscheck,
}

// crossAgreement is how far the two tools may disagree.
const crossAgreement = 0.15

// Headline names of the cross-check.
const (
	headCross    = "harness vs wrk req/s"
	headCrossCPU = "harness CPU per request"
)

func runCrosscheck(ctx context.Context, r *Runner, rep *Report) error {
	n := r.lookupSizes.Values()[0]
	skus := make([]int32, n)
	for i := range skus {
		skus[i] = int32(i)
	}
	req := r.lookupRequest(skus, siteList)
	url := strings.TrimSuffix(r.cfg.Target, "/") + req.URI
	lc := r.cfg.Load
	lc.Closed, lc.Warmup, lc.MaxOps = true, 0, 0 // as wrk: no warm-up
	lc, err := lc.Normalized()
	if err != nil {
		return err
	}
	threads := min(runtime.NumCPU(), lc.Workers)
	r.logf("crosscheck: %s, %d connections, %v per run; wrk with %d threads", req.URI, lc.Workers, lc.Duration, threads)
	route := fmt.Sprintf("availability-%d", n)
	var wrkRuns []WrkResult
	err = r.inRounds(ctx, rep, func(ctx context.Context, rr *Report) error {
		var w WrkResult
		var res *load.Result
		var cpu float64
		var err error
		harness := func() error {
			self := startCPU(os.Getpid())
			res, err = load.Run(ctx, lc, load.SourceFunc(func(int64) load.Op { return fixedURIOp{r: r, route: route, req: req} }), load.NewRecorder())
			cpu = self.perOp(res)
			return err
		}
		other := func() error {
			w, err = runWrk(ctx, r.cfg.Wrk, threads, lc.Workers, lc.Duration, url)
			return err
		}
		first, second := harness, other
		if len(wrkRuns)%2 == 1 { // alternate which goes first
			first, second = other, harness
		}
		if err := first(); err != nil {
			return err
		}
		if err := second(); err != nil {
			return err
		}
		wrkRuns = append(wrkRuns, w)
		rr.Load = res
		r.crossHeadlines(rr, res, w, cpu)
		return nil
	})
	if err != nil {
		return err
	}
	rep.Wrk = wrkRuns
	h, _ := rep.headlineNamed(headCross)
	rep.check(fmt.Sprintf("harness and wrk agree within %.0f%%", 100*crossAgreement),
		crossAgree(h.Ratio),
		fmt.Sprintf("%s: harness %.0f req/s, wrk %.0f req/s (medians), ratio %.2f", route, h.Value, h.BaselineValue, h.Ratio))
	return nil
}

// crossAgree reports whether a harness/wrk ratio is within the agreement.
func crossAgree(ratio float64) bool { return ratio >= 1-crossAgreement && ratio <= 1+crossAgreement }

func (r *Runner) crossHeadlines(rep *Report, res *load.Result, w WrkResult, cpu float64) {
	note := fmt.Sprintf("%d connections; wrk: %d non-2xx, %d socket errors, p99 %s", res.Workers, w.Non2xx, w.SocketErrors, fmtDur(w.P99))
	rep.headline(Headline{Name: headCross, Unit: "req/s", Value: res.GoodRate, Baseline: "wrk", BaselineValue: w.Rate,
		Target: 1 - crossAgreement, Note: note})
	if cpu > 0 && w.CPU > 0 && w.Requests > 0 {
		rep.headline(Headline{Name: headCrossCPU, Unit: "µs", Value: cpu, Lower: true, Baseline: "wrk CPU",
			BaselineValue: micros(w.CPU) / float64(w.Requests), Note: "each tool's own user+system time ÷ its requests"})
	}
}

// fixedURIOp sends the same request every time.
type fixedURIOp struct {
	r     *Runner
	route string
	req   wire.Request
}

func (o fixedURIOp) Name() string { return o.route }

func (o fixedURIOp) Run(s *load.Session) {
	s.Do(o.r.edge, callOf(o.route, o.req, wire.AvailabilityOutcome))
}
