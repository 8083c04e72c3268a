package orders

import (
	"context"
	"fmt"

	"go.uber.org/zap"
)

// action is what a status change does to the order's reservation.
type action int

const (
	refuse  action = iota // not allowed
	relabel               // no inventory effect (place, complete, reopen)
	release               // fail or cancel: release the reservation
	reserve               // undo fail or undo cancel: reserve again
)

// actionOf is the Orders v1 status table: fail CREATED→FAILED; undo fail
// FAILED→CREATED; place CREATED→NEW/COMPLETED (CREATED→CANCELLED places
// and cancels); cancel NEW/COMPLETED→CANCELLED; undo cancel
// CANCELLED→NEW/COMPLETED; NEW↔COMPLETED. NEW, COMPLETED and CANCELLED
// never go back to CREATED or FAILED.
func actionOf(from, to Status) action {
	switch {
	case from == to:
		return refuse
	case from == StatusCreated && (to == StatusNew || to == StatusCompleted):
		return relabel
	case from == StatusCreated && (to == StatusFailed || to == StatusCancelled):
		return release
	case (from == StatusNew || from == StatusCompleted) && to == StatusCancelled:
		return release
	case (from == StatusNew || from == StatusCompleted) && (to == StatusNew || to == StatusCompleted):
		return relabel
	case from == StatusCancelled && (to == StatusNew || to == StatusCompleted):
		return reserve
	case from == StatusFailed && to == StatusCreated:
		return reserve
	}
	return refuse
}

// Order returns an order of the site.
func (s *Service) Order(siteID, no string) (*Order, error) {
	if _, err := s.site(siteID); err != nil {
		return nil, err
	}
	return s.loadOrder(siteID, no)
}

func (s *Service) loadOrder(siteID, no string) (*Order, error) {
	if !validOrderNo(no) {
		return nil, orderNotFound(no)
	}
	o, ok, err := s.repo.order(no)
	switch {
	case err != nil:
		return nil, internal(err, "read order "+no)
	case !ok || o.SiteID != siteID:
		return nil, orderNotFound(no)
	}
	return o, nil
}

// FailOrder fails an order that is created (Shopper Orders actions/fail)
// and releases its reservation.
func (s *Service) FailOrder(ctx context.Context, siteID, no string) (*Order, error) {
	return s.SetStatus(ctx, siteID, no, StatusFailed)
}

// SetStatus changes an order's status following the Orders v1 rules.
// Failing or cancelling records the change durably and then releases the
// reservation; if the reservation system does not answer, the release is
// left to the job and the change still stands. Undoing a fail or a cancel
// reserves again where the mode says, and fails with EUNDOFAIL or
// EUNDOCANCEL if that is not possible. A change that the table refuses,
// including to the current status, is ESTATUS.
func (s *Service) SetStatus(ctx context.Context, siteID, no string, to Status) (*Order, error) {
	si, err := s.site(siteID)
	if err != nil {
		return nil, err
	}
	if !to.Valid() {
		return nil, invalid("status", "must be one of created, new, completed, cancelled, failed")
	}
	unlock := s.orders.lock(no)
	defer unlock()
	o, err := s.loadOrder(siteID, no)
	if err != nil {
		return nil, err
	}
	switch actionOf(o.Status, to) {
	case relabel:
		return s.relabel(o, to)
	case release:
		return s.releaseTo(ctx, o, to, "requested")
	case reserve:
		if err := s.settleFirst(ctx, o); err != nil {
			return nil, err
		}
		return s.reserveAgain(ctx, si, o, to)
	}
	return nil, statusError(o, to)
}

func statusError(o *Order, to Status) *Error {
	msg := fmt.Sprintf("The order status change from '%s' to '%s' for order with number '%s' isn't supported", o.Status, to, o.No)
	if o.Status == to {
		msg += ": order is already " + string(to)
	}
	return errorf(ESTATUS, "%s.", msg)
}

// settleFirst finishes an order's pending reservation work (a release the
// core did not take yet, or an interrupted reservation) before a new
// reservation replaces it.
func (s *Service) settleFirst(ctx context.Context, o *Order) error {
	switch o.Res.State {
	case ResReleasing:
		return s.release(ctx, o, s.orderSaver(o.clone(), o))
	case ResReserving:
		return s.rollback(ctx, o, s.orderSaver(o.clone(), o))
	}
	return nil
}

func (s *Service) relabel(o *Order, to Status) (*Order, error) {
	save := s.orderSaver(o.clone(), o)
	from := o.Status
	o.Status = to
	if err := save(); err != nil {
		return nil, err
	}
	event := "placed"
	if from != StatusCreated {
		event = "completed"
		if to == StatusNew {
			event = "reopened"
		}
	}
	s.m.order(event)
	s.log.Info("order status changed", zap.String("order", o.No), zap.String("from", string(from)), zap.String("to", string(to)))
	return o, nil
}

// releaseTo fails or cancels the order: first the durable intent (the new
// status, reservation releasing), then the release.
func (s *Service) releaseTo(ctx context.Context, o *Order, to Status, reason string) (*Order, error) {
	save := s.orderSaver(o.clone(), o)
	from := o.Status
	o.Status = to
	if to == StatusFailed {
		o.FailReason = reason
	}
	if o.Res.Open() {
		o.Res.State = ResReleasing
	}
	if err := save(); err != nil {
		return nil, err
	}
	s.countRelease(o, from, reason)
	if s.afterReleaseIntent != nil {
		s.afterReleaseIntent(o)
	}
	if o.Res.State == ResReleasing {
		if err := s.release(ctx, o, save); err != nil {
			s.log.Warn("order release left for the job", zap.String("order", o.No), zap.Error(err))
		}
	}
	return o, nil
}

func (s *Service) countRelease(o *Order, from Status, reason string) {
	event := map[Status]string{StatusFailed: "failed", StatusCancelled: "cancelled"}[o.Status]
	if reason == "auto-fail" {
		event = "auto_failed"
	}
	s.m.order(event)
	if reason == "auto-fail" {
		return // autoFailOne logs its own line
	}
	s.log.Info("order "+event, zap.String("order", o.No), zap.String("from", string(from)),
		zap.String("system", string(o.Res.System)), zap.String("reservation", string(o.Res.State)))
}

// release releases what the order holds and records it.
func (s *Service) release(ctx context.Context, o *Order, save func() error) error {
	err := s.system(o.Res.System).releaseOrder(ctx, o)
	s.m.reservation(o.Res.System, "release", outcomeOf(err))
	if err != nil {
		return err
	}
	o.Res.State = ResReleased
	return save()
}

// reserveAgain undoes a fail or a cancel: a fresh reservation (the next
// generation) where the mode says.
func (s *Service) reserveAgain(ctx context.Context, si siteInfo, o *Order, to Status) (*Order, error) {
	sys := s.current()
	if err := sys.ready(); err != nil {
		return nil, err
	}
	lines, err := sys.lines(si, o.Items)
	if err != nil {
		return nil, err
	}
	save := s.orderSaver(o.clone(), o)
	from := o.Status
	o.Res = OrderRes{Gen: o.Res.Gen + 1, State: ResReserving, Target: to, Lines: lines}
	op := &orderOp{o: o, save: save}
	sys.prepareOrder(op)
	if err := save(); err != nil {
		return nil, err
	}
	rerr := sys.reserveOrder(ctx, op)
	s.m.reservation(sys.name(), "order", outcomeOf(rerr))
	switch ErrorCode(rerr) {
	case "":
		return s.reserved(o, from, save)
	case EUNAVAILABLE, EINVALID:
		return nil, s.undoRefused(op, from, rerr)
	}
	s.rollbackNow(ctx, op)
	return nil, rerr
}

func (s *Service) reserved(o *Order, from Status, save func() error) (*Order, error) {
	o.Status, o.FailReason, o.Res.State, o.Res.Target = o.Res.Target, "", ResHeld, ""
	if err := save(); err != nil {
		return nil, err // still reserving: the job rolls it back
	}
	if o.Status == StatusCreated {
		s.af.push(o)
	}
	s.m.order(map[Status]string{StatusFailed: "undo_failed", StatusCancelled: "undo_cancelled"}[from])
	s.log.Info("order reserved again", zap.String("order", o.No), zap.String("from", string(from)), zap.String("to", string(o.Status)))
	return o, nil
}

func (s *Service) undoRefused(op *orderOp, from Status, rerr error) error {
	o := op.o
	o.Res.State, o.Res.Target = ResReleased, ""
	if op.dirty {
		o.Res.State = ResReleasing
	}
	if err := op.save(); err != nil {
		return err
	}
	code, what := EUNDOFAIL, "failed"
	if from == StatusCancelled {
		code, what = EUNDOCANCEL, "cancelled"
	}
	return &Error{Code: code, Err: rerr, ProductIDs: errorProducts(rerr),
		Message: fmt.Sprintf("The %s order with number '%s' cannot be reopened: no inventory could be reserved for it", what, o.No)}
}

func errorProducts(err error) []string {
	if e, ok := err.(*Error); ok {
		return e.ProductIDs
	}
	return nil
}
