package proxy_test

import (
	"strings"
	"testing"
	"time"

	"ociedge/internal/faultproxy"
)

// TestReliabilityLookupRightAfterRestart: an edge restarted in
// Omnichannel Inventory mode answers a lookup made before its streams have
// fetched the location graph (the graph export is slow here) within the
// miss wait, from the core — not with a 503 that says the list is not in
// the core's graph (it is; the edge has not learned the graph yet).
func TestReliabilityLookupRightAfterRestart(t *testing.T) {
	w := restartedBeforeTheGraph(t)
	got, r := w.availability("siteId=RefArch&productIds=sku-1")
	if got == nil || got["sku-1@online-us"]["ats"] != 7.0 {
		t.Fatalf("a lookup right after the restart: %d %s", r.status, r.body)
	}
}

// TestReliabilityCheckoutRightAfterRestart: an order created right after an
// edge restart in Omnichannel Inventory mode, before the streams have
// fetched the location graph, waits for the graph (within the miss wait)
// and reserves at the core — not a 503 saying the site's list is not in
// the core's graph. `make soak` saw that 503 once per edge restart.
func TestReliabilityCheckoutRightAfterRestart(t *testing.T) {
	w := restartedBeforeTheGraph(t)
	if r := w.checkout("sku-1", 2); r.status != 200 || r.json(t)["status"] != "created" {
		t.Fatalf("an order right after the restart: %d %s", r.status, r.body)
	}
}

// newWorldBehindFaultProxy is newWorldVia with the edge calling the core
// through a fault-injecting proxy, which it returns.
func newWorldBehindFaultProxy(t *testing.T, cfg string) (*world, *faultproxy.Proxy) {
	t.Helper()
	var fp *faultproxy.Proxy
	w := newWorldVia(t, cfg, func(core string) string {
		p, err := faultproxy.Start(strings.TrimPrefix(core, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		fp = p
		return p.URL()
	})
	return w, fp
}

// restartedBeforeTheGraph is a world in Omnichannel Inventory mode (7 of
// sku-1 at wh-a) whose edge was just restarted and has not fetched the
// location graph yet: the graph export is slowed down.
func restartedBeforeTheGraph(t *testing.T) *world {
	t.Helper()
	w, fp := newWorldBehindFaultProxy(t, baseConfig)
	w.graph(graphWithAustin)
	w.setStock("wh-a", "sku-1", 7)
	w.toOCIMode()
	fp.SetDelay(100 * time.Millisecond) // each of the export's four calls: the graph arrives within the 1 s miss wait
	fp.Set(faultproxy.PathContains("", "/location-graph/exports", faultproxy.Delay))
	w.restartEdge()
	return w
}
