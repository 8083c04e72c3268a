package bench

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/bench/wire"
)

// fakeCore speaks just enough of the core's wire contract for the scenarios:
// tokens, get-availability and reservations at group "online" (stock per
// sku, unlimited by default), and imports.
type fakeCore struct {
	mu       sync.Mutex         // guards the fields below
	stock    map[string]float64 // onHand per sku; absent = unlimited
	reserved map[string]float64
	requests []string         // "METHOD URI BODY" of reservations, in arrival order
	imports  map[string]int64 // import id → lines received (-1: waiting)
	polls    int
	stamps   map[string]stamp // "location/sku" → last batch-update
}

// stamp is an onHand written by batch-update, and when.
type stamp struct {
	onHand int64
	at     time.Time
}

func newFakeCore() *fakeCore {
	return &fakeCore{stock: map[string]float64{}, reserved: map[string]float64{}, imports: map[string]int64{},
		stamps: map[string]stamp{}}
}

func (c *fakeCore) handle(ctx *fasthttp.RequestCtx) {
	path := string(ctx.Path())
	switch path {
	case "/dwsso/oauth2/access_token":
		c.token(ctx)
		return
	case "/readyz":
		return
	}
	if string(ctx.Request.Header.Peek("Authorization")) != "Bearer tok-1" {
		ctx.SetStatusCode(401)
		return
	}
	switch {
	case strings.HasSuffix(path, "/actions/get-availability"):
		c.getAvailability(ctx)
	case strings.HasSuffix(path, "/actions/batch-update"):
		c.batchUpdate(ctx)
	case strings.Contains(path, "/reservation-documents/"):
		c.reserve(ctx)
	case strings.HasSuffix(path, "/availability-records/imports"):
		c.createImport(ctx)
	case strings.Contains(path, "/imports/uploadlink/"):
		c.upload(ctx, path[strings.LastIndexByte(path, '/')+1:])
	case strings.HasSuffix(path, "/status"):
		c.status(ctx, strings.Split(path, "/")[8])
	default:
		ctx.SetStatusCode(404)
	}
}

func (c *fakeCore) token(ctx *fasthttp.RequestCtx) {
	user, pass, ok := basicAuth(string(ctx.Request.Header.Peek("Authorization")))
	args := ctx.PostArgs()
	if !ok || user != "dev" || pass != "dev-secret" || string(args.Peek("grant_type")) != "client_credentials" ||
		!strings.HasPrefix(string(args.Peek("scope")), "SALESFORCE_COMMERCE_API:tenant1 ") {
		ctx.SetStatusCode(401)
		return
	}
	ctx.SetBodyString(`{"access_token":"tok-1","token_type":"Bearer","expires_in":1800}`)
}

func (c *fakeCore) getAvailability(ctx *fasthttp.RequestCtx) {
	var req struct{ Skus, Groups []string }
	_ = json.Unmarshal(ctx.PostBody(), &req)
	c.mu.Lock()
	defer c.mu.Unlock()
	var recs []string
	for _, sku := range req.Skus {
		on, ok := c.stock[sku]
		if !ok {
			on = 1000
		}
		res := c.reserved[sku]
		recs = append(recs, fmt.Sprintf(`{"sku":%q,"onHand":%g,"reserved":%g,"atf":%g,"ato":%g}`, sku, on, res, on-res, on-res))
	}
	group := "online-us"
	if len(req.Groups) > 0 {
		group = req.Groups[0]
	}
	fmt.Fprintf(ctx, `{"groups":[{"id":%q,"records":[%s]}]}`, group, strings.Join(recs, ","))
}

func (c *fakeCore) batchUpdate(ctx *fasthttp.RequestCtx) {
	var req struct {
		Records []struct {
			Location, Sku string
			OnHand        int64
		}
	}
	if json.Unmarshal(ctx.PostBody(), &req) != nil {
		ctx.SetStatusCode(400)
		return
	}
	c.mu.Lock()
	for _, r := range req.Records {
		c.stamps[r.Location+"/"+r.Sku] = stamp{onHand: r.OnHand, at: time.Now()}
	}
	c.mu.Unlock()
	ctx.SetStatusCode(204)
}

// stamped returns the onHand written at location for sku at least lag ago.
func (c *fakeCore) stamped(location, sku string, lag time.Duration) (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.stamps[location+"/"+sku]
	return s.onHand, ok && time.Since(s.at) >= lag
}

func (c *fakeCore) reserve(ctx *fasthttp.RequestCtx) {
	c.mu.Lock()
	c.requests = append(c.requests, string(ctx.Method())+" "+string(ctx.RequestURI())+" "+string(ctx.PostBody()))
	c.mu.Unlock()
	var req struct {
		Groups []struct{ Reservations []wire.Line }
	}
	_ = json.Unmarshal(ctx.PostBody(), &req)
	for _, l := range req.Groups[0].Reservations {
		if !c.take(l.Sku, l.Quantity) {
			fmt.Fprintf(ctx, `{"success":false,"groups":[{"id":"online","details":[],"errors":[{"sku":%q,"errorCode":"InsufficientQuantity"}]}]}`, l.Sku)
			return
		}
	}
	ctx.SetBodyString(`{"success":true,"groups":[{"id":"online","details":[{"sku":"x","quantity":1}],"errors":[]}]}`)
}

// take reserves q of sku if the stock allows.
func (c *fakeCore) take(sku string, q float64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if on, limited := c.stock[sku]; limited && c.reserved[sku]+q > on {
		return false
	}
	c.reserved[sku] += q
	return true
}

func (c *fakeCore) createImport(ctx *fasthttp.RequestCtx) {
	c.mu.Lock()
	id := fmt.Sprintf("imp-%d", len(c.imports)+1)
	c.imports[id] = -1
	c.mu.Unlock()
	base := "/inventory/impex/v1/organizations/tenant1/availability-records/imports/"
	fmt.Fprintf(ctx, `{"importId":%q,"importStatusLink":%q,"uploadLink":%q,"uploadMethod":"POST"}`,
		id, base+id+"/status", "http://127.0.0.1:1"+base+"uploadlink/"+id)
}

func (c *fakeCore) upload(ctx *fasthttp.RequestCtx, id string) {
	fh, err := ctx.FormFile(wire.UploadField)
	if err != nil {
		ctx.SetStatusCode(400)
		return
	}
	f, err := fh.Open()
	if err != nil {
		ctx.SetStatusCode(500)
		return
	}
	defer f.Close()
	var n int64
	for sc := bufio.NewScanner(f); sc.Scan(); n++ {
	}
	c.mu.Lock()
	c.imports[id] = n
	c.mu.Unlock()
	ctx.SetBodyString(`{"status":"PENDING"}`)
}

// status answers RUNNING to the first poll and COMPLETED after.
func (c *fakeCore) status(ctx *fasthttp.RequestCtx, id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.imports[id]
	if !ok {
		ctx.SetStatusCode(404)
		return
	}
	c.polls++
	status := "COMPLETED"
	if c.polls == 1 || n < 0 {
		status = "RUNNING"
	}
	fmt.Fprintf(ctx, `{"importId":%q,"status":%q,"import":{"recordsProcessedCount":%d,"recordsReadCount":%d,"recordsSkippedCount":0}}`, id, status, max(n, 0), max(n, 0))
}

// fakeEdge speaks the edge's storefront contract: lookups, baskets, orders
// (reserving at core when there is one, unless oversell) and order status.
type fakeEdge struct {
	core     *fakeCore
	oversell bool
	// lag is how long a batch-update at the core takes to show in lookups
	// that name inventory lists.
	lag time.Duration
	// coreDown, if set, says whether orders get 503.
	coreDown func() bool
	// fillTook is how long the cache fill takes after the mode change;
	// fillItems how many items it caches.
	fillTook  time.Duration
	fillItems int64

	mu       sync.Mutex // guards the fields below
	baskets  map[string][]wire.Item
	orders   int
	requests []string // "METHOD URI BODY" in arrival order
	mode     string
	modeAt   time.Time
}

func newFakeEdge(core *fakeCore) *fakeEdge {
	return &fakeEdge{core: core, baskets: map[string][]wire.Item{}}
}

func (e *fakeEdge) handle(ctx *fasthttp.RequestCtx) {
	path := string(ctx.Path())
	e.mu.Lock()
	e.requests = append(e.requests, string(ctx.Method())+" "+string(ctx.RequestURI())+" "+string(ctx.PostBody()))
	e.mu.Unlock()
	switch {
	case strings.HasPrefix(path, "/admin/api/oci/"):
		e.admin(ctx, path)
	case strings.HasSuffix(path, "/availability"):
		e.availability(ctx)
	case strings.HasSuffix(path, "/baskets"):
		e.basket(ctx)
	case strings.HasSuffix(path, "/actions/reserve-inventory"):
		ctx.SetBodyString(`{"basketId":"x"}`)
	case strings.HasSuffix(path, "/orders"):
		e.order(ctx)
	case strings.HasSuffix(path, "/status"):
		ctx.SetStatusCode(204)
	default:
		ctx.SetStatusCode(404)
	}
}

func (e *fakeEdge) availability(ctx *fasthttp.RequestCtx) {
	ids := strings.Split(string(ctx.QueryArgs().Peek("productIds")), ",")
	list := string(ctx.QueryArgs().Peek("inventoryIds"))
	var data []string
	for _, id := range ids {
		ats, inv := int64(5), "online-us"
		if list != "" {
			inv = list
			if e.core != nil {
				if v, ok := e.core.stamped(list, id, e.lag); ok {
					ats = v
				}
			}
		}
		data = append(data, fmt.Sprintf(`{"id":%q,"inventories":[{"id":%q,"ats":%d,"stockLevel":%d,"orderable":true}]}`, id, inv, ats, ats))
	}
	fmt.Fprintf(ctx, `{"limit":%d,"total":%d,"data":[%s]}`, len(ids), len(ids), strings.Join(data, ","))
}

func (e *fakeEdge) basket(ctx *fasthttp.RequestCtx) {
	var req struct{ ProductItems []wire.Item }
	_ = json.Unmarshal(ctx.PostBody(), &req)
	e.mu.Lock()
	id := fmt.Sprintf("b-%d", len(e.baskets)+1)
	e.baskets[id] = req.ProductItems
	e.mu.Unlock()
	fmt.Fprintf(ctx, `{"basketId":%q}`, id)
}

// admin serves the status and mode routes, with a cache fill that takes
// fillTook after the mode change to OCI_CACHE_ENABLED.
func (e *fakeEdge) admin(ctx *fasthttp.RequestCtx, path string) {
	if string(ctx.Request.Header.Peek("Authorization")) != "Bearer admin-1" {
		ctx.SetStatusCode(401)
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if path == "/admin/api/oci/mode" {
		var req struct{ Mode string }
		_ = json.Unmarshal(ctx.PostBody(), &req)
		e.mode, e.modeAt = req.Mode, time.Now()
	}
	mode, items, imported := or(e.mode, "COMMERCE_PLATFORM"), int64(0), false
	if mode != "COMMERCE_PLATFORM" && time.Since(e.modeAt) >= e.fillTook {
		items, imported = e.fillItems, true
	}
	fmt.Fprintf(ctx, `{"mode":%q,"circuit":"closed","lists":[{"id":"bulk","locationType":"Location","itemsCached":%d,"imported":%t,"importDurationMs":%d,"state":"streaming"},`+
		`{"id":"other","locationType":"N/A","itemsCached":0,"imported":false}]}`, mode, items, imported, e.fillTook.Milliseconds())
}

func (e *fakeEdge) order(ctx *fasthttp.RequestCtx) {
	if e.coreDown != nil && e.coreDown() {
		ctx.SetStatusCode(503)
		ctx.SetBodyString(`{"title":"Service Unavailable"}`)
		return
	}
	var req struct{ BasketID string }
	_ = json.Unmarshal(ctx.PostBody(), &req)
	e.mu.Lock()
	items := e.baskets[req.BasketID]
	e.mu.Unlock()
	for _, it := range items {
		if e.core != nil && !e.oversell && !e.core.take(it.ProductID, float64(it.Quantity)) {
			ctx.SetStatusCode(400)
			ctx.SetBodyString(`{"title":"Product item is not available"}`)
			return
		}
	}
	e.mu.Lock()
	e.orders++
	n := e.orders
	e.mu.Unlock()
	fmt.Fprintf(ctx, `{"orderNo":"o-%d","status":"created"}`, n)
}

func basicAuth(h string) (user, pass string, ok bool) {
	enc, found := strings.CutPrefix(h, "Basic ")
	if !found {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return "", "", false
	}
	return strings.Cut(string(raw), ":")
}
