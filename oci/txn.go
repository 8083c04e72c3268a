package oci

import (
	"ociedge/internal/kv"
)

// txn collects the effects of one operation while the state lock is held:
// which records and documents changed (written to the store at the end), the
// change-log events, and undo steps for all-or-nothing groups of changes.
type txn struct {
	c      *Core
	batch  kv.Batch
	recs   map[recKey]struct{}
	docs   map[*reservation]struct{}
	events []event
	undo   []func()
}

type recKey struct {
	sku   *skuState
	place placeIdx
}

func (c *Core) newTxn() *txn {
	return &txn{c: c, recs: make(map[recKey]struct{}), docs: make(map[*reservation]struct{})}
}

// touchRecord marks the record of s at location l as changed.
func (tx *txn) touchRecord(s *skuState, l placeIdx) {
	tx.recs[recKey{s, l}] = struct{}{}
	tx.events = append(tx.events, event{place: l, sku: uint32(s.order)})
}

// touchGroup records a change of what is held at group g.
func (tx *txn) touchGroup(s *skuState, g placeIdx) {
	tx.events = append(tx.events, event{place: g, sku: uint32(s.order)})
}

func (tx *txn) touchDoc(r *reservation) { tx.docs[r] = struct{}{} }

type savepoint struct{ undo, events int }

func (tx *txn) save() savepoint { return savepoint{len(tx.undo), len(tx.events)} }

// rollback undoes every in-memory change made since sp, newest first.
func (tx *txn) rollback(sp savepoint) {
	for i := len(tx.undo) - 1; i >= sp.undo; i-- {
		tx.undo[i]()
	}
	tx.undo = tx.undo[:sp.undo]
	tx.events = tx.events[:sp.events]
}

func (tx *txn) onUndo(fn func()) { tx.undo = append(tx.undo, fn) }

// finish writes the changed records and documents and the events into the
// batch, and hands the batch to the committer. It returns the commit group
// to wait on (nil if nothing changed and nothing is pending).
func (tx *txn) finish() *commitGroup {
	c := tx.c
	for k := range tx.recs {
		c.persistRecord(&tx.batch, k.sku, k.place)
	}
	for r := range tx.docs {
		c.persistDoc(&tx.batch, r)
	}
	if len(tx.events) > 0 {
		c.seq = c.changes.append(tx.events, c.now())
		c.persistSeq(&tx.batch)
	}
	if tx.batch.Len() == 0 {
		return c.commit.tail()
	}
	return c.commit.add(&tx.batch, c.seq)
}
