package orders

import (
	"context"
	"time"

	"go.uber.org/zap"
)

// ReserveOptions is a basket reservation request (B2C
// Basket.reserveInventory(minutes, removeIfNotAvailable)).
type ReserveOptions struct {
	// Minutes is how long the reservation lasts. 0 means the configured
	// default (10); more than the configured maximum (240) is refused.
	Minutes int
	// RemoveIfNotAvailable removes the items that cannot be reserved and
	// reserves the rest, instead of failing.
	RemoveIfNotAvailable bool
}

// ReserveBasket reserves the basket's items for a while, replacing its
// previous reservation: quantities are set, not added, and items no longer
// in the basket are released. In Omnichannel Inventory mode the reservation
// is a document at the core and lowers the ATO others see; otherwise it is
// a hold in the edge's inventory that lowers only what others can reserve.
// If it fails, the previous reservation stays as it was (EUNAVAILABLE).
// It returns the basket and the products it removed.
func (s *Service) ReserveBasket(ctx context.Context, siteID, id string, opt ReserveOptions) (*Basket, []string, error) {
	si, err := s.site(siteID)
	if err != nil {
		return nil, nil, err
	}
	d, err := s.reservationLength(opt.Minutes)
	if err != nil {
		return nil, nil, err
	}
	unlock := s.baskets.lock(id)
	defer unlock()
	old, err := s.loadBasket(siteID, id)
	if err != nil {
		return nil, nil, err
	}
	b := old.clone()
	sys := s.current()
	if err := sys.ready(); err != nil {
		return nil, nil, err
	}
	if b.Res != nil && b.Res.System != sys.name() {
		s.releaseBasketBestEffort(ctx, b.ID, b.Res)
		b.Res = nil
	}
	lines, err := sys.lines(si, b.Items)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	op := &basketOp{b: b, siteList: si.list, lines: lines, secs: int(d / time.Second),
		expires: now.Add(d), remove: opt.RemoveIfNotAvailable}
	op.save = s.basketSaver(old, b)
	rerr := sys.reserveBasket(ctx, op)
	b.Modified = now
	if err := op.save(); err != nil {
		return nil, nil, err
	}
	s.m.reservation(sys.name(), "basket", outcomeOf(rerr))
	if rerr != nil {
		return nil, nil, rerr
	}
	if len(op.removed) > 0 {
		s.log.Info("basket reservation removed unavailable items", zap.String("basket", id), zap.Strings("products", op.removed))
	}
	return b, op.removed, nil
}

// basketSaver returns a func that writes b over what was stored (first
// old, then each version it wrote).
func (s *Service) basketSaver(old, b *Basket) func() error {
	cur := old
	return func() error {
		c := s.repo.change()
		c.putBasket(cur, b)
		if err := c.commit("write basket " + b.ID); err != nil {
			return err
		}
		cur = b.clone()
		return nil
	}
}

// reservationLength checks the requested minutes against the configured
// bounds.
func (s *Service) reservationLength(minutes int) (time.Duration, error) {
	if minutes == 0 {
		return max(s.ix.defaultMin.Truncate(time.Second), time.Second), nil
	}
	maxMin := int(s.ix.maxMin / time.Minute)
	if minutes < 0 || minutes > maxMin {
		return 0, invalid("minutes", "must be a whole number of minutes from 1 to %d", maxMin)
	}
	return time.Duration(minutes) * time.Minute, nil
}
