package proxy_test

import (
	"context"
	"strconv"
	"testing"

	"ociedge/oci"
)

// TestCheckCacheEndpoint: the convergence checker over the admin API
// reports a filled cache as converged, with each list checked.
func TestCheckCacheEndpoint(t *testing.T) {
	w := newWorld(t, baseConfig)
	w.graph(graphWithAustin)
	for i, loc := range []string{"wh-a", "wh-b", "phoenix", "austin"} {
		w.setStock(loc, "sku-1", 5+i)
		w.setStock(loc, "sku-2", 1)
	}
	w.toOCIMode()
	if r := w.do("GET", "/admin/api/oci/check-cache", "", nil); r.status != 401 {
		t.Errorf("check-cache needs the admin token: %d", r.status)
	}
	r := w.admin("GET", "/admin/api/oci/check-cache?settle=1s", "")
	if r.status != 200 {
		t.Fatalf("check-cache: %d %s", r.status, r.body)
	}
	rep := r.json(t)
	if rep["converged"] != true || rep["checked"] != 6.0 {
		t.Fatalf("report: %s", r.body)
	}
	for _, l := range rep["lists"].([]any) {
		lm := l.(map[string]any)
		if lm["checked"] != true || lm["coreRecords"] != lm["itemsCached"] {
			t.Errorf("list %v", lm)
		}
	}
}

// TestReconcile: clean after normal checkouts; an orphan at the core, an
// order reservation cancelled behind the edge's back and a document changed
// at the core are each found, and repaired with ?repair=true.
func TestReconcile(t *testing.T) {
	w := newWorld(t, baseConfig)
	w.graph(graphWithAustin)
	w.setStock("wh-a", "sku-1", 50)
	w.toOCIMode()
	var orders []string
	for range 3 {
		r := w.checkout("sku-1", 2)
		if r.status != 200 {
			t.Fatalf("checkout: %d %s", r.status, r.body)
		}
		orders = append(orders, r.json(t)["orderNo"].(string))
	}
	rec := func(repair bool) map[string]any {
		t.Helper()
		method, path := "GET", "/admin/api/oci/reconcile"
		if repair {
			method, path = "POST", path+"?repair=true"
		}
		r := w.admin(method, path, "")
		if r.status != 200 {
			t.Fatalf("reconcile: %d %s", r.status, r.body)
		}
		return r.json(t)
	}
	if rep := rec(false); rep["clean"] != true || rep["edgeDocuments"] != 3.0 || rep["coreDocuments"] != 3.0 {
		t.Fatalf("after normal checkouts: %v", rep)
	}
	ctx := context.Background()
	orphan := org + "-o-00099999-1"
	if _, err := w.client.Reserve(ctx, orphan, &oci.ReserveRequest{Groups: []oci.PlaceLines{{ID: "online-us",
		Lines: []oci.Line{{SKU: "sku-1", Quantity: oci.Unit}}}}}); err != nil {
		t.Fatal(err)
	}
	victim := docOf(t, w, orders[0])
	if err := w.client.CancelReservation(ctx, victim); err != nil {
		t.Fatal(err)
	}
	changed := docOf(t, w, orders[1])
	if _, err := w.client.UpdateReservation(ctx, changed, &oci.ReservationUpdate{Groups: []oci.PlaceLines{{ID: "online-us",
		Lines: []oci.Line{{SKU: "sku-1", Quantity: 5 * oci.Unit}}}}}); err != nil {
		t.Fatal(err)
	}
	rep := rec(false)
	if rep["clean"] == true || len(rep["orphansAtCore"].([]any)) != 1 || len(rep["missingAtCore"].([]any)) != 1 || len(rep["mismatched"].([]any)) != 1 {
		t.Fatalf("findings: %v", rep)
	}
	if rep := rec(true); rep["repaired"] != 3.0 {
		t.Fatalf("repair: %v", rep)
	}
	if rep := rec(false); rep["clean"] != true {
		t.Fatalf("after repair: %v", rep)
	}
	a, err := w.client.GetAvailability(ctx, &oci.AvailabilityQuery{SKUs: []string{"sku-1"}, Groups: []string{"online-us"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Groups[0].Records[0].Reserved; got != 6*oci.Unit {
		t.Errorf("the core holds %s after repair, want the 3 orders' 6", got)
	}
}

// docOf returns the core document id holding an order's reservation.
func docOf(t *testing.T, w *world, no string) string {
	t.Helper()
	r := w.do("GET", "/checkout/orders/v1/organizations/"+org+"/orders/"+no+"?siteId=RefArch", "", nil)
	prefix := org + "-o-" + no + "-"
	for gen := 1; gen < 5; gen++ {
		if _, err := w.client.Reservation(context.Background(), prefix+strconv.Itoa(gen)); err == nil {
			return prefix + strconv.Itoa(gen)
		}
	}
	t.Fatalf("no document for order %s (%s)", no, r.body)
	return ""
}
