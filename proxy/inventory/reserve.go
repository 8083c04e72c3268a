package inventory

import (
	"time"

	"ociedge/internal/kv"
)

// ReserveRequest asks for an order reservation.
type ReserveRequest struct {
	// ID is the caller's deterministic idempotency key (the order number):
	// a retry with the same ID and lines returns the first result and changes
	// nothing; the same ID with other lines is ECONFLICT.
	ID     string
	ListID string
	Lines  []Line
	// FromHold, if set, is the basket hold this order comes from: its
	// quantities count as available to this reservation and the hold is
	// removed in the same durable write, so the units are never released in
	// between nor counted twice.
	FromHold string
}

// Reservation is an order reservation: it raised the turnover of its
// reserved lines until released.
type Reservation struct {
	ID       string         `json:"id"`
	ListID   string         `json:"listId"`
	Lines    []ReservedLine `json:"lines"`
	FromHold string         `json:"fromHold,omitempty"`
	Created  time.Time      `json:"created"`
	Released time.Time      `json:"released,omitzero"` // zero while active
}

// Reserve reserves every line or none. It fails with EUNAVAILABLE (naming
// the short products) when a line exceeds ATS minus other baskets' holds,
// EREADONLY in Omnichannel Inventory mode, ECONFLICT for a reused ID.
func (s *Store) Reserve(req ReserveRequest) (Reservation, error) {
	if err := s.checkWritable(); err != nil {
		return Reservation{}, err
	}
	lines, err := req.validate()
	if err != nil {
		return Reservation{}, err
	}
	ls := s.listState(req.ListID)
	if ls == nil {
		return Reservation{}, Errorf(ELISTNOTFOUND, "inventory list %q does not exist", req.ListID)
	}
	var hold *Hold
	set := s.lockFor(func(held lockSet) []stripeKey {
		keys := s.lineKeys([]stripeKey{resStripeKey(req.ID)}, req.ListID, lines)
		if req.FromHold == "" {
			return keys
		}
		s.peek(held, holdStripeKey(req.FromHold), func(st *stripe) { hold = st.holds[req.FromHold] })
		keys = append(keys, holdStripeKey(req.FromHold))
		if hold != nil {
			keys = s.reservedKeys(keys, hold.ListID, hold.Lines)
		}
		return keys
	})
	defer s.unlock(set)
	if prev := s.stripeOf(resStripeKey(req.ID)).res[req.ID]; prev != nil {
		return prev.replay(req.ListID, lines)
	}
	if s.listState(req.ListID) != ls {
		return Reservation{}, Errorf(ELISTNOTFOUND, "inventory list %q does not exist", req.ListID)
	}
	return s.reserveLocked(ls, &req, lines, hold)
}

func (req *ReserveRequest) validate() ([]Line, error) {
	if err := checkID("id", req.ID); err != nil {
		return nil, err
	}
	if err := checkID("listId", req.ListID); err != nil {
		return nil, err
	}
	if req.FromHold != "" {
		if err := checkID("fromHold", req.FromHold); err != nil {
			return nil, err
		}
	}
	return normalizeLines(req.Lines)
}

// replay answers a retried Reserve.
func (r *Reservation) replay(listID string, lines []Line) (Reservation, error) {
	switch {
	case !r.Released.IsZero():
		return Reservation{}, Errorf(ECONFLICT, "reservation %q was released", r.ID)
	case r.ListID != listID || !sameLines(r.Lines, lines):
		return Reservation{}, Errorf(ECONFLICT, "reservation %q exists with other lines", r.ID)
	}
	return *r, nil
}

func (s *Store) reserveLocked(ls *listState, req *ReserveRequest, lines []Line, hold *Hold) (Reservation, error) {
	if hold != nil && hold.ListID != req.ListID {
		return Reservation{}, invalid("fromHold", "hold %q is for inventory list %q", hold.ID, hold.ListID)
	}
	now := s.now()
	applied, recs, err := s.check(ls, lines, req.FromHold, now)
	if err != nil {
		return Reservation{}, err
	}
	res := &Reservation{ID: req.ID, ListID: req.ListID, Lines: applied, FromHold: req.FromHold, Created: now}
	var b kv.Batch
	staged, err := s.stageTurnover(&b, recs, applied, 1)
	if err != nil {
		return Reservation{}, err
	}
	b.Set(s.keys.reservation(res.ID), mustJSON(res))
	if hold != nil {
		b.Delete(s.keys.hold(hold.ID))
	}
	if err := s.write(&b, "write reservation "+res.ID); err != nil {
		return Reservation{}, err
	}
	s.publishRecords(ls, staged, now)
	s.stripeOf(resStripeKey(res.ID)).res[res.ID] = res
	if hold != nil {
		s.dropHold(hold)
	}
	return *res, nil
}

// stageTurnover adds sign × quantity to the turnover of each reserved line's
// record (recs[i], nil to skip) and the new records to b.
func (s *Store) stageTurnover(b *kv.Batch, recs []*Record, lines []ReservedLine, sign Quantity) ([]*Record, error) {
	staged := make([]*Record, 0, len(recs))
	for i, r := range recs {
		if r == nil || !lines[i].Reserved {
			continue
		}
		nr := *r
		nr.Turnover += sign * lines[i].Quantity
		if !nr.Turnover.inBounds() {
			return nil, invalid("turnover", "of product %q would leave its range", nr.ProductID)
		}
		b.Set(s.keys.record(nr.ListID, nr.ProductID), encodeRecord(&nr))
		staged = append(staged, &nr)
	}
	return staged, nil
}

func (s *Store) publishRecords(ls *listState, recs []*Record, now time.Time) {
	for _, r := range recs {
		ls.publish(r).used.Store(now.Unix())
	}
}

// Release releases an order reservation, lowering the turnover of its
// reserved lines (records deleted since are skipped). Releasing a released
// reservation returns it unchanged. Release works in every mode: an order
// reserved here before Omnichannel Inventory mode must still be able to
// give its units back. ENOTFOUND if there is no such reservation.
func (s *Store) Release(id string) (Reservation, error) {
	var res *Reservation
	set := s.lockFor(func(held lockSet) []stripeKey {
		keys := []stripeKey{resStripeKey(id)}
		s.peek(held, resStripeKey(id), func(st *stripe) { res = st.res[id] })
		if res != nil {
			keys = s.reservedKeys(keys, res.ListID, res.Lines)
		}
		return keys
	})
	defer s.unlock(set)
	switch {
	case res == nil:
		return Reservation{}, Errorf(ENOTFOUND, "no reservation %q", id)
	case !res.Released.IsZero():
		return *res, nil
	}
	now := s.now()
	ls := s.listState(res.ListID)
	recs := make([]*Record, len(res.Lines))
	for i, l := range res.Lines {
		if e := ls.getIfAny(l.ProductID); e != nil {
			recs[i] = e.cur.Load()
		}
	}
	var b kv.Batch
	staged, err := s.stageTurnover(&b, recs, res.Lines, -1)
	if err != nil {
		return Reservation{}, err
	}
	released := *res
	released.Released = now
	b.Set(s.keys.reservation(id), mustJSON(&released))
	if err := s.write(&b, "release reservation "+id); err != nil {
		return Reservation{}, err
	}
	if ls != nil {
		s.publishRecords(ls, staged, now)
	}
	s.stripeOf(resStripeKey(id)).res[id] = &released
	return released, nil
}

// ReservationOf returns the reservation with the id.
func (s *Store) ReservationOf(id string) (Reservation, bool) {
	var res *Reservation
	s.peek(nil, resStripeKey(id), func(st *stripe) { res = st.res[id] })
	if res == nil {
		return Reservation{}, false
	}
	return *res, true
}
