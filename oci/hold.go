package oci

// hold is a quantity of one sku that one reservation document holds at one
// place. A document's holds move with transfers and shrink with releases
// and fulfillments; Σ open holds at a place is that place's reserved count.
type hold struct {
	doc   *reservation
	kind  PlaceType
	place placeIdx
	sku   *skuState
	qty   Qty
	// queued says whether the hold is in its place's queue; compaction
	// drops exhausted holds, and a hold that grows again is queued anew.
	queued bool
}

// holdQueue is the open holds at one (place, sku), oldest first. Holds that
// reached zero are skipped and compacted lazily.
type holdQueue struct {
	items []*hold
	head  int
}

// push queues h unless it already is.
func (q *holdQueue) push(h *hold) {
	if !h.queued {
		h.queued = true
		q.items = append(q.items, h)
	}
}

// each calls fn for each hold with a positive quantity, oldest first, until
// fn returns false.
func (q *holdQueue) each(fn func(h *hold) bool) {
	for i := q.head; i < len(q.items); i++ {
		if h := q.items[i]; h.qty > 0 && !fn(h) {
			return
		}
	}
}

// compact drops the leading exhausted holds and, when the queue is mostly
// dead, the rest of them.
func (q *holdQueue) compact() {
	for q.head < len(q.items) && q.items[q.head].qty == 0 {
		q.items[q.head].queued = false
		q.items[q.head] = nil
		q.head++
	}
	if q.head > 64 && q.head*2 > len(q.items) {
		live := q.items[:0]
		for _, h := range q.items[q.head:] {
			if h.qty > 0 {
				live = append(live, h)
			} else {
				h.queued = false
			}
		}
		clear(q.items[len(live):])
		q.items, q.head = live, 0
	}
	if q.head == len(q.items) {
		q.items, q.head = q.items[:0], 0
	}
}

func (q *holdQueue) empty() bool {
	empty := true
	q.each(func(*hold) bool { empty = false; return false })
	return empty
}
