package inventory

import (
	"maps"
	"time"
)

// Op is what a RecordChange does.
type Op uint8

const (
	// OpUpsert updates the given fields, creating the record if needed (the
	// XML import's default merge mode).
	OpUpsert Op = iota
	// OpUpdate updates the given fields of an existing record (OCAPI PATCH).
	OpUpdate
	// OpReplace replaces the record with one made of the given fields
	// (OCAPI PUT); the creation date survives.
	OpReplace
	// OpDelete deletes the record (OCAPI DELETE, XML mode="delete").
	OpDelete
)

// RecordChange is one write to one record. Nil fields are left as they are
// (OpUpsert, OpUpdate) or take their default (OpReplace).
type RecordChange struct {
	ProductID string
	Op        Op

	// Allocation sets the allocation, resets turnover to 0 and sets the
	// reset date to AllocationResetDate, or to now when that is nil.
	Allocation          *Quantity
	AllocationResetDate *time.Time
	// ClearAllocation removes the allocation (and resets turnover).
	ClearAllocation bool

	Perpetual                   *bool
	Handling                    *Handling
	PreorderBackorderAllocation *Quantity
	// InStockDate sets the in-stock date; a pointer to the zero time clears it.
	InStockDate *time.Time
	// Turnover sets turnover (after any allocation reset): to carry over a
	// record exported from another instance.
	Turnover *Quantity
	// OnOrder sets the on-order quantity; non-zero only on lists with
	// on-order inventory enabled.
	OnOrder *Quantity
	// Custom sets custom attributes; an attribute with no values is removed.
	Custom map[string][]string
}

func (c *RecordChange) validate(list *List) error {
	if err := checkID("productId", c.ProductID); err != nil {
		return err
	}
	if c.Op == OpDelete {
		return nil
	}
	checks := []error{
		nonNegative("allocation", c.Allocation),
		nonNegative("preorderBackorderAllocation", c.PreorderBackorderAllocation),
		nonNegative("onOrder", c.OnOrder),
		bounded("turnover", c.Turnover),
		optTimeOK("allocationResetDate", c.AllocationResetDate),
		optTimeOK("inStockDate", c.InStockDate),
		checkCustom(c.Custom),
	}
	for _, err := range checks {
		if err != nil {
			return err
		}
	}
	switch {
	case c.AllocationResetDate != nil && c.Allocation == nil:
		return invalid("allocationResetDate", "requires an allocation")
	case c.AllocationResetDate != nil && c.AllocationResetDate.IsZero():
		return invalid("allocationResetDate", "must be a date")
	case c.Allocation != nil && c.ClearAllocation:
		return invalid("allocation", "cannot be both set and cleared")
	case c.Handling != nil && *c.Handling > HandlingBackorder:
		return invalid("handling", "must be none, preorder or backorder")
	case c.OnOrder != nil && *c.OnOrder != 0 && !list.OnOrderEnabled:
		return invalid("onOrder", "on-order inventory is not enabled for inventory list %q", list.ID)
	}
	return nil
}

func nonNegative(field string, q *Quantity) error {
	if q == nil {
		return nil
	}
	if *q < 0 {
		return invalid(field, "must not be negative")
	}
	return bounded(field, q)
}

func bounded(field string, q *Quantity) error {
	if q != nil && !q.inBounds() {
		return invalid(field, "%s", errOutOfBounds)
	}
	return nil
}

func optTimeOK(field string, t *time.Time) error {
	if t == nil || t.IsZero() {
		return nil
	}
	return checkTime(field, *t)
}

// apply returns the record that results from c on old (nil: none).
func (c *RecordChange) apply(listID string, old *Record, now time.Time) *Record {
	r := &Record{ListID: listID, ProductID: c.ProductID, Created: now}
	if old != nil {
		if c.Op == OpReplace {
			r.Created = old.Created
		} else {
			*r = *old
		}
	}
	r.LastModified = now
	c.applyAllocation(r, now)
	if c.Perpetual != nil {
		r.Perpetual = *c.Perpetual
	}
	if c.Handling != nil {
		r.Handling = *c.Handling
	}
	if c.PreorderBackorderAllocation != nil {
		r.PreorderBackorderAllocation = *c.PreorderBackorderAllocation
	}
	if c.InStockDate != nil {
		r.InStockDate = c.InStockDate.UTC()
	}
	if c.Turnover != nil {
		r.Turnover = *c.Turnover
	}
	if c.OnOrder != nil {
		r.OnOrder = *c.OnOrder
	}
	r.Custom = mergeCustom(r.Custom, c.Custom)
	return r
}

func (c *RecordChange) applyAllocation(r *Record, now time.Time) {
	switch {
	case c.Allocation != nil:
		r.AllocationSet, r.Allocation, r.Turnover = true, *c.Allocation, 0
		r.AllocationResetDate = now
		if c.AllocationResetDate != nil {
			r.AllocationResetDate = c.AllocationResetDate.UTC()
		}
	case c.ClearAllocation:
		r.AllocationSet, r.Allocation, r.Turnover, r.AllocationResetDate = false, 0, 0, time.Time{}
	}
}

// mergeCustom returns old with set applied, copying rather than modifying:
// old belongs to a published snapshot.
func mergeCustom(old, set map[string][]string) map[string][]string {
	if len(set) == 0 {
		return old
	}
	out := maps.Clone(old)
	if out == nil {
		out = make(map[string][]string, len(set))
	}
	for k, v := range set {
		if len(v) == 0 {
			delete(out, k)
		} else {
			out[k] = append([]string(nil), v...)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
