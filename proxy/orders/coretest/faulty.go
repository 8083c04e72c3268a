package coretest

import (
	"context"
	"sync"

	"ociedge/oci"
)

// Fault is what Faulty does to a call.
type Fault int

// Faults.
const (
	// Fail returns ErrInjected without calling the core.
	Fail Fault = iota + 1
	// Drop calls the core, which commits, and returns ErrInjected: the
	// answer is lost on the way back.
	Drop
	// Hang waits until the call's context is done and returns its error
	// without calling the core (a core that does not answer in time).
	Hang
)

// Rule applies a fault to the next Times calls of Op ("reserve",
// "update", "cancel", "get"; "" for any).
type Rule struct {
	Op    string
	Fault Fault
	Times int
}

// Faulty is a core that misbehaves by the rules it is given, around
// Inner. Safe for concurrent use.
type Faulty struct {
	Inner interface {
		Reserve(ctx context.Context, id string, req *oci.ReserveRequest) (*oci.ReserveResult, error)
		UpdateReservation(ctx context.Context, id string, u *oci.ReservationUpdate) (*oci.ReserveResult, error)
		CancelReservation(ctx context.Context, id string) error
		Reservation(ctx context.Context, id string) (oci.ReservationView, error)
	}

	mu    sync.Mutex // guards rules and calls
	rules []Rule
	calls map[string]int // calls that reached Faulty, by op
}

// Add appends rules; the first matching rule with Times left applies.
func (f *Faulty) Add(rules ...Rule) {
	f.mu.Lock()
	f.rules = append(f.rules, rules...)
	f.mu.Unlock()
}

// Clear drops every rule.
func (f *Faulty) Clear() {
	f.mu.Lock()
	f.rules = nil
	f.mu.Unlock()
}

// Calls returns how many calls of op reached Faulty ("" for all).
func (f *Faulty) Calls(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if op != "" {
		return f.calls[op]
	}
	n := 0
	for _, c := range f.calls {
		n += c
	}
	return n
}

// fault counts a call of op and returns the fault to apply, 0 for none.
func (f *Faulty) fault(op string) Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[op]++
	for i := range f.rules {
		r := &f.rules[i]
		if r.Times > 0 && (r.Op == "" || r.Op == op) {
			r.Times--
			return r.Fault
		}
	}
	return 0
}

// around runs call under the fault for op.
func (f *Faulty) around(ctx context.Context, op string, call func() error) error {
	switch f.fault(op) {
	case Fail:
		return ErrInjected
	case Hang:
		<-ctx.Done()
		return ctx.Err()
	case Drop:
		_ = call()
		return ErrInjected
	}
	return call()
}

// Reserve implements orders.Core.
func (f *Faulty) Reserve(ctx context.Context, id string, req *oci.ReserveRequest) (*oci.ReserveResult, error) {
	var res *oci.ReserveResult
	err := f.around(ctx, "reserve", func() error {
		var err error
		res, err = f.Inner.Reserve(ctx, id, req)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// UpdateReservation implements orders.Core.
func (f *Faulty) UpdateReservation(ctx context.Context, id string, u *oci.ReservationUpdate) (*oci.ReserveResult, error) {
	var res *oci.ReserveResult
	err := f.around(ctx, "update", func() error {
		var err error
		res, err = f.Inner.UpdateReservation(ctx, id, u)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// CancelReservation implements orders.Core.
func (f *Faulty) CancelReservation(ctx context.Context, id string) error {
	return f.around(ctx, "cancel", func() error { return f.Inner.CancelReservation(ctx, id) })
}

// Reservation implements orders.Core.
func (f *Faulty) Reservation(ctx context.Context, id string) (oci.ReservationView, error) {
	var v oci.ReservationView
	err := f.around(ctx, "get", func() error {
		var err error
		v, err = f.Inner.Reservation(ctx, id)
		return err
	})
	return v, err
}
