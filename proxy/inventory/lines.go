package inventory

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Line is one product and quantity of a reservation or hold request.
type Line struct {
	ProductID string
	Quantity  Quantity
}

// ReservedLine is one line of a reservation or hold as applied.
type ReservedLine struct {
	ProductID string   `json:"productId"`
	Quantity  Quantity `json:"quantity"`
	// Reserved is false for a product without a record on a Default In-Stock
	// list: B2C treats it as available but does not reserve it.
	Reserved bool `json:"reserved"`
}

// maxLines bounds the lines of one request.
const maxLines = 1000

// normalizeLines validates lines, merges lines of the same product and
// orders them by product id, so that equal requests compare equal.
func normalizeLines(lines []Line) ([]Line, error) {
	if len(lines) == 0 {
		return nil, invalid("lines", "at least one line is required")
	}
	if len(lines) > maxLines {
		return nil, invalid("lines", "at most %d lines are allowed", maxLines)
	}
	out := make([]Line, 0, len(lines))
	for i, l := range lines {
		if err := checkID(fmt.Sprintf("lines[%d].productId", i), l.ProductID); err != nil {
			return nil, err
		}
		if l.Quantity <= 0 || l.Quantity > MaxQuantity {
			return nil, invalid(fmt.Sprintf("lines[%d].quantity", i), "must be greater than 0 and at most %s", MaxQuantity)
		}
		out = append(out, l)
	}
	slices.SortFunc(out, func(a, b Line) int { return strings.Compare(a.ProductID, b.ProductID) })
	merged := out[:1]
	for _, l := range out[1:] {
		if last := &merged[len(merged)-1]; last.ProductID == l.ProductID {
			last.Quantity += l.Quantity // both <= MaxQuantity: no overflow
			if last.Quantity > MaxQuantity {
				return nil, invalid("lines", "product %q: total quantity is out of range", l.ProductID)
			}
			continue
		}
		merged = append(merged, l)
	}
	return merged, nil
}

// sameLines reports whether applied lines are those of a request.
func sameLines(applied []ReservedLine, req []Line) bool {
	return slices.EqualFunc(applied, req, func(a ReservedLine, b Line) bool {
		return a.ProductID == b.ProductID && a.Quantity == b.Quantity
	})
}

func (s *Store) lineKeys(keys []stripeKey, listID string, lines []Line) []stripeKey {
	for _, l := range lines {
		keys = append(keys, recStripeKey(listID, l.ProductID))
	}
	return keys
}

func (s *Store) reservedKeys(keys []stripeKey, listID string, lines []ReservedLine) []stripeKey {
	for _, l := range lines {
		if l.Reserved {
			keys = append(keys, recStripeKey(listID, l.ProductID))
		}
	}
	return keys
}

// check decides each line against the records of ls: what is free to
// reserve is ATS minus the active basket holds of others (except). It
// returns the applied lines and the records each reserved line touches, or
// EUNAVAILABLE naming the short products. The stripes of the lines are held.
func (s *Store) check(ls *listState, lines []Line, except string, now time.Time) ([]ReservedLine, []*Record, error) {
	list := ls.info.Load()
	out := make([]ReservedLine, len(lines))
	recs := make([]*Record, len(lines))
	var short []string
	for i, l := range lines {
		out[i] = ReservedLine{ProductID: l.ProductID, Quantity: l.Quantity}
		e := ls.get(l.ProductID)
		if e == nil {
			if !list.DefaultInStock {
				short = append(short, l.ProductID)
			}
			continue
		}
		r := e.cur.Load()
		if !r.Perpetual && (!r.AllocationSet || l.Quantity > r.ATS()-s.heldOn(list.ID, l.ProductID, now, except)) {
			short = append(short, l.ProductID)
			continue
		}
		out[i].Reserved, recs[i] = true, r
	}
	if len(short) > 0 {
		return nil, nil, &Error{Code: EUNAVAILABLE, ProductIDs: short,
			Message: fmt.Sprintf("not enough inventory in list %q for %s", list.ID, strings.Join(short, ", "))}
	}
	return out, recs, nil
}
