package ocapi

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"ociedge/proxy/inventory"
)

func TestOCIModeRefusesWritesAndReadsOCIValues(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.mustList(t, "online")
	e.mustRecord(t, "online", "legacy", 5)
	eff := time.Date(2026, 2, 28, 6, 0, 0, 0, time.UTC)
	e.oci.vals["online/sku-1"] = inventory.OCIValues{OnHand: inventory.Units(10), SafetyStock: inventory.Units(1),
		Reserved: inventory.Units(5), ATF: inventory.Units(4), ATO: inventory.Units(6), EffectiveDate: eff,
		Futures: []inventory.Future{{Quantity: inventory.Units(2), ExpectedDate: time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)}}}
	e.setOCI(true)

	writes := []struct{ method, path, body string }{
		{"PUT", recordsPath + "/legacy", `{"allocation":{"amount":1}}`},
		{"PUT", recordsPath + "/new", `{"allocation":{"amount":1}}`},
		{"PATCH", recordsPath + "/legacy", `{"perpetual_flag":true}`},
		{"DELETE", recordsPath + "/legacy", ``},
	}
	for _, w := range writes {
		r := e.send(t, w.method, w.path, w.body)
		wantFault(t, r, http.StatusConflict, "InventoryRecordReadOnlyException")
		if msg := r.body["fault"].(map[string]any)["message"]; msg != inventory.ReadOnlyMessage {
			t.Errorf("%s: message %q", w.method, msg)
		}
	}
	if rec, err := e.store.Get("online", "legacy"); err != nil || rec.Allocation != inventory.Units(5) || rec.Perpetual {
		t.Fatalf("a refused write changed the legacy record: %+v %v", rec, err)
	}
	if e.store.Len("online") != 1 {
		t.Fatal("a refused PUT created a record")
	}

	r := e.get(t, recordsPath+"/sku-1")
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	b := r.body
	alloc := b["allocation"].(map[string]any)
	if num(alloc["amount"]) != 9 || alloc["reset_date"] != "2026-02-28T06:00:00.000Z" || num(b["ats"]) != 6 ||
		num(b["stock_level"]) != 4 || num(b["inventory_turnover"]) != 5 || num(b["pre_order_back_order_allocation"]) != 2 ||
		b["pre_order_back_order_handling"] != "backorder" || b["in_stock_date"] != "2026-04-02T00:00:00.000Z" ||
		b["perpetual_flag"] != false || num(b["quantity_on_order"]) != 0 {
		t.Fatalf("OCI values in B2C terms wrong: %s", r.raw)
	}
	// The legacy record is not what reads show in OCI mode.
	wantFault(t, e.get(t, recordsPath+"/legacy"), 404, "ProductInventoryRecordNotFoundException")
	wantFault(t, e.get(t, "/s/-/dw/data/v25_6/inventory_lists/nope/product_inventory_records/sku-1"), 404, "InventoryListNotFoundException")

	// Without a lister, the collection pages over the edge's own ids and
	// shows those the cache holds.
	e.oci.vals["online/legacy"] = inventory.OCIValues{OnHand: inventory.Units(3), ATF: inventory.Units(3), ATO: inventory.Units(3)}
	r = e.get(t, recordsPath)
	if data := r.body["data"].([]any); r.status != 200 || len(data) != 1 || num(data[0].(map[string]any)["ats"]) != 3 {
		t.Fatalf("collection %s", r.raw)
	}
	e.setOCI(false)
	if r := e.get(t, recordsPath+"/legacy"); r.status != 200 || num(r.body["ats"]) != 5 {
		t.Fatalf("back in B2C mode the edge's record shows: %s", r.raw)
	}
}

func TestOCIModeCollectionWithLister(t *testing.T) {
	e := newEnv(t, envOpts{lister: true})
	e.mustList(t, "online")
	for i := range 3 {
		e.oci.vals[fmt.Sprint("online/c", i)] = inventory.OCIValues{OnHand: inventory.Units(int64(i)), ATF: inventory.Units(int64(i)), ATO: inventory.Units(int64(i))}
	}
	e.setOCI(true)
	r := e.get(t, recordsPath+"?count=2")
	if r.status != 200 || num(r.body["total"]) != 3 || len(r.body["data"].([]any)) != 2 || r.body["next"] == nil {
		t.Fatalf("%s", r.raw)
	}
	if !strings.Contains(r.raw, `"product_id":"c`) {
		t.Fatalf("%s", r.raw)
	}
}

func TestNewChecksConfig(t *testing.T) {
	if _, err := New(Config{}); err == nil || !strings.Contains(err.Error(), "Store") {
		t.Fatalf("New without store: %v", err)
	}
	e := newEnv(t, envOpts{})
	if _, err := New(Config{Store: e.store, ReadsFromOCI: func() bool { return true }}); err == nil || !strings.Contains(err.Error(), "OCI") {
		t.Fatalf("New without OCI reader: %v", err)
	}
}
