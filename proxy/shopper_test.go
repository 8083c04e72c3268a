package proxy_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestAvailabilityBadInput: limits, unknown site, unknown lists, empty
// ids, malformed parameters — each a 400/404 problem with a SCAPI detail.
func TestAvailabilityBadInput(t *testing.T) {
	w := newWorld(t, baseConfig)
	ids := func(n int, f string) string {
		var s []string
		for i := range n {
			s = append(s, fmt.Sprintf(f, i))
		}
		return strings.Join(s, ",")
	}
	base := "/product/shopper-availability/v1/organizations/" + org + "/availability?"
	for _, c := range []struct {
		name, path string
		status     int
		detail     string
	}{
		{"25 products", base + "siteId=RefArch&productIds=" + ids(25, "p%d"), 400, "Maximum number of product IDs you can request in one call is 24."},
		{"6 lists", base + "siteId=RefArch&productIds=a&inventoryIds=" + ids(6, "l%d"), 400, "Maximum number of inventory list IDs you can request in one call is 5."},
		{"no siteId", base + "productIds=a", 400, "The query parameter 'siteId' is required."},
		{"no productIds", base + "siteId=RefArch", 400, "The query parameter 'productIds' is required."},
		{"empty productIds", base + "siteId=RefArch&productIds=", 400, "The query parameter 'productIds' is required."},
		{"empty id", base + "siteId=RefArch&productIds=a,,b", 400, "must not contain empty IDs"},
		{"trailing comma", base + "siteId=RefArch&productIds=a,", 400, "must not end with a comma"},
		{"empty inventoryIds", base + "siteId=RefArch&productIds=a&inventoryIds=", 400, "must not contain empty IDs"},
		{"long product id", base + "siteId=RefArch&productIds=" + strings.Repeat("x", 101), 400, "longer than the maximum length"},
		{"long site id", base + "siteId=" + strings.Repeat("s", 33) + "&productIds=a", 400, "at most 32 characters"},
		{"bad utf8", base + "siteId=RefArch&productIds=%ff%fe", 400, "not valid UTF-8"},
		{"bad expand", base + "siteId=RefArch&productIds=a&expand=everything", 400, "accepts only variations and set_products"},
		{"unknown site", base + "siteId=Nope&productIds=a", 404, "No site with ID 'Nope' is configured."},
		{"unknown list", base + "siteId=RefArch&productIds=a&inventoryIds=online-us,nope", 400, "The inventory list 'nope' does not exist."},
		{"unknown organization", "/product/shopper-availability/v1/organizations/f_ecom_aaaa_002/availability?siteId=RefArch&productIds=a", 404, "No organization"},
	} {
		r := w.do("GET", c.path, "", nil)
		if r.status != c.status || r.header["content-type"] != "application/problem+json" {
			t.Errorf("%s: %d %s %s", c.name, r.status, r.header["content-type"], r.body)
			continue
		}
		m := r.json(t)
		if d, _ := m["detail"].(string); !strings.Contains(d, c.detail) || m["title"] == nil || m["type"] == nil {
			t.Errorf("%s: problem %v, want detail containing %q", c.name, m, c.detail)
		}
	}
	if r := w.do("POST", base+"siteId=RefArch&productIds=a", "", []byte("{}")); r.status != 405 {
		t.Errorf("POST: %d", r.status)
	}
}

// TestAvailabilityShapes: unknown products are dropped, a product without a
// record in a listed list shows only the list id, Default In Stock lists
// make it orderable, perpetual caps at 999999, and the header tells where
// the numbers came from.
func TestAvailabilityShapes(t *testing.T) {
	yaml := strings.Replace(baseConfig, "  - {id: austin}", "  - {id: austin, defaultInStock: true}", 1)
	w := newWorld(t, yaml)
	put := func(list, sku, doc string) {
		t.Helper()
		r := w.do("PUT", "/s/-/dw/data/v25_6/inventory_lists/"+list+"/product_inventory_records/"+sku, "admin-token", []byte(doc))
		if r.status/100 != 2 {
			t.Fatalf("put %s/%s: %d %s", list, sku, r.status, r.body)
		}
	}
	put("online-us", "known", `{"allocation":{"amount":5}}`)
	put("online-us", "forever", `{"perpetual_flag":true}`)
	put("online-us", "later", `{"allocation":{"amount":0},"pre_order_back_order_handling":"backorder","pre_order_back_order_allocation":3,"in_stock_date":"2030-01-02T00:00:00Z"}`)
	got, r := w.availability("siteId=RefArch&productIds=known,ghost,forever,later&inventoryIds=online-us,phoenix,austin")
	if r.header["x-ociedge-cache"] != "internal" {
		t.Errorf("header: %v", r.header)
	}
	m := r.json(t)
	if m["total"] != 3.0 || m["limit"] != 3.0 {
		t.Errorf("ghost must be dropped: %s", r.body)
	}
	if got["known@online-us"]["ats"] != 5.0 || got["known@online-us"]["orderable"] != true {
		t.Errorf("known: %v", got["known@online-us"])
	}
	if inv := got["known@phoenix"]; len(inv) != 1 || inv["id"] != "phoenix" {
		t.Errorf("no record in phoenix shows only the id: %v", inv)
	}
	if inv := got["known@austin"]; inv["orderable"] != true || inv["ats"] != 999999.0 {
		t.Errorf("default in stock: %v", inv)
	}
	if inv := got["forever@online-us"]; inv["ats"] != 999999.0 || inv["stockLevel"] != 999999.0 {
		t.Errorf("perpetual caps at 999999: %v", inv)
	}
	if inv := got["later@online-us"]; inv["backorderable"] != true || inv["ats"] != 3.0 || inv["stockLevel"] != 0.0 || inv["inStockDate"] == nil {
		t.Errorf("backorder: %v", inv)
	}
	_, r = w.availability("siteId=RefArch&productIds=known,known,forever&inventoryIds=online-us,online-us")
	m = r.json(t)
	if m["total"] != 2.0 || len(m["data"].([]any)[0].(map[string]any)["inventories"].([]any)) != 1 {
		t.Errorf("repeated ids are answered once: %s", r.body)
	}
	_ = time.Second
}
