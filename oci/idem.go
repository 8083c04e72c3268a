package oci

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"hash/fnv"
	"slices"
	"time"

	"ociedge/internal/kv"
)

// requestHash identifies the content of a request for idempotent replay.
type requestHash [32]byte

func hashJSON(v any) requestHash {
	b, _ := json.Marshal(v)
	return sha256.Sum256(b)
}

// recordHash identifies an imported recordId (FNV-128a: stable across
// restarts, collision odds ~n²/2¹²⁸).
type recordHash [16]byte

func hashRecordID(id string) recordHash {
	h := fnv.New128a()
	h.Write([]byte(id))
	var out recordHash
	h.Sum(out[:0])
	return out
}

// idemTable remembers, per (operation, id, sku), the content hash and the
// outcome of the first request, so that a retry replays the outcome and a
// different request under the same id is a conflict. Entries are forgotten
// after the idempotency window. Guarded by the core's state lock.
type idemTable struct {
	m     map[string]idemEntry
	order []idemAged // insertion order, for expiry
}

type idemEntry struct {
	at   int64 // unix nanoseconds
	hash uint64
	code Code // "" on success
}

type idemAged struct {
	key string
	at  int64
}

func newIdemTable() idemTable { return idemTable{m: make(map[string]idemEntry)} }

func idemKey(op, id, sku string) string { return op + "/" + id + "\x00" + sku }

func contentHash(v any) uint64 {
	b, _ := json.Marshal(v)
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}

func (t *idemTable) get(key string) (idemEntry, bool) {
	e, ok := t.m[key]
	return e, ok
}

func (t *idemTable) put(b *kv.Batch, key string, e idemEntry) {
	t.m[key] = e
	t.order = append(t.order, idemAged{key, e.at})
	v := binary.BigEndian.AppendUint64(nil, uint64(e.at))
	v = binary.BigEndian.AppendUint64(v, e.hash)
	v = append(v, e.code...)
	b.Set(append(append([]byte(nil), prefixIdem...), key...), v)
}

// gc forgets entries older than the window.
func (t *idemTable) gc(b *kv.Batch, now time.Time, window time.Duration) int {
	cut := now.Add(-window).UnixNano()
	n := 0
	for len(t.order) > 0 && t.order[0].at < cut {
		a := t.order[0]
		t.order = t.order[1:]
		if e, ok := t.m[a.key]; ok && e.at == a.at {
			delete(t.m, a.key)
			b.Delete(append(append([]byte(nil), prefixIdem...), a.key...))
			n++
		}
	}
	return n
}

func (c *Core) loadIdem(k, v []byte) error {
	if len(v) < 16 {
		return errCorrupt
	}
	key := string(k[len(prefixIdem):])
	e := idemEntry{at: int64(binary.BigEndian.Uint64(v)), hash: binary.BigEndian.Uint64(v[8:]), code: Code(v[16:])}
	c.idem.m[key] = e
	c.idem.order = append(c.idem.order, idemAged{key, e.at})
	return nil
}

// sortIdemOrder restores insertion (time) order after a load.
func (t *idemTable) sortByAge() {
	slices.SortFunc(t.order, func(a, b idemAged) int { return cmp.Compare(a.at, b.at) })
}
