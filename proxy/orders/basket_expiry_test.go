package orders

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"ociedge/internal/kv"
	"ociedge/modes"
	"ociedge/proxy/config"
)

// withLifetime sets RefArch's basket lifetime (NoAutoFail keeps the
// default, 7 days).
func withLifetime(d time.Duration) func(*Config) {
	return func(c *Config) {
		for i := range c.Edge.Sites {
			if c.Edge.Sites[i].ID == testSite {
				c.Edge.Sites[i].BasketLifetime = config.Minutes(d)
			}
		}
	}
}

func (f *fixture) runJobs() JobReport {
	f.tb.Helper()
	rep, err := f.svc.RunJobs(context.Background())
	if err != nil {
		f.tb.Fatal(err)
	}
	return rep
}

func (f *fixture) basketGone(site, id string) bool {
	f.tb.Helper()
	_, err := f.svc.Basket(site, id)
	if err != nil && ErrorCode(err) != EBASKETNOTFOUND {
		f.tb.Fatal(err)
	}
	return err != nil
}

// TestBasketLifetime: a basket not modified for its site's basket lifetime
// is gone (404 at once, deleted by the job with its reservation released),
// exactly once, counted and logged; a change starts the lifetime again;
// each site has its own lifetime (7 days by default); a basket that became
// an order leaves nothing behind.
func TestBasketLifetime(t *testing.T) {
	for _, m := range []modes.Mode{modes.OmnichannelInventory, modes.CommercePlatform} {
		t.Run(m.String(), func(t *testing.T) {
			metrics := NewMetrics()
			core, logs := observer.New(zap.InfoLevel)
			f := newFixture(t, fixtureOpts{mode: m, cfg: func(c *Config) {
				withLifetime(time.Hour)(c)
				c.Metrics, c.Logger = metrics, zap.New(core)
			}})
			f.stock("wh-a", "sku", 100)
			f.allocate("online", "sku", 100)
			reserved := f.mustBasket(item("sku", 3))
			f.mustReserve(reserved.ID, ReserveOptions{Minutes: 240})
			edited := f.mustBasket(item("sku", 1))
			other, err := f.svc.CreateBasket("NoAutoFail", []ItemInput{item("sku", 1)})
			if err != nil {
				t.Fatal(err)
			}
			ordered, err := f.svc.CreateBasket("NoAutoFail", []ItemInput{item("sku", 2)})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.CreateOrder(context.Background(), "NoAutoFail", ordered.ID); err != nil {
				t.Fatal(err)
			}
			// What the order holds: reserved at the core (OCI); in the
			// edge's inventory an order raises turnover, which wantHeld
			// does not count.
			orderHeld := int64(0)
			if m == modes.OmnichannelInventory {
				orderHeld = 2
			}
			f.wantHeld(m, "sku", 3+orderHeld)

			f.clock.Advance(30 * time.Minute)
			if _, err := f.svc.AddItems(testSite, edited.ID, []ItemInput{item("sku", 1)}); err != nil {
				t.Fatal(err)
			}
			f.clock.Advance(29 * time.Minute)
			if rep := f.runJobs(); rep.BasketsExpired != 0 || f.basketGone(testSite, reserved.ID) {
				t.Fatalf("a minute before the lifetime ends: %+v", rep)
			}
			f.clock.Advance(time.Minute)
			if !f.basketGone(testSite, reserved.ID) {
				t.Error("a basket past its lifetime is gone before the job runs")
			}
			if st, body := f.do("GET", withSite(basketsPath("/"+reserved.ID)), ""); st != 404 || !strings.Contains(string(body), "basket-not-found") {
				t.Errorf("GET of the expired basket: %d %s", st, body)
			}
			f.wantHeld(m, "sku", 3+orderHeld)
			if rep := f.runJobs(); rep.BasketsExpired != 1 {
				t.Fatalf("the job at the end of the lifetime: %+v", rep)
			}
			f.wantHeld(m, "sku", orderHeld) // the basket's reservation is released, the order's stays
			if f.basketGone(testSite, edited.ID) || f.basketGone("NoAutoFail", other.ID) {
				t.Fatal("the edited basket and the other site's basket are alive")
			}
			if rep := f.runJobs(); rep.BasketsExpired != 0 {
				t.Fatalf("a second run expires nothing more: %+v", rep)
			}

			f.clock.Advance(30 * time.Minute)
			if rep := f.runJobs(); rep.BasketsExpired != 1 || !f.basketGone(testSite, edited.ID) {
				t.Fatalf("the edited basket, an hour after its change: %+v", rep)
			}
			f.clock.Advance(7*24*time.Hour - 90*time.Minute - time.Second) // 7 days after its creation, less a second
			if rep := f.runJobs(); rep.BasketsExpired != 0 {
				t.Fatalf("the other site's basket before 7 days: %+v", rep)
			}
			f.clock.Advance(time.Second)
			if rep := f.runJobs(); rep.BasketsExpired != 1 || !f.basketGone("NoAutoFail", other.ID) {
				t.Fatalf("the other site's basket at 7 days: %+v", rep)
			}
			if n := countKeys(t, f.kv, "orders/m/"); n != 0 {
				t.Errorf("%d lifetime index entries left (the ordered basket's included)", n)
			}
			if got := counterValue(t, metrics.BasketsExpired); got != 3 {
				t.Errorf("ociedge_baskets_expired_total = %v, want 3", got)
			}
			if n := logs.FilterMessage("baskets expired").Len(); n != 3 {
				t.Errorf("%d 'baskets expired' lines, want one per run that expired some (3)", n)
			}
		})
	}
}

// TestBasketLifetimeAcrossRestart: the lifetime index is durable, and a
// store written before it existed gets it at the next start.
func TestBasketLifetimeAcrossRestart(t *testing.T) {
	f := newFixture(t, fixtureOpts{mode: modes.OmnichannelInventory, edgeDir: t.TempDir(), cfg: withLifetime(time.Hour)})
	old := f.mustBasket(item("sku", 1))
	kept := f.mustBasket(item("sku", 1))
	// old predates the index: drop its entry and the marker.
	var b kv.Batch
	for _, k := range keys(t, f.kv, "orders/m/") {
		if strings.HasSuffix(k, "/"+old.ID) {
			b.Delete([]byte(k))
		}
	}
	b.Delete([]byte("orders/x/m-index"))
	if err := f.kv.Write(&b); err != nil {
		t.Fatal(err)
	}
	if n := countKeys(t, f.kv, "orders/m/"); n != 1 {
		t.Fatalf("%d index entries after dropping old's, want 1", n)
	}
	f.reopenEdge()
	if n := countKeys(t, f.kv, "orders/m/"); n != 2 {
		t.Fatalf("%d index entries after the restart, want 2", n)
	}
	f.clock.Advance(time.Hour)
	if rep := f.runJobs(); rep.BasketsExpired != 2 || !f.basketGone(testSite, old.ID) || !f.basketGone(testSite, kept.ID) {
		t.Fatalf("both baskets expire after the restart: %+v", rep)
	}
}

func keys(tb testing.TB, st kv.Store, prefix string) []string {
	tb.Helper()
	var out []string
	if err := st.Scan([]byte(prefix), func(k, _ []byte) error {
		out = append(out, string(k))
		return nil
	}); err != nil {
		tb.Fatal(err)
	}
	return out
}

func countKeys(tb testing.TB, st kv.Store, prefix string) int { return len(keys(tb, st, prefix)) }
