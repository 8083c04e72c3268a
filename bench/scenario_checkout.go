package bench

import (
	"context"
	"math/rand/v2"
	"sync/atomic"

	"ociedge/bench/load"
	"ociedge/bench/wire"
	"ociedge/bench/workload"
)

var checkoutScenario = &scenario{
	name:    "checkout",
	summary: "shoppers at the edge: basket → reserve → order → place (or fail)",
	edge:    needRequired,
	load:    true,
	knee:    true,
	run:     runCheckout,
}

// Routes of a checkout's calls and of the checkout as a whole.
const (
	routeBasket   = "basket-create"
	routeReserve  = "basket-reserve"
	routeOrder    = "order-create"
	routePlace    = "order-place"
	routeFail     = "order-fail"
	routeCheckout = "checkout"
)

// basketMinutes is how long a basket reservation holds (the edge's default).
const basketMinutes = 10

func runCheckout(ctx context.Context, r *Runner, rep *Report) error {
	return r.inRounds(ctx, rep, func(ctx context.Context, rr *Report) error {
		if err := r.httpBaseline(ctx, rr, len(wire.SampleAvailabilityAnswer)); err != nil {
			return err
		}
		res, err := r.drive(ctx, rr, func() load.Source { return r.checkoutSource(nil) })
		if err != nil {
			return err
		}
		r.checkoutHeadlines(rr, res)
		return nil
	})
}

// Headline names of the order figures DESIGN §6 bounds.
const (
	headOrders    = "orders/s"
	headOrderP99  = "order-create p99"
	headCheckouts = "checkouts/s"
)

func (r *Runner) checkoutHeadlines(rep *Report, res *load.Result) {
	done := append(rowsWith(res, "", routeCheckout, "placed"), rowsWith(res, "", routeCheckout, "failed")...)
	base, _ := rep.baseline(baseHTTP)
	steps := "basket, order and status calls per flow"
	if !r.cfg.NoBasketReserve {
		steps = "basket, reserve, order and status calls per flow"
	}
	rep.headline(Headline{Name: headCheckouts, Unit: "flows/s", Value: sumRate(done), Baseline: baseHTTP, Note: steps})
	orders := rowsWith(res, "", routeOrder, wire.OutcomeCreated)
	h := Headline{Name: headOrders, Unit: "req/s", Value: sumRate(orders), Baseline: baseHTTP,
		Note: "orders created (each reserves at the core in OCI mode)"}
	if r.loadIsClosed() && r.sc.name == "checkout" {
		h.Goal = goal(5000)
	}
	rep.headline(h)
	rep.headline(Headline{Name: headOrderP99, Unit: "µs", Value: micros(maxP99(orders)), Lower: true, Goal: goal(20_000),
		Baseline: baseHTTP + " p99", BaselineValue: micros(base.Latency.P99)})
}

// checkoutCounts are a checkout source's totals, warm-up included (a flash
// sale's oversell check must see every order).
type checkoutCounts struct {
	accepted atomic.Int64 // orders created
	placed   atomic.Int64 // orders placed
	unknown  atomic.Int64 // order calls without an answer: created or not, nobody knows
}

// checkoutPlan is one shopper's drawn intent.
type checkoutPlan struct {
	items   []wire.Item
	reserve bool
	place   bool
}

// checkoutSource draws shoppers: a basket size from BasketSizes, distinct
// Zipf-skewed skus, whether they place the order. counts may be nil.
func (r *Runner) checkoutSource(counts *checkoutCounts) load.Source {
	rng := workload.NewRand(r.cfg.Seed, "checkout")
	return load.SourceFunc(func(int64) load.Op {
		return &checkoutOp{r: r, plan: r.drawCheckout(rng), counts: counts}
	})
}

func (r *Runner) drawCheckout(rng *rand.Rand) checkoutPlan {
	n := r.basketSizes.Pick(rng)
	idx := r.zipf.PickDistinct(rng, n, make([]int32, 0, n))
	items := make([]wire.Item, len(idx))
	for i, k := range idx {
		items[i] = wire.Item{ProductID: r.cat.Name(k), Quantity: 1}
	}
	return checkoutPlan{items: items, reserve: !r.cfg.NoBasketReserve, place: rng.Float64() < r.cfg.PlaceShare}
}

type checkoutOp struct {
	r      *Runner
	plan   checkoutPlan
	counts *checkoutCounts
}

func (o *checkoutOp) Name() string { return routeCheckout }

// Run walks the flow and records it as a whole under "checkout" with the
// outcome "placed", "failed", or "<step>:<outcome>" where it stopped.
func (o *checkoutOp) Run(s *load.Session) {
	outcome := o.flow(s)
	if outcome != "placed" && outcome != "failed" {
		s.Fail()
	}
	s.Flow(routeCheckout, outcome)
}

func (o *checkoutOp) flow(s *load.Session) string {
	cfg := o.r.cfg
	basketID := ""
	rep := s.Do(o.r.edge, callOf(routeBasket, wire.CreateBasket(cfg.Org, cfg.Site, o.plan.items), func(st int, b []byte) string {
		if basketID = wire.BasketID(b); st < 300 && basketID == "" {
			return "no-basket-id"
		}
		return ""
	}))
	if !rep.OK() || basketID == "" {
		return routeBasket + ":" + rep.Outcome
	}
	if o.plan.reserve {
		rep = s.Do(o.r.edge, callOf(routeReserve, wire.ReserveBasket(cfg.Org, cfg.Site, basketID, basketMinutes), wire.ReserveOutcome))
		if rep.Outcome != wire.OutcomeReserved {
			return routeReserve + ":" + rep.Outcome
		}
	}
	orderNo, outcome := o.order(s, basketID)
	if outcome != wire.OutcomeCreated {
		return routeOrder + ":" + outcome
	}
	return o.finish(s, orderNo)
}

// order creates the order and counts it.
func (o *checkoutOp) order(s *load.Session, basketID string) (orderNo, outcome string) {
	cfg := o.r.cfg
	rep := s.Do(o.r.edge, callOf(routeOrder, wire.CreateOrder(cfg.Org, cfg.Site, basketID), func(st int, b []byte) string {
		out := wire.OrderOutcome(st, b)
		if out == wire.OutcomeCreated {
			orderNo = wire.OrderNo(b)
		}
		return out
	}))
	if o.counts != nil {
		switch {
		case rep.Outcome == wire.OutcomeCreated:
			o.counts.accepted.Add(1)
		case rep.Err != nil:
			o.counts.unknown.Add(1)
		}
	}
	if rep.Outcome == wire.OutcomeCreated && orderNo == "" {
		return "", "no-order-no"
	}
	return orderNo, rep.Outcome
}

// finish places or fails the order.
func (o *checkoutOp) finish(s *load.Session, orderNo string) string {
	cfg := o.r.cfg
	route, status, done := routePlace, "new", "placed"
	if !o.plan.place {
		route, status, done = routeFail, "failed", "failed"
	}
	rep := s.Do(o.r.edge, callOf(route, wire.SetOrderStatus(cfg.Org, cfg.Site, orderNo, status), nil))
	if !rep.OK() {
		return route + ":" + rep.Outcome
	}
	if o.counts != nil && o.plan.place {
		o.counts.placed.Add(1)
	}
	return done
}
