package proxy_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"ociedge/oci"
)

var burstSKUs = []string{"sku-0", "sku-1", "sku-2", "sku-3", "sku-4"}

// orderLine is what an order reserved: one sku, a quantity.
type orderLine struct {
	sku string
	qty int
}

// TestReliabilityKill9EdgeDuringCheckoutBurst: 16 shoppers check out as fast
// as they can through an edge process in Omnichannel Inventory mode; after a
// seeded number of acknowledged orders the edge is SIGKILLed with requests
// in flight and started again on the same data directory. Then
// reconciliation finds nothing to repair, the core's invariants hold, every
// acknowledged order is there, created, with its reservation open at the
// core; every other order the edge began ended failed and holds nothing —
// except those it committed but had no time to answer (at most one per
// shopper), which are created and hold theirs; the core holds exactly what
// the created orders reserved; and the cache converges.
func TestReliabilityKill9EdgeDuringCheckoutBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an edge process")
	}
	const shoppers = 16
	rng := rand.New(rand.NewPCG(2026, 9))
	killAfter := 40 + rng.IntN(80)
	core := startCore(t)
	putGraph(t, core, graphWithAustin)
	for _, sku := range burstSKUs {
		setCoreStock(t, core, "wh-a", sku, 1000)
	}
	dir := edgeDir(t, baseConfig, core.node.URL())
	p := startEdgeProc(t, dir)
	e := remote{t: t, url: p.url}
	e.toOCIMode(30 * time.Second)

	acked := checkoutBurst(t, e, shoppers, killAfter, p.Kill)
	if len(acked) < killAfter {
		t.Fatalf("only %d orders acknowledged before the edge died; the kill was due after %d", len(acked), killAfter)
	}

	p = startEdgeProc(t, dir)
	e = remote{t: t, url: p.url}
	eventually(t, 30*time.Second, "the restarted edge ready", func() bool { return e.do("GET", "/readyz", "", nil).status == 200 })
	rep := e.mustClean(30 * time.Second)
	core.mustInvariants(t)
	found := checkOrdersAfterKill(t, e, core, acked, shoppers)
	for _, sku := range burstSKUs {
		if got, want := core.groupReserved(t, "online-us", sku), oci.Qty(found.reserved[sku])*oci.Unit; got != want {
			t.Errorf("the core holds %s of %s; the created orders reserved %s", got, sku, want)
		}
	}
	e.mustConverged()
	t.Logf("killed after %d acknowledged orders: %d more created but unanswered, %d failed; %v documents open",
		len(acked), found.unanswered, found.failed, rep["edgeDocuments"])
}

// afterKill is what the orders of a killed edge became.
type afterKill struct {
	reserved   map[string]int // what the created orders reserve, by sku
	unanswered int            // created orders never acknowledged
	failed     int            // orders begun, never acknowledged, failed
}

// checkoutBurst runs shoppers concurrent checkout loops with seeded skus and
// quantities against e, calls kill once killAfter orders are acknowledged,
// and returns the acknowledged orders once every loop saw the edge die.
func checkoutBurst(t *testing.T, e remote, shoppers, killAfter int, kill func()) map[string]orderLine {
	var mu sync.Mutex // guards acked and killed
	acked := map[string]orderLine{}
	killed := false
	var wg sync.WaitGroup
	for s := range shoppers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(s), 77))
			for {
				l := orderLine{sku: burstSKUs[rng.IntN(len(burstSKUs))], qty: 1 + rng.IntN(3)}
				r, err := e.checkout(l.sku, l.qty)
				if err != nil { // the edge is gone
					mu.Lock()
					if !killed {
						t.Errorf("checkout failed before the kill: %v", err)
					}
					mu.Unlock()
					return
				}
				if r.status != 200 {
					t.Errorf("checkout: %d %s", r.status, r.body)
					return
				}
				var o struct{ OrderNo string }
				if err := json.Unmarshal(r.body, &o); err != nil || o.OrderNo == "" {
					t.Errorf("checkout: %s", r.body)
					return
				}
				mu.Lock()
				acked[o.OrderNo] = l
				if len(acked) >= killAfter && !killed {
					killed = true
					kill()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return acked
}

// checkOrdersAfterKill reads every order the edge numbered and the core's
// open documents, checks them against the acknowledged orders, and returns
// what the orders became.
func checkOrdersAfterKill(t *testing.T, e remote, core reliableCore, acked map[string]orderLine, shoppers int) afterKill {
	t.Helper()
	open := openDocuments(t, core)
	out := afterKill{reserved: map[string]int{}}
	last := 0
	for no := range acked {
		var n int
		fmt.Sscanf(no, "%d", &n)
		last = max(last, n)
	}
	for n := 1001; n <= last+2*shoppers; n++ {
		no := fmt.Sprintf("%08d", n)
		o, found := e.order(no)
		want, wasAcked := acked[no]
		switch {
		case !found && wasAcked:
			t.Fatalf("acknowledged order %s is lost", no)
		case !found:
			continue
		case o["status"] == "failed":
			if wasAcked {
				t.Fatalf("acknowledged order %s is failed: %v", no, o)
			}
			if doc, held := open[docPrefix(no)]; held {
				t.Errorf("failed order %s still holds %v at the core", no, doc)
			}
			out.failed++
			continue
		case o["status"] != "created":
			t.Fatalf("order %s: %v", no, o)
		case !wasAcked:
			out.unanswered++
			items := o["productItems"].([]any)[0].(map[string]any)
			want = orderLine{sku: items["productId"].(string), qty: int(items["quantity"].(float64))}
		}
		if got := open[docPrefix(no)]; got[want.sku] != oci.Qty(want.qty)*oci.Unit || len(got) != 1 {
			t.Errorf("order %s (%d × %s) holds %v at the core", no, want.qty, want.sku, got)
		}
		delete(open, docPrefix(no))
		out.reserved[want.sku] += want.qty
	}
	if len(open) > 0 {
		t.Errorf("documents open at the core for no created order: %v", open)
	}
	if out.unanswered > shoppers {
		t.Errorf("%d orders created but never answered; at most %d were in flight", out.unanswered, shoppers)
	}
	return out
}

// docPrefix is how an order's core documents start (its id and a
// generation follow).
func docPrefix(no string) string { return org + "-o-" + no + "-" }

// openDocuments lists what the core's open reservation documents hold, by
// document prefix (see docPrefix) and sku.
func openDocuments(t *testing.T, core reliableCore) map[string]map[string]oci.Qty {
	t.Helper()
	out := map[string]map[string]oci.Qty{}
	err := core.client.ReservationsExport(context.Background(), "open", time.Time{}, func(v oci.ReservationView) error {
		key := v.ReservationID[:strings.LastIndexByte(v.ReservationID, '-')+1]
		if out[key] == nil {
			out[key] = map[string]oci.Qty{}
		}
		for _, ps := range [][]oci.PlaceHolding{v.Groups, v.Locations} {
			for _, p := range ps {
				for _, it := range p.Items {
					out[key][it.SKU] += it.Quantity
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
