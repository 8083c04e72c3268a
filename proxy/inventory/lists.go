package inventory

import (
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"ociedge/internal/kv"
)

// ListChange creates or updates an inventory list. Nil fields are left as
// they are (a new list gets false and "").
type ListChange struct {
	ID                     string
	Description            *string
	DefaultInStock         *bool
	UseBundleInventoryOnly *bool
	OnOrderEnabled         *bool
}

const maxDescription = 4000 // XSD simpleType.Generic.String.4000

func (c *ListChange) validate() error {
	if err := checkID("listId", c.ID); err != nil {
		return err
	}
	if c.Description != nil && (utf8.RuneCountInString(*c.Description) > maxDescription || !utf8.ValidString(*c.Description)) {
		return invalid("description", "is longer than %d characters or not UTF-8", maxDescription)
	}
	return nil
}

func (c *ListChange) apply(old *List, now List) *List {
	l := now
	if old != nil {
		l = *old
		l.LastModified = now.LastModified
	}
	set := func(dst *bool, src *bool) {
		if src != nil {
			*dst = *src
		}
	}
	if c.Description != nil {
		l.Description = *c.Description
	}
	set(&l.DefaultInStock, c.DefaultInStock)
	set(&l.UseBundleInventoryOnly, c.UseBundleInventoryOnly)
	set(&l.OnOrderEnabled, c.OnOrderEnabled)
	return &l
}

// PutList creates or updates a list and reports whether it was created.
// Lists can be written in every mode, but on-order inventory cannot be
// enabled while records are read-only. Turning on-order off sets the
// on-order quantity of the list's records to 0.
func (s *Store) PutList(c ListChange) (List, bool, error) {
	if err := c.validate(); err != nil {
		return List{}, false, err
	}
	if c.OnOrderEnabled != nil && *c.OnOrderEnabled && s.checkWritable() != nil {
		return List{}, false, &Error{Code: EREADONLY, Field: "onOrderEnabled",
			Message: "on-order inventory cannot be enabled in Omnichannel Inventory mode"}
	}
	s.listWriteMu.Lock()
	defer s.listWriteMu.Unlock()
	now := s.now()
	old := s.listState(c.ID)
	var oldInfo *List
	if old != nil {
		oldInfo = old.info.Load()
	}
	l := c.apply(oldInfo, List{ID: c.ID, Created: now, LastModified: now})
	var b kv.Batch
	b.Set(s.keys.list(l.ID), encodeList(l))
	var zeroed []*Record
	if oldInfo != nil && oldInfo.OnOrderEnabled && !l.OnOrderEnabled {
		set := s.lockAll()
		defer s.unlock(set)
		zeroed = s.zeroOnOrder(old, &b, now)
	}
	if err := s.write(&b, "write inventory list "+l.ID); err != nil {
		return List{}, false, err
	}
	if old == nil {
		s.setLists(func(m map[string]*listState) { m[l.ID] = newListState(l) })
		return *l, true, nil
	}
	old.info.Store(l)
	for _, r := range zeroed {
		old.publish(r)
	}
	return *l, false, nil
}

// zeroOnOrder adds to b the records of ls with a non-zero on-order quantity,
// set to 0, and returns them. All stripes are held.
func (s *Store) zeroOnOrder(ls *listState, b *kv.Batch, now time.Time) []*Record {
	var out []*Record
	for _, e := range ls.snapshot() {
		if r := e.cur.Load(); r.OnOrder != 0 {
			nr := *r
			nr.OnOrder, nr.LastModified = 0, now
			b.Set(s.keys.record(nr.ListID, nr.ProductID), encodeRecord(&nr))
			out = append(out, &nr)
		}
	}
	return out
}

// DeleteList deletes a list with all its records and returns how many
// records went with it. It works in every mode: B2C's procedure for removing
// a location deletes the list while Omnichannel Inventory is active.
func (s *Store) DeleteList(id string) (int, error) {
	s.listWriteMu.Lock()
	defer s.listWriteMu.Unlock()
	ls := s.listState(id)
	if ls == nil {
		return 0, Errorf(ELISTNOTFOUND, "inventory list %q does not exist", id)
	}
	set := s.lockAll()
	defer s.unlock(set)
	var b kv.Batch
	b.Delete(s.keys.list(id))
	b.DeleteRange(s.keys.listRecords(id), kv.PrefixEnd(s.keys.listRecords(id)))
	b.DeleteRange(s.keys.listUsage(id), kv.PrefixEnd(s.keys.listUsage(id)))
	if err := s.write(&b, "delete inventory list "+id); err != nil {
		return 0, err
	}
	s.setLists(func(m map[string]*listState) { delete(m, id) })
	ls.mu.RLock()
	defer ls.mu.RUnlock()
	return len(ls.recs), nil
}

// setLists replaces the list map with a modified copy. listWriteMu is held.
func (s *Store) setLists(edit func(map[string]*listState)) {
	m := maps.Clone(*s.lists.Load())
	edit(m)
	s.lists.Store(&m)
}

// List returns the list with the id. It does not lock; it is for the hot path.
func (s *Store) List(id string) (List, bool) {
	ls := s.listState(id)
	if ls == nil {
		return List{}, false
	}
	return *ls.info.Load(), true
}

// Lists returns every list, ordered by id.
func (s *Store) Lists() []List {
	m := *s.lists.Load()
	out := make([]List, 0, len(m))
	for _, ls := range m {
		out = append(out, *ls.info.Load())
	}
	slices.SortFunc(out, func(a, b List) int { return strings.Compare(a.ID, b.ID) })
	return out
}
