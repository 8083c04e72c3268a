package cache

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"go.uber.org/goleak"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"ociedge/cache/cachetest"
	"ociedge/internal/clocktest"
	"ociedge/oci"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeClock is a clock the test moves by hand.
type fakeClock = clocktest.Clock

func newClock(t time.Time) *fakeClock { return clocktest.New(t) }

var noon = clocktest.Noon

// testConfig is a fast-paced config: polls and retries in milliseconds.
func testConfig(tb testing.TB, core Core, clk *fakeClock, lists ...List) Config {
	return Config{
		Core: core, Lists: lists, MaxRecords: 100_000,
		PollInterval: time.Millisecond, GraphPollInterval: 5 * time.Millisecond,
		RetryMin: time.Millisecond, RetryMax: 10 * time.Millisecond,
		MissWait: 5 * time.Second, TimeZone: time.UTC, Now: clk.Now,
		Logger:  zaptest.NewLogger(tb, zaptest.Level(zap.WarnLevel)),
		Metrics: NewMetrics(),
	}
}

func mustNew(tb testing.TB, cfg Config) *Cache {
	tb.Helper()
	c, err := New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

// await polls cond until it returns nil, failing the test with cond's last
// error after 20 s.
func await(tb testing.TB, what string, cond func() error) {
	tb.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%s: %v", what, err)
		}
		time.Sleep(time.Millisecond)
	}
}

func imported(c *Cache) func() error {
	return func() error {
		if !c.Imported() {
			return fmt.Errorf("not imported: %+v", c.Status())
		}
		return nil
	}
}

func mustListID(tb testing.TB, c *Cache, id string) ListID {
	tb.Helper()
	l, ok := c.ListID(id)
	if !ok {
		tb.Fatalf("no list %s", id)
	}
	return l
}

// matchesExport compares the cache with a fresh export of the core: every
// exported (list, sku) is cached with the core's values, Items Cached is
// the number of exported records, and none of the extra skus that the
// export lacks is served as a hit.
func matchesExport(c *Cache, core Core, extra ...string) func() error {
	return func() error {
		ctx := cachetest.Unfaulted(context.Background())
		g, _, err := core.Graph(ctx)
		if err != nil {
			return err
		}
		view := newGraphView(&g)
		for _, st := range c.Status() {
			if err := listMatches(ctx, c, core, view, st, extra); err != nil {
				return err
			}
		}
		return nil
	}
}

func listMatches(ctx context.Context, c *Cache, core Core, view graphView, st ListStatus, extra []string) error {
	lt := view.locationType(st.ID)
	if st.LocationType != lt {
		return fmt.Errorf("%s: Location Type %s, want %s", st.ID, st.LocationType, lt)
	}
	if lt == TypeNA {
		if st.ItemsCached != 0 {
			return fmt.Errorf("%s: N/A list has %d items cached", st.ID, st.ItemsCached)
		}
		return nil
	}
	want, err := exportOf(ctx, core, lt, st.ID)
	if err != nil {
		return err
	}
	id, _ := c.ListID(st.ID)
	live := int64(0)
	for sku, v := range want {
		exp := valueOf(&v)
		got, status := c.LookupString(id, sku)
		switch {
		case exp.noRecord && status != Tombstone && status != Miss:
			return fmt.Errorf("%s/%s: %s, want no record", st.ID, sku, status)
		case !exp.noRecord && (status != Hit || numbers(got) != numbers(exp)):
			return fmt.Errorf("%s/%s: %s %+v, want %+v", st.ID, sku, status, numbers(got), numbers(exp))
		}
		if !exp.noRecord {
			live++
		}
	}
	if st.ItemsCached != live {
		return fmt.Errorf("%s: %d items cached, the core exports %d", st.ID, st.ItemsCached, live)
	}
	for _, sku := range extra {
		if _, ok := want[sku]; !ok {
			if _, status := c.LookupString(id, sku); status == Hit {
				return fmt.Errorf("%s/%s: served as a hit but the core has no such record", st.ID, sku)
			}
		}
	}
	return nil
}

func exportOf(ctx context.Context, core Core, lt LocationType, id string) (map[string]oci.Values, error) {
	kind := oci.PlaceLocation
	if lt == TypeGroup {
		kind = oci.PlaceGroup
	}
	want := map[string]oci.Values{}
	_, err := core.Export(ctx, kind, []string{id}, func(_ string, vs []oci.Values) error {
		for _, v := range vs {
			want[v.SKU] = v
		}
		return nil
	})
	return want, err
}

// numbers is a value without its bookkeeping, for comparisons.
func numbers(v Value) Value {
	v.version, v.gen, v.list = 0, 0, 0
	return v
}

// audit counts, by walking ristretto, the live current values of each
// list: the truth Items Cached must equal.
func audit(c *Cache) map[ListID]int64 {
	out := map[ListID]int64{}
	t := c.lists.Load()
	c.store.rc.IterValues(func(v Value) bool {
		if l := t.get(v.list); l != nil && v.live() && v.gen >= l.floor.Load() {
			out[v.list]++
		}
		return false
	})
	return out
}

func itemsCached(c *Cache, id string) int64 {
	for _, s := range c.Status() {
		if s.ID == id {
			return s.ItemsCached
		}
	}
	return -1
}

func statusOf(tb testing.TB, c *Cache, id string) ListStatus {
	tb.Helper()
	for _, s := range c.Status() {
		if s.ID == id {
			return s
		}
	}
	tb.Fatalf("no status for %s", id)
	return ListStatus{}
}

// rec builds location values with the documented formulas.
func rec(sku string, onHand, reserved, safety float64) oci.Values {
	q := func(u float64) oci.Qty { return oci.Qty(u * 1000) }
	atf := max(0, q(onHand)-q(reserved)-q(safety))
	return oci.Values{SKU: sku, OnHand: q(onHand), Reserved: q(reserved), SafetyStock: q(safety), ATF: atf, ATO: atf,
		Exists: true, EffectiveDate: noon}
}

// fill puts n records sku-0..sku-(n-1) at place.
func fill(core *cachetest.Core, place string, n int) {
	for i := range n {
		core.Put(place, rec(fmt.Sprint("sku-", i), float64(i%50), float64(i%3), 1))
	}
}

var _ Core = (*cachetest.Core)(nil)

// fullImports counts the full imports the cache's streams ran (ok or not).
func fullImports(c *Cache) float64 {
	n := 0.0
	for _, kind := range []string{kindGroup, kindSite, kindCombined} {
		for _, outcome := range []string{"ok", "error"} {
			n += counterValue(c.m.Imports.WithLabelValues(kind, outcome))
		}
	}
	return n
}

func counterValue(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		panic(err)
	}
	return m.GetCounter().GetValue()
}
