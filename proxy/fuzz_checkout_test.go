package proxy_test

import (
	"encoding/json"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/cockroachdb/pebble/v2/vfs/errorfs"
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"

	"ociedge/modes"
	"ociedge/proxy"
	"ociedge/proxy/config"
)

// fuzzEdge is an edge in Commerce Platform mode on an in-memory listener
// and an in-memory file system that counts the writes to the store's
// write-ahead log, so that a fuzz target can tell whether a request changed
// anything. (Every committed change goes through the log; flushes and
// compactions, which write other files in the background, do not.) The
// core's URL leads nowhere: nothing in these targets may need it.
type fuzzEdge struct {
	e      *proxy.Edge
	c      *fasthttp.Client
	writes atomic.Int64 // writes to the store's WAL files
}

func newFuzzEdge(tb testing.TB) *fuzzEdge {
	tb.Helper()
	fx := &fuzzEdge{}
	fs := errorfs.Wrap(vfs.NewMem(), errorfs.InjectorFunc(func(op errorfs.Op) error {
		if op.Kind.ReadOrWrite() == errorfs.OpIsWrite && strings.HasSuffix(op.Path, ".log") {
			fx.writes.Add(1)
		}
		return nil
	}))
	app, err := config.Parse([]byte(strings.ReplaceAll(baseConfig, "CORE", "http://127.0.0.1:1")), nil)
	if err != nil {
		tb.Fatal(err)
	}
	ln := fasthttputil.NewInmemoryListener()
	fx.e, err = proxy.New(proxy.Config{App: app, DataDir: tb.TempDir(), Listener: ln, JobInterval: -1, FS: fs})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { fx.e.Close() })
	fx.c = &fasthttp.Client{Dial: func(string) (net.Conn, error) { return ln.Dial() }}
	if r := fx.do(tb, "PUT", "/s/-/dw/data/v25_6/inventory_lists/online-us/product_inventory_records/sku-1", "admin-token",
		`{"allocation":{"amount":1000000}}`); r.status/100 != 2 {
		tb.Fatalf("stock: %d %s", r.status, r.body)
	}
	if fx.writes.Load() == 0 {
		tb.Fatal("the store's log writes are not counted")
	}
	return fx
}

func (fx *fuzzEdge) do(tb testing.TB, method, path, token, body string) resp {
	tb.Helper()
	req, res := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(res)
	req.Header.SetMethod(method)
	req.SetRequestURI("http://edge" + path)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.SetContentType("application/json")
	req.SetBodyString(body)
	if err := fx.c.DoTimeout(req, res, 10*time.Second); err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	out := resp{status: res.StatusCode(), body: append([]byte(nil), res.Body()...), header: map[string]string{}}
	res.Header.VisitAll(func(k, v []byte) { out.header[strings.ToLower(string(k))] = string(v) })
	return out
}

// must sends a request the fixture needs and decodes its answer.
func (fx *fuzzEdge) must(tb testing.TB, method, path, body string) map[string]any {
	tb.Helper()
	r := fx.do(tb, method, path, "", body)
	if r.status != 200 {
		tb.Fatalf("%s %s: %d %s", method, path, r.status, r.body)
	}
	return r.json(tb)
}

// checkAnswer: never a 5xx; an error is a problem body and the store
// was not written while it was made.
func (fx *fuzzEdge) checkAnswer(t *testing.T, what string, r resp, writesBefore int64) {
	t.Helper()
	if r.status >= 500 {
		t.Fatalf("%s: %d %s", what, r.status, r.body)
	}
	if r.status < 400 {
		return
	}
	var p struct{ Title, Type, Detail string }
	if err := json.Unmarshal(r.body, &p); err != nil || p.Title == "" || p.Type == "" {
		t.Fatalf("%s: %d with a body that is not a problem: %s", what, r.status, r.body)
	}
	if n := fx.writes.Load() - writesBefore; n != 0 {
		t.Fatalf("%s: %d %s, yet the store was written (%d file writes)", what, r.status, r.body, n)
	}
}

// checkoutRoutes are the routes FuzzEdgeCheckoutBodies sends bodies to.
// BASKET, ITEM and ORDER in the path and the body stand for a fresh
// basket (one sku-1) and its item, and a fresh order (created).
var checkoutRoutes = []struct{ method, path string }{
	{"POST", "/checkout/shopper-baskets/v2/organizations/" + org + "/baskets?siteId=RefArch"},
	{"POST", "/checkout/shopper-baskets/v2/organizations/" + org + "/baskets/BASKET/items?siteId=RefArch"},
	{"PATCH", "/checkout/shopper-baskets/v2/organizations/" + org + "/baskets/BASKET/items/ITEM?siteId=RefArch"},
	{"PATCH", "/checkout/shopper-baskets/v2/organizations/" + org + "/baskets/BASKET/items?siteId=RefArch"},
	{"POST", "/checkout/shopper-baskets/v2/organizations/" + org + "/baskets/BASKET/actions/reserve-inventory?siteId=RefArch"},
	{"POST", "/checkout/shopper-orders/v1/organizations/" + org + "/orders?siteId=RefArch"},
	{"PUT", "/checkout/orders/v1/organizations/" + org + "/orders/ORDER/status?siteId=RefArch"},
	{"POST", "/checkout/shopper-orders/v1/organizations/" + org + "/orders/ORDER/actions/fail?siteId=RefArch"},
}

// FuzzEdgeCheckoutBodies sends arbitrary JSON bodies to the baskets and
// orders routes through the edge's real server: nothing panics, nothing
// answers 5xx, and a 4xx is a problem body and writes nothing.
func FuzzEdgeCheckoutBodies(f *testing.F) {
	for _, s := range []struct {
		route uint8
		body  string
	}{
		{0, `{"productItems":[{"productId":"sku-1","quantity":2}]}`},
		{0, `{"productItems":[{"productId":"sku-1","quantity":2,"inventoryId":"phoenix"}]}`},
		{0, `{"productItems":[{"productId":"","quantity":-1}],"x":1}`},
		{1, `[{"productId":"sku-1","quantity":1},{"productId":"sku-2","quantity":3,"inventoryId":"austin"}]`},
		{2, `{"quantity":0}`},
		{2, `{"quantity":1e3}`},
		{3, `[{"itemId":"ITEM","quantity":5}]`},
		{4, `{"minutes":10,"removeIfNotAvailable":true}`},
		{4, `{"minutes":241}`},
		{5, `{"basketId":"BASKET"}`},
		{5, `{"basketId":"BASKET","extra":[]}`},
		{6, `{"status":"new"}`},
		{6, `{"status":"cancelled"}`},
		{7, `{}`},
		{7, `{"reopenBasket":true}`},
		{3, `null`},
		{0, `{"productItems":[{"productId":"sku-1","quantity":1}]} trailing`},
	} {
		f.Add(s.route, s.body)
	}
	fx := newFuzzEdge(f)
	f.Fuzz(func(t *testing.T, route uint8, body string) {
		rt := checkoutRoutes[int(route)%len(checkoutRoutes)]
		path, body := fx.fill(t, rt.path, body)
		before := fx.writes.Load()
		fx.checkAnswer(t, rt.method+" "+path, fx.do(t, rt.method, path, "", body), before)
	})
}

// fill replaces BASKET, ITEM and ORDER in path and body with ids of fresh
// fixtures, made only when the route needs them.
func (fx *fuzzEdge) fill(t *testing.T, path, body string) (string, string) {
	t.Helper()
	var pairs []string
	if strings.Contains(path+body, "BASKET") || strings.Contains(path+body, "ITEM") {
		b := fx.must(t, "POST", basketsPath, `{"productItems":[{"productId":"sku-1","quantity":1}]}`)
		item := b["productItems"].([]any)[0].(map[string]any)["itemId"].(string)
		pairs = append(pairs, "BASKET", b["basketId"].(string), "ITEM", item)
	}
	if strings.Contains(path, "ORDER") {
		b := fx.must(t, "POST", basketsPath, `{"productItems":[{"productId":"sku-1","quantity":1}]}`)
		o := fx.must(t, "POST", ordersPath, `{"basketId":"`+b["basketId"].(string)+`"}`)
		pairs = append(pairs, "ORDER", o["orderNo"].(string))
	}
	r := strings.NewReplacer(pairs...)
	return r.Replace(path), r.Replace(body)
}

// FuzzEdgeAdminMode sends arbitrary bodies to POST /admin/api/oci/mode:
// nothing panics, nothing answers 5xx, and a refusal is a problem body that
// changes neither the store nor the mode. An accepted change is undone
// before the next input.
func FuzzEdgeAdminMode(f *testing.F) {
	for _, s := range []string{
		`{"mode":"OCI_CACHE_ENABLED","force":false}`,
		`{"mode":"OMNICHANNEL_INVENTORY"}`,
		`{"mode":"OMNICHANNEL_INVENTORY","force":true}`,
		`{"mode":"COMMERCE_PLATFORM"}`,
		`{"mode":"commerce_platform"}`,
		`{"mode":""}`,
		`{"mode":1,"force":"yes"}`,
		`{"mode":"OCI_CACHE_ENABLED","force":false,"extra":{}}`,
		`[]`,
		`null`,
		``,
	} {
		f.Add(s)
	}
	fx := newFuzzEdge(f)
	f.Fuzz(func(t *testing.T, body string) {
		before := fx.writes.Load()
		r := fx.do(t, "POST", "/admin/api/oci/mode", "admin-token", body)
		fx.checkAnswer(t, "mode "+body, r, before)
		if got := fx.e.Mode(); r.status >= 400 && got != modes.CommercePlatform {
			t.Fatalf("mode %q refused with %d, yet the mode is now %s", body, r.status, got)
		}
		if fx.e.Mode() != modes.CommercePlatform {
			if _, err := fx.e.SetMode(modes.CommercePlatform, true); err != nil {
				t.Fatal(err)
			}
		}
	})
}
