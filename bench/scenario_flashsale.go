package bench

import (
	"context"
	"errors"
	"fmt"
	"time"

	"ociedge/bench/load"
	"ociedge/bench/wire"
	"ociedge/bench/workload"
)

var flashsaleScenario = &scenario{
	name: "flashsale",
	summary: "many buyers, few units of one sku at the edge; fails the run if accepted orders " +
		"exceed the stock (read from the core with --core, or given by --stock)",
	edge: needRequired,
	core: needOptional,
	load: true,
	run:  runFlashsale,
}

func runFlashsale(ctx context.Context, r *Runner, rep *Report) error {
	sku, place := r.flashSku(), r.firstPlace()
	var before wire.AvailabilityRecord
	if r.core != nil {
		if r.cfg.Stock > 0 {
			if err := r.setFlashStock(sku, r.cfg.Stock); err != nil {
				return fmt.Errorf("flashsale: writing the stock: %w", err)
			}
		}
		var err error
		if before, err = r.coreRecord(place, sku); err != nil {
			return fmt.Errorf("flashsale: reading the stock: %w", err)
		}
		r.awaitEdgeATS(sku, int64(before.Ato))
	}
	stock := r.cfg.Stock
	if r.core != nil || stock == 0 {
		if r.core == nil {
			return errors.New("flashsale: give the stock with --stock, or the core with --core to read it")
		}
		stock = int64(before.Ato)
	}
	rep.Notes = append(rep.Notes, fmt.Sprintf("flash sku %s, %d units (%s)", sku, stock, place))
	if err := r.httpBaseline(ctx, rep, len(wire.SampleAvailabilityAnswer)); err != nil {
		return err
	}
	counts := &checkoutCounts{}
	res, err := r.drive(ctx, rep, func() load.Source { return r.flashSource(sku, counts) })
	if err != nil {
		return err
	}
	r.checkoutHeadlines(rep, res)
	return r.flashChecks(rep, sku, place, stock, before, counts)
}

// headOversold names the flash sale's oversell figure.
const headOversold = "oversold units"

// setFlashStock writes units of sku at the first of Locations and none at
// the others (batch-update, effective now).
func (r *Runner) setFlashStock(sku string, units int64) error {
	ids := workload.NewRand(r.cfg.Seed, "flash-stock/"+r.cfg.RunID)
	date := r.cfg.Now().UTC().Format(time.RFC3339Nano)
	var recs []wire.UpdateRecord
	for i, loc := range r.cfg.Locations {
		on := float64(0)
		if i == 0 {
			on = float64(units)
		}
		recs = append(recs, wire.UpdateRecord{ID: workload.UUID(ids), Location: loc, Sku: sku, OnHand: on, EffectiveDate: date})
	}
	r.logf("flashsale: %s: onHand %d at %s, 0 at the other locations", sku, units, r.cfg.Locations[0])
	return r.batchUpdate(recs)
}

// batchUpdate sends one batch-update to the core and wants a 204.
func (r *Runner) batchUpdate(recs []wire.UpdateRecord) error {
	c := callOf("batch-update", wire.BatchUpdate(r.cfg.Tenant, recs), nil)
	c.Auth = r.tok.bearer()
	if rep := r.core.Send(c); rep.Status != 204 {
		return callError("batch-update", c, rep)
	}
	return nil
}

// awaitEdgeATS waits (at most 5s) until the edge answers ats for sku at the
// site's list, so that a sale starts on a cache that has seen the stock.
func (r *Runner) awaitEdgeATS(sku string, ats int64) {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		got := int64(-1)
		req := wire.Availability(r.cfg.Org, r.cfg.Site, []string{sku}, nil)
		r.edge.Send(callOf("probe", req, func(status int, body []byte) string {
			if status == 200 {
				if a, err := wire.ParseShopperAvailability(body); err == nil {
					got, _ = a.ATS(sku, "")
				}
			}
			return ""
		}))
		if got == ats {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.logf("flashsale: the edge did not show ATS %d for %s within 5s; selling anyway", ats, sku)
}

// flashSource draws buyers of one unit of sku who all place their order.
func (r *Runner) flashSource(sku string, counts *checkoutCounts) load.Source {
	plan := checkoutPlan{items: []wire.Item{{ProductID: sku, Quantity: 1}}, reserve: !r.cfg.NoBasketReserve, place: true}
	return load.SourceFunc(func(int64) load.Op { return &checkoutOp{r: r, plan: plan, counts: counts} })
}

// flashChecks compares the accepted orders with the stock, and, with the
// core, the core's reservations before and after with both.
func (r *Runner) flashChecks(rep *Report, sku string, place wire.Place, stock int64, before wire.AvailabilityRecord, counts *checkoutCounts) error {
	accepted, unknown := counts.accepted.Load(), counts.unknown.Load()
	rep.headline(Headline{Name: headOversold, Unit: "units", Value: float64(max(0, accepted-stock)), Lower: true, Goal: goal(0),
		Note: fmt.Sprintf("%d orders accepted for %d units", accepted, stock)})
	rep.check("accepted orders ≤ stock", accepted <= stock,
		fmt.Sprintf("%d orders accepted for %d units (%d placed, %d order calls unanswered)", accepted, stock, counts.placed.Load(), unknown))
	if r.core == nil {
		rep.Notes = append(rep.Notes, "no --core: the core's numbers were not checked")
		return nil
	}
	after, err := r.coreRecord(place, sku)
	if err != nil {
		return fmt.Errorf("flashsale: reading the core after the sale: %w", err)
	}
	delta := after.Reserved - before.Reserved
	rep.check("core reservations ≤ core stock", delta <= before.Ato,
		fmt.Sprintf("reserved %g → %g (+%g) against ATO %g before the sale", before.Reserved, after.Reserved, delta, before.Ato))
	rep.check("core ATO not negative", after.Ato >= 0, fmt.Sprintf("ATO after the sale %g", after.Ato))
	rep.warnCheck("core reservations match accepted orders", delta == float64(accepted),
		fmt.Sprintf("+%g reserved at the core, %d orders accepted (other traffic, expiry or auto-fail can differ)", delta, accepted))
	return nil
}

func (r *Runner) flashSku() string {
	if r.cfg.FlashSku != "" {
		return r.cfg.FlashSku
	}
	return r.cat.Name(0)
}

// firstPlace is the core place stock is read at: the first group, or the
// first location.
func (r *Runner) firstPlace() wire.Place {
	group, ids := r.places()
	return wire.Place{Group: group, ID: ids[0]}
}

// coreRecord reads sku's record at p from the core's get-availability.
func (r *Runner) coreRecord(p wire.Place, sku string) (wire.AvailabilityRecord, error) {
	bearer, err := r.tok.get()
	if err != nil {
		return wire.AvailabilityRecord{}, err
	}
	var ans wire.AvailabilityAnswer
	var perr error
	c := callOf("core-read", wire.GetAvailability(r.cfg.Tenant, []string{sku}, p.Group, []string{p.ID}), func(st int, b []byte) string {
		if st == 200 {
			ans, perr = wire.ParseAvailability(b)
		}
		return ""
	})
	c.Auth = bearer
	rep := r.core.Send(c)
	switch {
	case rep.Err != nil:
		return wire.AvailabilityRecord{}, rep.Err
	case rep.Status != 200:
		return wire.AvailabilityRecord{}, fmt.Errorf("get-availability answered %d", rep.Status)
	case perr != nil:
		return wire.AvailabilityRecord{}, perr
	}
	return ans.Record(p, sku)
}
