package orders

import (
	"context"
	"slices"

	"go.uber.org/zap"
)

// CreateOrder turns a basket into an order with status created, reserving
// its items where the mode says: at the core in Omnichannel Inventory mode
// (at the site list's location or group, at the store list's location for
// BOPIS items), otherwise in the edge's inventory. A basket reservation in
// the same system is converted, never released in between nor counted
// twice. If an item is not available the order is not created
// (EUNAVAILABLE) and nothing stays reserved for it; if the reservation
// system does not answer, EUNREACHABLE, and what it may have committed is
// rolled back. On success the basket is gone.
func (s *Service) CreateOrder(ctx context.Context, siteID, basketID string) (*Order, error) {
	si, err := s.site(siteID)
	if err != nil {
		return nil, err
	}
	if basketID == "" {
		return nil, invalid("basketId", "the basket ID is required")
	}
	unlock := s.baskets.lock(basketID)
	defer unlock()
	b, err := s.loadBasket(siteID, basketID)
	if err != nil {
		return nil, err
	}
	if len(b.Items) == 0 {
		return nil, invalid("basketId", "the basket has no product items")
	}
	sys := s.current()
	if err := sys.ready(); err != nil {
		return nil, err
	}
	lines, err := sys.lines(si, b.Items)
	if err != nil {
		return nil, err
	}
	no, err := s.repo.nextOrderNo(s.cfg.FirstOrderNo)
	if err != nil {
		return nil, err
	}
	unlockOrder := s.orders.lock(no)
	defer unlockOrder()
	return s.checkout(ctx, sys, b, s.newOrder(no, b, lines))
}

// newOrder is an order being created: failed ("interrupted") until its
// reservation is held, so that a crash leaves it failed.
func (s *Service) newOrder(no string, b *Basket, lines []Line) *Order {
	now := s.now()
	return &Order{No: no, SiteID: b.SiteID, BasketID: b.ID, Status: StatusFailed, FailReason: "interrupted",
		Items: slices.Clone(b.Items), Created: now, Modified: now,
		Res: OrderRes{Gen: 1, State: ResReserving, Target: StatusCreated, Lines: lines}}
}

func (s *Service) checkout(ctx context.Context, sys system, b *Basket, o *Order) (*Order, error) {
	op := &orderOp{o: o, prev: b.Res}
	sys.prepareOrder(op)
	nb := b
	c := s.repo.change()
	c.putOrder(nil, o)
	if o.Res.FromBasket {
		nb = b.clone()
		nb.Res = nil // the document moves to the order
		c.putBasket(b, nb)
	}
	if err := c.commit("write order " + o.No); err != nil {
		return nil, err
	}
	op.save = s.orderSaver(o.clone(), o)
	rerr := sys.reserveOrder(ctx, op)
	s.m.reservation(sys.name(), "order", outcomeOf(rerr))
	switch ErrorCode(rerr) {
	case "":
		return s.created(ctx, op, nb)
	case EUNAVAILABLE, EINVALID:
		return nil, s.refused(op, nb, rerr)
	}
	s.rollbackNow(ctx, op)
	return nil, rerr
}

// orderSaver returns a func that writes o over what was stored.
func (s *Service) orderSaver(old, o *Order) func() error {
	cur := old
	return func() error {
		o.Modified = s.now()
		c := s.repo.change()
		c.putOrder(cur, o)
		if err := c.commit("write order " + o.No); err != nil {
			return err
		}
		cur = o.clone()
		return nil
	}
}

// created records a held order and deletes the basket.
func (s *Service) created(ctx context.Context, op *orderOp, nb *Basket) (*Order, error) {
	o := op.o
	before := o.clone()
	o.Status, o.FailReason, o.Res.State, o.Res.Target = StatusCreated, "", ResHeld, ""
	o.Modified = s.now()
	c := s.repo.change()
	c.putOrder(before, o)
	c.deleteBasket(nb)
	if err := c.commit("write order " + o.No); err != nil {
		return nil, err // still reserving: the job rolls it back
	}
	s.af.push(o)
	if p := op.prev; p != nil && !o.Res.FromBasket {
		s.releaseBasketBestEffort(ctx, nb.ID, p) // what the order did not convert
	}
	s.m.order("created")
	return o, nil
}

// refused records an order that could not be reserved. A converted basket
// document is unchanged (the PATCH is atomic) and goes back to the basket.
func (s *Service) refused(op *orderOp, nb *Basket, rerr error) error {
	o := op.o
	before := o.clone()
	o.FailReason, o.Res.State, o.Res.Target = "not-available", ResReleased, ""
	if ErrorCode(rerr) == EINVALID {
		o.FailReason = "refused"
	}
	if op.dirty {
		o.Res.State = ResReleasing // the job cancels what the refusal left
	}
	o.Modified = s.now()
	c := s.repo.change()
	c.putOrder(before, o)
	if o.Res.FromBasket {
		back := nb.clone()
		back.Res = op.prev
		c.putBasket(nb, back)
	}
	if err := c.commit("write order " + o.No); err != nil {
		return err
	}
	s.m.order("refused")
	return rerr
}

// rollbackNow tries once to roll back a reservation whose outcome is
// unknown; if the system still does not answer, the job does it later.
func (s *Service) rollbackNow(ctx context.Context, op *orderOp) {
	if err := s.rollback(ctx, op.o, op.save); err != nil {
		s.log.Warn("order reservation left for the job to roll back", zap.String("order", op.o.No), zap.Error(err))
	}
}

// rollback settles and releases a reservation whose outcome is unknown;
// the order keeps its status (failed, for a creation).
func (s *Service) rollback(ctx context.Context, o *Order, save func() error) error {
	if err := s.system(o.Res.System).rollbackOrder(ctx, o); err != nil {
		return err
	}
	o.Res.State, o.Res.Target = ResReleased, ""
	if err := save(); err != nil {
		return err
	}
	s.m.order("rolled_back")
	s.log.Info("order reservation rolled back", zap.String("order", o.No), zap.String("status", string(o.Status)))
	return nil
}
