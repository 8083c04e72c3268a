package proxy

import (
	"bytes"
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/cache"
	"ociedge/proxy/inventory"
)

var availabilityPrefix = []byte("/product/shopper-availability/v1/organizations/")

// cacheResult is what the x-ociedge-cache header says about an answer.
type cacheResult uint8

const (
	resultInternal cacheResult = iota // the edge's own records (first two modes)
	resultHit                         // every value from the cache
	resultFallback                    // some values fetched from the core on a miss
	resultStale                       // the core could not be asked; cached values past their import
)

var resultNames = [...][]byte{[]byte("internal"), []byte("hit"), []byte("fallback"), []byte("stale")}

// shopperWork is the per-request scratch space, pooled.
type shopperWork struct {
	q       shopperQuery
	lists   [maxInventoryIDs]*listEntry
	answers [maxProductIDs * maxInventoryIDs]invAnswer
	misses  [maxProductIDs * maxInventoryIDs]bool
	out     []byte
}

var workPool = sync.Pool{New: func() any { return &shopperWork{out: make([]byte, 0, 4096)} }}

// Header names in canonical form, so that setting them skips normalizing.
var (
	headerCache    = []byte("X-Ociedge-Cache")
	headerCacheAge = []byte("X-Ociedge-Cache-Age-Ms")
	contentJSON    = []byte("application/json")
)

// shopperAvailability answers GET …/organizations/{org}/availability as
// SCAPI Shopper Availability does. On a cache hit it allocates nothing.
func (e *Edge) shopperAvailability(ctx *fasthttp.RequestCtx, org []byte) {
	if string(org) != e.app.OrganizationID {
		e.scapiError(ctx, fasthttp.StatusNotFound, "not-found", "No organization '"+string(org)+"' is served here.")
		return
	}
	w := workPool.Get().(*shopperWork)
	defer workPool.Put(w)
	if msg := parseShopperQuery(ctx.QueryArgs(), &w.q); msg != "" {
		e.scapiError(ctx, fasthttp.StatusBadRequest, "validation", msg)
		return
	}
	nl, status, msg := e.resolveLists(w)
	if msg != "" {
		kind := "validation"
		if status == fasthttp.StatusNotFound {
			kind = "site-not-found"
		}
		e.scapiError(ctx, status, kind, msg)
		return
	}
	res, age, err := e.answerAll(ctx, w, nl)
	if err != nil {
		e.scapiError(ctx, fasthttp.StatusServiceUnavailable, "service-unavailable",
			"Availability cannot be answered now: the inventory core is unreachable and the cache has no value ("+err.Error()+").")
		return
	}
	w.out = e.encodeAvailability(w.out[:0], w, nl)
	h := &ctx.Response.Header
	h.SetContentTypeBytes(contentJSON)
	h.SetCanonical(headerCache, resultNames[res])
	if res != resultInternal {
		var num [20]byte
		h.SetCanonical(headerCacheAge, strconv.AppendInt(num[:0], age.Milliseconds(), 10))
	}
	ctx.SetBody(w.out)
}

// resolveLists finds the requested lists (or the site's list).
func (e *Edge) resolveLists(w *shopperWork) (int, int, string) {
	t := e.lists.Load()
	site := t.sites[string(w.q.site)]
	if site == nil {
		return 0, fasthttp.StatusNotFound, "No site with ID '" + string(w.q.site) + "' is configured."
	}
	if w.q.nLists == 0 {
		w.lists[0] = site
		return 1, 0, ""
	}
	for i := range w.q.nLists {
		l := t.lists[string(w.q.lists[i])]
		if l == nil {
			return 0, fasthttp.StatusBadRequest, "The inventory list '" + string(w.q.lists[i]) + "' does not exist."
		}
		w.lists[i] = l
	}
	return w.q.nLists, 0, ""
}

// answerAll fills w.answers for every product × list from the source the
// mode says, and returns how the answer was made and the data's age.
func (e *Edge) answerAll(ctx *fasthttp.RequestCtx, w *shopperWork, nl int) (cacheResult, time.Duration, error) {
	if !e.mode.Mode().AvailabilityFromCache() {
		for p := range w.q.nProducts {
			for l := range nl {
				w.answers[p*maxInventoryIDs+l] = e.internalAnswer(w.lists[l], w.q.products[p])
			}
		}
		return resultInternal, 0, nil
	}
	res := resultHit
	var age time.Duration
	missing := false
	now := e.now()
	for l := range nl {
		age = max(age, e.cache.LagAt(w.lists[l].cacheID, now))
		for p := range w.q.nProducts {
			i := p*maxInventoryIDs + l
			v, st := e.cache.Lookup(w.lists[l].cacheID, w.q.products[p])
			w.answers[i] = ociAnswer(w.lists[l], v, st)
			w.misses[i] = st == cache.Miss || st == cache.Stale
			missing = missing || w.misses[i]
		}
	}
	if missing {
		return e.fillMisses(ctx, w, nl, age)
	}
	return res, age, nil
}

// fillMisses asks the core for the keys the cache did not have. When the
// core cannot answer, stale values are served as they are (with their age)
// and a key with no value at all fails the request — never "not available".
func (e *Edge) fillMisses(_ *fasthttp.RequestCtx, w *shopperWork, nl int, age time.Duration) (cacheResult, time.Duration, error) {
	res := resultFallback
	for l := range nl {
		var skus []string
		var idx []int
		for p := range w.q.nProducts {
			if i := p*maxInventoryIDs + l; w.misses[i] {
				skus, idx = append(skus, string(w.q.products[p])), append(idx, i)
			}
		}
		if len(skus) == 0 {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), e.app.Cache.MissWait)
		vals, err := e.cache.Fetch(ctx, w.lists[l].cacheID, skus)
		cancel()
		if err != nil {
			if !staleOnly(w, idx) {
				return 0, 0, err
			}
			res = resultStale
			continue
		}
		for k, i := range idx {
			st := cache.Hit
			if vals[k].NoRecord() {
				st = cache.Tombstone
			}
			w.answers[i] = ociAnswer(w.lists[l], vals[k], st)
		}
	}
	return res, age, nil
}

// staleOnly reports whether every missing key has a stale value to show.
func staleOnly(w *shopperWork, idx []int) bool {
	for _, i := range idx {
		if !w.answers[i].known && !w.answers[i].fromStale {
			return false
		}
	}
	return true
}

// ociAnswer maps cached OCI values to storefront terms (DESIGN §3.4):
// ats = ATO, stockLevel = ATF, backorderable = any future, inStockDate =
// earliest future, preorderable = false.
func ociAnswer(l *listEntry, v cache.Value, st cache.Status) invAnswer {
	switch st {
	case cache.Hit, cache.Stale:
		a := invAnswer{known: st == cache.Hit, record: true, fromStale: st == cache.Stale, ats: int64(v.ATO), stock: int64(v.ATF),
			orderable: v.ATO >= 1000, backorderable: v.Backorderable()}
		if v.InStock != 0 {
			a.inStockDate = int64(v.InStock) * int64(time.Second)
		}
		return a
	case cache.Tombstone:
		return noRecordAnswer(l)
	}
	return invAnswer{}
}

// noRecordAnswer is a product without a record in a list: available when
// the list is Default In Stock, else shown with its id only.
func noRecordAnswer(l *listEntry) invAnswer {
	if l.defaultInStock {
		return invAnswer{known: true, ats: storefrontCap, stock: storefrontCap, orderable: true}
	}
	return invAnswer{}
}

// internalAnswer reads the edge's own B2C record.
func (e *Edge) internalAnswer(l *listEntry, sku []byte) invAnswer {
	r, ok := e.inv.Lookup(l.id, string(sku))
	if !ok {
		return noRecordAnswer(l)
	}
	list, _ := e.inv.List(l.id)
	a := invAnswer{known: true, record: true, ats: int64(r.ATS().Cap(inventory.StorefrontCap)), stock: int64(r.StockLevel().Cap(inventory.StorefrontCap)),
		orderable: inventory.IsOrderable(&list, &r, inventory.Unit), backorderable: r.Backorderable(), preorderable: r.Preorderable()}
	if !r.InStockDate.IsZero() {
		a.inStockDate = r.InStockDate.UnixNano()
	}
	return a
}

// encodeAvailability writes the AvailabilityResult. A product that no
// requested list has a record of is "not found" and dropped, as SCAPI drops
// unknown products; once a product exists, a list without its record shows
// the id only, or in-stock when the list is Default In Stock.
func (e *Edge) encodeAvailability(b []byte, w *shopperWork, nl int) []byte {
	b = append(b, `{"data":[`...)
	n := 0
	for p := range w.q.nProducts {
		if !anyKnown(w, p, nl) {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = append(b, `{"id":"`...)
		b = appendEscaped(b, w.q.products[p])
		b = append(b, `","inventories":[`...)
		for l := range nl {
			if l > 0 {
				b = append(b, ',')
			}
			b = appendInventory(b, w.lists[l].idBytes, &w.answers[p*maxInventoryIDs+l])
		}
		b = append(b, "]}"...)
	}
	b = append(b, `],"limit":`...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, `,"total":`...)
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, '}')
}

func anyKnown(w *shopperWork, p, nl int) bool {
	for l := range nl {
		if w.answers[p*maxInventoryIDs+l].record {
			return true
		}
	}
	return false
}

var _ = bytes.Equal
