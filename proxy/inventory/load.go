package inventory

import (
	"bytes"
	"encoding/json"
	"fmt"

	"go.uber.org/zap"
)

// load reads everything under the prefix into memory. A document that does
// not decode fails the open: serving from a half-understood store would be
// worse than not starting.
func (s *Store) load() error {
	lists := map[string]*listState{}
	err := s.kv.Scan([]byte(s.keys.prefix+"l/"), func(k, v []byte) error {
		l, err := decodeList(v)
		if err != nil {
			return fmt.Errorf("inventory: list %q: %w", k, err)
		}
		lists[l.ID] = newListState(l)
		return nil
	})
	if err == nil {
		err = s.loadRecords(lists)
	}
	if err == nil {
		err = s.loadUsage(lists)
	}
	if err == nil {
		err = s.loadReservations()
	}
	if err == nil {
		err = s.loadHolds()
	}
	if err != nil {
		return err
	}
	s.lists.Store(&lists)
	return nil
}

func (s *Store) loadRecords(lists map[string]*listState) error {
	orphans := 0
	err := s.kv.Scan([]byte(s.keys.prefix+"r/"), func(k, v []byte) error {
		r, err := decodeRecord(v)
		if err != nil {
			return fmt.Errorf("inventory: record %q: %w", k, err)
		}
		ls := lists[r.ListID]
		if ls == nil {
			orphans++ // not written by this package (a list delete removes its records); ignore
			return nil
		}
		e := &entry{}
		e.cur.Store(r)
		e.used.Store(r.LastModified.Unix())
		e.flushed = r.LastModified.Unix() // durable in the record itself
		ls.recs[r.ProductID] = e
		return nil
	})
	if orphans > 0 {
		s.log.Warn("inventory records without a list ignored", zap.Int("count", orphans))
	}
	return err
}

func (s *Store) loadUsage(lists map[string]*listState) error {
	prefix := []byte(s.keys.prefix + "u/")
	return s.kv.Scan(prefix, func(k, v []byte) error {
		list, product, ok := bytes.Cut(k[len(prefix):], []byte{0})
		if !ok {
			return fmt.Errorf("inventory: malformed usage key %q", k)
		}
		u, err := decodeUsage(v)
		if err != nil {
			return fmt.Errorf("inventory: usage %q: %w", k, err)
		}
		if ls := lists[string(list)]; ls != nil {
			if e := ls.recs[string(product)]; e != nil && u > e.used.Load() {
				e.used.Store(u)
				e.flushed = u
			}
		}
		return nil
	})
}

func (s *Store) loadReservations() error {
	return s.kv.Scan([]byte(s.keys.prefix+"o/"), func(k, v []byte) error {
		r := new(Reservation)
		if err := json.Unmarshal(v, r); err != nil {
			return fmt.Errorf("inventory: reservation %q: %w", k, err)
		}
		s.stripeOf(resStripeKey(r.ID)).res[r.ID] = r
		return nil
	})
}

func (s *Store) loadHolds() error {
	now := s.now()
	return s.kv.Scan([]byte(s.keys.prefix+"h/"), func(k, v []byte) error {
		h := new(Hold)
		if err := json.Unmarshal(v, h); err != nil {
			return fmt.Errorf("inventory: hold %q: %w", k, err)
		}
		s.stripeOf(holdStripeKey(h.ID)).holds[h.ID] = h
		if h.ExpiresAt.After(now) {
			s.addHeld(h)
		}
		return nil
	})
}
