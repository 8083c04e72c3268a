package cache

import (
	"sync/atomic"

	"github.com/dgraph-io/ristretto/v2"
)

// backend is the part of ristretto the store uses. *ristretto.Cache is
// the one implementation outside tests; tests decorate it to drop Sets.
type backend interface {
	Get(key []byte) (Value, bool)
	Set(key []byte, v Value, cost int64) bool
	Wait()
	IterValues(fn func(Value) (stop bool))
	Close()
}

var _ backend = (*ristretto.Cache[[]byte, Value])(nil)

// store is the ristretto cache with the bookkeeping that keeps Items Cached
// true (see liveCount) and the rule that a fallback value never replaces a
// stream value. It is safe for concurrent use.
type store struct {
	rc      backend
	lists   *atomic.Pointer[listTable]
	m       *Metrics
	retries int
	// versions orders stream writes; a batch reserves a range at once.
	versions atomic.Uint64
}

func newStore(cfg *Config, lists *atomic.Pointer[listTable]) (*store, error) {
	s := &store{lists: lists, m: cfg.Metrics, retries: cfg.SetRetries}
	rc, err := ristretto.NewCache(&ristretto.Config[[]byte, Value]{
		NumCounters:        cfg.NumCounters,
		MaxCost:            cfg.MaxRecords,
		BufferItems:        cfg.BufferItems,
		IgnoreInternalCost: true,
		OnEvict:            s.onEvict,
		OnReject:           s.onReject,
		ShouldUpdate:       s.shouldUpdate,
	})
	if err != nil {
		return nil, err
	}
	s.rc = rc
	return s, nil
}

func (s *store) close() { s.rc.Close() }

func (s *store) list(id ListID) *listState { return s.lists.Load().get(id) }

// shouldUpdate decides whether cur may replace prev (ristretto calls it
// under the key's shard lock, once per replacement). A stream value
// replaces anything older; a fallback value (version 0) replaces only
// another fallback value or a stale one. Accepting takes prev out of the
// live count; cur was counted before Set.
func (s *store) shouldUpdate(cur, prev Value) bool {
	l := s.list(cur.list)
	if l == nil {
		return true
	}
	ok := cur.version > prev.version ||
		cur.version == 0 && (prev.version == 0 || prev.gen < l.floor.Load())
	if ok {
		l.count.add(&prev, -1)
	}
	return ok
}

// onReject: the admission policy refused a new key, or the key was
// already being inserted; the value was counted before Set.
func (s *store) onReject(it *ristretto.Item[Value]) {
	if l := s.list(it.Value.list); l != nil {
		l.count.add(&it.Value, -1)
		l.rejected.Add(1)
	}
	s.m.rejected()
}

func (s *store) onEvict(it *ristretto.Item[Value]) {
	if l := s.list(it.Value.list); l != nil {
		l.count.add(&it.Value, -1)
		l.evicted.Add(1)
	}
	s.m.evicted()
}

// get reads one key without the lookup metrics.
func (s *store) get(list ListID, sku string) (Value, bool) {
	kb := getKeyBuf()
	v, ok := s.rc.Get(appendKey(kb.b[:0], list, sku))
	putKeyBuf(kb)
	return v, ok
}

// batch is a run of writes to one list. It holds the list's writeMu from
// begin to end, and end waits until ristretto has applied every write, so
// no insert of the list is pending once the batch is over. Not for
// concurrent use.
type batch struct {
	s  *store
	l  *listState
	kb *keyBuf
}

func (s *store) begin(l *listState) batch {
	l.writeMu.Lock()
	return batch{s: s, l: l, kb: getKeyBuf()}
}

// end waits for ristretto to apply the batch and releases the list.
func (b batch) end() {
	b.s.rc.Wait()
	putKeyBuf(b.kb)
	b.l.writeMu.Unlock()
}

// versions reserves n stream versions and returns the first.
func (b batch) versions(n int) uint64 { return b.s.versions.Add(uint64(n)) - uint64(n) + 1 }

func (b batch) get(sku string) (Value, bool) {
	return b.s.rc.Get(appendKey(b.kb.b[:0], b.l.idx, sku))
}

// put writes v for sku. A Set that ristretto drops (its buffer is full) is
// retried after the buffer drains, up to the configured number of times;
// put reports false only when every attempt was dropped (the key then
// misses and a lookup falls back to the core — it never shows stale data,
// since a replacement of a present key is never dropped).
func (b batch) put(sku string, v Value) bool {
	v.list = b.l.idx
	key := appendKey(b.kb.b[:0], b.l.idx, sku)
	for attempt := 0; ; attempt++ {
		b.l.count.add(&v, 1)
		if b.s.rc.Set(key, v, 1) {
			return true
		}
		b.l.count.add(&v, -1)
		b.s.m.dropped()
		if attempt == b.s.retries {
			b.l.lost.Add(1)
			b.s.m.lost()
			return false
		}
		b.s.rc.Wait()
	}
}
