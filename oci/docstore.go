package oci

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"ociedge/internal/kv"
)

// docRecord is the stored form of a reservation document.
type docRecord struct {
	Seq           uint64           `json:"seq"`
	ExternalRefID string           `json:"externalRefId,omitempty"`
	State         ReservationState `json:"state"`
	Reserved      time.Time        `json:"reservationTime"`
	Expires       *time.Time       `json:"expires,omitempty"`
	Finished      *time.Time       `json:"finished,omitempty"`
	FulfillOnly   bool             `json:"fulfillOnly,omitempty"`
	Hash          requestHash      `json:"hash"`
	Result        *ReserveResult   `json:"result,omitempty"`
	Holds         []holdRecord     `json:"holds,omitempty"`
}

type holdRecord struct {
	Group    bool   `json:"g,omitempty"`
	Place    string `json:"p"`
	SKU      string `json:"s"`
	Quantity Qty    `json:"q"`
}

func docKey(id string) []byte { return append(append([]byte(nil), prefixDoc...), id...) }

func (c *Core) persistDoc(b *kv.Batch, r *reservation) {
	rec := docRecord{
		Seq: r.seq, ExternalRefID: r.externalRefID, State: r.state, Reserved: r.reserved,
		FulfillOnly: r.fulfillOnly, Hash: r.hash, Result: r.result,
		Expires: timePtr(r.expires), Finished: timePtr(r.finished),
	}
	for _, h := range r.holds {
		if h.qty > 0 {
			rec.Holds = append(rec.Holds, holdRecord{h.kind == PlaceGroup, c.in.name(h.place), h.sku.name, h.qty})
		}
	}
	v, err := json.Marshal(rec)
	if err != nil {
		panic("BUG: cannot encode reservation document: " + err.Error())
	}
	b.Set(docKey(r.id), v)
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (c *Core) loadDoc(k, v []byte) error {
	var rec docRecord
	if err := json.Unmarshal(v, &rec); err != nil {
		return fmt.Errorf("reservation %q: %w", k, err)
	}
	r := &reservation{
		id: string(k[len(prefixDoc):]), seq: rec.Seq, externalRefID: rec.ExternalRefID, state: rec.State,
		reserved: rec.Reserved, fulfillOnly: rec.FulfillOnly, hash: rec.Hash, result: rec.Result, heapIdx: -1,
	}
	if rec.Expires != nil {
		r.expires = *rec.Expires
	}
	if rec.Finished != nil {
		r.finished = *rec.Finished
	}
	for _, h := range rec.Holds {
		kind := PlaceLocation
		if h.Group {
			kind = PlaceGroup
		}
		r.holds = append(r.holds, &hold{doc: r, kind: kind, place: c.in.place(h.Place),
			sku: c.skus.getOrCreate(h.SKU), qty: h.Quantity})
	}
	c.docs[r.id] = r
	c.docSeq = max(c.docSeq, r.seq)
	return nil
}

// rebuildHolds restores the derived state after a load: held totals, the
// FIFO queues in creation order, the expiry heap and the idempotency order.
func (c *Core) rebuildHolds() {
	docs := make([]*reservation, 0, len(c.docs))
	for _, r := range c.docs {
		docs = append(docs, r)
	}
	slices.SortFunc(docs, func(a, b *reservation) int { return cmp.Compare(a.seq, b.seq) })
	for _, r := range docs {
		for _, h := range r.holds {
			h.sku.addHeld(h.kind, h.place, h.qty)
			h.sku.queue(h.place).push(h)
		}
		if r.state == StateOpen && !r.expires.IsZero() {
			c.expiry.push(r)
		}
		if r.state != StateOpen {
			c.finishedQ = append(c.finishedQ, r)
		}
	}
	slices.SortFunc(c.finishedQ, func(a, b *reservation) int { return a.finished.Compare(b.finished) })
	c.idem.sortByAge()
	c.imported.sortByAge()
}
