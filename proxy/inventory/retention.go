package inventory

import (
	"time"

	"go.uber.org/zap"

	"ociedge/internal/kv"
)

// purgeChunk is how many records one retention batch deletes.
const purgeChunk = 512

// usageChunk is how many last-use times one flush batch writes.
const usageChunk = 8192

// PurgeUnused is Inventory Record Retention: it deletes the records that no
// storefront lookup has read and nothing has written for days days, and
// returns how many it deleted. days <= 0 means "never remove" and deletes
// nothing. It works in every mode (it is meant for Omnichannel Inventory
// mode, where the legacy records are read-only); the caller schedules it.
func (s *Store) PurgeUnused(days int) (int, error) {
	if days <= 0 {
		return 0, nil
	}
	cutoff := s.now().Add(-time.Duration(days) * 24 * time.Hour).Unix()
	total := 0
	for id, ls := range *s.lists.Load() {
		var stale []string
		for _, e := range ls.snapshot() {
			if e.used.Load() < cutoff {
				stale = append(stale, e.cur.Load().ProductID)
			}
		}
		for len(stale) > 0 {
			chunk := stale[:min(purgeChunk, len(stale))]
			stale = stale[len(chunk):]
			n, err := s.purgeChunk(id, ls, chunk, cutoff)
			total += n
			if err != nil {
				return total, err
			}
		}
	}
	if total > 0 {
		s.log.Info("inventory record retention deleted unused records", zap.Int("count", total), zap.Int("days", days))
	}
	return total, nil
}

// purgeChunk deletes the records of products that are still unused once
// their stripes are held.
func (s *Store) purgeChunk(listID string, ls *listState, products []string, cutoff int64) (int, error) {
	keys := make([]stripeKey, len(products))
	for i, p := range products {
		keys[i] = recStripeKey(listID, p)
	}
	set := s.lockSetOf(keys)
	s.lock(set)
	defer s.unlock(set)
	if s.listState(listID) != ls {
		return 0, nil // the list was deleted meanwhile
	}
	var b kv.Batch
	var gone []string
	for _, p := range products {
		if e := ls.get(p); e != nil && e.used.Load() < cutoff {
			b.Delete(s.keys.record(listID, p))
			b.Delete(s.keys.usage(listID, p))
			gone = append(gone, p)
		}
	}
	if len(gone) == 0 {
		return 0, nil
	}
	if err := s.write(&b, "delete unused inventory records of "+listID); err != nil {
		return 0, err
	}
	for _, p := range gone {
		ls.remove(p)
	}
	return len(gone), nil
}

// FlushUsage writes the last-use times that storefront reads have advanced
// since the last flush, so that retention survives a restart. Close calls
// it; the edge may also call it periodically. A flush that races with the
// deletion of a record may leave a usage key without a record, which load
// ignores.
func (s *Store) FlushUsage() error {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	type flushed struct {
		e *entry
		u int64
	}
	var b kv.Batch
	var done []flushed
	commit := func() error {
		if err := s.write(&b, "write inventory usage"); err != nil {
			return err
		}
		for _, d := range done {
			d.e.flushed = d.u
		}
		b.Reset()
		done = done[:0]
		return nil
	}
	for _, ls := range *s.lists.Load() {
		for _, e := range ls.snapshot() {
			u := e.used.Load()
			if u <= e.flushed {
				continue
			}
			r := e.cur.Load()
			b.Set(s.keys.usage(r.ListID, r.ProductID), encodeUsage(u))
			done = append(done, flushed{e, u})
			if len(done) == usageChunk {
				if err := commit(); err != nil {
					return err
				}
			}
		}
	}
	if len(done) == 0 {
		return nil
	}
	return commit()
}
