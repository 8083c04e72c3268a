package oci

// taken is a quantity taken off one document's hold.
type taken struct {
	doc *reservation
	qty Qty
}

// heldBy returns what doc (or, for nil, every document) holds of s at p.
func heldBy(s *skuState, kind PlaceType, p placeIdx, doc *reservation) Qty {
	if doc == nil {
		return s.held(kind, p)
	}
	if h := doc.holdAt(kind, p, s); h != nil {
		return h.qty
	}
	return 0
}

// takeHolds releases q of s at p from doc's hold, or, for a nil doc, from
// the oldest holds first, and reports what it took from which document. The
// caller has checked that enough is held.
func (c *Core) takeHolds(tx *txn, s *skuState, kind PlaceType, p placeIdx, q Qty, doc *reservation) []taken {
	var out []taken
	if doc != nil {
		c.releaseHold(tx, doc.holdAt(kind, p, s), q)
		return append(out, taken{doc, q})
	}
	var hs []*hold
	rest := q
	s.queue(p).each(func(h *hold) bool {
		hs = append(hs, h)
		rest -= minQty(rest, h.qty)
		return rest > 0
	})
	rest = q
	for _, h := range hs {
		n := minQty(rest, h.qty)
		c.releaseHold(tx, h, n)
		out = append(out, taken{h.doc, n})
		rest -= n
	}
	if rest != 0 {
		panic("BUG: takeHolds found less held than its caller checked")
	}
	return out
}

// closeEmptied moves documents that no longer hold anything to CLOSED. It
// cannot be undone: never call it inside a savepoint that may roll back.
func (c *Core) closeEmptied(tx *txn, ts []taken) {
	for _, t := range ts {
		if r := t.doc; r.state == StateOpen && r.heldTotal() == 0 {
			c.finishDoc(tx, r, StateClosed, c.now())
		}
	}
}

// RecordError is a per-record failure of a batch operation (transfers,
// releases, fulfillments, batch-update); Index is the record's position in
// the request.
type RecordError struct {
	Index   int
	Code    Code
	Message string
}

// idempotent looks up a record operation by (op, id, sku). It returns
// replay=true with the first outcome when the same record was seen before,
// or a conflict error when the id was used with different content.
func (c *Core) idempotent(op, id, sku string, hash uint64) (replay bool, code Code, conflict bool) {
	e, ok := c.idem.get(idemKey(op, id, sku))
	if !ok {
		return false, "", false
	}
	if e.hash != hash {
		return false, "", true
	}
	return true, e.code, false
}

func (c *Core) remember(tx *txn, op, id, sku string, hash uint64, code Code) {
	c.idem.put(&tx.batch, idemKey(op, id, sku), idemEntry{at: c.now().UnixNano(), hash: hash, code: code})
}

var codeMessages = map[Code]string{
	InsufficientQuantity:         "Insufficient Quantity",
	EntityAlreadyExists:          "A record with this id and sku was already applied with different content",
	NotAppliedDueToAtomicFailure: "Not applied because another record of the all-or-nothing request failed",
	LocationNotInGroup:           "The location is not in the group",
	EntityNotFound:               "Reservation ID does not exist.",
}

func recordError(i int, code Code) RecordError {
	return RecordError{Index: i, Code: code, Message: codeMessages[code]}
}
