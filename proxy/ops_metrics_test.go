package proxy_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"ociedge/oci"
	"ociedge/oci/client"
)

// metricsRun is one world whose events the metrics test drives, with a
// scrape of the edge and the core before each step.
type metricsRun struct {
	t          *testing.T
	w          *world
	fc         *flakyCore
	edge, core families
}

func (m *metricsRun) rescrape() {
	m.edge, m.core = scrape(m.t, m.w.edge.URL()), scrape(m.t, m.w.core.URL())
}

// moved checks that each metric of the edge ("edge") or core ("core")
// changed by at least min since the last rescrape, then rescrapes.
func (m *metricsRun) moved(event string, checks ...moveCheck) {
	m.t.Helper()
	beforeEdge, beforeCore := m.edge, m.core
	deadline := time.Now().Add(10 * time.Second)
	for {
		m.rescrape()
		var missing []string
		for _, c := range checks {
			before, after := beforeEdge, m.edge
			if c.side == "core" {
				before, after = beforeCore, m.core
			}
			if d := after.value(c.name, c.labels) - before.value(c.name, c.labels); d < c.min {
				missing = append(missing, fmt.Sprintf("%s%v moved %g, want ≥ %g", c.name, c.labels, d, c.min))
			}
		}
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			m.t.Fatalf("after %s:\n  %s", event, strings.Join(missing, "\n  "))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type moveCheck struct {
	side, name string
	labels     map[string]string
	min        float64
}

func edgeM(name string, min float64, kv ...string) moveCheck {
	return moveCheck{"edge", name, labels(kv...), min}
}

func coreM(name string, min float64, kv ...string) moveCheck {
	return moveCheck{"core", name, labels(kv...), min}
}

// TestOpsEveryMetricMoves drives each event that DESIGN §3.5 and the
// operations issue name and checks that its metric moves, on the edge and
// on the core; that state changes log one line each; that no label carries
// an id; and that the dashboard only queries metrics that exist.
func TestOpsEveryMetricMoves(t *testing.T) {
	logCore, logged := observer.New(zap.InfoLevel)
	w, fc := newOpsWorld(t, opsConfig, opsEdge{logger: zap.New(logCore), jobInterval: 50 * time.Millisecond})
	w.graph(graphWithAustin)
	w.stock("wh-a", 10, "sku-1", "sku-2", "sku-3")
	w.stock("wh-b", 5, "sku-1")
	w.stock("phoenix", 3, "sku-1")
	w.stock("austin", 2, "sku-1")
	m := &metricsRun{t: t, w: w, fc: fc}
	m.rescrape()

	w.availability("siteId=RefArch&productIds=sku-1")
	w.do("GET", "/nowhere", "", nil)
	m.moved("requests", edgeM("ociedge_http_requests_total", 1, "route", "availability", "status", "200"),
		edgeM("ociedge_http_request_seconds", 1, "route", "availability", "class", "2xx"),
		edgeM("ociedge_http_requests_total", 1, "route", "not_found", "status", "404"),
		coreM("ocicore_http_requests_total", 1))

	w.activate("online-us", "phoenix", "austin")
	m.moved("activation", edgeM("ociedge_inventory_mode", 1, "mode", "OMNICHANNEL_INVENTORY"),
		edgeM("ociedge_cache_streams_running", 1),
		edgeM("ociedge_cache_items", 3, "list", "online-us"), edgeM("ociedge_cache_items", 1, "list", "phoenix"),
		edgeM("ociedge_cache_last_update_seconds", 1, "list", "online-us"),
		edgeM("ociedge_cache_stream_state", 1, "list", "online-us", "state", "streaming"),
		edgeM("ociedge_cache_full_import_duration_seconds", 1, "kind", "group"),
		edgeM("ociedge_cache_full_imports_total", 1, "outcome", "ok"),
		edgeM("ociedge_core_client_calls_total", 1), edgeM("ociedge_core_client_attempts_total", 1),
		coreM("ocicore_delta_reads_total", 1, "outcome", "ok"))
	for _, name := range []string{"ociedge_cache_stream_lag_seconds", "ociedge_core_client_token_fetches_total", "ociedge_core_client_errors_total"} {
		if _, ok := m.edge[name]; !ok {
			t.Errorf("%s is not exposed once the streams run", name)
		}
	}
	if r := m.edge.value("ociedge_ready", nil); r != 1 {
		t.Errorf("ociedge_ready is %g in OCI mode with every list imported", r)
	}

	refusedWritesThrottled(t, w, logged)
	w.availability("siteId=RefArch&productIds=sku-1")
	w.availability("siteId=RefArch&productIds=never-seen")
	m.moved("lookups", edgeM("ociedge_cache_lookups_total", 1, "result", "hit"),
		edgeM("ociedge_cache_lookups_total", 1, "result", "miss"), edgeM("ociedge_cache_fallbacks_total", 1))

	w.stock("wh-a", 20, "sku-2")
	m.moved("a core change", edgeM("ociedge_cache_delta_records_total", 1), coreM("ocicore_delta_records_total", 1),
		coreM("ocicore_record_updates_total", 1), coreM("ocicore_change_sequence", 1), coreM("ocicore_store_commit_seconds", 1))

	placed, failed := w.orderNo("sku-1", 1), w.orderNo("sku-1", 1)
	w.placeOrder(placed)
	w.failOrder(failed)
	if r := w.order("sku-1", 999); r.status != 400 {
		t.Fatalf("an order beyond stock: %d %s", r.status, r.body)
	}
	m.moved("orders", edgeM("ociedge_orders_total", 2, "event", "created"), edgeM("ociedge_orders_total", 1, "event", "placed"),
		edgeM("ociedge_orders_total", 1, "event", "failed"), edgeM("ociedge_orders_total", 1, "event", "refused"),
		edgeM("ociedge_reservations_total", 2, "system", "OCI", "op", "order", "outcome", "ok"),
		edgeM("ociedge_reservations_total", 1, "outcome", "unavailable"),
		edgeM("ociedge_core_call_seconds", 3, "op", "reserve"),
		coreM("ocicore_reservations_total", 2, "outcome", "reserved"), coreM("ocicore_reservations_total", 3),
		coreM("ocicore_open_reservations", 1))

	w.orderNo("sku-1", 1) // left created: auto-failed after 1s
	m.moved("auto-fail", edgeM("ociedge_orders_total", 1, "event", "auto_failed"))

	coreSide(t, m)
	coreDown(t, m)
	noIDsInLabels(t, m)
	stateChangesLogged(t, logged)
	t.Run("dashboard queries name exposed metrics", func(t *testing.T) { dashboardMetricsExist(t, m.edge, m.core) })
}

// coreSide drives the core's own events: an import with bad lines and a
// reservation that expires.
func coreSide(t *testing.T, m *metricsRun) {
	t.Helper()
	file := `{"recordId":"i1","locationId":"wh-a","sku":"imp-1","onHand":3,"effectiveDate":"2024-01-01T00:00:00Z"}
{"recordId":"i2","locationId":"wh-a","sku":"imp-2","onHand":4,"effectiveDate":"2024-01-01T00:00:00Z"}
{"recordId":"i3","locationId":"wh-a","sku":"imp-3","onHand":-1,"effectiveDate":"2024-01-01T00:00:00Z"}
not json
`
	if _, err := m.w.client.Import(context.Background(), strings.NewReader(file), client.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	m.moved("an import", coreM("ocicore_import_records_total", 2, "outcome", "applied"),
		coreM("ocicore_impex_jobs_total", 1, "kind", "import", "status", "completed"), coreM("ocicore_impex_job_seconds", 1),
		coreM("ocicore_impex_upload_bytes_total", 1))
	failures := m.core.value("ocicore_import_records_total", labels("outcome", "failed")) +
		m.core.value("ocicore_impex_import_line_failures_total", nil)
	if failures < 2 {
		t.Errorf("the import's two bad lines are counted as failures: %g", failures)
	}
	one := 1
	_, err := m.w.client.Reserve(context.Background(), "expiring-1", &oci.ReserveRequest{ExpirationSeconds: &one,
		Locations: []oci.PlaceLines{{ID: "wh-a", Lines: []oci.Line{{SKU: "sku-3", Quantity: oci.Unit}}}}})
	if err != nil {
		t.Fatal(err)
	}
	m.moved("an expired reservation", coreM("ocicore_reservations_expired_total", 1))
}

// coreDown makes reservation calls fail: errors are counted, the circuit
// opens after two failures and the order creation fails closed.
func coreDown(t *testing.T, m *metricsRun) {
	t.Helper()
	m.fc.reserveDown.Store(true)
	for range 3 {
		if r := m.w.order("sku-1", 1); r.status != 503 {
			t.Errorf("an order while the core is down fails closed: %d %s", r.status, r.body)
		}
	}
	m.moved("the core down", edgeM("ociedge_core_call_errors_total", 2, "op", "reserve"),
		edgeM("ociedge_core_call_errors_total", 1, "kind", "circuit_open"),
		edgeM("ociedge_reservations_total", 2, "outcome", "unreachable"))
	if got := m.edge.value("ociedge_core_circuit_state", nil); got != 2 {
		t.Errorf("the circuit is open (2): %g", got)
	}
}

// noIDsInLabels checks that no label value of either process is a sku,
// an order number or a reservation or basket id.
func noIDsInLabels(t *testing.T, m *metricsRun) {
	t.Helper()
	for side, fams := range map[string]families{"edge": m.edge, "core": m.core} {
		for name, f := range fams {
			for _, mt := range f.GetMetric() {
				for _, l := range mt.GetLabel() {
					v := l.GetValue()
					if strings.HasPrefix(v, "sku-") || strings.HasPrefix(v, "imp-") || strings.HasPrefix(v, "expiring") ||
						strings.HasPrefix(v, "0000") || strings.HasPrefix(v, org) || len(v) >= 26 && !strings.Contains(v, " ") && !strings.Contains(v, ".") {
						t.Errorf("%s %s has the id-like label %s=%q", side, name, l.GetName(), v)
					}
				}
			}
		}
	}
}

// stateChangesLogged: each mode change, stream state, circuit change and
// auto-fail has its line; the two mode changes log two lines.
func stateChangesLogged(t *testing.T, logged *observer.ObservedLogs) {
	t.Helper()
	if n := logged.FilterMessage("inventory mode changed").Len(); n != 2 {
		t.Errorf("two mode changes log two lines, got %d", n)
	}
	for _, msg := range []string{"stream state", "full import completed", "order auto-failed", "core circuit breaker changed state", "cache streams started"} {
		if logged.FilterMessage(msg).Len() == 0 {
			t.Errorf("no %q log line", msg)
		}
	}
	open := logged.FilterMessage("core circuit breaker changed state").FilterField(zap.String("state", "open")).Len()
	if open != 1 {
		t.Errorf("the circuit opened once and logged it once, got %d lines", open)
	}
}

// TestOpsCacheAdmissionIsCountedAndItemsCachedStaysTrue: a cache smaller
// than the data counts what ristretto refused or evicted, and Items Cached
// never claims more than it holds.
func TestOpsCacheAdmissionIsCountedAndItemsCachedStaysTrue(t *testing.T) {
	tiny := strings.Replace(opsConfig, "maxRecords: 100000", "maxRecords: 8", 1)
	w, _ := newOpsWorld(t, tiny, opsEdge{})
	w.graph(graphWithAustin)
	var skus []string
	for i := range 40 {
		skus = append(skus, fmt.Sprintf("sku-%02d", i))
	}
	w.stock("wh-a", 5, skus...)
	w.activate("online-us", "phoenix", "austin")
	eventually(t, 10*time.Second, "ristretto refusing or evicting", func() bool {
		f := scrape(t, w.edge.URL())
		return f.value("ociedge_cache_sets_rejected_total", nil)+f.value("ociedge_cache_evictions_total", nil) > 0
	})
	f := scrape(t, w.edge.URL())
	if items := f.value("ociedge_cache_items", nil); items > 8 || items < 1 {
		t.Errorf("Items Cached is %g for a cache of 8", items)
	}
	for _, name := range []string{"ociedge_cache_sets_dropped_total", "ociedge_cache_sets_lost_total"} {
		if _, ok := f[name]; !ok {
			t.Errorf("%s is not exposed", name)
		}
	}
}

// refusedWritesThrottled: legacy writes refused in OCI mode, retried by a
// noisy client, log one line with the count of the others.
func refusedWritesThrottled(t *testing.T, w *world, logged *observer.ObservedLogs) {
	t.Helper()
	for range 5 {
		r := w.do("PUT", "/s/-/dw/data/v25_6/inventory_lists/online-us/product_inventory_records/sku-1", "admin-token",
			[]byte(`{"allocation":{"amount":7}}`))
		if r.status/100 == 2 {
			t.Fatalf("a legacy write in OCI mode must be refused: %d", r.status)
		}
	}
	lines := logged.FilterMessageSnippet("write refused").Len()
	if lines != 1 {
		t.Errorf("five refused writes log one line within the interval, got %d", lines)
	}
}
