package cache

import (
	"unsafe"

	"testing"

	"ociedge/cache/cachetest"
	"ociedge/oci"
)

// writeDirect stores values for skus in list l as a stream's import does
// (generation gen), without a core.
func writeDirect(c *Cache, l *listState, gen uint32, skus []string, v Value) {
	for start := 0; start < len(skus); start += 4096 {
		b := c.store.begin(l)
		end := min(start+4096, len(skus))
		ver := b.versions(end - start)
		for i := start; i < end; i++ {
			v.gen, v.version = gen, ver+uint64(i-start)
			b.put(skus[i], v)
		}
		b.end()
	}
}

func TestLookupResults(t *testing.T) {
	c := mustNew(t, testConfig(t, &cachetest.Core{}, newClock(noon), List{ID: "wh-a"}, List{ID: "wh-b"}))
	a, b := c.lists.Load().lists[0], c.lists.Load().lists[1]
	gen := a.beginImport()
	writeDirect(c, a, gen, []string{"hit", "gone"}, valueOf(&oci.Values{OnHand: 5 * oci.Unit, ATO: 5 * oci.Unit, Exists: true}))
	writeDirect(c, a, gen, []string{"gone"}, tombstone())
	a.finishImport(gen, noon, 0, 2)
	writeDirect(c, b, b.beginImport(), []string{"old"}, Value{Exists: true})
	b.invalidate()

	cases := []struct {
		list ListID
		sku  string
		want Status
	}{
		{0, "hit", Hit}, {0, "nothing", Miss}, {0, "gone", Tombstone}, {1, "old", Stale}, {7, "hit", Miss},
	}
	for _, tc := range cases {
		if _, got := c.Lookup(tc.list, []byte(tc.sku)); got != tc.want {
			t.Errorf("list %d sku %s: %s, want %s", tc.list, tc.sku, got, tc.want)
		}
	}
	if v, _ := c.LookupString(0, "hit"); v.OnHand != 5*oci.Unit || v.NoRecord() || !v.Exists {
		t.Errorf("hit value %+v", v)
	}
	if a.count.total() != 1 || b.count.total() != 0 {
		t.Errorf("items cached %d and %d, want 1 and 0", a.count.total(), b.count.total())
	}
	if got := counterValue(c.m.lookups[Hit]); got < 1 {
		t.Errorf("hit metric %v", got)
	}
}

func TestLookupHitDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	c := mustNew(t, testConfig(t, &cachetest.Core{}, newClock(noon), List{ID: "wh-a"}))
	l := c.lists.Load().lists[0]
	writeDirect(c, l, l.beginImport(), []string{"sku-1"}, Value{Exists: true})
	sku := []byte("sku-1")
	var st Status
	allocs := testing.AllocsPerRun(10_000, func() { _, st = c.Lookup(0, sku) })
	if allocs != 0 || st != Hit {
		t.Errorf("%v allocations per hit (%s)", allocs, st)
	}
}

func TestNewValidatesConfig(t *testing.T) {
	core := &cachetest.Core{}
	for name, cfg := range map[string]Config{
		"no core":            {},
		"bad list id":        {Core: core, Lists: []List{{ID: "a b"}}},
		"duplicate list":     {Core: core, Lists: []List{{ID: "wh-a"}, {ID: "wh-a"}}},
		"negative records":   {Core: core, MaxRecords: -1},
		"too few counters":   {Core: core, MaxRecords: 100, NumCounters: 10},
		"negative poll time": {Core: core, PollInterval: -1},
	} {
		if c, err := New(cfg); err == nil {
			c.Close()
			t.Errorf("%s: no error", name)
		}
	}
	cfg := Config{Core: core}
	if err := cfg.setDefaults(); err != nil {
		t.Fatal(err)
	}
	if cfg.MaxRecords != DefaultMaxRecords || cfg.NumCounters != CountersPerRecord*DefaultMaxRecords || cfg.PollInterval != DefaultPollInterval ||
		cfg.GraphPollInterval != DefaultGraphPollInterval || cfg.MissWait != DefaultMissWait || cfg.BufferItems != 64 {
		t.Errorf("defaults not applied: %+v", cfg)
	}
}

func TestValueStaysSmall(t *testing.T) {
	if got := unsafe.Sizeof(Value{}); got != valueSize {
		t.Errorf("Value is %d bytes, want %d", got, valueSize)
	}
}
