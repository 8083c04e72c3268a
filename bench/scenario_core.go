package bench

import (
	"context"
	"fmt"
	"strconv"

	"ociedge/bench/load"
	"ociedge/bench/wire"
	"ociedge/bench/workload"
)

var coreAvailabilityScenario = &scenario{
	name:    "core-availability",
	summary: "get-availability at the core (--target is the core): Zipf skus at its groups or locations",
	core:    needRequired,
	load:    true,
	knee:    true,
	run:     runCoreAvailability,
}

var coreReserveScenario = &scenario{
	name: "core-reserve",
	summary: "single-line durable reservations at the core (--target is the core); " +
		"reservations/s against the fsync baseline",
	core: needRequired,
	load: true,
	knee: true,
	run:  runCoreReserve,
}

// maxCombos is get-availability's limit of sku × place combinations.
const maxCombos = 100

func runCoreAvailability(ctx context.Context, r *Runner, rep *Report) error {
	if _, err := r.tok.get(); err != nil {
		return err
	}
	if err := r.httpBaseline(ctx, rep, len(wire.SampleAvailabilityAnswer)); err != nil {
		return err
	}
	res, err := r.drive(ctx, rep, r.coreAvailabilitySource)
	if err != nil {
		return err
	}
	r.routeHeadlines(rep, res, "", "get-availability-", func(string) float64 { return 0 })
	return nil
}

func (r *Runner) coreAvailabilitySource() load.Source {
	rng := workload.NewRand(r.cfg.Seed, "core-availability")
	group, places := r.places()
	perCall := max(1, maxCombos/len(places))
	return load.SourceFunc(func(int64) load.Op {
		n := min(r.lookupSizes.Pick(rng), perCall)
		skus := r.zipf.PickDistinct(rng, n, make([]int32, 0, n))
		return &getAvailabilityOp{r: r, skus: skus, group: group, places: places, route: "get-availability-" + strconv.Itoa(len(skus))}
	})
}

type getAvailabilityOp struct {
	r      *Runner
	skus   []int32
	group  bool
	places []string
	route  string
}

func (o *getAvailabilityOp) Name() string { return o.route }

func (o *getAvailabilityOp) Run(s *load.Session) {
	names := o.r.cat.Names(o.skus, make([]string, 0, len(o.skus)))
	c := callOf(o.route, wire.GetAvailability(o.r.cfg.Tenant, names, o.group, o.places), okIf200)
	c.Auth = o.r.tok.bearer()
	s.Do(o.r.core, c)
}

func okIf200(status int, _ []byte) string {
	if status == 200 {
		return "ok"
	}
	return ""
}

func runCoreReserve(ctx context.Context, r *Runner, rep *Report) error {
	if _, err := r.tok.get(); err != nil {
		return err
	}
	runs := 0 // every run (round, knee step) sends new reservation ids
	return r.inRounds(ctx, rep, func(ctx context.Context, rr *Report) error {
		if err := r.fsyncBaseline(ctx, rr); err != nil {
			return err
		}
		res, err := r.drive(ctx, rr, func() load.Source { runs++; return r.coreReserveSource(runs) })
		if err != nil {
			return err
		}
		r.reserveHeadlines(rr, res)
		return nil
	})
}

// Headline names of the reservation figures DESIGN §6 bounds.
const (
	headReservations = "reservations/s"
	headReserveP99   = "reserve p99"
)

func (r *Runner) reserveHeadlines(rep *Report, res *load.Result) {
	reserved := rowsWith(res, "", routeCoreReserve, wire.OutcomeReserved)
	short := rowsWith(res, "", routeCoreReserve, wire.OutcomeInsufficient)
	if sumRate(short) > sumRate(reserved) {
		rep.Notes = append(rep.Notes, "most reservations found no stock, which writes nothing: "+
			"load more stock, or spread over more skus (--skus, --zipf), to measure durable reservations")
	}
	base, _ := rep.baseline(baseFsync)
	h := Headline{Name: headReservations, Unit: "req/s", Value: sumRate(reserved), Baseline: baseFsync,
		Target: 1.5, Note: fmt.Sprintf("single-line, durable, %d clients; ratio to one writer's fsync rate (group commit)", res.Workers)}
	if r.loadIsClosed() && res.Workers == 64 {
		h.Goal = goal(20_000)
	}
	rep.headline(h)
	rep.headline(Headline{Name: headReserveP99, Unit: "µs", Value: micros(maxP99(reserved)), Lower: true, Goal: goal(10_000),
		Baseline: baseFsync + " p99", BaselineValue: micros(base.Latency.P99)})
}

const routeCoreReserve = "reserve"

// coreReserveSource draws single-line reservations: a Zipf sku, quantity 1,
// at one of the places, with an id drawn from the seed, the run id and the
// round (each round's reservations are new ones).
func (r *Runner) coreReserveSource(round int) load.Source {
	rng := workload.NewRand(r.cfg.Seed, "core-reserve")
	ids := workload.NewRand(r.cfg.Seed, fmt.Sprintf("core-reserve-ids/%s/%d", r.cfg.RunID, round))
	group, places := r.places()
	return load.SourceFunc(func(int64) load.Op {
		return &reserveOp{
			r:     r,
			id:    workload.UUID(ids),
			place: wire.Place{Group: group, ID: places[rng.IntN(len(places))]},
			sku:   int32(r.zipf.Pick(rng)),
		}
	})
}

type reserveOp struct {
	r     *Runner
	id    string
	place wire.Place
	sku   int32
}

func (o *reserveOp) Name() string { return routeCoreReserve }

func (o *reserveOp) Run(s *load.Session) {
	lines := []wire.Line{{Sku: o.r.cat.Name(o.sku), Quantity: 1}}
	c := callOf(routeCoreReserve, wire.Reserve(o.r.cfg.Tenant, o.id, o.place, lines, false), wire.ReservationOutcome)
	c.Auth = o.r.tok.bearer()
	s.Do(o.r.core, c)
}
