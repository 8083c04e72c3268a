// Package coretest implements the orders package's Core interface over an
// in-process *oci.Core, with a decorator that injects faults. It is for
// tests of the edge's checkout; the edge itself uses oci/client.
package coretest

import (
	"context"
	"errors"

	"ociedge/oci"
)

// Local calls an in-process core. It honours a context that is already
// done (the call is not made), as a network client would. Safe for
// concurrent use.
type Local struct {
	Core *oci.Core
}

// Reserve implements orders.Core.
func (l Local) Reserve(ctx context.Context, id string, req *oci.ReserveRequest) (*oci.ReserveResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := *req
	r.ReservationID = id
	return l.Core.Reserve(&r)
}

// UpdateReservation implements orders.Core.
func (l Local) UpdateReservation(ctx context.Context, id string, u *oci.ReservationUpdate) (*oci.ReserveResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return l.Core.UpdateReservation(id, u)
}

// CancelReservation implements orders.Core.
func (l Local) CancelReservation(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err := l.Core.UpdateReservation(id, &oci.ReservationUpdate{Cancel: true})
	return err
}

// Reservation implements orders.Core.
func (l Local) Reservation(ctx context.Context, id string) (oci.ReservationView, error) {
	if err := ctx.Err(); err != nil {
		return oci.ReservationView{}, err
	}
	v, ok := l.Core.Reservation(id)
	if !ok {
		return v, &oci.Error{Code: oci.EntityNotFound, Message: "Reservation ID does not exist."}
	}
	return v, nil
}

// ErrInjected is the failure Faulty injects: a transport failure (no OCI
// code), so the orders package retries it and counts it against its
// circuit breaker.
var ErrInjected = errors.New("coretest: injected core failure")
