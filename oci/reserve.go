package oci

import (
	"fmt"
	"time"
)

// Reserve creates the reservation document req.ReservationID and reserves
// its lines. Lines are reserved in request order (locations, then groups),
// each against what is still available at its place after every open group
// promise is kept (flow check). With allowPartialReservations (the default)
// a line gets what is available and no error; without it a line that does
// not fit is reported InsufficientQuantity and nothing of it is reserved.
//
// The same reservationId with the same request replays the first result; a
// different request under an existing id is a 409-family error. An unknown
// place fails the whole request and nothing is applied.
func (c *Core) Reserve(req *ReserveRequest) (*ReserveResult, error) {
	if err := c.validateReserve(req); err != nil {
		c.m.reservation("invalid")
		return nil, err
	}
	hash := hashJSON(req)
	var res *ReserveResult
	var outcome string
	err := c.write(func(tx *txn) error {
		if r := c.docs[req.ReservationID]; r != nil {
			res, outcome = r.result, "replayed"
			if r.hash != hash {
				outcome = "conflict"
				return existingDocError(r)
			}
			return nil
		}
		places, err := c.resolveLines(req.Locations, req.Groups)
		if err != nil {
			outcome = "invalid"
			return err
		}
		r := c.newDoc(req, hash)
		res = c.reservePlaces(tx, r, places, req.allowPartial())
		r.result = res
		tx.touchDoc(r)
		outcome = reserveOutcome(res)
		return nil
	})
	c.m.reservation(outcome)
	if err != nil {
		return nil, err
	}
	return res, nil
}

func reserveOutcome(res *ReserveResult) string {
	if res.Success {
		return "reserved"
	}
	for _, ps := range [][]PlaceResult{res.Locations, res.Groups} {
		for _, p := range ps {
			if len(p.Details) > 0 {
				return "partial"
			}
		}
	}
	return "insufficient"
}

func existingDocError(r *reservation) error {
	switch r.state {
	case StateCancelled:
		return errorf(ReservationCancelled, "Reservation %s is cancelled.", r.id)
	case StateExpired:
		return errorf(ReservationInvalidState, "Reservation is in an EXPIRED state.")
	case StateClosed:
		return errorf(ReservationAlreadyFinalized, "Reservation is in a CLOSED state.")
	}
	return errorf(EntityExists, "A reservation with ID %s already exists with different content.", r.id)
}

// resolvedPlace is a requested place resolved against the graph.
type resolvedPlace struct {
	kind  PlaceType
	idx   placeIdx
	lines PlaceLines
}

func (c *Core) resolveLines(locs, groups []PlaceLines) ([]resolvedPlace, error) {
	out := make([]resolvedPlace, 0, len(locs)+len(groups))
	for _, set := range []struct {
		kind  PlaceType
		lines []PlaceLines
	}{{PlaceLocation, locs}, {PlaceGroup, groups}} {
		for _, pl := range set.lines {
			idx, err := c.graph.resolve(&c.in, Place{set.kind, pl.ID})
			if err != nil {
				return nil, err
			}
			out = append(out, resolvedPlace{set.kind, idx, pl})
		}
	}
	return out, nil
}

func (c *Core) newDoc(req *ReserveRequest, hash requestHash) *reservation {
	c.docSeq++
	now := c.now()
	at := now
	if req.ReservationTime != nil {
		at = *req.ReservationTime
	}
	r := &reservation{
		id: req.ReservationID, seq: c.docSeq, externalRefID: req.ExternalRefID, state: StateOpen,
		reserved: at, fulfillOnly: req.FulfillOnly, hash: hash, heapIdx: -1,
	}
	if req.ExpirationSeconds != nil {
		r.expires = at.Add(time.Duration(*req.ExpirationSeconds) * time.Second)
		c.expiry.push(r)
	}
	c.docs[r.id] = r
	return r
}

func (c *Core) reservePlaces(tx *txn, r *reservation, places []resolvedPlace, partial bool) *ReserveResult {
	res := &ReserveResult{ReservationTime: r.reserved, ExpirationTime: timePtr(r.expires), Success: true}
	for _, p := range places {
		pr := PlaceResult{ID: p.lines.ID, Details: []Line{}}
		for _, l := range p.lines.Lines {
			c.reserveLine(tx, r, p, l, partial, &pr)
		}
		for _, set := range p.lines.AllOrNothing {
			c.reserveAllOrNothing(tx, r, p, set, &pr)
		}
		for _, d := range pr.Details {
			if d.Quantity != lineQty(p.lines, d.SKU) {
				res.Success = false
			}
		}
		if len(pr.Errors) > 0 {
			res.Success = false
		}
		if p.kind == PlaceGroup {
			res.Groups = append(res.Groups, pr)
		} else {
			res.Locations = append(res.Locations, pr)
		}
	}
	return res
}

// lineQty is the quantity requested for sku at a place.
func lineQty(pl PlaceLines, sku string) Qty {
	for _, l := range pl.Lines {
		if l.SKU == sku {
			return l.Quantity
		}
	}
	for _, set := range pl.AllOrNothing {
		for _, l := range set.Lines {
			if l.SKU == sku {
				return l.Quantity
			}
		}
	}
	return 0
}

func (c *Core) reserveLine(tx *txn, r *reservation, p resolvedPlace, l Line, partial bool, pr *PlaceResult) {
	var extra Qty
	s := c.skus.get(l.SKU)
	if s != nil {
		extra = extraAt(c.graph, s, p.kind, p.idx, r.fulfillOnly)
	}
	switch {
	case l.Quantity <= extra:
		c.addHold(tx, r, p.kind, p.idx, s, l.Quantity)
		pr.Details = append(pr.Details, l)
	case partial && extra > 0:
		c.addHold(tx, r, p.kind, p.idx, s, extra)
		pr.Details = append(pr.Details, Line{SKU: l.SKU, Quantity: extra})
	default:
		pr.Errors = append(pr.Errors, LineError{SKU: l.SKU, ErrorCode: InsufficientQuantity})
	}
}

// reserveAllOrNothing reserves every line of set in full, or none of them:
// the line that did not fit is InsufficientQuantity, the others
// NotAppliedDueToAtomicFailure.
func (c *Core) reserveAllOrNothing(tx *txn, r *reservation, p resolvedPlace, set AllOrNothing, pr *PlaceResult) {
	sp := tx.save()
	failed := ""
	for _, l := range set.Lines {
		s := c.skus.get(l.SKU)
		if s == nil || extraAt(c.graph, s, p.kind, p.idx, r.fulfillOnly) < l.Quantity {
			failed = l.SKU
			break
		}
		c.addHold(tx, r, p.kind, p.idx, s, l.Quantity)
	}
	if failed == "" {
		pr.Details = append(pr.Details, set.Lines...)
		return
	}
	tx.rollback(sp)
	for _, l := range set.Lines {
		code := NotAppliedDueToAtomicFailure
		if l.SKU == failed {
			code = InsufficientQuantity
		}
		pr.Errors = append(pr.Errors, LineError{SKU: l.SKU, ErrorCode: code})
	}
}

// addHold adds q of s at place p to document r.
func (c *Core) addHold(tx *txn, r *reservation, kind PlaceType, p placeIdx, s *skuState, q Qty) {
	h := r.holdAt(kind, p, s)
	if h == nil {
		h = &hold{doc: r, kind: kind, place: p, sku: s}
		r.holds = append(r.holds, h)
	}
	s.queue(p).push(h)
	h.qty += q
	s.addHeld(kind, p, q)
	tx.onUndo(func() {
		h.qty -= q
		s.addHeld(kind, p, -q)
	})
	if kind == PlaceLocation {
		tx.touchRecord(s, p)
	} else {
		tx.touchGroup(s, p)
	}
	tx.touchDoc(r)
}

// validateReserve checks everything that does not need the state.
func (c *Core) validateReserve(req *ReserveRequest) error {
	if err := validateReservationID(req.ReservationID); err != nil {
		return err
	}
	if len(req.Locations) == 0 && len(req.Groups) == 0 {
		return errorf(InvalidRequest, "No location or groups provided.")
	}
	if e := req.ExpirationSeconds; e != nil && (*e < 1 || *e > MaxExpirationSeconds) {
		return paramErrorf("expirationSeconds", "'expirationSeconds' must be between 1 and %d", MaxExpirationSeconds)
	}
	if t := req.ReservationTime; t != nil {
		if err := ValidateTime("reservationTime", *t); err != nil {
			return err
		}
	}
	return validatePlaceLines(req.Locations, req.Groups, c.cfg.MaxReservationLines, false)
}

func validateReservationID(id string) error {
	if len(id) < 1 || len(id) > 128 {
		return paramErrorf("reservationId", "'reservationId' must be 1 to 128 characters long")
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !isIDChar(c) && c != '.' && c != ':' {
			return paramErrorf("reservationId", "'reservationId' %q may contain only A-Z a-z 0-9 _ - . :", clip(id))
		}
	}
	return nil
}

// validatePlaceLines checks the places and lines of a request; zeroOK
// allows quantity 0 (an update setting a line to nothing).
func validatePlaceLines(locs, groups []PlaceLines, maxLines int, zeroOK bool) error {
	seen := map[string]bool{}
	total := 0
	for _, set := range []struct {
		name  string
		lines []PlaceLines
	}{{"locations", locs}, {"groups", groups}} {
		for i, pl := range set.lines {
			param := fmt.Sprintf("%s[%d]", set.name, i)
			if err := ValidatePlaceID(param+".id", pl.ID); err != nil {
				return err
			}
			if seen[pl.ID] {
				return paramErrorf(param+".id", "'%s' appears twice in the request", pl.ID)
			}
			seen[pl.ID] = true
			n, err := validateLines(param, pl, set.name == "groups", zeroOK)
			if err != nil {
				return err
			}
			total += n
		}
	}
	if total > maxLines {
		return paramErrorf("reservations", "a reservation request may have at most %d lines, not %d", maxLines, total)
	}
	return nil
}

func validateLines(param string, pl PlaceLines, group, zeroOK bool) (int, error) {
	if group && len(pl.AllOrNothing) > 0 {
		return 0, paramErrorf(param+".allOrNothingReservations", "all-or-nothing reservations are only allowed at locations")
	}
	skus := map[string]bool{}
	check := func(lp string, l Line) error {
		if err := ValidateSKU(lp+".sku", l.SKU); err != nil {
			return err
		}
		if zeroOK && l.Quantity == 0 {
			// setting a line to nothing releases it
		} else if err := ValidateQty(lp+".quantity", l.Quantity); err != nil {
			return err
		}
		if skus[l.SKU] {
			return &Error{Code: DuplicateSku, Parameter: lp + ".sku",
				Message: fmt.Sprintf("sku '%s' appears more than once at '%s'", clip(l.SKU), pl.ID)}
		}
		skus[l.SKU] = true
		return nil
	}
	n := 0
	for j, l := range pl.Lines {
		if err := check(fmt.Sprintf("%s.reservations[%d]", param, j), l); err != nil {
			return 0, err
		}
		n++
	}
	for j, set := range pl.AllOrNothing {
		sp := fmt.Sprintf("%s.allOrNothingReservations[%d]", param, j)
		if err := validateToken(sp+".id", set.ID, 1, 128); err != nil {
			return 0, err
		}
		for k, l := range set.Lines {
			if err := check(fmt.Sprintf("%s.reservations[%d]", sp, k), l); err != nil {
				return 0, err
			}
			n++
		}
	}
	if n == 0 {
		return 0, paramErrorf(param+".reservations", "'%s' has no reservation lines", pl.ID)
	}
	return n, nil
}
