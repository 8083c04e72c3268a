package orders

import (
	"context"
	"time"
)

// system makes and releases reservations in one place: the OCI core
// (ociSystem) or the edge's own B2C inventory (b2cSystem). The service runs
// the same state machine over both.
type system interface {
	name() System
	// ready says why the system cannot take new reservations, if it
	// cannot (not configured).
	ready() error
	// lines turns items into reservation lines, one per (list, product),
	// sorted.
	lines(site siteInfo, items []Item) ([]Line, error)
	// reserveBasket places or replaces op.b.Res (nil or this system's).
	reserveBasket(ctx context.Context, op *basketOp) error
	// releaseBasket releases a basket reservation of this system.
	releaseBasket(ctx context.Context, basketID string, res *BasketRes) error
	// prepareOrder fills op.o.Res for a reservation of its lines, taking
	// over op.prev (the basket's reservation, nil if none) when it is
	// this system's and can be converted.
	prepareOrder(op *orderOp)
	// reserveOrder makes op.o.Res hold its lines. On EUNAVAILABLE,
	// op.dirty says whether something may still be held for the order.
	reserveOrder(ctx context.Context, op *orderOp) error
	// releaseOrder releases what the order holds; releasing twice is
	// harmless.
	releaseOrder(ctx context.Context, o *Order) error
	// rollbackOrder settles a reservation whose outcome is unknown, so
	// that nothing still in flight can land later, and releases it.
	rollbackOrder(ctx context.Context, o *Order) error
}

// basketOp is one basket reservation request.
type basketOp struct {
	b        *Basket
	siteList string // the list of items without an inventoryId
	lines    []Line
	secs     int
	expires  time.Time
	remove   bool         // removeIfNotAvailable: drop what is not available
	save     func() error // persists b: an intent before a call
	removed  []string     // out: products removed from the basket
}

// removeProducts drops the basket items and lines of the products in list.
func (op *basketOp) removeProducts(list string, products []string) {
	drop := map[string]bool{}
	for _, p := range products {
		drop[p] = true
	}
	kept := op.lines[:0:0]
	for _, l := range op.lines {
		if l.List == list && drop[l.SKU] {
			op.removed = append(op.removed, l.SKU)
			continue
		}
		kept = append(kept, l)
	}
	op.lines = kept
	items := op.b.Items[:0:0]
	for _, it := range op.b.Items {
		if !drop[it.ProductID] || listOf(it, op.siteList) != list {
			items = append(items, it)
		}
	}
	op.b.Items = items
}

// orderOp is one order reservation (creation, undo-fail, undo-cancel).
type orderOp struct {
	o     *Order
	prev  *BasketRes   // the basket's reservation being converted, if any
	save  func() error // persists o: an intent before a call
	dirty bool         // out: a refusal may have left something held
}

// listOf is the inventory list an item reserves from.
func listOf(it Item, siteList string) string {
	if it.InventoryID != "" {
		return it.InventoryID
	}
	return siteList
}

// buildLines sums the items per (list, product). place, if set, resolves a
// list to its place at the core.
func buildLines(siteList string, items []Item, place func(list string) (Line, error)) ([]Line, error) {
	byKey := map[string]int{}
	var out []Line
	for _, it := range items {
		l := Line{List: listOf(it, siteList), SKU: it.ProductID, Quantity: it.Quantity}
		k := l.List + "\x00" + l.SKU
		if i, ok := byKey[k]; ok {
			out[i].Quantity += l.Quantity
			continue
		}
		if place != nil {
			p, err := place(l.List)
			if err != nil {
				return nil, err
			}
			l.PlaceType, l.PlaceID = p.PlaceType, p.PlaceID
		}
		byKey[k] = len(out)
		out = append(out, l)
	}
	sortLines(out)
	return out, nil
}

// zeroLines returns the lines of a whose key is not in b, with quantity 0.
func zeroLines(a, b []Line) []Line {
	in := make(map[string]bool, len(b))
	for _, l := range b {
		in[l.key()] = true
	}
	var out []Line
	for _, l := range a {
		if !in[l.key()] {
			l.Quantity = 0
			out = append(out, l)
		}
	}
	return out
}

// linesOfList returns the lines of one list.
func linesOfList(ls []Line, list string) []Line {
	var out []Line
	for _, l := range ls {
		if l.List == list {
			out = append(out, l)
		}
	}
	return out
}

// listsOf returns the distinct lists of sorted lines, in order.
func listsOf(ls []Line) []string {
	var out []string
	for _, l := range ls {
		if len(out) == 0 || out[len(out)-1] != l.List {
			out = append(out, l.List)
		}
	}
	return out
}
