package orders

import (
	"context"
	"errors"
	"slices"
	"time"

	"go.uber.org/zap"

	"ociedge/proxy/inventory"
)

// b2cSystem reserves in the edge's own inventory: a basket reservation is a
// hold per inventory list, an order a reservation per inventory list.
type b2cSystem struct {
	s   *Service
	inv *inventory.Store
}

var _ system = (*b2cSystem)(nil)

var errNoInventory = errors.New("no B2C inventory is configured")

func (x *b2cSystem) name() System { return SystemB2C }

func (x *b2cSystem) ready() error {
	if x.inv == nil {
		return unreachable(SystemB2C, errNoInventory)
	}
	return nil
}

func (x *b2cSystem) lines(site siteInfo, items []Item) ([]Line, error) {
	return buildLines(site.list, items, nil)
}

func toInv(ls []Line) []inventory.Line {
	out := make([]inventory.Line, len(ls))
	for i, l := range ls {
		out[i] = inventory.Line{ProductID: l.SKU, Quantity: inventory.Units(l.Quantity)}
	}
	return out
}

// invError maps an inventory error to the service's.
func invError(err error) error {
	var e *inventory.Error
	errors.As(err, &e)
	switch inventory.ErrorCode(err) {
	case "":
		return nil
	case inventory.EUNAVAILABLE:
		return unavailable(e.ProductIDs)
	case inventory.ELISTNOTFOUND:
		return &Error{Code: EINVALID, Field: "inventoryId", Message: e.Message}
	case inventory.EREADONLY:
		return unreachable(SystemB2C, err) // the mode is changing to OCI
	case inventory.EINVALID:
		return &Error{Code: EINVALID, Message: "the B2C inventory refused the reservation", Err: err}
	}
	return internal(err, "reserve in the B2C inventory")
}

func (x *b2cSystem) reserveBasket(ctx context.Context, op *basketOp) error {
	b := op.b
	if b.Res == nil {
		b.Res = &BasketRes{System: SystemB2C}
	}
	res := b.Res
	prevLines, prevExp := res.Lines, res.Expires
	res.Touched = unionLines(res.Touched, op.lines)
	if err := op.save(); err != nil {
		return err
	}
	var done []string
	for _, list := range listsOf(op.lines) {
		if err := x.holdList(op, list); err != nil {
			x.restore(b.ID, prevLines, prevExp, done)
			return err
		}
		done = append(done, list)
	}
	for _, list := range listsOf(res.Touched) {
		if !slices.Contains(done, list) {
			if err := x.inv.ReleaseHold(holdID(b.ID, list)); err != nil {
				return invError(err)
			}
		}
	}
	res.Lines, res.Touched, res.Expires = op.lines, op.lines, op.expires
	if len(op.lines) == 0 {
		b.Res = nil
	}
	return nil
}

// holdList places the basket's hold in one list, dropping unavailable
// products first if asked to.
func (x *b2cSystem) holdList(op *basketOp, list string) error {
	for round := 0; ; round++ {
		ls := linesOfList(op.lines, list)
		if len(ls) == 0 {
			return invError(x.inv.ReleaseHold(holdID(op.b.ID, list)))
		}
		_, err := x.inv.Hold(inventory.HoldRequest{ID: holdID(op.b.ID, list), ListID: list,
			Lines: toInv(ls), ExpiresAt: op.expires})
		if err == nil {
			return nil
		}
		e := invError(err)
		if ErrorCode(e) != EUNAVAILABLE || !op.remove || round+1 >= maxRemoveRounds {
			return e
		}
		op.removeProducts(list, e.(*Error).ProductIDs)
	}
}

// restore puts back the holds of the lists a failed replacement changed
// (best effort: they expire anyway).
func (x *b2cSystem) restore(basketID string, prev []Line, exp time.Time, lists []string) {
	for _, list := range lists {
		id := holdID(basketID, list)
		var err error
		if pl := linesOfList(prev, list); len(pl) > 0 && exp.After(x.s.now()) {
			_, err = x.inv.Hold(inventory.HoldRequest{ID: id, ListID: list, Lines: toInv(pl), ExpiresAt: exp})
		} else {
			err = x.inv.ReleaseHold(id)
		}
		x.logBestEffort("restore a basket hold", err)
	}
}

func (x *b2cSystem) releaseBasket(_ context.Context, basketID string, res *BasketRes) error {
	if x.inv == nil {
		return unreachable(SystemB2C, errNoInventory)
	}
	for _, list := range listsOf(res.Touched) {
		if err := x.inv.ReleaseHold(holdID(basketID, list)); err != nil {
			return invError(err)
		}
	}
	return nil
}

func (x *b2cSystem) prepareOrder(op *orderOp) {
	o := op.o
	o.Res.System = SystemB2C
	lists := listsOf(o.Res.Lines)
	o.Res.IDs = make([]string, len(lists))
	for i := range lists {
		o.Res.IDs[i] = x.s.orderResID(o.No, o.Res.Gen, i)
	}
	if p := op.prev; p != nil && p.System == SystemB2C {
		o.Res.Holds = map[string]string{}
		for _, list := range lists {
			if len(linesOfList(p.Lines, list)) > 0 {
				o.Res.Holds[list] = holdID(o.BasketID, list)
			}
		}
	}
}

func (x *b2cSystem) reserveOrder(_ context.Context, op *orderOp) error {
	o := op.o
	for i, list := range listsOf(o.Res.Lines) {
		_, err := x.inv.Reserve(inventory.ReserveRequest{ID: o.Res.IDs[i], ListID: list,
			Lines: toInv(linesOfList(o.Res.Lines, list)), FromHold: o.Res.Holds[list]})
		if err != nil {
			op.dirty = x.releaseIDs(o.Res.IDs[:i]) != nil
			x.rehold(op, i)
			return invError(err)
		}
	}
	return nil
}

func (x *b2cSystem) releaseIDs(ids []string) error {
	for _, id := range ids {
		if _, err := x.inv.Release(id); err != nil && inventory.ErrorCode(err) != inventory.ENOTFOUND {
			return invError(err)
		}
	}
	return nil
}

// rehold gives back the basket holds that the first n lists converted
// before a refusal (best effort).
func (x *b2cSystem) rehold(op *orderOp, n int) {
	if op.prev == nil || !op.prev.Live(x.s.now()) {
		return
	}
	for _, list := range listsOf(op.o.Res.Lines)[:n] {
		if id := op.o.Res.Holds[list]; id != "" {
			_, err := x.inv.Hold(inventory.HoldRequest{ID: id, ListID: list,
				Lines: toInv(linesOfList(op.prev.Lines, list)), ExpiresAt: op.prev.Expires})
			x.logBestEffort("give back a basket hold", err)
		}
	}
}

func (x *b2cSystem) releaseOrder(_ context.Context, o *Order) error {
	if x.inv == nil {
		return unreachable(SystemB2C, errNoInventory)
	}
	return x.releaseIDs(o.Res.IDs)
}

func (x *b2cSystem) rollbackOrder(ctx context.Context, o *Order) error {
	return x.releaseOrder(ctx, o) // local writes: no answer can land later
}

func (x *b2cSystem) logBestEffort(what string, err error) {
	if err != nil {
		x.s.log.Warn("cannot "+what+"; it expires by itself", zap.Error(err))
	}
}
