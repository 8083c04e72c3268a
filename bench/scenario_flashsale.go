package bench

import (
	"context"
	"errors"
	"fmt"

	"ociedge/bench/load"
	"ociedge/bench/wire"
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
		var err error
		if before, err = r.coreRecord(place, sku); err != nil {
			return fmt.Errorf("flashsale: reading the stock: %w", err)
		}
	}
	stock := r.cfg.Stock
	if stock == 0 {
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

// flashSource draws buyers of one unit of sku who all place their order.
func (r *Runner) flashSource(sku string, counts *checkoutCounts) load.Source {
	plan := checkoutPlan{items: []wire.Item{{ProductID: sku, Quantity: 1}}, reserve: !r.cfg.NoBasketReserve, place: true}
	return load.SourceFunc(func(int64) load.Op { return &checkoutOp{r: r, plan: plan, counts: counts} })
}

// flashChecks compares the accepted orders with the stock, and, with the
// core, the core's reservations before and after with both.
func (r *Runner) flashChecks(rep *Report, sku string, place wire.Place, stock int64, before wire.AvailabilityRecord, counts *checkoutCounts) error {
	accepted, unknown := counts.accepted.Load(), counts.unknown.Load()
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
