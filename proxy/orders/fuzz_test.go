package orders

import (
	"encoding/json"
	"testing"

	"github.com/valyala/fasthttp"

	"ociedge/modes"
)

// FuzzHandler sends arbitrary requests to the handler: nothing may panic,
// every answer is a known status, and every error is a problem body.
func FuzzHandler(f *testing.F) {
	fx := newFixture(f, fixtureOpts{mode: modes.CommercePlatform})
	fx.allocate("online", "sku", 1000)
	b := fx.mustBasket(item("sku", 1))
	o := fx.mustOrder(fx.mustBasket(item("sku", 1)).ID)
	for _, seed := range []struct{ method, path, body string }{
		{"POST", "/baskets", `{"productItems":[{"productId":"sku","quantity":2}]}`},
		{"POST", "/baskets/" + b.ID + "/items", `[{"productId":"sku","quantity":1,"inventoryId":"phoenix"}]`},
		{"PATCH", "/baskets/" + b.ID + "/items/" + b.Items[0].ItemID, `{"quantity":0}`},
		{"POST", "/baskets/" + b.ID + "/actions/reserve-inventory", `{"minutes":10,"removeIfNotAvailable":true}`},
		{"POST", "/orders", `{"basketId":"` + b.ID + `"}`},
		{"PUT", "/orders/" + o.No + "/status", `{"status":"new"}`},
		{"POST", "/orders/" + o.No + "/actions/fail", `{}`},
		{"GET", "/baskets/" + b.ID, ``},
	} {
		f.Add(seed.method, seed.path, seed.body)
	}
	known := map[int]bool{200: true, 204: true, 400: true, 404: true, 405: true, 409: true, 413: true, 415: true}
	f.Fuzz(func(t *testing.T, method, path, body string) {
		for _, base := range []string{basketsBase, shopperOrdersBase, ordersBase} {
			var ctx fasthttp.RequestCtx
			ctx.Request.SetRequestURI(base + testOrg + path + "?siteId=" + testSite)
			ctx.Request.Header.SetMethod(method)
			ctx.Request.Header.SetContentType("application/json")
			ctx.Request.SetBodyString(body)
			if !fx.h.Handle(&ctx) {
				continue
			}
			st := ctx.Response.StatusCode()
			if !known[st] {
				t.Fatalf("%s %s %q: status %d %s", method, path, body, st, ctx.Response.Body())
			}
			if st >= 400 {
				var p problem
				if err := json.Unmarshal(ctx.Response.Body(), &p); err != nil || p.Type == "" || p.Title == "" {
					t.Fatalf("%s %s: bad problem body %s", method, path, ctx.Response.Body())
				}
			}
		}
	})
}

// FuzzWholeNumber: the quantity parser never panics and accepts only
// whole numbers it reads exactly.
func FuzzWholeNumber(f *testing.F) {
	for _, s := range []string{"1", "999", "1.0", "1.5", "1e3", "-0", "null", `"2"`, "1e400", "0.1e1",
		"123456789012345678901234567890", "1e999999999999", "10e-1", "1E+2", "0e99999", "1e+-5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var n wholeNumber
		if err := n.UnmarshalJSON([]byte(s)); err != nil {
			t.Fatal(err)
		}
		if n.bad != "" || n.null {
			return
		}
		var back float64
		if err := json.Unmarshal([]byte(s), &back); err != nil {
			t.Fatalf("%q accepted as %d but is not JSON: %v", s, n.v, err)
		}
		if back != float64(n.v) {
			t.Fatalf("%q read as %d, JSON says %v", s, n.v, back)
		}
	})
}
