package oci

import (
	"cmp"
	"encoding/binary"
	"slices"
	"time"

	"ociedge/internal/kv"
)

// importDedup remembers the recordIds of imported records (as 128-bit
// hashes) for Config.ImportDedupWindow, so that a re-sent record or file is
// skipped instead of applied twice, also across restarts. Guarded by the
// core's state lock.
type importDedup struct {
	seen  map[recordHash]int64 // hash -> unix seconds when first imported
	order []dedupAged          // oldest first, for expiry
}

type dedupAged struct {
	h  recordHash
	at int64
}

func newImportDedup() importDedup { return importDedup{seen: make(map[recordHash]int64)} }

func (d *importDedup) has(h recordHash) bool {
	_, ok := d.seen[h]
	return ok
}

func dedupKey(h recordHash) []byte { return append(append([]byte(nil), prefixImp...), h[:]...) }

func (d *importDedup) add(b *kv.Batch, h recordHash, now time.Time) {
	at := now.Unix()
	d.seen[h] = at
	d.order = append(d.order, dedupAged{h, at})
	b.Set(dedupKey(h), binary.BigEndian.AppendUint64(nil, uint64(at)))
}

// gc forgets recordIds imported longer ago than the window.
func (d *importDedup) gc(b *kv.Batch, now time.Time, window time.Duration) {
	cut := now.Add(-window).Unix()
	for len(d.order) > 0 && d.order[0].at < cut {
		a := d.order[0]
		d.order = d.order[1:]
		if d.seen[a.h] == a.at {
			delete(d.seen, a.h)
			b.Delete(dedupKey(a.h))
		}
	}
}

func (c *Core) loadImported(k, v []byte) error {
	var h recordHash
	copy(h[:], k[len(prefixImp):])
	var at int64
	if len(v) == 8 {
		at = int64(binary.BigEndian.Uint64(v))
	} else {
		at = c.now().Unix() // written before dates were kept: the window starts now
	}
	c.imported.seen[h] = at
	c.imported.order = append(c.imported.order, dedupAged{h, at})
	return nil
}

func (d *importDedup) sortByAge() {
	slices.SortFunc(d.order, func(a, b dedupAged) int { return cmp.Compare(a.at, b.at) })
}
