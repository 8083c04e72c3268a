package inventory

// Availability rules of B2C's ProductAvailabilityModel (reference §3.5) for
// one product in one list. A nil record means "no record in the list": the
// list's Default In-Stock flag decides. A record without allocation is
// decided by its perpetual flag. A requested quantity q <= 0 counts as 1.

// Levels splits a requested quantity into what is in stock, what can be
// pre-ordered or back-ordered and what is not available. Preorder and
// Backorder are never both non-zero.
type Levels struct {
	InStock, Preorder, Backorder, NotAvailable Quantity
}

func atLeastOne(q Quantity) Quantity { return max(q, Unit) }

// decided reports whether the rules decide without the formulas, and how.
func decided(list *List, r *Record) (available, ok bool) {
	switch {
	case r == nil:
		return list != nil && list.DefaultInStock, true
	case r.Perpetual:
		return true, true
	case !r.AllocationSet:
		return false, true
	}
	return false, false
}

// IsInStock reports whether q can ship from stock (q <= stockLevel).
func IsInStock(list *List, r *Record, q Quantity) bool {
	if avail, ok := decided(list, r); ok {
		return avail
	}
	return atLeastOne(q) <= r.StockLevel()
}

// IsOrderable reports whether q can be sold (q <= ATS), which includes
// pre-orders and backorders.
func IsOrderable(list *List, r *Record, q Quantity) bool {
	if avail, ok := decided(list, r); ok {
		return avail
	}
	return atLeastOne(q) <= r.ATS()
}

// LevelsOf splits q into availability levels.
func LevelsOf(list *List, r *Record, q Quantity) Levels {
	q = atLeastOne(q)
	if avail, ok := decided(list, r); ok {
		if avail {
			return Levels{InStock: q}
		}
		return Levels{NotAvailable: q}
	}
	l := Levels{InStock: min(q, r.StockLevel())}
	rest := q - l.InStock
	future := min(rest, clamp0(r.ATS()-r.StockLevel()))
	switch r.Handling {
	case HandlingPreorder:
		l.Preorder = future
	case HandlingBackorder:
		l.Backorder = future
	default:
		future = 0
	}
	l.NotAvailable = rest - future
	return l
}

// AvailabilityRatio is B2C's getAvailability(): 1 or 0 without a record
// (Default In-Stock), 1 when perpetual, 0 without allocation, else
// ATS / (allocation + preorderBackorderAllocation). It is a ranking score
// for display, not an amount, hence a float.
func AvailabilityRatio(list *List, r *Record) float64 {
	if avail, ok := decided(list, r); ok {
		if avail {
			return 1
		}
		return 0
	}
	total := r.Allocation + r.futureAllocation()
	if total <= 0 {
		return 0
	}
	return min(1, float64(r.ATS())/float64(total))
}
