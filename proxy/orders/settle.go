package orders

import (
	"context"

	"go.uber.org/zap"
)

// settlePending finishes the reservation work that orders left pending: a
// release the reservation system did not take, or a reservation whose
// outcome was never known (the process died or the system did not answer).
// Orders locked by a request in flight are skipped.
func (s *Service) settlePending(ctx context.Context) (settled, pending int, err error) {
	var nos []string
	err = s.repo.scan("w/", func(no, _ string) error {
		nos = append(nos, no)
		return nil
	})
	if err != nil {
		return 0, 0, internal(err, "scan pending orders")
	}
	for i, no := range nos {
		if ctx.Err() != nil {
			pending += len(nos) - i
			break
		}
		switch done, err := s.settleOne(ctx, no); {
		case done:
			settled++
		case err != nil && ErrorCode(err) != EUNREACHABLE:
			s.log.Error("cannot settle an order's reservation", zap.String("order", no), zap.Error(err))
			pending++
		default:
			pending++
		}
	}
	s.m.pending(pending)
	return settled, pending, nil
}

// settleOne settles one order's pending work; done is false if it is still
// pending (the order is busy or the system did not answer).
func (s *Service) settleOne(ctx context.Context, no string) (done bool, err error) {
	unlock, ok := s.orders.tryLock(no)
	if !ok {
		return false, nil
	}
	defer unlock()
	o, found, err := s.repo.order(no)
	if err != nil || !found {
		return false, err
	}
	save := s.orderSaver(o.clone(), o)
	switch o.Res.State {
	case ResReleasing:
		err = s.release(ctx, o, save)
	case ResReserving:
		err = s.rollback(ctx, o, save)
	default:
		return false, nil
	}
	if err != nil {
		return false, err
	}
	s.log.Info("order reservation settled", zap.String("order", no), zap.String("status", string(o.Status)))
	return true, nil
}
