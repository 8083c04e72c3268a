package orders

import (
	"fmt"
	"strings"
	"testing"

	"ociedge/modes"
)

// TestBadInput: every kind of bad request gets its 4xx and a problem body
// naming what is wrong, and changes nothing.
func TestBadInput(t *testing.T) {
	f := newFixture(t, fixtureOpts{mode: modes.OmnichannelInventory})
	f.stock("wh-a", "sku", 10)
	b := f.mustBasket(item("sku", 1))
	o := f.mustOrder(f.mustBasket(item("sku", 1)).ID)
	many := make([]string, 101)
	for i := range many {
		many[i] = fmt.Sprintf(`{"productId":"p%d","quantity":1}`, i)
	}
	huge := `{"productItems":[{"productId":"` + strings.Repeat("x", 70<<10) + `","quantity":1}]}`
	for _, tc := range []struct {
		name, method, path, ctype, body string
		status                          int
		want                            string
	}{
		{"unknown basket", "GET", withSite(basketsPath("/nope")), "", "", 404, "basket-not-found"},
		{"basket of another site", "GET", basketsPath("/"+b.ID) + "?siteId=NoAutoFail", "", "", 404, "basket-not-found"},
		{"missing siteId", "GET", basketsPath("/" + b.ID), "", "", 400, "siteId"},
		{"unknown site", "POST", basketsPath("") + "?siteId=Nope", "", `{}`, 404, "site-not-found"},
		{"unknown organization", "GET", strings.Replace(withSite(basketsPath("/"+b.ID)), testOrg, "f_ecom_other", 1), "", "", 404, "not-found"},
		{"unknown order", "GET", withSite(shopperOrdersPath("/99999999")), "", "", 404, "order-not-found"},
		{"unknown order status", "PUT", withSite(adminOrdersPath("/99999999/status")), "", `{"status":"new"}`, 404, "order-not-found"},
		{"order of another site", "GET", shopperOrdersPath("/"+o.No) + "?siteId=NoAutoFail", "", "", 404, "order-not-found"},
		{"quantity 0", "POST", withSite(basketsPath("")), "", `{"productItems":[{"productId":"a","quantity":0}]}`, 400, "productItems[0].quantity"},
		{"negative quantity", "POST", withSite(basketsPath("")), "", `{"productItems":[{"productId":"a","quantity":-1}]}`, 400, "quantity"},
		{"huge quantity", "POST", withSite(basketsPath("")), "", `{"productItems":[{"productId":"a","quantity":1000}]}`, 400, "quantity"},
		{"enormous quantity", "POST", withSite(basketsPath("")), "", `{"productItems":[{"productId":"a","quantity":1e30}]}`, 400, "quantity"},
		{"fractional quantity", "POST", withSite(basketsPath("")), "", `{"productItems":[{"productId":"a","quantity":1.5}]}`, 400, "whole number"},
		{"string quantity", "POST", withSite(basketsPath("")), "", `{"productItems":[{"productId":"a","quantity":"2"}]}`, 400, "quantity"},
		{"null quantity", "POST", withSite(basketsPath("")), "", `{"productItems":[{"productId":"a","quantity":null}]}`, 400, "quantity"},
		{"no productId", "POST", withSite(basketsPath("")), "", `{"productItems":[{"quantity":1}]}`, 400, "productId"},
		{"bad productId", "POST", withSite(basketsPath("")), "", `{"productItems":[{"productId":"a b","quantity":1}]}`, 400, "productId"},
		{"numeric productId", "POST", withSite(basketsPath("")), "", `{"productItems":[{"productId":5,"quantity":1}]}`, 400, "productId"},
		{"unknown inventory list", "POST", withSite(basketsPath("")), "", `{"productItems":[{"productId":"a","quantity":1,"inventoryId":"nope"}]}`, 400, "inventoryId"},
		{"too many items", "POST", withSite(basketsPath("")), "", `{"productItems":[` + strings.Join(many, ",") + `]}`, 400, "at most 100"},
		{"too many added items", "POST", withSite(basketsPath("/" + b.ID + "/items")), "", `[` + strings.Join(many, ",") + `]`, 400, "at most 100"},
		{"malformed JSON", "POST", withSite(basketsPath("")), "", `{"productItems":[`, 400, "malformed JSON"},
		{"two JSON values", "POST", withSite(shopperOrdersPath("")), "", `{"basketId":"x"} {}`, 400, "more than one"},
		{"items not an array", "POST", withSite(basketsPath("/" + b.ID + "/items")), "", `{"productId":"a"}`, 400, "array"},
		{"oversize body", "POST", withSite(basketsPath("")), "", huge, 413, "request-entity-too-large"},
		{"not JSON", "POST", withSite(basketsPath("")), "text/plain", `{}`, 415, "unsupported-media-type"},
		{"no basketId", "POST", withSite(shopperOrdersPath("")), "", `{}`, 400, "basketId"},
		{"no body for an order", "POST", withSite(shopperOrdersPath("")), "", ``, 400, "body"},
		{"order of an unknown basket", "POST", withSite(shopperOrdersPath("")), "", `{"basketId":"nope"}`, 404, "basket-not-found"},
		{"unknown item", "PATCH", withSite(basketsPath("/" + b.ID + "/items/nope")), "", `{"quantity":2}`, 400, "product-item-not-found"},
		{"unknown item removed", "DELETE", withSite(basketsPath("/" + b.ID + "/items/nope")), "", "", 400, "product-item-not-found"},
		{"update without itemId", "PATCH", withSite(basketsPath("/" + b.ID + "/items")), "", `[{"quantity":2}]`, 400, "itemId"},
		{"update to a huge quantity", "PATCH", withSite(basketsPath("/" + b.ID + "/items/" + b.Items[0].ItemID)), "", `{"quantity":5000}`, 400, "quantity"},
		{"bad status", "PUT", withSite(adminOrdersPath("/" + o.No + "/status")), "", `{"status":"shipped"}`, 400, "status"},
		{"no status", "PUT", withSite(adminOrdersPath("/" + o.No + "/status")), "", `{}`, 400, "status"},
		{"wrong method", "PUT", withSite(basketsPath("")), "", `{}`, 405, "method-not-allowed"},
		{"unsupported resource", "GET", withSite(basketsPath("/" + b.ID + "/coupons")), "", "", 404, "not-found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, body := f.doCT(tc.method, tc.path, tc.ctype, tc.body)
			if st != tc.status || !contains(body, tc.want) {
				t.Fatalf("%d %s, want %d with %q", st, body, tc.status, tc.want)
			}
			if !contains(body, `"title"`) || !contains(body, `"detail"`) || !contains(body, "https://api.commercecloud.salesforce.com/documentation/error/v1/errors/") {
				t.Fatalf("not a SCAPI problem body: %s", body)
			}
		})
	}
	got, err := f.svc.Basket(testSite, b.ID)
	if err != nil || len(got.Items) != 1 || got.Items[0].Quantity != 1 {
		t.Fatalf("the basket changed: %+v %v", got, err)
	}
	if f.order(o.No).Status != StatusCreated {
		t.Fatal("the order changed")
	}
}

// doCT is do with a content type ("" means application/json).
func (f *fixture) doCT(method, path, ctype, body string) (int, []byte) {
	if ctype == "" {
		return f.do(method, path, body)
	}
	req := newRequest(method, path, body)
	req.Header.SetContentType(ctype)
	return f.send(req)
}

// TestBasketItemsOverHTTP: add (same product raises the quantity), update,
// remove and delete over HTTP; deleting a reserved basket releases it.
func TestBasketItemsOverHTTP(t *testing.T) {
	f := newFixture(t, fixtureOpts{mode: modes.OmnichannelInventory})
	f.stock("wh-a", "a", 10)
	b := f.mustBasket(item("a", 1))
	st, body := f.do("POST", withSite(basketsPath("/"+b.ID+"/items")), `[{"productId":"a","quantity":2},{"productId":"c","quantity":1,"inventoryId":"phoenix"}]`)
	if st != 200 || !contains(body, `"quantity":3`) || !contains(body, `"inventoryId":"phoenix"`) {
		t.Fatalf("add items: %d %s", st, body)
	}
	got, _ := f.svc.Basket(testSite, b.ID)
	if len(got.Items) != 2 {
		t.Fatalf("items %+v", got.Items)
	}
	st, body = f.do("PATCH", withSite(basketsPath("/"+b.ID+"/items/"+got.Items[0].ItemID)), `{"quantity":4}`)
	if st != 200 || !contains(body, `"quantity":4`) {
		t.Fatalf("update item: %d %s", st, body)
	}
	st, body = f.do("DELETE", withSite(basketsPath("/"+b.ID+"/items/"+got.Items[1].ItemID)), "")
	if st != 200 || contains(body, "phoenix") {
		t.Fatalf("remove item: %d %s", st, body)
	}
	f.mustReserve(b.ID, ReserveOptions{})
	if f.heldBy(f.svc.basketDocID(b.ID, 1)) != 4 {
		t.Fatal("the basket reservation does not hold 4")
	}
	if st, body := f.do("DELETE", withSite(basketsPath("/"+b.ID)), ""); st != 204 {
		t.Fatalf("delete basket: %d %s", st, body)
	}
	if f.heldBy(f.svc.basketDocID(b.ID, 1)) != 0 {
		t.Fatal("deleting the basket did not release its reservation")
	}
	if st, _ := f.do("GET", withSite(basketsPath("/"+b.ID)), ""); st != 404 {
		t.Fatalf("deleted basket: %d", st)
	}
	if st, _ := f.do("GET", "/other/path", ""); st != 404 {
		t.Fatalf("a path that is not the handler's: %d", st)
	}
}
