package inventory

import (
	"slices"
	"time"

	"ociedge/internal/kv"
)

// HoldRequest asks for a basket hold (B2C's temporary basket reservation).
type HoldRequest struct {
	// ID identifies the basket; a new hold with the same ID replaces the
	// previous one (B2C: each reserveInventory call replaces the basket's
	// reservation), so a retried request is harmless.
	ID        string
	ListID    string
	Lines     []Line
	ExpiresAt time.Time // must be after now
}

// Hold is a basket hold. It lowers what others can reserve until it
// expires, is released, or is converted into an order reservation; it never
// lowers the displayed ATS.
type Hold struct {
	ID        string         `json:"id"`
	ListID    string         `json:"listId"`
	Lines     []ReservedLine `json:"lines"`
	Created   time.Time      `json:"created"`
	ExpiresAt time.Time      `json:"expiresAt"`
}

// heldLine is a hold's quantity on one record, kept on the record's stripe.
type heldLine struct {
	hold    string
	qty     Quantity
	expires time.Time
}

// Hold places or replaces a basket hold: every line or none. If it fails,
// the basket's previous hold stays as it was.
func (s *Store) Hold(req HoldRequest) (Hold, error) {
	if err := s.checkWritable(); err != nil {
		return Hold{}, err
	}
	lines, err := req.validate(s.now())
	if err != nil {
		return Hold{}, err
	}
	ls := s.listState(req.ListID)
	if ls == nil {
		return Hold{}, Errorf(ELISTNOTFOUND, "inventory list %q does not exist", req.ListID)
	}
	var old *Hold
	set := s.lockFor(func(held lockSet) []stripeKey {
		keys := s.lineKeys([]stripeKey{holdStripeKey(req.ID)}, req.ListID, lines)
		s.peek(held, holdStripeKey(req.ID), func(st *stripe) { old = st.holds[req.ID] })
		if old != nil {
			keys = s.reservedKeys(keys, old.ListID, old.Lines)
		}
		return keys
	})
	defer s.unlock(set)
	if s.listState(req.ListID) != ls {
		return Hold{}, Errorf(ELISTNOTFOUND, "inventory list %q does not exist", req.ListID)
	}
	now := s.now()
	applied, _, err := s.check(ls, lines, req.ID, now)
	if err != nil {
		return Hold{}, err
	}
	h := &Hold{ID: req.ID, ListID: req.ListID, Lines: applied, Created: now, ExpiresAt: req.ExpiresAt.UTC()}
	var b kv.Batch
	b.Set(s.keys.hold(h.ID), mustJSON(h))
	if err := s.write(&b, "write basket hold "+h.ID); err != nil {
		return Hold{}, err
	}
	if old != nil {
		s.dropHold(old)
	}
	s.stripeOf(holdStripeKey(h.ID)).holds[h.ID] = h
	s.addHeld(h)
	return *h, nil
}

func (req *HoldRequest) validate(now time.Time) ([]Line, error) {
	if err := checkID("id", req.ID); err != nil {
		return nil, err
	}
	if err := checkID("listId", req.ListID); err != nil {
		return nil, err
	}
	if !req.ExpiresAt.After(now) {
		return nil, invalid("expiresAt", "must be in the future")
	}
	if err := checkTime("expiresAt", req.ExpiresAt); err != nil {
		return nil, err
	}
	return normalizeLines(req.Lines)
}

// ReleaseHold removes a basket hold. Removing a hold that does not exist
// (released, converted or purged before) is not an error.
func (s *Store) ReleaseHold(id string) error {
	_, err := s.releaseHoldIf(id, func(*Hold) bool { return true })
	return err
}

// HoldOf returns the basket hold with the id, expired or not.
func (s *Store) HoldOf(id string) (Hold, bool) {
	var h *Hold
	s.peek(nil, holdStripeKey(id), func(st *stripe) { h = st.holds[id] })
	if h == nil {
		return Hold{}, false
	}
	return *h, true
}

// PurgeExpiredHolds deletes the holds that have expired and returns how
// many. Expired holds already count for nothing; this reclaims their space.
// The caller schedules it.
func (s *Store) PurgeExpiredHolds() (int, error) {
	now := s.now()
	expired := func(h *Hold) bool { return !h.ExpiresAt.After(now) }
	var ids []string
	for i := range s.stripes {
		st := &s.stripes[i]
		st.mu.Lock()
		for id, h := range st.holds {
			if expired(h) {
				ids = append(ids, id)
			}
		}
		st.mu.Unlock()
	}
	n := 0
	for _, id := range ids {
		done, err := s.releaseHoldIf(id, expired)
		if err != nil {
			return n, err
		}
		if done {
			n++
		}
	}
	return n, nil
}

func (s *Store) releaseHoldIf(id string, cond func(*Hold) bool) (bool, error) {
	var h *Hold
	set := s.lockFor(func(held lockSet) []stripeKey {
		keys := []stripeKey{holdStripeKey(id)}
		s.peek(held, holdStripeKey(id), func(st *stripe) { h = st.holds[id] })
		if h != nil {
			keys = s.reservedKeys(keys, h.ListID, h.Lines)
		}
		return keys
	})
	defer s.unlock(set)
	if h == nil || !cond(h) {
		return false, nil
	}
	var b kv.Batch
	b.Delete(s.keys.hold(id))
	if err := s.write(&b, "delete basket hold "+id); err != nil {
		return false, err
	}
	s.dropHold(h)
	return true, nil
}

// dropHold forgets a hold. The stripes of the hold and its lines are held.
func (s *Store) dropHold(h *Hold) {
	delete(s.stripeOf(holdStripeKey(h.ID)).holds, h.ID)
	for _, l := range h.Lines {
		if !l.Reserved {
			continue
		}
		k := recKey{h.ListID, l.ProductID}
		st := s.stripeOf(recStripeKey(k.list, k.product))
		lines := slices.DeleteFunc(st.held[k], func(x heldLine) bool { return x.hold == h.ID })
		if len(lines) == 0 {
			delete(st.held, k)
		} else {
			st.held[k] = lines
		}
	}
}

// addHeld records a hold's lines on their records' stripes, which are held
// (or the store is being loaded).
func (s *Store) addHeld(h *Hold) {
	for _, l := range h.Lines {
		if !l.Reserved {
			continue
		}
		k := recKey{h.ListID, l.ProductID}
		st := s.stripeOf(recStripeKey(k.list, k.product))
		st.held[k] = append(st.held[k], heldLine{hold: h.ID, qty: l.Quantity, expires: h.ExpiresAt})
	}
}

// heldOn returns what active holds other than except hold on a record,
// forgetting expired ones. The record's stripe is held.
func (s *Store) heldOn(list, product string, now time.Time, except string) Quantity {
	k := recKey{list, product}
	st := s.stripeOf(recStripeKey(list, product))
	lines := slices.DeleteFunc(st.held[k], func(x heldLine) bool { return !x.expires.After(now) })
	if len(lines) == 0 {
		delete(st.held, k)
		return 0
	}
	st.held[k] = lines
	var sum Quantity
	for _, x := range lines {
		if x.hold != except {
			sum += x.qty
		}
	}
	return sum
}
