package sdk_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"ociedge/oci"
)

// availabilityResult is the SDK's AvailabilityResult as the test reads it.
type availabilityResult struct {
	Limit *int `json:"limit"`
	Total *int `json:"total"`
	Data  []struct {
		ID          string          `json:"id"`
		Inventories []inventoryJSON `json:"inventories"`
	} `json:"data"`
}

type inventoryJSON struct {
	ID            string   `json:"id"`
	ATS           *float64 `json:"ats"`
	StockLevel    *float64 `json:"stockLevel"`
	Orderable     *bool    `json:"orderable"`
	Backorderable *bool    `json:"backorderable"`
	Preorderable  *bool    `json:"preorderable"`
	InStockDate   *string  `json:"inStockDate"`
}

// String is an Inventory in one comparable line; "-" is an inventory with
// its id only (no record).
func (v inventoryJSON) String() string {
	if v.ATS == nil && v.StockLevel == nil && v.Orderable == nil {
		return "-"
	}
	date := "none"
	if v.InStockDate != nil {
		t, err := time.Parse(time.RFC3339Nano, *v.InStockDate)
		date = "bad:" + *v.InStockDate
		if err == nil {
			date = t.UTC().Format(time.DateOnly)
		}
	}
	return fmt.Sprintf("ats=%s stockLevel=%s orderable=%s backorderable=%s preorderable=%s inStockDate=%s",
		num(v.ATS), num(v.StockLevel), flag(v.Orderable), flag(v.Backorderable), flag(v.Preorderable), date)
}

func num(f *float64) string {
	if f == nil {
		return "absent"
	}
	return fmt.Sprint(*f)
}

func flag(b *bool) string {
	if b == nil {
		return "absent"
	}
	return fmt.Sprint(*b)
}

// inventories flattens a result to "product@list" -> Inventory line, and
// checks limit and total against the number of products.
func inventories(t *testing.T, what string, r result) map[string]string {
	t.Helper()
	if !r.OK {
		t.Fatalf("%s: the SDK threw %d %s", what, r.Status, r.Body)
	}
	var a availabilityResult
	r.decode(t, &a)
	if a.Limit == nil || a.Total == nil || *a.Limit != len(a.Data) || *a.Total != len(a.Data) {
		t.Errorf("%s: limit and total must be the number of products returned (%d): limit %v total %v",
			what, len(a.Data), a.Limit, a.Total)
	}
	out := map[string]string{}
	for _, d := range a.Data {
		for _, inv := range d.Inventories {
			out[d.ID+"@"+inv.ID] = inv.String()
		}
	}
	return out
}

func wantInventories(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if got[k] != want[k] {
			t.Errorf("%s: %s:\n got  %s\n want %s", what, k, got[k], want[k])
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: unexpected %s: %s", what, k, got[k])
		}
	}
}

// ociLine is what the storefront must see for core values (DESIGN §3.4):
// ats = ATO, stockLevel = ATF, backorderable = any future, inStockDate =
// earliest future, preorderable = false; a sku without a record at a list
// that is not default-in-stock shows its id only.
func ociLine(v oci.Values) string {
	if !v.Exists {
		return "-"
	}
	date := "none"
	if len(v.Futures) > 0 {
		date = v.Futures[0].ExpectedDate.UTC().Format(time.DateOnly)
	}
	return fmt.Sprintf("ats=%v stockLevel=%v orderable=%v backorderable=%v preorderable=false inStockDate=%s",
		v.ATO.Units(), v.ATF.Units(), v.ATO >= oci.Unit, len(v.Futures) > 0, date)
}

const tooManyProducts = "Maximum number of product IDs you can request in one call is 24."
const tooManyLists = "Maximum number of inventory list IDs you can request in one call is 5."

// getAvailability is ShopperAvailability.getAvailability with productIds
// (and inventoryIds, if any) as arrays, as the SDK's types declare them.
func getAvailability(s *sdk, products []string, lists ...string) result {
	s.t.Helper()
	p := params{"productIds": products}
	if len(lists) > 0 {
		p["inventoryIds"] = lists
	}
	return s.call("ShopperAvailability", "getAvailability", p, nil)
}

// TestSDKShopperAvailability (issue 4): the SDK's getAvailability gets the edge's
// own records in COMMERCE_PLATFORM mode and the core's numbers in
// OMNICHANNEL_INVENTORY mode, drops unknown products, and gets SCAPI's
// problems for too many products or lists.
func TestSDKShopperAvailability(t *testing.T) {
	w := newWorld(t)
	future := time.Now().UTC().Add(30 * 24 * time.Hour).Truncate(24 * time.Hour)
	w.stock("wh-a", "sku-1", 10)
	w.stock("wh-b", "sku-1", 5)
	w.stock("phoenix", "sku-1", 3)
	w.stock("wh-a", "sku-2", 4, oci.Future{Quantity: 6 * oci.Unit, ExpectedDate: future})
	if _, err := w.core.Reserve(context.Background(), "storefront-elsewhere", &oci.ReserveRequest{
		Groups: []oci.PlaceLines{{ID: "online-us", Lines: []oci.Line{{SKU: "sku-1", Quantity: 2 * oci.Unit}}}}}); err != nil {
		t.Fatal(err)
	}
	w.ocapiPut("online-us", "sku-1", `{"allocation":{"amount":7}}`)
	w.ocapiPut("online-us", "sku-2", `{"allocation":{"amount":3},"pre_order_back_order_allocation":5,
		"pre_order_back_order_handling":"backorder","in_stock_date":"2031-01-02T00:00:00.000Z"}`)
	w.ocapiPut("phoenix", "sku-1", `{"allocation":{"amount":2}}`)
	s := startSDK(w)
	products := []string{"sku-1", "sku-2", "no-such-sku"}
	both := []string{"online-us", "phoenix"}

	t.Run("CommercePlatform", func(t *testing.T) {
		internal := map[string]string{
			"sku-1@online-us": "ats=7 stockLevel=7 orderable=true backorderable=false preorderable=false inStockDate=none",
			"sku-2@online-us": "ats=8 stockLevel=3 orderable=true backorderable=true preorderable=false inStockDate=2031-01-02",
			"sku-1@phoenix":   "ats=2 stockLevel=2 orderable=true backorderable=false preorderable=false inStockDate=none",
			"sku-2@phoenix":   "-",
		}
		wantInventories(t, "site list", inventories(t, "site list", getAvailability(s, products)),
			pick(internal, "@online-us"))
		wantInventories(t, "two lists", inventories(t, "two lists", getAvailability(s, products, both...)), internal)
		wantSource(t, s, "internal")
		checkLimits(t, s)
		checkDistinct(t, s)
	})

	w.toOCI()
	t.Run("OmnichannelInventory", func(t *testing.T) {
		core := map[string]string{}
		for _, sku := range []string{"sku-1", "sku-2"} {
			core[sku+"@online-us"] = ociLine(w.values(oci.PlaceGroup, "online-us", sku))
			core[sku+"@phoenix"] = ociLine(w.values(oci.PlaceLocation, "phoenix", sku))
		}
		if want := "ats=13 stockLevel=13"; !strings.HasPrefix(core["sku-1@online-us"], want) {
			t.Fatalf("the core's own numbers are off (want %s): %s", want, core["sku-1@online-us"])
		}
		wantInventories(t, "site list", inventories(t, "site list", getAvailability(s, products)),
			pick(core, "@online-us"))
		wantInventories(t, "two lists", inventories(t, "two lists", getAvailability(s, products, both...)), core)
		wantSource(t, s, "hit")
		checkLimits(t, s)
		checkDistinct(t, s)

		// The SDK caches GET answers (make-fetch-happen); a storefront
		// process must still see a change at the core.
		w.stock("wh-b", "sku-1", 9)
		eventually(t, 5*time.Second, "the SDK sees the core's new onHand", func() bool {
			return atsOf(s, "sku-1", "online-us") == 17
		})
	})
}

// wantSource checks, through the SDK's raw response, that an answer is
// JSON and says where it came from (x-ociedge-cache).
func wantSource(t *testing.T, s *sdk, want string) {
	t.Helper()
	r := s.raw("ShopperAvailability", "getAvailability", params{"productIds": []string{"sku-1"}}, nil)
	if r.Status != 200 || !strings.HasPrefix(r.Headers["content-type"], "application/json") ||
		r.Headers["x-ociedge-cache"] != want {
		t.Errorf("raw getAvailability: want 200 application/json from %q, got %d %v", want, r.Status, r.Headers)
	}
}

// pick returns the entries whose key ends with suffix.
func pick(m map[string]string, suffix string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if strings.HasSuffix(k, suffix) {
			out[k] = v
		}
	}
	return out
}

// checkLimits asks for 24 products and 5 lists (fine) and for 25 products
// or 6 lists (SCAPI's 400 validation problems).
func checkLimits(t *testing.T, s *sdk) {
	t.Helper()
	ids := func(prefix string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("%s-%d", prefix, i)
		}
		return out
	}
	lists := []string{"online-us", "phoenix", "austin", "dallas", "tucson", "reno"}
	if r := getAvailability(s, append(ids("p", 23), "sku-1"), lists[:5]...); !r.OK {
		t.Errorf("24 products and 5 lists are allowed: %d %s", r.Status, r.Body)
	}
	for _, c := range []struct {
		name   string
		r      result
		detail string
	}{
		{"25 products", getAvailability(s, ids("p", 25)), tooManyProducts},
		{"6 lists", getAvailability(s, []string{"sku-1"}, lists...), tooManyLists},
	} {
		p := c.r.problem()
		if c.r.OK || c.r.Status != 400 || p.Detail != c.detail || p.Title != "Bad Request" ||
			p.Type != problemType+"validation" ||
			!strings.HasPrefix(c.r.ContentType, "application/problem+json") {
			t.Errorf("%s: want the SDK to throw 400 application/problem+json with detail %q, got ok=%v %d %s %s",
				c.name, c.detail, c.r.OK, c.r.Status, c.r.ContentType, c.r.Body)
		}
	}
}

// checkDistinct asks for a product twice. The OAS says each data entry
// "represents one product (SKU)" and total is "the total number of
// distinct product entries", so sku-1 comes once and total is 2.
//
// KNOWN MISMATCH, reported to the edge's owner and not fixed yet: the edge
// answers one entry per requested id (sku-1 twice, limit and total 3).
func checkDistinct(t *testing.T, s *sdk) {
	t.Helper()
	r := getAvailability(s, []string{"sku-1", "sku-2", "sku-1"})
	if !r.OK {
		t.Fatalf("a repeated product id: the SDK threw %d %s", r.Status, r.Body)
	}
	var a availabilityResult
	r.decode(t, &a)
	var ids []string
	for _, d := range a.Data {
		ids = append(ids, d.ID)
	}
	total := -1
	if a.Total != nil {
		total = *a.Total
	}
	if strings.Join(ids, ",") != "sku-1,sku-2" || total != 2 {
		t.Errorf("productIds sku-1,sku-2,sku-1: want one entry per distinct product (sku-1,sku-2; total 2), got %v total %d",
			ids, total)
	}
}
