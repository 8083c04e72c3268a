package orders

import (
	"context"
	"errors"
	"time"

	"ociedge/oci"
)

// Core is the part of the OCI core's reservation API the edge uses. The
// edge implements it over oci/client; tests over an in-process *oci.Core
// (package coretest). Errors carry OCI codes (oci.ErrorCode); failures to
// get an answer are recognised by Config.Transient.
type Core interface {
	// Reserve is PUT /reservation-documents/{id}. The same id with the
	// same request replays the first answer.
	Reserve(ctx context.Context, id string, req *oci.ReserveRequest) (*oci.ReserveResult, error)
	// UpdateReservation is PATCH /reservation-documents/{id} with the
	// changes of u (not a cancel): atomic, and idempotent since lines are
	// set, not added.
	UpdateReservation(ctx context.Context, id string, u *oci.ReservationUpdate) (*oci.ReserveResult, error)
	// CancelReservation is PATCH {"status":"CANCELLED"}; a second cancel
	// fails with oci.ReservationCancelled.
	CancelReservation(ctx context.Context, id string) error
	// Reservation reads a document; oci.EntityNotFound if there is none.
	Reservation(ctx context.Context, id string) (oci.ReservationView, error)
}

var (
	errNoCore      = errors.New("no core is configured")
	errCircuitOpen = errors.New("the circuit breaker is open after repeated core failures")
)

// coreCaller calls the core with a deadline per call, retries failed calls
// with the same arguments (so the same reservation id) and keeps a circuit
// breaker. Safe for concurrent use.
type coreCaller struct {
	core      Core
	timeout   time.Duration
	retries   int
	backoff   time.Duration
	transient func(error) bool
	br        *breaker
	m         *Metrics
}

// call runs fn until it gets an answer, retrying up to c.retries times.
// An answer (success or an OCI error) is returned as is; no answer becomes
// an EUNREACHABLE *Error.
func (c *coreCaller) call(ctx context.Context, op string, fn func(ctx context.Context) error) error {
	if c.core == nil {
		return unreachable(SystemOCI, errNoCore)
	}
	var last error
	for attempt := 0; attempt <= c.retries; attempt++ {
		if attempt > 0 && !c.pause(ctx, attempt) {
			break
		}
		trial, ok := c.br.allow()
		if !ok {
			c.m.coreError(op, "circuit_open")
			last = errors.Join(errCircuitOpen, last)
			break
		}
		err := c.once(ctx, op, fn)
		failed := err != nil && c.transient(err)
		c.br.done(trial, !failed)
		if !failed {
			return err
		}
		c.m.coreError(op, "unavailable")
		last = err
	}
	return unreachable(SystemOCI, last)
}

func (c *coreCaller) once(ctx context.Context, op string, fn func(ctx context.Context) error) error {
	cctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	start := time.Now() // latency only; business time comes from Config.Now
	err := fn(cctx)
	c.m.coreCall(op, time.Since(start))
	return err
}

// pause waits before retry number attempt; false if ctx ended first.
func (c *coreCaller) pause(ctx context.Context, attempt int) bool {
	if ctx.Err() != nil {
		return false
	}
	if c.backoff <= 0 {
		return true
	}
	t := time.NewTimer(c.backoff << (attempt - 1))
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (c *coreCaller) reserve(ctx context.Context, id string, req *oci.ReserveRequest) (*oci.ReserveResult, error) {
	var res *oci.ReserveResult
	err := c.call(ctx, "reserve", func(ctx context.Context) error {
		var err error
		res, err = c.core.Reserve(ctx, id, req)
		return err
	})
	return res, err
}

func (c *coreCaller) update(ctx context.Context, id string, u *oci.ReservationUpdate) (*oci.ReserveResult, error) {
	var res *oci.ReserveResult
	err := c.call(ctx, "update", func(ctx context.Context) error {
		var err error
		res, err = c.core.UpdateReservation(ctx, id, u)
		return err
	})
	return res, err
}

// cancel cancels a document. A document that is already cancelled,
// expired, closed or unknown holds nothing: that is success.
func (c *coreCaller) cancel(ctx context.Context, id string) error {
	err := c.call(ctx, "cancel", func(ctx context.Context) error { return c.core.CancelReservation(ctx, id) })
	if gone(err) {
		return nil
	}
	return err
}

func (c *coreCaller) view(ctx context.Context, id string) (oci.ReservationView, error) {
	var v oci.ReservationView
	err := c.call(ctx, "get", func(ctx context.Context) error {
		var err error
		v, err = c.core.Reservation(ctx, id)
		return err
	})
	return v, err
}

// gone reports whether err says the document holds nothing any more and
// cannot be changed: cancelled, expired, closed or unknown.
func gone(err error) bool {
	if ErrorCode(err) == EUNREACHABLE {
		return false
	}
	switch oci.ErrorCode(err) {
	case oci.ReservationCancelled, oci.ReservationInvalidState, oci.ReservationAlreadyFinalized, oci.EntityNotFound:
		return true
	}
	return false
}
