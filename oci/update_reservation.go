package oci

import (
	"time"
)

// ReservationUpdate is a PATCH /reservation-documents/{reservationId} body.
// The documented form is {"status":"CANCELLED"}. The newer API also lets
// PATCH change a document (reference §4 R2, "adding items"); the core takes:
//   - externalRefId: replace the external reference (e.g. a basket's
//     reservation becoming an order's);
//   - expirationSeconds: a number restarts the expiry from now, null makes
//     the document permanent;
//   - locations/groups: set the document's quantity of each listed sku at
//     each listed place to the given value — more is reserved (and must fit
//     in full), less is released, 0 releases the line. Setting is
//     idempotent, so a retried PATCH never reserves twice.
type ReservationUpdate struct {
	Cancel            bool
	ExternalRefID     *string
	SetExpiration     bool
	ExpirationSeconds *int // with SetExpiration: nil = never expires
	Locations         []PlaceLines
	Groups            []PlaceLines
}

func (u *ReservationUpdate) changesLines() bool { return len(u.Locations)+len(u.Groups) > 0 }

// UpdateReservation cancels or changes an open document. Cancelling releases
// everything it holds. A quantity change that does not fit in full changes
// nothing and is reported in the result (success false).
func (c *Core) UpdateReservation(id string, u *ReservationUpdate) (*ReserveResult, error) {
	if err := c.validateUpdate(id, u); err != nil {
		return nil, err
	}
	var res *ReserveResult
	err := c.write(func(tx *txn) error {
		r := c.docs[id]
		if r == nil {
			return &Error{Code: EntityNotFound, Parameter: "reservationId", Message: "Reservation ID does not exist."}
		}
		if r.state != StateOpen {
			return existingDocError(r)
		}
		if u.Cancel {
			c.finishDoc(tx, r, StateCancelled, c.now())
			return nil
		}
		var err error
		res, err = c.changeDoc(tx, r, u)
		return err
	})
	outcome := "ok"
	if err != nil {
		outcome = "failed"
	}
	c.m.reservationOp(map[bool]string{true: "cancel", false: "update"}[u.Cancel], outcome, 1)
	return res, err
}

func (c *Core) changeDoc(tx *txn, r *reservation, u *ReservationUpdate) (*ReserveResult, error) {
	var places []resolvedPlace
	if u.changesLines() {
		var err error
		if places, err = c.resolveLines(u.Locations, u.Groups); err != nil {
			return nil, err
		}
	}
	res := &ReserveResult{ReservationTime: r.reserved, Success: true}
	sp := tx.save()
	for _, p := range places {
		pr := c.setPlaceLines(tx, r, p)
		if len(pr.Errors) > 0 {
			res.Success = false
		}
		if p.kind == PlaceGroup {
			res.Groups = append(res.Groups, pr)
		} else {
			res.Locations = append(res.Locations, pr)
		}
	}
	if !res.Success {
		tx.rollback(sp)
		res.ExpirationTime = timePtr(r.expires)
		return res, nil
	}
	if u.ExternalRefID != nil {
		r.externalRefID = *u.ExternalRefID
	}
	if u.SetExpiration {
		c.setExpiry(r, u.ExpirationSeconds)
	}
	res.ExpirationTime = timePtr(r.expires)
	tx.touchDoc(r)
	return res, nil
}

func (c *Core) setExpiry(r *reservation, secs *int) {
	if secs == nil {
		r.expires = time.Time{}
		c.expiry.remove(r)
		return
	}
	r.expires = c.now().Add(time.Duration(*secs) * time.Second)
	c.expiry.fix(r)
}

// setPlaceLines brings the document's holds at one place to the requested
// quantities.
func (c *Core) setPlaceLines(tx *txn, r *reservation, p resolvedPlace) PlaceResult {
	pr := PlaceResult{ID: p.lines.ID, Details: []Line{}}
	for _, l := range p.lines.Lines {
		s := c.skus.get(l.SKU)
		have := Qty(0)
		if s != nil {
			have = heldBy(s, p.kind, p.idx, r)
		}
		switch {
		case l.Quantity < have:
			c.takeHolds(tx, s, p.kind, p.idx, have-l.Quantity, r)
		case l.Quantity > have:
			if s == nil || extraAt(c.graph, s, p.kind, p.idx, r.fulfillOnly) < l.Quantity-have {
				pr.Errors = append(pr.Errors, LineError{SKU: l.SKU, ErrorCode: InsufficientQuantity})
				continue
			}
			c.addHold(tx, r, p.kind, p.idx, s, l.Quantity-have)
		}
		pr.Details = append(pr.Details, l)
	}
	return pr
}

func (c *Core) validateUpdate(id string, u *ReservationUpdate) error {
	if err := validateReservationID(id); err != nil {
		return err
	}
	changes := u.ExternalRefID != nil || u.SetExpiration || u.changesLines()
	if u.Cancel && changes {
		return paramErrorf("status", "a cancel cannot be combined with other changes")
	}
	if !u.Cancel && !changes {
		return paramErrorf("status", "nothing to change: send {\"status\":\"CANCELLED\"} or the fields to update")
	}
	if e := u.ExpirationSeconds; u.SetExpiration && e != nil && (*e < 1 || *e > MaxExpirationSeconds) {
		return paramErrorf("expirationSeconds", "'expirationSeconds' must be between 1 and %d", MaxExpirationSeconds)
	}
	if u.changesLines() {
		for _, pl := range append(append([]PlaceLines(nil), u.Locations...), u.Groups...) {
			if len(pl.AllOrNothing) > 0 {
				return paramErrorf("allOrNothingReservations", "an update sets quantities; all-or-nothing sets are not allowed")
			}
		}
		return validatePlaceLines(u.Locations, u.Groups, c.cfg.MaxReservationLines, true)
	}
	return nil
}

// Reservation returns a copy of a reservation document (an extension: the
// RAML defines the GetReservation type without a route).
func (c *Core) Reservation(id string) (ReservationView, bool) {
	v, ok, err := c.LookupReservation(id)
	return v, ok && err == nil
}

// LookupReservation is Reservation with the reason it could not answer: a
// store that failed is an error (StoreUnavailable), not a missing document.
func (c *Core) LookupReservation(id string) (ReservationView, bool, error) {
	var v ReservationView
	var ok bool
	err := c.read(func() { v, ok = c.viewDoc(id) })
	return v, ok, err
}

func (c *Core) viewDoc(id string) (ReservationView, bool) {
	r := c.docs[id]
	if r == nil {
		return ReservationView{}, false
	}
	v := ReservationView{ReservationID: r.id, ExternalRefID: r.externalRefID, State: r.state,
		ReservationTime: r.reserved, ExpirationTime: timePtr(r.expires)}
	for _, h := range r.holds {
		if h.qty <= 0 {
			continue
		}
		list := &v.Locations
		if h.kind == PlaceGroup {
			list = &v.Groups
		}
		*list = addHolding(*list, c.in.name(h.place), Line{SKU: h.sku.name, Quantity: h.qty})
	}
	return v, true
}

func addHolding(list []PlaceHolding, place string, l Line) []PlaceHolding {
	for i := range list {
		if list[i].ID == place {
			list[i].Items = append(list[i].Items, l)
			return list
		}
	}
	return append(list, PlaceHolding{ID: place, Items: []Line{l}})
}
