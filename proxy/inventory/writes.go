package inventory

import (
	"time"

	"ociedge/internal/kv"
)

// ChangeResult is the outcome of one RecordChange.
type ChangeResult struct {
	// Record is the record after the change; for a delete, before it.
	Record  Record
	Created bool
	Deleted bool
	// Err is why this change was not applied (the others may have been).
	Err error
}

// ApplyRecords applies changes to the records of a list in one durable
// batch. Each change is validated on its own: a bad change is reported in
// its ChangeResult and skipped, the others are applied, and no change is
// ever half-applied. The error is for the whole call: EREADONLY in
// Omnichannel Inventory mode, ELISTNOTFOUND, or EINTERNAL when the batch
// could not be written (then nothing was applied).
func (s *Store) ApplyRecords(listID string, changes []RecordChange) ([]ChangeResult, error) {
	if err := s.checkWritable(); err != nil {
		return nil, err
	}
	ls := s.listState(listID)
	if ls == nil {
		return nil, Errorf(ELISTNOTFOUND, "inventory list %q does not exist", listID)
	}
	keys := make([]stripeKey, len(changes))
	for i := range changes {
		keys[i] = recStripeKey(listID, changes[i].ProductID)
	}
	set := s.lockSetOf(keys)
	s.lock(set)
	defer s.unlock(set)
	if s.listState(listID) != ls { // deleted (or re-created) while we waited
		return nil, Errorf(ELISTNOTFOUND, "inventory list %q does not exist", listID)
	}
	st := staging{s: s, ls: ls, list: ls.info.Load(), now: s.now(), pending: map[string]*Record{}}
	results := make([]ChangeResult, len(changes))
	for i := range changes {
		results[i] = st.stage(&changes[i])
	}
	if st.b.Len() == 0 {
		return results, nil
	}
	if err := s.write(&st.b, "write inventory records of "+listID); err != nil {
		return nil, err
	}
	st.publish()
	return results, nil
}

// staging collects the effect of a batch of changes before it is written.
type staging struct {
	s       *Store
	ls      *listState
	list    *List
	now     time.Time
	b       kv.Batch
	pending map[string]*Record // product -> new value; nil: deleted
}

func (st *staging) current(product string) *Record {
	if r, ok := st.pending[product]; ok {
		return r
	}
	if e := st.ls.get(product); e != nil {
		return e.cur.Load()
	}
	return nil
}

func (st *staging) stage(c *RecordChange) ChangeResult {
	if err := c.validate(st.list); err != nil {
		return ChangeResult{Err: err}
	}
	cur := st.current(c.ProductID)
	if cur == nil && (c.Op == OpDelete || c.Op == OpUpdate) {
		return ChangeResult{Err: Errorf(ERECORDNOTFOUND, "no inventory record for product %q in list %q", c.ProductID, st.list.ID)}
	}
	keys := st.s.keys
	if c.Op == OpDelete {
		st.b.Delete(keys.record(st.list.ID, c.ProductID))
		st.b.Delete(keys.usage(st.list.ID, c.ProductID))
		st.pending[c.ProductID] = nil
		return ChangeResult{Record: *cur, Deleted: true}
	}
	r := c.apply(st.list.ID, cur, st.now)
	if len(r.Custom) > maxCustom {
		return ChangeResult{Err: invalid("custom", "would have more than %d attributes", maxCustom)}
	}
	st.b.Set(keys.record(r.ListID, r.ProductID), encodeRecord(r))
	st.pending[c.ProductID] = r
	return ChangeResult{Record: *r, Created: cur == nil}
}

func (st *staging) publish() {
	for product, r := range st.pending {
		if r == nil {
			st.ls.remove(product)
			continue
		}
		st.ls.publish(r).used.Store(st.now.Unix())
	}
}

// PutRecord creates or replaces a record (OCAPI PUT) and reports whether it
// was created.
func (s *Store) PutRecord(listID string, c RecordChange) (Record, bool, error) {
	c.Op = OpReplace
	res, err := s.applyOne(listID, c)
	return res.Record, res.Created, err
}

// UpdateRecord changes the given fields of an existing record (OCAPI PATCH).
func (s *Store) UpdateRecord(listID string, c RecordChange) (Record, error) {
	c.Op = OpUpdate
	res, err := s.applyOne(listID, c)
	return res.Record, err
}

// DeleteRecord deletes a record.
func (s *Store) DeleteRecord(listID, productID string) error {
	_, err := s.applyOne(listID, RecordChange{ProductID: productID, Op: OpDelete})
	return err
}

func (s *Store) applyOne(listID string, c RecordChange) (ChangeResult, error) {
	res, err := s.ApplyRecords(listID, []RecordChange{c})
	if err != nil {
		return ChangeResult{}, err
	}
	return res[0], res[0].Err
}
