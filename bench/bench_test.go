package bench

import (
	"bytes"
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"ociedge/bench/internal/benchtest"
	"ociedge/bench/load"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, benchtest.LeakOptions()...)
}

// quick is a small, fast run: closed, 2 connections, 60 ops, no warm-up,
// a short baseline with its fsync in a temp dir.
func quick(tb testing.TB, scenario, target string) Config {
	return Config{
		Scenario: scenario, Target: target,
		Load: load.Config{Closed: true, Workers: 2, MaxOps: 60, Duration: time.Minute},
		Baselines: BaselineConfig{Duration: 100 * time.Millisecond, FsyncDir: tb.TempDir(),
			FsyncDuration: 50 * time.Millisecond},
		Workload: Workload{RunID: "test-run", Skus: 100},
	}
}

// MustRun runs cfg to completion.
func MustRun(tb testing.TB, cfg Config) *Report {
	tb.Helper()
	r, err := New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	rep, err := r.Run(tb.Context())
	if cerr := r.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		tb.Fatal(err)
	}
	return rep
}

func serveEdge(tb testing.TB, core *fakeCore) (*fakeEdge, string) {
	e := newFakeEdge(core)
	return e, benchtest.MustServe(tb, e.handle).URL
}

func serveCore(tb testing.TB) (*fakeCore, string) {
	c := newFakeCore()
	return c, benchtest.MustServe(tb, c.handle).URL
}

func countOf(rep *Report, route, outcome string) int64 {
	return sumCount(rowsWith(rep.Load, "", route, outcome))
}

func headline(tb testing.TB, rep *Report, name string) Headline {
	tb.Helper()
	for _, h := range rep.Headlines {
		if h.Name == name {
			return h
		}
	}
	tb.Fatalf("no headline %q in %+v", name, rep.Headlines)
	return Headline{}
}

func TestBrowse(t *testing.T) {
	_, url := serveEdge(t, nil)
	rep := MustRun(t, quick(t, "browse", url))
	one, many := countOf(rep, "availability-1", "ok"), countOf(rep, "availability-24", "ok")
	store := countOf(rep, "availability-1@store-phoenix", "ok") + countOf(rep, "availability-24@store-phoenix", "ok")
	if one+many+store != 60 || one == 0 || many == 0 || store == 0 {
		t.Fatalf("1-sku %d, 24-sku %d, store %d lookups; want 60 of all kinds\n%+v", one, many, store, rep.Load.Rows)
	}
	// In a mixed load a route's rate is its share, not its ceiling: no
	// DESIGN §6 ratio applies.
	h := headline(t, rep, "availability-1 req/s")
	if h.Value <= 0 || h.BaselineValue <= 0 || h.Ratio <= 0 || h.Target != 0 || !strings.Contains(h.Note, "mixed") {
		t.Fatalf("headline %+v", h)
	}
	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil || !strings.Contains(text.String(), "availability-24") ||
		!strings.Contains(text.String(), "http-fixed-json") {
		t.Fatalf("text summary:\n%s", text.String())
	}
}

// Two runs with the same seed send the same requests in the same order;
// another seed sends others.
func TestSameSeedSameRequests(t *testing.T) {
	send := func(scenario string, seed uint64) []string {
		core, coreURL := serveCore(t)
		edge, edgeURL := serveEdge(t, core)
		cfg := quick(t, scenario, edgeURL)
		if strings.HasPrefix(scenario, "core-") {
			cfg.Target = coreURL
		}
		cfg.Load.Workers, cfg.Seed, cfg.Baselines.Skip = 1, seed, true
		MustRun(t, cfg)
		if strings.HasPrefix(scenario, "core-") {
			return core.requests
		}
		return edge.requests
	}
	for _, sc := range []string{"browse", "checkout", "core-reserve"} {
		a, b, c := send(sc, 7), send(sc, 7), send(sc, 8)
		if len(a) < 60 || !slices.Equal(a, b) {
			t.Fatalf("%s: %d and %d requests, same seed, differ:\n%v\n%v", sc, len(a), len(b), a[:3], b[:3])
		}
		if slices.Equal(a, c) {
			t.Fatalf("%s: seeds 7 and 8 sent the same requests", sc)
		}
	}
}

func TestCheckout(t *testing.T) {
	_, url := serveEdge(t, nil)
	cfg := quick(t, "checkout", url)
	cfg.PlaceShare = 0.5
	rep := MustRun(t, cfg)
	placed, failed := countOf(rep, routeCheckout, "placed"), countOf(rep, routeCheckout, "failed")
	if placed+failed != 60 || placed == 0 || failed == 0 {
		t.Fatalf("placed %d failed %d, want 60 in all\n%+v", placed, failed, rep.Load.Rows)
	}
	for _, route := range []string{routeBasket, routeReserve, routeOrder, routePlace, routeFail} {
		if sumCount(okRows(rep.Load, "", route)) == 0 {
			t.Errorf("no served %s calls", route)
		}
	}
	if countOf(rep, routeOrder, "created") != 60 {
		t.Fatalf("orders created %d, want 60", countOf(rep, routeOrder, "created"))
	}
}

func flashConfig(t *testing.T, edgeURL, coreURL string) Config {
	cfg := quick(t, "flashsale", edgeURL)
	cfg.Core = coreURL
	cfg.Load = load.Config{Rate: 1000, MaxOps: 40, Workers: 8, Duration: time.Minute}
	return cfg
}

func TestFlashsaleHoldsStock(t *testing.T) {
	core, coreURL := serveCore(t)
	core.stock["sku-000001"] = 5
	_, edgeURL := serveEdge(t, core)
	rep := MustRun(t, flashConfig(t, edgeURL, coreURL))
	if rep.Failed() || len(rep.Checks) != 4 {
		t.Fatalf("checks %+v", rep.Checks)
	}
	if got := countOf(rep, routeOrder, "created"); got != 5 {
		t.Fatalf("%d orders created for 5 units", got)
	}
	if countOf(rep, routeOrder, "not-available") != 35 {
		t.Fatalf("rows %+v", rep.Load.Rows)
	}
}

func TestFlashsaleDetectsOversell(t *testing.T) {
	core, coreURL := serveCore(t)
	core.stock["sku-000001"] = 5
	edge, edgeURL := serveEdge(t, core)
	edge.oversell = true
	rep := MustRun(t, flashConfig(t, edgeURL, coreURL))
	if !rep.Failed() || rep.Checks[0].OK {
		t.Fatalf("oversell not caught: %+v", rep.Checks)
	}
}

func TestFlashsaleNeedsStockOrCore(t *testing.T) {
	_, edgeURL := serveEdge(t, nil)
	r, err := New(flashConfig(t, edgeURL, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Run(t.Context()); err == nil || !strings.Contains(err.Error(), "--stock") {
		t.Fatalf("err = %v", err)
	}
}

func TestCoreReserve(t *testing.T) {
	core, url := serveCore(t)
	core.stock["sku-000001"] = 3 // the hottest sku runs out
	cfg := quick(t, "core-reserve", url)
	cfg.Zipf = 2
	rep := MustRun(t, cfg)
	if countOf(rep, routeCoreReserve, "reserved") == 0 || countOf(rep, routeCoreReserve, "insufficient") == 0 {
		t.Fatalf("rows %+v", rep.Load.Rows)
	}
	if h := headline(t, rep, "reservations/s"); h.Baseline != baseFsync || h.Ratio <= 0 || h.Target != 1.5 {
		t.Fatalf("headline %+v", h)
	}
}

func TestCoreAvailability(t *testing.T) {
	_, url := serveCore(t)
	rep := MustRun(t, quick(t, "core-availability", url))
	if n := sumCount(okRows(rep.Load, "", "get-availability-1")) + sumCount(okRows(rep.Load, "", "get-availability-24")); n != 60 {
		t.Fatalf("rows %+v", rep.Load.Rows)
	}
}

func TestCoreImport(t *testing.T) {
	core, url := serveCore(t)
	cfg := quick(t, "core-import", url)
	cfg.Records = 2000
	rep := MustRun(t, cfg)
	imp := rep.Import
	if imp == nil || imp.Processed != 2000 || imp.Status != "COMPLETED" || imp.Rate <= 0 || imp.Polls < 2 {
		t.Fatalf("import %+v", imp)
	}
	if core.imports["imp-1"] != 2000 {
		t.Fatalf("core received %d lines", core.imports["imp-1"])
	}
	if h := headline(t, rep, "import records/s"); h.Baseline != baseDecode || h.Ratio <= 0 {
		t.Fatalf("headline %+v", h)
	}
}

func TestImportWhileBrowsing(t *testing.T) {
	_, coreURL := serveCore(t)
	_, edgeURL := serveEdge(t, nil)
	cfg := quick(t, "import", edgeURL)
	cfg.Core, cfg.Records = coreURL, 1000
	cfg.Load = load.Config{Rate: 200, Duration: 400 * time.Millisecond}
	rep := MustRun(t, cfg)
	if rep.Import == nil || rep.Import.Processed != 1000 {
		t.Fatalf("import %+v", rep.Import)
	}
	phases := map[string]bool{}
	for _, row := range rep.Load.Rows {
		phases[row.Phase] = true
	}
	if !phases[phaseBefore] || !phases[phaseImport] {
		t.Fatalf("phases %v", phases)
	}
	headline(t, rep, "lookup p99 during import")
}

func TestBrowseKnee(t *testing.T) {
	_, url := serveEdge(t, nil)
	cfg := quick(t, "browse", url)
	cfg.Knee, cfg.Load = true, load.Config{Closed: true, Workers: 4, Duration: 50 * time.Millisecond}
	rep := MustRun(t, cfg)
	if rep.Knee == nil || len(rep.Knee.Steps) == 0 || rep.Load == nil {
		t.Fatalf("knee %+v", rep.Knee)
	}
}

func TestRefusesRemoteTargets(t *testing.T) {
	for _, cfg := range []Config{
		{Scenario: "browse", Target: "http://example.com:8080", Load: load.Config{Rate: 10}},
		{Scenario: "flashsale", Target: "http://127.0.0.1:1", Core: "http://10.1.2.3:8081", Load: load.Config{Rate: 10}},
		{Scenario: "core-reserve", Target: "http://203.0.113.7", Load: load.Config{Rate: 10}},
	} {
		if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), "--allow-remote") {
			t.Errorf("%s → %s: err = %v", cfg.Scenario, cfg.Target, err)
		}
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, cfg := range []Config{
		{Scenario: "nope", Target: "http://127.0.0.1:1"},
		{Scenario: "browse"},
		{Scenario: "browse", Target: "http://127.0.0.1:1"}, // no rate
		{Scenario: "browse", Target: "http://127.0.0.1:1", Load: load.Config{Rate: 10}, Workload: Workload{LookupSizes: "30"}},
		{Scenario: "browse", Target: "http://127.0.0.1:1", Load: load.Config{Rate: 10}, Workload: Workload{SkuFormat: "sku"}},
		{Scenario: "import", Target: "http://127.0.0.1:1", Load: load.Config{Rate: 10}}, // no core
		{Scenario: "core-import", Target: "http://127.0.0.1:1", Knee: true},
	} {
		if r, err := New(cfg); err == nil {
			r.Close()
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
}

func TestReportJSONRoundTrip(t *testing.T) {
	core, coreURL := serveCore(t)
	core.stock["sku-000001"] = 5
	_, edgeURL := serveEdge(t, core)
	rep := MustRun(t, flashConfig(t, edgeURL, coreURL))
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ReadReport(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rep, back) {
		t.Fatalf("round trip changed the report:\n%+v\n%+v", rep, back)
	}
}

func TestRunStopsWhenContextEnds(t *testing.T) {
	_, url := serveEdge(t, nil)
	cfg := quick(t, "browse", url)
	cfg.Load.MaxOps, cfg.Load.Duration, cfg.Baselines.Skip = 0, time.Hour, true
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := r.Run(ctx); err != nil {
		t.Fatal(err)
	}
}
