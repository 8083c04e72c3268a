package bench

import (
	"context"
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
	if err := r.httpBaseline(ctx, rep, r.probeAnswerSize()); err != nil {
		return err
	}
	res, err := r.drive(ctx, rep, r.browseSource)
	if err != nil {
		return err
	}
	r.lookupHeadlines(rep, res, "")
	return nil
}

// lookupHeadlines reports each lookup route against the HTTP baseline.
func (r *Runner) lookupHeadlines(rep *Report, res *load.Result, phase string) {
	r.routeHeadlines(rep, res, phase, "availability-", lookupTarget)
}

// routeHeadlines reports every route of phase starting with prefix against
// the HTTP baseline: served requests per second in the closed model (the
// baseline's ceiling, same connections), p99 in the open model (the
// baseline's at the same rate). target gives DESIGN §6's ratio, if any.
func (r *Runner) routeHeadlines(rep *Report, res *load.Result, phase, prefix string, target func(string) float64) {
	base, _ := rep.baseline(baseHTTP)
	for _, route := range routesWithPrefix(res, phase, prefix) {
		rows := okRows(res, phase, route)
		if r.loadIsClosed() {
			rep.headline(Headline{Name: route + " req/s", Unit: "req/s", Value: sumRate(rows),
				Baseline: baseHTTP, Target: target(route)})
			continue
		}
		rep.headline(Headline{Name: route + " p99", Unit: "µs", Value: micros(maxP99(rows)),
			Baseline: baseHTTP + " p99", BaselineValue: micros(base.Latency.P99)})
	}
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
	var lists []string
	if o.list != siteList {
		lists = []string{o.list}
	}
	names := o.r.cat.Names(o.skus, make([]string, 0, len(o.skus)))
	req := wire.Availability(o.r.cfg.Org, o.r.cfg.Site, names, lists)
	s.Do(o.r.edge, callOf(o.route, req, wire.AvailabilityOutcome))
}
