package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"

	"ociedge/bench/load"
	"ociedge/bench/wire"
	"ociedge/bench/workload"
)

var browseScenario = &scenario{
	name:    "browse",
	summary: "Shopper Availability lookups at the edge: 1 and 24 skus, site and store lists, Zipf-skewed skus",
	edge:    needRequired,
	load:    true,
	knee:    true,
	run:     runBrowse,
}

func runBrowse(ctx context.Context, r *Runner, rep *Report) error {
	size := r.probeAnswerSize()
	var rates []float64
	err := r.inRounds(ctx, rep, func(ctx context.Context, rr *Report) error {
		if err := r.httpBaseline(ctx, rr, size); err != nil {
			return err
		}
		cpu := cpuMeter{}
		if !r.cfg.Knee {
			cpu = startCPU(r.cfg.Procs.EdgePID)
		}
		res, err := r.drive(ctx, rr, r.browseSource)
		if err != nil {
			return err
		}
		rates = append(rates, res.GoodRate)
		r.lookupHeadlines(rr, res, "")
		r.cpuHeadline(rr, res, cpu)
		return nil
	})
	if err != nil {
		return err
	}
	if r.cfg.HalfMax && r.loadIsClosed() {
		return r.halfMax(ctx, rep, size, median(rates))
	}
	return nil
}

// lookupHeadlines reports each lookup route against the HTTP baseline.
func (r *Runner) lookupHeadlines(rep *Report, res *load.Result, phase string) {
	r.routeHeadlines(rep, res, phase, "availability-", lookupTarget)
}

// routeHeadlines reports every route of phase starting with prefix against
// the HTTP baseline: served requests per second in the closed model (the
// baseline's ceiling, same connections), p99 in the open model (the
// baseline's at the same rate). target gives DESIGN §6's ratio, which
// applies only when the route is all the run sent (a route's share of a
// mixed load is not its ceiling).
func (r *Runner) routeHeadlines(rep *Report, res *load.Result, phase, prefix string, target func(string) float64) {
	base, _ := rep.baseline(baseHTTP)
	for _, route := range routesWithPrefix(res, phase, prefix) {
		rows := okRows(res, phase, route)
		if r.loadIsClosed() {
			h := Headline{Name: route + " req/s", Unit: "req/s", Value: sumRate(rows), Baseline: baseHTTP}
			if onlyRoute(res, route) {
				h.Target = target(route)
			} else {
				h.Note = "share of a mixed load"
			}
			rep.headline(h)
			continue
		}
		rep.headline(Headline{Name: route + " p99", Unit: "µs", Value: micros(maxP99(rows)), Lower: true,
			Baseline: baseHTTP + " p99", BaselineValue: micros(base.Latency.P99)})
	}
}

// onlyRoute reports whether every op of res was a call of route.
func onlyRoute(res *load.Result, route string) bool {
	for _, row := range res.Rows {
		if row.Route != route {
			return false
		}
	}
	return len(res.Rows) > 0
}

// Headline names of the lookup figures DESIGN §6 bounds.
const (
	headCPU     = "edge CPU per request"
	headHalfMax = " p99 at half max"
)

// cpuHeadline reports the edge's CPU time per request, beside the bare
// server's (DESIGN §6: ≤ 15 µs per 1-sku lookup).
func (r *Runner) cpuHeadline(rep *Report, res *load.Result, cpu cpuMeter) {
	v := cpu.perOp(res)
	if v == 0 {
		return
	}
	base, _ := rep.baseline(baseHTTP)
	h := Headline{Name: headCPU, Unit: "µs", Value: v, Lower: true, Baseline: baseHTTP + " CPU", BaselineValue: base.CPUPerOp,
		Note: "edge utime+stime from /proc ÷ requests, warm-up included"}
	if onlyRoute(res, "availability-1") {
		h.Goal = goal(15)
	}
	rep.headline(h)
}

// halfMax runs the open model at half of the closed model's rate, after
// the bare server at the same rate, and reports each route's p99 (DESIGN
// §6: ≤ 1 ms for a 1-sku lookup).
func (r *Runner) halfMax(ctx context.Context, rep *Report, size int, maxRate float64) error {
	cfg := r.cfg.Load
	cfg.Closed, cfg.Rate, cfg.RampTo, cfg.MaxOps = false, max(1, maxRate/2), 0, 0
	name := baseHTTP + "@half-max"
	if !r.cfg.Baselines.Skip {
		bcfg := cfg
		bcfg.Duration = r.cfg.Baselines.Duration
		bcfg.Warmup = min(bcfg.Warmup, bcfg.Duration/3)
		if err := r.httpBaselineAt(ctx, rep, size, bcfg, name); err != nil {
			return err
		}
	}
	r.logf("%s at half max: %s", r.sc.name, describeLoad(cfg))
	res, err := load.Run(ctx, cfg, r.browseSource(), load.NewRecorder())
	if err != nil {
		return err
	}
	rep.HalfMax = res
	base, _ := rep.baseline(name)
	for _, route := range routesWithPrefix(res, "", "availability-") {
		h := Headline{Name: route + headHalfMax, Unit: "µs", Value: micros(maxP99(okRows(res, "", route))), Lower: true,
			Baseline: name + " p99", BaselineValue: micros(base.Latency.P99),
			Note: fmt.Sprintf("open model at %.0f/s, half of the closed model's %.0f/s", cfg.Rate, maxRate)}
		if route == "availability-1" && onlyRoute(res, route) {
			h.Goal = goal(1000)
		}
		rep.headline(h)
	}
	return nil
}

// lookupTarget is DESIGN §6's ratio for a site-list lookup route.
func lookupTarget(route string) float64 {
	switch route {
	case "availability-1":
		return 0.70
	case "availability-24":
		return 0.30
	}
	return 0
}

// browseSource draws lookups: a size from LookupSizes, that many distinct
// Zipf-skewed skus, and a list from Lists.
func (r *Runner) browseSource() load.Source {
	return &browseSource{r: r, rng: workload.NewRand(r.cfg.Seed, "browse")}
}

type browseSource struct {
	r   *Runner
	rng *rand.Rand
}

func (b *browseSource) Next(int64) load.Op {
	n := b.r.lookupSizes.Pick(b.rng)
	list := b.r.lists.Pick(b.rng)
	skus := b.r.zipf.PickDistinct(b.rng, n, make([]int32, 0, n))
	return &lookupOp{r: b.r, skus: skus, list: list, route: lookupRoute(len(skus), list)}
}

// lookupRoute names a lookup: "availability-1", "availability-24@phoenix".
func lookupRoute(n int, list string) string {
	route := "availability-" + strconv.Itoa(n)
	if list != siteList {
		route += "@" + list
	}
	return route
}

type lookupOp struct {
	r     *Runner
	skus  []int32
	list  string
	route string
}

func (o *lookupOp) Name() string { return o.route }

func (o *lookupOp) Run(s *load.Session) {
	s.Do(o.r.edge, callOf(o.route, o.r.lookupRequest(o.skus, o.list), wire.AvailabilityOutcome))
}

// lookupRequest builds the lookup of skus at list. One-sku lookups at the
// site's list — the hottest request — are built once per sku and kept:
// every microsecond the load tool spends is one the server does not get on
// a small machine.
func (r *Runner) lookupRequest(skus []int32, list string) wire.Request {
	one := len(skus) == 1 && list == siteList
	if one {
		if u := r.oneSku[skus[0]].Load(); u != nil {
			return wire.Request{Method: "GET", URI: *u}
		}
	}
	var lists []string
	if list != siteList {
		lists = []string{list}
	}
	names := r.cat.Names(skus, make([]string, 0, len(skus)))
	req := wire.Availability(r.cfg.Org, r.cfg.Site, names, lists)
	if one {
		r.oneSku[skus[0]].Store(&req.URI)
	}
	return req
}
