package node_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ociedge/oci"
	"ociedge/oci/client"
)

// burstGraph: two groups sharing L2, so that group promises compete.
var burstGraph = oci.Graph{
	Locations: []oci.Location{{ID: "L1"}, {ID: "L2"}, {ID: "L3"}},
	Groups:    []oci.Group{{ID: "GA", Locations: []string{"L1", "L2"}}, {ID: "GB", Locations: []string{"L2", "L3"}}},
}

var burstSKUs = []string{"s0", "s1", "s2"}

// stock puts g and gives every sku onHand units at each of locs.
func stock(t *testing.T, c *client.Client, g oci.Graph, locs, skus []string, onHand int64) {
	t.Helper()
	if err := c.PutGraph(bg(), g); err != nil {
		t.Fatal(err)
	}
	var recs []client.BatchRecord
	for _, l := range locs {
		for _, s := range skus {
			recs = append(recs, client.BatchRecord{ID: "stock-" + l + "-" + s, Location: l, SKU: s,
				OnHand: oci.Value(oci.Qty(onHand * 1000))})
		}
	}
	if errs, err := c.BatchUpdate(bg(), recs); err != nil || len(errs) > 0 {
		t.Fatalf("stock: %v %v", errs, err)
	}
}

// burst records the outcome of every reservation sent.
type burst struct {
	mu      sync.Mutex // guards the maps
	reqs    map[string]*oci.ReserveRequest
	acked   map[string]*oci.ReserveResult
	unknown map[string]bool // sent, but no answer: applied or not
	n       atomic.Int64    // acknowledged so far
	stop    atomic.Bool
}

func newBurst() *burst {
	return &burst{reqs: map[string]*oci.ReserveRequest{}, acked: map[string]*oci.ReserveResult{}, unknown: map[string]bool{}}
}

// run reserves from workers goroutines at the places given until stop,
// each from its own seeded generator; ids carry prefix.
func (b *burst) run(c *client.Client, seed uint64, prefix string, workers int, places []oci.Place, skus []string) *sync.WaitGroup {
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(w)))
			for i := 0; !b.stop.Load(); i++ {
				id := fmt.Sprintf("%s-w%d-%d", prefix, w, i)
				b.one(c, id, burstRequest(rng, places, skus))
			}
		}()
	}
	return &wg
}

func burstRequest(rng *rand.Rand, places []oci.Place, skus []string) *oci.ReserveRequest {
	p := places[rng.IntN(len(places))]
	pl := []oci.PlaceLines{{ID: p.ID, Lines: []oci.Line{{SKU: skus[rng.IntN(len(skus))], Quantity: oci.Qty(1000 * (1 + rng.Int64N(3)))}}}}
	if p.Type == oci.PlaceGroup {
		return &oci.ReserveRequest{Groups: pl}
	}
	return &oci.ReserveRequest{Locations: pl}
}

// one sends one reservation and records its outcome: acknowledged,
// refused (a 4xx: nothing applied) or unknown (no answer, or a 5xx).
func (b *burst) one(c *client.Client, id string, req *oci.ReserveRequest) error {
	b.mu.Lock()
	b.reqs[id] = req
	b.mu.Unlock()
	res, err := c.Reserve(bg(), id, req)
	var ae *client.APIError
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case err == nil:
		b.acked[id] = res
		b.n.Add(1)
	case errors.As(err, &ae) && ae.Status < 500:
	default:
		b.unknown[id] = true
	}
	return err
}

// check verifies, on a restarted core: every acknowledged reservation is
// there, holding what it was acknowledged, and replays its first result;
// every unanswered one is there whole or not at all.
func (b *burst) check(t *testing.T, c *client.Client) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for id, want := range b.acked {
		v, err := c.Reservation(bg(), id)
		if err != nil {
			t.Fatalf("acknowledged reservation %s lost: %v", id, err)
		}
		if got := held(v); got != reservedQty(want) {
			t.Fatalf("reservation %s holds %s, acknowledged %s", id, got, reservedQty(want))
		}
		replay, err := c.Reserve(bg(), id, b.reqs[id])
		if err != nil || mustMarshal(replay) != mustMarshal(want) {
			t.Fatalf("replay of %s after the restart: %+v %v; want the acknowledged %+v", id, replay, err, want)
		}
	}
	for id := range b.unknown {
		v, err := c.Reservation(bg(), id)
		if oci.ErrorCode(err) == oci.EntityNotFound {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		replay, err := c.Reserve(bg(), id, b.reqs[id])
		if err != nil || held(v) != reservedQty(replay) {
			t.Fatalf("unanswered reservation %s is half applied: holds %s, its result %+v (%v)", id, held(v), replay, err)
		}
	}
}

func held(v oci.ReservationView) oci.Qty {
	var t oci.Qty
	for _, ps := range [][]oci.PlaceHolding{v.Groups, v.Locations} {
		for _, p := range ps {
			for _, it := range p.Items {
				t += it.Quantity
			}
		}
	}
	return t
}

func reservedQty(r *oci.ReserveResult) oci.Qty {
	var t oci.Qty
	for _, ps := range [][]oci.PlaceResult{r.Groups, r.Locations} {
		for _, p := range ps {
			for _, d := range p.Details {
				t += d.Quantity
			}
		}
	}
	return t
}

func mustMarshal(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestKill9Process_DuringReservationBurst: SIGKILL of the core process while
// 16 clients reserve (group promises competing for shared stock, selling
// out) loses no acknowledged reservation, leaves none half applied, and
// the restarted core passes its invariant check: nothing oversold.
func TestKill9Process_DuringReservationBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("starts core processes")
	}
	rng := rand.New(rand.NewPCG(11, 1))
	dir := t.TempDir()
	p := startCore(t, dir)
	stock(t, p.client(t, true), burstGraph, []string{"L1", "L2", "L3"}, burstSKUs, 100)
	b := newBurst()
	places := []oci.Place{oci.Grp("GA"), oci.Grp("GB"), oci.Loc("L1"), oci.Loc("L2"), oci.Loc("L3")}
	wg := b.run(p.client(t, false), 11, "r", 16, places, burstSKUs)
	killAt := int64(200 + rng.IntN(300))
	awaitCond(t, fmt.Sprintf("%d acknowledged reservations", killAt), 60*time.Second, func() bool { return b.n.Load() >= killAt })
	p.Kill()
	b.stop.Store(true)
	wg.Wait()

	p = startCore(t, dir)
	c := p.client(t, true)
	b.check(t, c)
	mustInvariants(t, p.url)
	var sold oci.Qty
	for _, r := range b.acked {
		sold += reservedQty(r)
	}
	t.Logf("killed after %d acknowledged reservations (%d sent, %d unanswered); %s of the 900 units reserved",
		killAt, len(b.reqs), len(b.unknown), sold)
}
