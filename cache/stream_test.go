package cache

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"ociedge/cache/cachetest"
	"ociedge/oci"
)

// fakeSetup is a fake core with testGraph, 300 records at each place, and a
// cache over the lists online (site, group), wh-a (site), wh-b and store-1
// (combined) and ghost (N/A).
func fakeSetup(t *testing.T, tweak ...func(*Config)) (*cachetest.Core, *Cache, *fakeClock) {
	t.Helper()
	clk := newClock(noon)
	core := &cachetest.Core{Now: clk.Now, MaxDeltaRecords: 50, ExportBatch: 64}
	core.SetGraph(testGraph)
	for _, p := range []string{"online", "wh-a", "wh-b", "store-1"} {
		fill(core, p, 300)
	}
	cfg := testConfig(t, core, clk, List{ID: "online", Site: true}, List{ID: "wh-a", Site: true},
		List{ID: "wh-b"}, List{ID: "store-1"}, List{ID: "ghost"})
	for _, f := range tweak {
		f(&cfg)
	}
	c := mustNew(t, cfg)
	c.Start()
	return core, c, clk
}

func TestFullImportFillsTheCacheExactly(t *testing.T) {
	core, c, _ := fakeSetup(t)
	await(t, "full import", imported(c))
	await(t, "cache equals the core", matchesExport(c, core))
	want := map[string]struct {
		typ    LocationType
		stream string
		items  int64
	}{
		"online": {TypeGroup, "group/online", 300}, "wh-a": {TypeLocation, "site/wh-a", 300},
		"wh-b": {TypeLocation, "combined", 300}, "store-1": {TypeLocation, "combined", 300},
		"ghost": {TypeNA, "", 0},
	}
	await(t, "every list streaming", func() error {
		for _, s := range c.Status() {
			w := want[s.ID]
			if s.LocationType != w.typ || s.Stream != w.stream || s.ItemsCached != w.items {
				return fmt.Errorf("%s: %+v, want %+v", s.ID, s, w)
			}
			if w.typ != TypeNA && (s.State != "streaming" || !s.Imported || s.ImportRecords != 300 || s.LastCacheUpdate.IsZero() || s.Lag < 0) {
				return fmt.Errorf("%s: %+v", s.ID, s)
			}
			if w.typ == TypeNA && (s.State != "not mapped" || s.Imported) {
				return fmt.Errorf("%s: %+v", s.ID, s)
			}
		}
		return nil
	})
	if n := audit(c); n[mustListID(t, c, "wh-b")] != 300 {
		t.Errorf("ristretto holds %d values of wh-b, want 300", n[mustListID(t, c, "wh-b")])
	}
}

func TestCoreChangesReachTheEdge(t *testing.T) {
	core, c, _ := fakeSetup(t)
	await(t, "full import", imported(c))
	core.Put("wh-b", rec("sku-1", 99, 4, 2))
	core.Put("online", rec("new-sku", 7, 0, 0))
	core.Delete("store-1", "sku-2")
	await(t, "changes applied", matchesExport(c, core, "sku-2"))
	if _, st := c.LookupString(mustListID(t, c, "store-1"), "sku-2"); st != Tombstone {
		t.Errorf("deleted record: %s, want tombstone", st)
	}
	if got := itemsCached(c, "online"); got != 301 {
		t.Errorf("online items cached = %d, want 301", got)
	}
	for i := range 500 { // more than one get-deltas answer's worth
		core.Put("wh-a", rec(fmt.Sprint("burst-", i), float64(i), 0, 0))
	}
	await(t, "burst applied", matchesExport(c, core))
}

func TestExpiredDeltaTokenReimportsAndDropsVanishedRecords(t *testing.T) {
	core, c, clk := fakeSetup(t)
	await(t, "full import", imported(c))
	exports := fullImports(c)

	release := core.Hold(cachetest.MethodDeltas) // the edge is "down" for a day
	for i := range 20 {
		core.Delete("wh-b", fmt.Sprint("sku-", i))
	}
	core.Put("wh-b", rec("sku-100", 1, 0, 0))
	clk.Advance(24 * time.Hour)
	release()

	vanished := make([]string, 20)
	for i := range vanished {
		vanished[i] = fmt.Sprint("sku-", i)
	}
	await(t, "re-imported", matchesExport(c, core, vanished...))
	if fullImports(c) <= exports {
		t.Error("no full import after the token expired")
	}
	if _, st := c.LookupString(mustListID(t, c, "wh-b"), "sku-3"); st != Stale {
		t.Errorf("a record gone while the token was expired: %s, want stale", st)
	}
}

func TestCoreErrorsMidStream(t *testing.T) {
	core, c, _ := fakeSetup(t)
	await(t, "full import", imported(c))
	exports := fullImports(c)
	boom := errors.New("connection reset")

	core.FailNext(cachetest.MethodDeltas, 2, boom) // retried with the same token
	core.Put("wh-a", rec("sku-1", 11, 0, 0))
	await(t, "change after transient errors", matchesExport(c, core))
	if fullImports(c) != exports {
		t.Error("two get-deltas failures must not cost a full import")
	}

	core.FailNext(cachetest.MethodExport, 3, boom)
	core.FailNext(cachetest.MethodDeltas, 20, boom) // beyond DeltaRetries: re-import, which fails 3 times
	core.Put("wh-a", rec("sku-2", 22, 0, 0))
	core.Delete("online", "sku-5")
	await(t, "recovered", matchesExport(c, core, "sku-5"))
	if fullImports(c) < exports+4 {
		t.Errorf("full imports = %v, want at least %v", fullImports(c), exports+4)
	}
}

func TestGraphChanges(t *testing.T) {
	core, c, _ := fakeSetup(t)
	await(t, "full import", imported(c))
	exports := fullImports(c)

	// A location joins the group: the group stream re-imports.
	g := testGraph
	g.Groups = []oci.Group{{ID: "online", Locations: []string{"wh-a", "wh-b", "store-1"}}}
	core.SetGraph(g)
	core.Put("online", rec("sku-7", 500, 0, 0))
	await(t, "group re-imported", matchesExport(c, core))
	await(t, "one more export", func() error {
		if fullImports(c) < exports+1 {
			return errors.New("no re-import")
		}
		return nil
	})

	// store-1 leaves the graph: N/A, nothing cached, the combined stream
	// goes on with wh-b; ghost appears as a location and joins it.
	g.Locations = []oci.Location{{ID: "wh-a"}, {ID: "wh-b"}, {ID: "ghost"}}
	g.Groups = []oci.Group{{ID: "online", Locations: []string{"wh-a", "wh-b"}}}
	core.SetGraph(g)
	fill(core, "ghost", 10)
	await(t, "membership change", matchesExport(c, core))
	if s := statusOf(t, c, "store-1"); s.LocationType != TypeNA || s.State != "not mapped" || s.Imported {
		t.Errorf("store-1 after removal: %+v", s)
	}
	if _, st := c.LookupString(mustListID(t, c, "store-1"), "sku-1"); st != Stale {
		t.Errorf("an unmapped list's value: %s, want stale", st)
	}
	if s := statusOf(t, c, "ghost"); s.Stream != "combined" || s.ItemsCached != 10 {
		t.Errorf("ghost after joining: %+v", s)
	}

	// wh-b becomes a group (not recommended, but possible).
	g.Locations = []oci.Location{{ID: "wh-a"}, {ID: "ghost"}}
	g.Groups = []oci.Group{{ID: "online", Locations: []string{"wh-a"}}, {ID: "wh-b", Locations: []string{"ghost"}}}
	core.SetGraph(g)
	fill(core, "wh-b", 5)
	await(t, "moved to a group", matchesExport(c, core))
	if s := statusOf(t, c, "wh-b"); s.LocationType != TypeGroup || s.Stream != "group/wh-b" || s.ItemsCached != 5 {
		t.Errorf("wh-b as a group: %+v", s)
	}
}

func TestGraphUnavailableAtStart(t *testing.T) {
	clk := newClock(noon)
	core := &cachetest.Core{Now: clk.Now}
	core.SetGraph(testGraph)
	fill(core, "wh-a", 5)
	core.FailNext(cachetest.MethodGraph, 5, errors.New("core down"))
	c := mustNew(t, testConfig(t, core, clk, List{ID: "wh-a", Site: true}))
	if s := statusOf(t, c, "wh-a"); s.State != "waiting for graph" || s.LocationType != TypeNA {
		t.Errorf("before start: %+v", s)
	}
	if c.Imported() {
		t.Error("Imported before the graph is known")
	}
	c.Start()
	await(t, "imported once the graph is back", imported(c))
	await(t, "filled", matchesExport(c, core))
}

func TestCombinedStreamWaitsForTheNightlyWindow(t *testing.T) {
	core, c, clk := fakeSetup(t, func(cfg *Config) { cfg.CombinedStreamWindow = true })
	await(t, "dedicated streams imported", func() error {
		for _, id := range []string{"online", "wh-a"} {
			if s := statusOf(t, c, id); !s.Imported {
				return fmt.Errorf("%s: %+v", id, s)
			}
		}
		return nil
	})
	for _, id := range []string{"wh-b", "store-1"} {
		s := statusOf(t, c, id)
		if s.State != "waiting for import window" || s.ItemsCached != 0 || s.Imported || s.LocationType != TypeLocation {
			t.Errorf("%s before the window: %+v", id, s)
		}
	}
	if c.Imported() {
		t.Error("Imported while combined lists wait for the window")
	}
	clk.Advance(14*time.Hour + 10*time.Minute) // 02:10 the next day
	await(t, "combined stream imported in the window", imported(c))
	await(t, "filled", matchesExport(c, core))
}

func TestStateChangesAreLoggedOnce(t *testing.T) {
	core, c, _ := fakeSetup(t)
	await(t, "full import", imported(c))
	for i := range 20 {
		core.Put("wh-a", rec(fmt.Sprint("x-", i), 1, 0, 0))
	}
	await(t, "applied", matchesExport(c, core))
	if s := statusOf(t, c, "wh-a"); !strings.HasPrefix(s.State, "streaming") {
		t.Errorf("state %q", s.State)
	}
}

// TestPlaceWaitsForTheFirstGraph: before the streams have fetched the
// graph, Place calls every list unmapped; PlaceWait waits for the graph
// (bounded) and then maps it. Once the graph is known, a list that is not
// in it is unmapped at once.
func TestPlaceWaitsForTheFirstGraph(t *testing.T) {
	clk := newClock(noon)
	core := &cachetest.Core{Now: clk.Now}
	core.SetGraph(testGraph)
	c := mustNew(t, testConfig(t, core, clk, List{ID: "wh-a", Site: true}, List{ID: "ghost"}))
	if _, ok := c.Place("wh-a"); ok {
		t.Fatal("Place mapped a list before the graph is known")
	}
	if _, ok := c.PlaceWait("wh-a", time.Millisecond); ok {
		t.Fatal("PlaceWait mapped a list with no graph to go by")
	}
	got := make(chan oci.Place, 1)
	go func() {
		p, ok := c.PlaceWait("wh-a", 20*time.Second)
		if !ok {
			p = oci.Place{}
		}
		got <- p
	}()
	c.Start()
	if p := <-got; p != oci.Loc("wh-a") {
		t.Fatalf("PlaceWait across the first graph fetch: %+v", p)
	}
	done := make(chan bool, 1)
	go func() {
		_, ok := c.PlaceWait("ghost", time.Hour)
		done <- ok
	}()
	select {
	case ok := <-done:
		if ok {
			t.Error("a list not in the graph is mapped")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("PlaceWait waited although the graph is known")
	}
}
