package cache

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"ociedge/internal/kv"
	"ociedge/oci"
)

// realCore is an in-process *oci.Core (the real change log and delta
// semantics, no HTTP) with a test clock.
type realCore struct {
	*oci.Core
	clk *fakeClock
	tb  testing.TB
	n   int // update id counter
}

var realGraph = oci.Graph{
	Locations: []oci.Location{{ID: "wh-a"}, {ID: "wh-b"}, {ID: "store-1"}},
	Groups:    []oci.Group{{ID: "online", Locations: []string{"wh-a", "wh-b"}}},
}

func openRealCore(tb testing.TB, store kv.Store) *realCore {
	tb.Helper()
	clk := newClock(noon)
	c, err := oci.Open(oci.Config{Store: store, Now: clk.Now, SweepInterval: time.Hour})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close(); store.Close() })
	if err := c.ReplaceGraph(realGraph); err != nil {
		tb.Fatal(err)
	}
	return &realCore{Core: c, clk: clk, tb: tb}
}

// importRecords gives sku-0..sku-(n-1) at each location through the
// availability import path.
func (rc *realCore) importRecords(n int, locs ...string) {
	rc.tb.Helper()
	var us []oci.RecordUpdate
	for _, l := range locs {
		for i := range n {
			us = append(us, oci.RecordUpdate{ID: fmt.Sprint("imp-", l, "-", i), Location: l, SKU: fmt.Sprint("sku-", i),
				OnHand: oci.Value(oci.Qty(10+i%40) * oci.Unit), SafetyStock: oci.Value(oci.Qty(i%3) * oci.Unit),
				EffectiveDate: oci.Value(noon.Add(-time.Hour))})
		}
	}
	res, err := rc.ApplyImport(us)
	if err != nil {
		rc.tb.Fatal(err)
	}
	for i, r := range res {
		if r.Outcome != oci.ImportApplied {
			rc.tb.Fatalf("import record %d: %+v", i, r)
		}
	}
}

func (rc *realCore) set(loc, sku string, onHand oci.Qty) {
	rc.tb.Helper()
	rc.n++
	errs, err := rc.BatchUpdate([]oci.RecordUpdate{{ID: fmt.Sprint("u", rc.n), Location: loc, SKU: sku, OnHand: oci.Value(onHand * oci.Unit)}})
	if err != nil || len(errs) > 0 {
		rc.tb.Fatalf("batch-update %s/%s: %v %v", loc, sku, err, errs)
	}
}

func (rc *realCore) deleteRecord(loc, sku string) {
	rc.tb.Helper()
	rc.n++
	if err := rc.WriteRecord(oci.SingleDelete, &oci.RecordUpdate{ID: fmt.Sprint("d", rc.n), Location: loc, SKU: sku}); err != nil {
		rc.tb.Fatal(err)
	}
}

func (rc *realCore) reserve(id string, group bool, place, sku string, units oci.Qty) {
	rc.tb.Helper()
	pl := []oci.PlaceLines{{ID: place, Lines: []oci.Line{{SKU: sku, Quantity: units * oci.Unit}}}}
	req := &oci.ReserveRequest{ReservationID: id, Locations: pl}
	if group {
		req.Locations, req.Groups = nil, pl
	}
	res, err := rc.Reserve(req)
	if err != nil || !res.Success {
		rc.tb.Fatalf("reserve %s: %v %+v", id, err, res)
	}
}

func realSetup(t *testing.T, store kv.Store) (*realCore, *faultyCore, *Cache) {
	t.Helper()
	rc := openRealCore(t, store)
	rc.importRecords(200, "wh-a", "wh-b", "store-1")
	core := &faultyCore{Core: InProcess(rc.Core)}
	cfg := testConfig(t, core, rc.clk, List{ID: "online", Site: true}, List{ID: "wh-a", Site: true},
		List{ID: "wh-b"}, List{ID: "store-1"})
	c := mustNew(t, cfg)
	c.Start()
	await(t, "full import", imported(c))
	await(t, "cache equals the core", matchesExport(c, InProcess(rc.Core)))
	return rc, core, c
}

func TestRealCoreFill(t *testing.T) {
	st, err := kv.OpenPebble(t.TempDir(), kv.PebbleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	_, _, c := realSetup(t, st)
	for _, s := range c.Status() {
		if s.ItemsCached != 200 || s.ImportRecords != 200 {
			t.Errorf("%s: %+v", s.ID, s)
		}
	}
	v, st2 := c.LookupString(mustListID(t, c, "online"), "sku-7")
	if st2 != Hit || v.OnHand != 2*17*oci.Unit || v.SafetyStock != 2*oci.Unit {
		t.Errorf("online/sku-7: %s %+v", st2, v)
	}
}

func TestRealCoreChangesReachTheEdge(t *testing.T) {
	rc, _, c := realSetup(t, kv.NewMem())
	core := InProcess(rc.Core)
	steps := []struct {
		name   string
		change func()
	}{
		{"batch-update", func() { rc.set("wh-a", "sku-1", 77) }},
		{"new sku", func() { rc.set("store-1", "fresh", 5) }},
		{"group reservation", func() { rc.reserve("r-group", true, "online", "sku-2", 3) }},
		{"location reservation", func() { rc.reserve("r-loc", false, "wh-b", "sku-3", 2) }},
		{"cancel", func() {
			if _, err := rc.UpdateReservation("r-group", &oci.ReservationUpdate{Cancel: true}); err != nil {
				t.Fatal(err)
			}
		}},
		{"record delete", func() { rc.deleteRecord("wh-b", "sku-4") }},
		{"location joins the group", func() {
			if err := rc.ReplaceGraph(oci.Graph{Locations: realGraph.Locations,
				Groups: []oci.Group{{ID: "online", Locations: []string{"wh-a", "wh-b", "store-1"}}}}); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, s := range steps {
		s.change()
		await(t, s.name, matchesExport(c, core))
	}
	if _, st := c.LookupString(mustListID(t, c, "wh-b"), "sku-4"); st != Tombstone {
		t.Errorf("deleted record: %s, want tombstone", st)
	}
}

func TestRealCoreExpiredToken(t *testing.T) {
	rc, fc, c := realSetup(t, kv.NewMem())
	release := fc.hold()
	for i := range 10 {
		rc.deleteRecord("store-1", fmt.Sprint("sku-", i))
	}
	rc.set("store-1", "sku-150", 1)
	rc.clk.Advance(24 * time.Hour) // past the 23.5 h token lifetime
	release()
	await(t, "re-imported", matchesExport(c, InProcess(rc.Core), "sku-0", "sku-5", "sku-9"))
	if _, st := c.LookupString(mustListID(t, c, "store-1"), "sku-5"); st != Stale {
		t.Errorf("record deleted while the token expired: %s, want stale", st)
	}
}

func TestRealCoreErrorsMidStream(t *testing.T) {
	rc, fc, c := realSetup(t, kv.NewMem())
	imports := fullImports(c)
	fc.failNext(2, 40)
	rc.set("wh-a", "sku-9", 3)
	rc.deleteRecord("wh-b", "sku-8")
	rc.reserve("r1", true, "online", "sku-7", 1)
	await(t, "recovered", matchesExport(c, InProcess(rc.Core), "sku-8"))
	if fullImports(c) <= imports {
		t.Error("no re-import after get-deltas kept failing")
	}
}

// faultyCore decorates a Core: it can fail Export and Deltas calls and hold
// Deltas calls.
type faultyCore struct {
	Core
	mu        sync.Mutex // guards the fields below
	exportErr int
	deltasErr int
	held      chan struct{}
	// calls is read-held by every Deltas call that reaches the core, so
	// hold can wait out the calls already past its gate: otherwise a
	// call in flight when the test holds the streams still sees the
	// change the test makes next.
	calls sync.RWMutex
}

var errInjected = errors.New("injected failure")

func (f *faultyCore) failNext(exports, deltas int) {
	f.mu.Lock()
	f.exportErr, f.deltasErr = exports, deltas
	f.mu.Unlock()
}

func (f *faultyCore) hold() (release func()) {
	ch := make(chan struct{})
	f.mu.Lock()
	f.held = ch
	f.mu.Unlock()
	f.calls.Lock() // every call in flight has returned
	f.calls.Unlock()
	return func() {
		f.mu.Lock()
		f.held = nil
		f.mu.Unlock()
		close(ch)
	}
}

func (f *faultyCore) Export(ctx context.Context, kind oci.PlaceType, ids []string, fn func(string, []oci.Values) error) (string, error) {
	f.mu.Lock()
	fail := f.exportErr > 0
	if fail {
		f.exportErr--
	}
	f.mu.Unlock()
	if fail {
		return "", errInjected
	}
	return f.Core.Export(ctx, kind, ids, fn)
}

func (f *faultyCore) Deltas(ctx context.Context, token string) (*oci.Deltas, error) {
	f.mu.Lock()
	fail := f.deltasErr > 0
	if fail {
		f.deltasErr--
	}
	f.mu.Unlock()
	if fail {
		return nil, errInjected
	}
	for {
		f.calls.RLock()
		f.mu.Lock()
		held := f.held
		f.mu.Unlock()
		if held == nil {
			defer f.calls.RUnlock()
			return f.Core.Deltas(ctx, token)
		}
		f.calls.RUnlock()
		select {
		case <-held:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
