package proxy_test

import (
	"strings"
	"testing"
	"time"
)

// TestOpsReadiness: ready in Commerce Platform mode; in Omnichannel
// Inventory mode not ready while a mapped list has no full import (naming
// it), with the core's unreachability as a further reason only then; ready
// again once the import completes, even with the core unreachable.
func TestOpsReadiness(t *testing.T) {
	w, fc := newOpsWorld(t, opsConfig, opsEdge{})
	w.graph(graphWithAustin)
	w.stock("wh-a", 10, "sku-1")
	if r := w.do("GET", "/healthz", "", nil); r.status != 200 {
		t.Fatalf("healthz: %d", r.status)
	}
	if r := w.do("GET", "/readyz", "", nil); r.status != 200 {
		t.Fatalf("readyz in Commerce Platform mode: %d %s", r.status, r.body)
	}

	fc.exportDown.Store(true)
	if r := w.setMode("OCI_CACHE_ENABLED", false); r.status != 200 {
		t.Fatal(r.status)
	}
	if r := w.setMode("OMNICHANNEL_INVENTORY", true); r.status != 200 {
		t.Fatalf("forced OCI: %d %s", r.status, r.body)
	}
	r := w.do("GET", "/readyz", "", nil)
	if r.status != 503 {
		t.Fatalf("a cold cache is not ready, also before the graph is known: %d %s", r.status, r.body)
	}
	eventually(t, 5*time.Second, "readyz naming the list", func() bool {
		r = w.do("GET", "/readyz", "", nil)
		return strings.Contains(string(r.body), "inventory list online-us has not finished its full import")
	})
	if r.status != 503 || strings.Contains(string(r.body), "cannot be reached") {
		t.Fatalf("a cold cache with a reachable core: %d %s", r.status, r.body)
	}

	fc.availDown.Store(true)
	r = w.do("GET", "/readyz", "", nil)
	if r.status != 503 || !strings.Contains(string(r.body), "the OCI core cannot be reached") {
		t.Fatalf("a cold cache with the core unreachable names both: %d %s", r.status, r.body)
	}
	if m := scrape(t, w.edge.URL()); m.value("ociedge_ready", nil) != 0 {
		t.Error("ociedge_ready must be 0")
	}

	fc.availDown.Store(false)
	fc.exportDown.Store(false)
	eventually(t, 15*time.Second, "every list imported", func() bool { return w.listsImported("online-us", "phoenix", "austin") })
	fc.availDown.Store(true)
	if r := w.do("GET", "/readyz", "", nil); r.status != 200 {
		t.Fatalf("an imported cache serves with the core unreachable: %d %s", r.status, r.body)
	}
}
