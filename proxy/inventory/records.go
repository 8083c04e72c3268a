package inventory

import (
	"slices"
)

// Lookup returns the record of a product in a list for the storefront hot
// path: no locks beyond a read lock of the list, no allocation. It counts as
// a use for Inventory Record Retention.
func (s *Store) Lookup(listID, productID string) (Record, bool) {
	ls := s.listState(listID)
	if ls == nil {
		return Record{}, false
	}
	e := ls.get(productID)
	if e == nil {
		return Record{}, false
	}
	s.touch(e, s.cfg.Now())
	return *e.cur.Load(), true
}

// Get returns a record for an administrative read (OCAPI): it does not count
// as a storefront use. It fails with ELISTNOTFOUND or ERECORDNOTFOUND.
func (s *Store) Get(listID, productID string) (Record, error) {
	ls := s.listState(listID)
	if ls == nil {
		return Record{}, Errorf(ELISTNOTFOUND, "inventory list %q does not exist", listID)
	}
	e := ls.get(productID)
	if e == nil {
		return Record{}, Errorf(ERECORDNOTFOUND, "no inventory record for product %q in list %q", productID, listID)
	}
	return *e.cur.Load(), nil
}

// Page returns the records of a list ordered by product id, from start, at
// most count of them, and the number of records in the list.
func (s *Store) Page(listID string, start, count int) ([]Record, int, error) {
	ids, total, err := s.PageIDs(listID, start, count)
	if err != nil {
		return nil, 0, err
	}
	ls := s.listState(listID)
	out := make([]Record, 0, len(ids))
	for _, id := range ids {
		if e := ls.get(id); e != nil { // deleted since the ids were taken: skip
			out = append(out, *e.cur.Load())
		}
	}
	return out, total, nil
}

// PageIDs is Page for the product ids only.
func (s *Store) PageIDs(listID string, start, count int) ([]string, int, error) {
	ls := s.listState(listID)
	if ls == nil {
		return nil, 0, Errorf(ELISTNOTFOUND, "inventory list %q does not exist", listID)
	}
	if start < 0 || count < 0 {
		return nil, 0, invalid("start", "start and count must not be negative")
	}
	ids := ls.sortedIDs()
	if start >= len(ids) {
		return nil, len(ids), nil
	}
	end := min(len(ids), start+count)
	return slices.Clone(ids[start:end]), len(ids), nil
}

// Len returns the number of records in a list (0 if there is no such list).
func (s *Store) Len(listID string) int {
	ls := s.listState(listID)
	if ls == nil {
		return 0
	}
	ls.mu.RLock()
	defer ls.mu.RUnlock()
	return len(ls.recs)
}

// getIfAny is get on a list that may be gone (nil).
func (ls *listState) getIfAny(productID string) *entry {
	if ls == nil {
		return nil
	}
	return ls.get(productID)
}

func (ls *listState) get(productID string) *entry {
	ls.mu.RLock()
	e := ls.recs[productID]
	ls.mu.RUnlock()
	return e
}

// snapshot returns the entries of the list.
func (ls *listState) snapshot() []*entry {
	ls.mu.RLock()
	defer ls.mu.RUnlock()
	out := make([]*entry, 0, len(ls.recs))
	for _, e := range ls.recs {
		out = append(out, e)
	}
	return out
}

// publish makes r the record's current value. The record's stripe is held.
func (ls *listState) publish(r *Record) *entry {
	if e := ls.get(r.ProductID); e != nil {
		e.cur.Store(r)
		return e
	}
	e := &entry{}
	e.cur.Store(r)
	ls.mu.Lock()
	ls.recs[r.ProductID] = e
	ls.gen++
	ls.mu.Unlock()
	return e
}

// remove drops a record. The record's stripe is held.
func (ls *listState) remove(productID string) {
	ls.mu.Lock()
	if _, ok := ls.recs[productID]; ok {
		delete(ls.recs, productID)
		ls.gen++
	}
	ls.mu.Unlock()
}

// sortedIDs returns the product ids in order. The slice is shared and must
// not be modified. Sorting happens outside ls.mu, so storefront reads of the
// list never wait for it.
func (ls *listState) sortedIDs() []string {
	ls.mu.RLock()
	gen := ls.gen
	ls.mu.RUnlock()
	ls.sortMu.Lock()
	defer ls.sortMu.Unlock()
	if ls.sorted != nil && ls.sortedGen == gen {
		return ls.sorted
	}
	ls.mu.RLock()
	gen = ls.gen
	ids := make([]string, 0, len(ls.recs))
	for id := range ls.recs {
		ids = append(ids, id)
	}
	ls.mu.RUnlock()
	slices.Sort(ids)
	ls.sorted, ls.sortedGen = ids, gen
	return ids
}
