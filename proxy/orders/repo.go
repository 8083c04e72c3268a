package orders

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"ociedge/internal/kv"
)

// repo keeps baskets and orders in the kv store with the indexes the job
// and the counts need (see the key layout in doc.go). It is safe for
// concurrent use; callers serialise changes to one basket or order with
// their locks.
type repo struct {
	kv     kv.Store
	prefix string

	seqMu   sync.Mutex // guards next and limit
	next    int64      // the next order number to hand out
	limit   int64      // numbers below limit are durably reserved
	block   int64
	seqInit bool
}

func (r *repo) key(parts ...string) []byte {
	n := len(r.prefix)
	for _, p := range parts {
		n += len(p)
	}
	b := make([]byte, 0, n)
	b = append(b, r.prefix...)
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func (r *repo) basket(id string) (*Basket, bool, error) {
	var b Basket
	ok, err := r.get(r.key("b/", id), &b)
	if err != nil || !ok {
		return nil, ok, err
	}
	return &b, true, nil
}

func (r *repo) order(no string) (*Order, bool, error) {
	var o Order
	ok, err := r.get(r.key("o/", no), &o)
	if err != nil || !ok {
		return nil, ok, err
	}
	return &o, true, nil
}

func (r *repo) get(key []byte, v any) (bool, error) {
	raw, ok, err := r.kv.Get(key)
	if err != nil || !ok {
		return false, err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return false, fmt.Errorf("corrupt record %q: %w", key, err)
	}
	return true, nil
}

// change is one atomic write of baskets and orders with their indexes.
type change struct {
	r *repo
	b kv.Batch
}

func (r *repo) change() *change { return &change{r: r} }

// putOrder writes o, whose stored version was old (nil if new).
func (c *change) putOrder(old, o *Order) {
	c.b.Set(c.r.key("o/", o.No), mustJSON(o))
	c.index(orderIndex(old), orderIndex(o))
}

// putBasket writes b, whose stored version was old (nil if new).
func (c *change) putBasket(old, b *Basket) {
	c.b.Set(c.r.key("b/", b.ID), mustJSON(b))
	c.index(basketIndex(old), basketIndex(b))
}

// deleteBasket deletes the stored basket old.
func (c *change) deleteBasket(old *Basket) {
	c.b.Delete(c.r.key("b/", old.ID))
	c.index(basketIndex(old), nil)
}

func (c *change) index(old, cur map[string]string) {
	for k := range old {
		if _, ok := cur[k]; !ok {
			c.b.Delete(c.r.key(k))
		}
	}
	for k, v := range cur {
		if ov, ok := old[k]; !ok || ov != v {
			c.b.Set(c.r.key(k), []byte(v))
		}
	}
}

func (c *change) commit(what string) error {
	if err := c.r.kv.Write(&c.b); err != nil {
		return internal(err, what)
	}
	return nil
}

// orderIndex is the index entries of an order: pending work, created
// (auto-fail) and open reservation.
func orderIndex(o *Order) map[string]string {
	if o == nil {
		return nil
	}
	ix := map[string]string{}
	if o.Res.State == ResReserving || o.Res.State == ResReleasing {
		ix["w/"+o.No] = ""
	}
	if o.Status == StatusCreated && o.Res.State != ResReserving {
		ix["c/"+o.No] = o.SiteID + " " + strconv.FormatInt(o.Created.UnixNano(), 10)
	}
	if o.Res.Open() {
		ix["r/"+string(o.Res.System)+"/o/"+o.No] = ""
	}
	return ix
}

// basketIndex is the index entries of a basket: last modification
// (expiry) and open reservation.
func basketIndex(b *Basket) map[string]string {
	if b == nil {
		return nil
	}
	ix := map[string]string{modifiedKey(b): ""}
	if b.Res != nil {
		ix["r/"+string(b.Res.System)+"/b/"+b.ID] = strconv.FormatInt(b.Res.Expires.Unix(), 10)
	}
	return ix
}

// modifiedKey is a basket's m/ index entry: its site, its last
// modification in unix nanoseconds, zero-padded so that a site's keys sort
// by time, and its id. Site ids hold no '/'.
func modifiedKey(b *Basket) string {
	k := make([]byte, 0, len("m/")+len(b.SiteID)+1+19+1+len(b.ID))
	k = append(append(append(k, "m/"...), b.SiteID...), '/')
	var digits [19]byte
	n := max(0, b.Modified.UnixNano())
	for i := len(digits) - 1; i >= 0; i-- {
		digits[i] = byte('0' + n%10)
		n /= 10
	}
	k = append(append(append(k, digits[:]...), '/'), b.ID...)
	return string(k)
}

// modifiedPrefix is the m/ index of a site's baskets.
func modifiedPrefix(site string) string { return "m/" + site + "/" }

// modifiedEntry parses the part of an m/ key after the site's prefix.
func modifiedEntry(k string) (modified time.Time, id string, ok bool) {
	ns, id, ok := strings.Cut(k, "/")
	n, err := strconv.ParseInt(ns, 10, 64)
	if !ok || err != nil || id == "" {
		return time.Time{}, "", false
	}
	return time.Unix(0, n), id, true
}

// indexModified writes the m/ entry of every stored basket, once: baskets
// written before the index existed get theirs. The marker key says it is
// done.
func (r *repo) indexModified() error {
	marker := r.key("x/m-index")
	if _, ok, err := r.kv.Get(marker); err != nil || ok {
		return err
	}
	var b kv.Batch
	err := r.kv.Scan(r.key("b/"), func(_, v []byte) error {
		var bk Basket
		if err := json.Unmarshal(v, &bk); err != nil {
			return fmt.Errorf("corrupt basket: %w", err)
		}
		b.Set(r.key(modifiedKey(&bk)), []byte{})
		return nil
	})
	if err != nil {
		return err
	}
	b.Set(marker, []byte("1"))
	return r.kv.Write(&b)
}

// scan calls fn with the id and value of every index entry under sub.
func (r *repo) scan(sub string, fn func(id, value string) error) error {
	p := r.key(sub)
	return r.kv.Scan(p, func(k, v []byte) error { return fn(string(k[len(p):]), string(v)) })
}

// nextOrderNo hands out the next order number, durably reserving a new
// block of numbers when the current one is used up.
func (r *repo) nextOrderNo(first int64) (string, error) {
	r.seqMu.Lock()
	defer r.seqMu.Unlock()
	if !r.seqInit {
		if err := r.loadSeq(first); err != nil {
			return "", err
		}
	}
	if r.next >= r.limit {
		var b kv.Batch
		b.Set(r.key("n"), []byte(strconv.FormatInt(r.next+r.block, 10)))
		if err := r.kv.Write(&b); err != nil {
			return "", internal(err, "reserve order numbers")
		}
		r.limit = r.next + r.block
	}
	n := r.next
	r.next++
	return formatOrderNo(n), nil
}

func (r *repo) loadSeq(first int64) error {
	raw, ok, err := r.kv.Get(r.key("n"))
	if err != nil {
		return internal(err, "read the order-number high-water mark")
	}
	r.next, r.limit = first, first
	if ok {
		hw, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			return internal(err, "parse the order-number high-water mark")
		}
		r.next, r.limit = max(hw, first), max(hw, first)
	}
	r.seqInit = true
	return nil
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("BUG: cannot encode a record: " + err.Error())
	}
	return b
}

// createdEntry parses a c/ index value.
func createdEntry(v string) (site string, created time.Time, ok bool) {
	for i := len(v) - 1; i >= 0; i-- {
		if v[i] == ' ' {
			ns, err := strconv.ParseInt(v[i+1:], 10, 64)
			if err != nil {
				return "", time.Time{}, false
			}
			return v[:i], time.Unix(0, ns), true
		}
	}
	return "", time.Time{}, false
}
