package proxy_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"ociedge/oci"
)

const graphWithoutAustin = `{"locations":[{"id":"wh-a"},{"id":"wh-b"},{"id":"phoenix"}],
  "groups":[{"id":"online-us","locations":["wh-a","wh-b"]}]}`

const graphWithAustin = `{"locations":[{"id":"wh-a"},{"id":"wh-b"},{"id":"phoenix"},{"id":"austin"}],
  "groups":[{"id":"online-us","locations":["wh-a","wh-b"]}]}`

// TestActivationWalkthrough: CPI (storefront sees internal values) → Cache
// Enabled (cache fills, storefront still internal) → OCI refused while a
// list is not ready → OCI (storefront sees core values) → core changes
// appear at the edge → deactivate → reactivate quickly.
func TestActivationWalkthrough(t *testing.T) {
	w := newWorld(t, baseConfig)
	w.graph(graphWithoutAustin)
	w.setStock("wh-a", "sku-1", 10)
	w.setStock("wh-b", "sku-1", 5)
	w.setStock("phoenix", "sku-1", 3)
	put := w.do("PUT", "/s/-/dw/data/v25_6/inventory_lists/online-us/product_inventory_records/sku-1", "admin-token",
		[]byte(`{"allocation":{"amount":7}}`))
	if put.status/100 != 2 {
		t.Fatalf("OCAPI put: %d %s", put.status, put.body)
	}
	q := "siteId=RefArch&productIds=sku-1"
	if got := w.ats(q, "sku-1@online-us"); got != "7" {
		t.Fatalf("CPI: storefront sees internal ats %s, want 7", got)
	}

	if r := w.setMode("OCI_CACHE_ENABLED", false); r.status != 200 {
		t.Fatalf("activate: %d %s", r.status, r.body)
	}
	eventually(t, 10*time.Second, "online-us and phoenix imported", func() bool { return w.listsImported("online-us", "phoenix") })
	_, r := w.availability(q)
	if got := w.ats(q, "sku-1@online-us"); got != "7" || r.header["x-ociedge-cache"] != "internal" {
		t.Fatalf("cache enabled: storefront must still see internal values, got %s (%s)", got, r.header["x-ociedge-cache"])
	}

	r = w.setMode("OMNICHANNEL_INVENTORY", false)
	if r.status != 409 || !strings.Contains(string(r.body), "austin") {
		t.Fatalf("OCI must be refused naming the list that is not ready: %d %s", r.status, r.body)
	}
	w.graph(graphWithAustin)
	w.setStock("austin", "sku-1", 4)
	eventually(t, 10*time.Second, "austin imported after the graph change", func() bool { return w.listsImported("austin") })
	if r := w.setMode("OMNICHANNEL_INVENTORY", false); r.status != 200 {
		t.Fatalf("OCI: %d %s", r.status, r.body)
	}
	got, r := w.availability(q)
	if a := got["sku-1@online-us"]; a == nil || a["ats"] != 15.0 || a["stockLevel"] != 15.0 || r.header["x-ociedge-cache"] != "hit" {
		t.Fatalf("OCI mode: storefront sees the core's values: %v %v", a, r.header)
	}

	w.setStock("wh-a", "sku-1", 20)
	eventually(t, 5*time.Second, "a batch-update reaches the edge", func() bool { return w.ats(q, "sku-1@online-us") == "25" })
	_, err := w.client.Reserve(context.Background(), "core-side-1", &oci.ReserveRequest{
		Groups: []oci.PlaceLines{{ID: "online-us", Lines: []oci.Line{{SKU: "sku-1", Quantity: 5 * oci.Unit}}}}})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "a reservation reaches the edge", func() bool { return w.ats(q, "sku-1@online-us") == "20" })

	if r := w.setMode("COMMERCE_PLATFORM", false); r.status != 200 {
		t.Fatalf("deactivate: %d %s", r.status, r.body)
	}
	if got := w.ats(q, "sku-1@online-us"); got != "7" {
		t.Fatalf("after deactivation the storefront sees internal values again: %s", got)
	}
	st := w.admin("GET", "/admin/api/oci/status", "").json(t)
	if st["streamsRunning"] != true {
		t.Errorf("deactivation keeps the streams running: %v", st)
	}
	w.setStock("wh-b", "sku-1", 6)
	for _, m := range []string{"OCI_CACHE_ENABLED", "OMNICHANNEL_INVENTORY"} {
		if r := w.setMode(m, false); r.status != 200 {
			t.Fatalf("reactivate %s: %d %s", m, r.status, r.body)
		}
	}
	eventually(t, 5*time.Second, "reactivated edge is current", func() bool { return w.ats(q, "sku-1@online-us") == "21" })
	w.restartEdge()
	if w.edge.Mode().String() != "OMNICHANNEL_INVENTORY" {
		t.Fatalf("the mode survives a restart: %s", w.edge.Mode())
	}
}
