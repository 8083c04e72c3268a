package oci

import (
	"container/heap"
	"time"

	"go.uber.org/zap"
)

// expiryHeap orders open documents with an expiration by expiry time.
// Guarded by the core's state lock.
type expiryHeap []*reservation

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].expires.Before(h[j].expires) }
func (h expiryHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].heapIdx, h[j].heapIdx = i, j
}
func (h *expiryHeap) Push(x any) {
	r := x.(*reservation)
	r.heapIdx = len(*h)
	*h = append(*h, r)
}
func (h *expiryHeap) Pop() any {
	old := *h
	r := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	r.heapIdx = -1
	return r
}

func (h *expiryHeap) push(r *reservation) { heap.Push(h, r) }

func (h *expiryHeap) remove(r *reservation) {
	if r.heapIdx >= 0 {
		heap.Remove(h, r.heapIdx)
	}
}

func (h *expiryHeap) fix(r *reservation) {
	if r.heapIdx >= 0 {
		heap.Fix(h, r.heapIdx)
	} else {
		heap.Push(h, r)
	}
}

// expireDueLocked releases every open document whose expiry has passed. It
// commits on its own (the caller's operation waits behind it anyway). The
// caller holds the state lock.
func (c *Core) expireDueLocked(now time.Time) {
	if len(c.expiry) == 0 || c.expiry[0].expires.After(now) {
		return
	}
	tx := c.newTxn()
	n := 0
	for len(c.expiry) > 0 && !c.expiry[0].expires.After(now) {
		r := heap.Pop(&c.expiry).(*reservation)
		c.finishDoc(tx, r, StateExpired, now)
		n++
	}
	tx.finish()
	c.m.expired(n)
	c.log.Info("reservations expired", zap.Int("count", n))
}

// finishDoc releases everything r holds and moves it to a final state.
func (c *Core) finishDoc(tx *txn, r *reservation, state ReservationState, now time.Time) {
	for _, h := range r.holds {
		c.releaseHold(tx, h, h.qty)
	}
	r.state, r.finished = state, now
	c.expiry.remove(r)
	c.finishedQ = append(c.finishedQ, r)
	tx.touchDoc(r)
}

// releaseHold takes q off hold h and off its place's reserved count.
func (c *Core) releaseHold(tx *txn, h *hold, q Qty) {
	if q <= 0 {
		return
	}
	h.qty -= q
	h.sku.addHeld(h.kind, h.place, -q)
	tx.onUndo(func() {
		h.qty += q
		h.sku.addHeld(h.kind, h.place, q)
		h.sku.queue(h.place).push(h) // compaction may have dropped it
	})
	if h.kind == PlaceLocation {
		tx.touchRecord(h.sku, h.place)
	} else {
		tx.touchGroup(h.sku, h.place)
	}
	tx.touchDoc(h.doc)
	if q := h.sku.queues[h.place]; q != nil {
		q.compact()
	}
}

// sweepLoop releases expired reservations and forgets old documents and
// idempotency entries in the background.
func (c *Core) sweepLoop() {
	defer c.wg.Done()
	t := time.NewTicker(c.cfg.SweepInterval)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			c.Sweep()
		}
	}
}

// Sweep releases the reservations due by the core's clock and purges what
// is past its retention. Tests call it after moving the clock.
func (c *Core) Sweep() {
	_ = c.write(func(tx *txn) error {
		now := c.now()
		c.idem.gc(&tx.batch, now, c.cfg.IdempotencyWindow)
		c.imported.gc(&tx.batch, now, c.cfg.ImportDedupWindow)
		c.purgeFinished(tx, now)
		return nil
	})
}

func (c *Core) purgeFinished(tx *txn, now time.Time) {
	cut := now.Add(-c.cfg.FinishedRetention)
	for len(c.finishedQ) > 0 && c.finishedQ[0].finished.Before(cut) {
		r := c.finishedQ[0]
		c.finishedQ[0] = nil
		c.finishedQ = c.finishedQ[1:]
		if c.docs[r.id] == r {
			delete(c.docs, r.id)
			tx.batch.Delete(docKey(r.id))
		}
	}
}
