package cache

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"ociedge/cache/cachetest"
	"ociedge/oci"
)

// dropping decorates ristretto: Sets of keys not yet cached are dropped
// (return false, nothing stored) when drop says so, as ristretto does when
// its set buffer is full.
type dropping struct {
	backend
	drop    func(key []byte, attempt int) bool
	mu      sync.Mutex // guards attempts
	attempt map[string]int
}

func (d *dropping) Set(key []byte, v Value, cost int64) bool {
	if _, ok := d.backend.Get(key); !ok {
		d.mu.Lock()
		n := d.attempt[string(key)]
		d.attempt[string(key)]++
		d.mu.Unlock()
		if d.drop(key, n) {
			return false
		}
	}
	return d.backend.Set(key, v, cost)
}

func withDrops(c *Cache, drop func(key []byte, attempt int) bool) {
	c.store.rc = &dropping{backend: c.store.rc, drop: drop, attempt: map[string]int{}}
}

func TestDroppedSetsAreRetriedAndCounted(t *testing.T) {
	clk := newClock(noon)
	core := &cachetest.Core{Now: clk.Now}
	core.SetGraph(testGraph)
	fill(core, "wh-a", 1000)
	c := mustNew(t, testConfig(t, core, clk, List{ID: "wh-a", Site: true}))
	withDrops(c, func(key []byte, attempt int) bool {
		sku := string(key[2:])
		return strings.HasSuffix(sku, "7") || attempt == 0 && strings.HasSuffix(sku, "1")
	})
	c.Start()
	await(t, "full import", imported(c))

	// sku-…1 was dropped once and retried; sku-…7 was dropped every time.
	s := statusOf(t, c, "wh-a")
	if s.ItemsCached != 900 || s.Lost != 100 || s.ImportRecords != 1000 {
		t.Errorf("status %+v, want 900 cached, 100 lost", s)
	}
	if got := audit(c)[0]; got != 900 {
		t.Errorf("ristretto holds %d, want 900", got)
	}
	l := mustListID(t, c, "wh-a")
	if _, st := c.LookupString(l, "sku-17"); st != Miss {
		t.Errorf("a lost Set: %s, want a miss (never stale data)", st)
	}
	if _, st := c.LookupString(l, "sku-11"); st != Hit {
		t.Errorf("a retried Set: %s, want a hit", st)
	}
	if d, lost := counterValue(c.m.SetsDropped), counterValue(c.m.SetsLost); d != 100+100*float64(DefaultSetRetries+1) || lost != 100 {
		t.Errorf("dropped %v lost %v", d, lost)
	}
}

func TestItemsCachedExactWhenTheCacheIsTooSmall(t *testing.T) {
	clk := newClock(noon)
	core := &cachetest.Core{Now: clk.Now}
	core.SetGraph(testGraph)
	fill(core, "wh-a", 3000)
	fill(core, "wh-b", 3000)
	cfg := testConfig(t, core, clk, List{ID: "wh-a", Site: true}, List{ID: "wh-b", Site: true})
	cfg.MaxRecords = 1000
	c := mustNew(t, cfg)
	c.Start()
	await(t, "full import", imported(c))

	truth := audit(c)
	var total int64
	for _, s := range c.Status() {
		id := mustListID(t, c, s.ID)
		hits := int64(0)
		for i := range 3000 {
			if _, st := c.LookupString(id, fmt.Sprint("sku-", i)); st == Hit {
				hits++
			}
		}
		if s.ItemsCached != truth[id] || s.ItemsCached != hits {
			t.Errorf("%s: items cached %d, ristretto holds %d, lookups hit %d", s.ID, s.ItemsCached, truth[id], hits)
		}
		if s.Rejected+s.Evicted == 0 {
			t.Errorf("%s: no rejection or eviction reported: %+v", s.ID, s)
		}
		total += s.ItemsCached
	}
	if total > 1000 {
		t.Errorf("%d items cached in a 1000-record cache", total)
	}
	if counterValue(c.m.SetsRejected)+counterValue(c.m.Evictions) == 0 {
		t.Error("rejections and evictions not in the metrics")
	}
}

// TestItemsCachedExactUnderConcurrentWriters hammers real ristretto from
// many writers at once (as streams and fallbacks do) — its set buffer
// overflows and its policy evicts — and checks that each list's count
// equals what ristretto holds.
func TestItemsCachedExactUnderConcurrentWriters(t *testing.T) {
	for _, size := range []int64{1_000_000, 30_000} {
		t.Run(fmt.Sprint("maxRecords=", size), func(t *testing.T) {
			const lists, keys = 6, 20_000
			var cfgLists []List
			for i := range lists {
				cfgLists = append(cfgLists, List{ID: fmt.Sprint("list-", i)})
			}
			cfg := testConfig(t, &cachetest.Core{}, newClock(noon), cfgLists...)
			cfg.MaxRecords = size
			c := mustNew(t, cfg)
			var writers, reader sync.WaitGroup
			var stop atomic.Bool
			for i := range lists {
				writers.Add(1)
				go func() {
					defer writers.Done()
					hammer(c, c.lists.Load().lists[i], keys, uint64(i))
				}()
			}
			reader.Add(1)
			go func() { // a reader keeps the admission policy busy
				defer reader.Done()
				r := rand.New(rand.NewPCG(1, 2))
				for !stop.Load() {
					c.LookupString(ListID(r.IntN(lists)), fmt.Sprint("k-", r.IntN(keys)))
				}
			}()
			writers.Wait()
			stop.Store(true)
			reader.Wait()
			truth := audit(c)
			var total int64
			for _, s := range c.Status() {
				id := mustListID(t, c, s.ID)
				if s.ItemsCached != truth[id] {
					t.Errorf("%s: items cached %d, ristretto holds %d (rejected %d, evicted %d, lost %d)",
						s.ID, s.ItemsCached, truth[id], s.Rejected, s.Evicted, s.Lost)
				}
				total += s.ItemsCached
			}
			t.Logf("cached %d of %d; dropped %v, rejected %v, evicted %v", total, lists*keys,
				counterValue(c.m.SetsDropped), counterValue(c.m.SetsRejected), counterValue(c.m.Evictions))
			if total > size {
				t.Errorf("%d items cached in a %d-record cache", total, size)
			}
		})
	}
}

// hammer writes keys as a stream's import does, in batches, some of them
// tombstones and some fallback values.
func hammer(c *Cache, l *listState, keys int, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 7))
	gen := l.beginImport()
	const batch = 10_000 // six writers overflow ristretto's 32k set buffer
	for start := 0; start < keys; start += batch {
		b := c.store.begin(l)
		ver := b.versions(batch)
		for i := start; i < min(start+batch, keys); i++ {
			v := valueOf(&oci.Values{SKU: "x", OnHand: oci.Qty(i), Exists: true})
			v.gen, v.version = gen, ver+uint64(i-start)
			switch r.IntN(10) {
			case 0:
				v = tombstone()
				v.gen = gen
			case 1:
				v.version = 0 // a fallback value
			}
			b.put(fmt.Sprint("k-", i), v)
		}
		b.end()
	}
}
