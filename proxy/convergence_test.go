package proxy_test

import (
	"testing"
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
