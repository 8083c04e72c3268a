package orders

import (
	"context"
	"errors"

	"go.uber.org/zap"
)

// expireBatch bounds the baskets one job run deletes; the next run goes on.
const expireBatch = 1000

// errScanDone ends an index scan early.
var errScanDone = errors.New("scan done")

// expired reports whether b outlived its site's basket lifetime.
func (s *Service) expired(b *Basket) bool {
	return !b.Modified.Add(s.ix.basketLifetime(b.SiteID)).After(s.now())
}

// expireBaskets deletes the baskets not modified for their site's basket
// lifetime and releases their reservations, as B2C deletes a basket whose
// lifetime ended. Each site's part of the m/ index is in modification
// order, so its scan stops at the first basket still alive. Baskets of a
// site no longer configured are left alone (no route reaches them, and
// their reservations expire by themselves).
func (s *Service) expireBaskets(ctx context.Context) (int, error) {
	now := s.now()
	var due []string
	for site, si := range s.ix.sites {
		err := s.repo.scan(modifiedPrefix(site), func(k, _ string) error {
			modified, id, ok := modifiedEntry(k)
			if !ok {
				return nil
			}
			if modified.Add(si.lifetime).After(now) || len(due) >= expireBatch {
				return errScanDone
			}
			due = append(due, id)
			return nil
		})
		if err != nil && !errors.Is(err, errScanDone) {
			return 0, internal(err, "scan the baskets of site "+site+" by last modification")
		}
	}
	n := 0
	for _, id := range due {
		ok, err := s.expireBasket(ctx, id)
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
	if n > 0 {
		s.m.basketsExpired(n)
		s.log.Info("baskets expired", zap.Int("baskets", n))
	}
	return n, nil
}

// expireBasket deletes one basket if it is still past its lifetime (it may
// have changed since the scan), releasing its reservation first. A
// reservation the system does not release now expires by itself (basket
// reservations last at most 240 minutes).
func (s *Service) expireBasket(ctx context.Context, id string) (bool, error) {
	unlock := s.baskets.lock(id)
	defer unlock()
	b, ok, err := s.repo.basket(id)
	if err != nil {
		return false, internal(err, "read basket "+id)
	}
	if !ok || !s.expired(b) {
		return false, nil
	}
	s.releaseBasketBestEffort(ctx, b.ID, b.Res)
	c := s.repo.change()
	c.deleteBasket(b)
	if err := c.commit("delete expired basket " + id); err != nil {
		return false, err
	}
	return true, nil
}
