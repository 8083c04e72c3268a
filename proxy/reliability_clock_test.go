package proxy_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ociedge/internal/faultproxy"
	"ociedge/oci"
	"ociedge/proxy"
)

// jumpClock is a clock that stands still until the test moves it, in
// either direction. Safe for concurrent use.
type jumpClock struct{ ns atomic.Int64 }

func newJumpClock(t time.Time) *jumpClock {
	c := &jumpClock{}
	c.ns.Store(t.UnixNano())
	return c
}

func (c *jumpClock) now() time.Time      { return time.Unix(0, c.ns.Load()).UTC() }
func (c *jumpClock) set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func (c *jumpClock) add(d time.Duration) { c.ns.Add(int64(d)) }

// cancelCounter counts the cancels (PATCH) each reservation document gets
// on its way to the core.
type cancelCounter struct {
	mu sync.Mutex // guards n
	n  map[string]int
}

func (c *cancelCounter) rule(method, path string) faultproxy.Fault {
	if i := strings.Index(path, "/reservation-documents/"); i >= 0 && method == "PATCH" {
		c.mu.Lock()
		c.n[path[i+len("/reservation-documents/"):]]++
		c.mu.Unlock()
	}
	return faultproxy.Pass
}

func (c *cancelCounter) count(doc string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[doc]
}

// TestReliabilityAutoFailClockJumps: four orders are created in
// Omnichannel Inventory mode and one is placed; the edge's clock jumps to
// just before failNonPlacedOrdersAfter (nothing fails), then past it (the
// three orders still created fail, each once, and each reservation gets
// exactly one cancel at the core), then back an hour and forward again,
// and the edge restarts with the clock ahead: no order is failed or
// released twice, the placed order keeps its reservation, and
// reconciliation is clean.
func TestReliabilityAutoFailClockJumps(t *testing.T) {
	core := startCore(t)
	putGraph(t, core, graphWithAustin)
	setCoreStock(t, core, "wh-a", "sku-0", 100)
	fp, err := faultproxy.Start(strings.TrimPrefix(core.node.URL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fp.Close() })
	cancels := &cancelCounter{n: map[string]int{}}
	fp.Set(cancels.rule)

	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := newJumpClock(start)
	dir := t.TempDir()
	e := startEdge(t, baseConfig, fp.URL(), edgeOpts{now: clock.now, dir: dir})
	edge := remote{t: t, url: e.URL()}
	edge.toOCIMode(30 * time.Second)
	var nos []string
	for i := range 4 {
		r, err := edge.checkout("sku-0", i+1)
		if err != nil || r.status != 200 {
			t.Fatalf("checkout: %v %d %s", err, r.status, r.body)
		}
		nos = append(nos, r.json(t)["orderNo"].(string))
	}
	placed := nos[3]
	if r := edge.do("PUT", "/checkout/orders/v1/organizations/"+org+"/orders/"+placed+"/status?siteId=RefArch", "",
		[]byte(`{"status":"new"}`)); r.status != 204 {
		t.Fatalf("place: %d %s", r.status, r.body)
	}

	jobs := func(e *proxy.Edge, want int) {
		t.Helper()
		rep, err := e.RunOrderJobs(context.Background())
		if err != nil || rep.AutoFailed != want || rep.Pending != 0 {
			t.Fatalf("at %s the job auto-failed %d (pending %d, %v); want %d", clock.now().Sub(start), rep.AutoFailed, rep.Pending, err, want)
		}
	}
	clock.add(30*time.Minute - time.Second)
	jobs(e, 0)
	clock.add(2 * time.Hour)
	jobs(e, 3)
	jobs(e, 0)
	clock.add(-time.Hour)
	jobs(e, 0)
	clock.add(24 * time.Hour)
	jobs(e, 0)
	e.Close()
	e = startEdge(t, baseConfig, fp.URL(), edgeOpts{now: clock.now, dir: dir})
	edge = remote{t: t, url: e.URL()}
	jobs(e, 0)

	for _, no := range nos {
		o, _ := edge.order(no)
		want, cancelled := "failed", 1
		if no == placed {
			want, cancelled = "new", 0
		}
		if o["status"] != want || cancels.count(docPrefix(no)+"1") != cancelled {
			t.Errorf("order %s: %s with %d cancels at the core; want %s with %d", no, o["status"], cancels.count(docPrefix(no)+"1"), want, cancelled)
		}
	}
	if got := core.groupReserved(t, "online-us", "sku-0"); got != 4*oci.Unit {
		t.Errorf("the core holds %s; want the placed order's 4", got)
	}
	edge.mustClean(10 * time.Second)
	core.mustInvariants(t)
}
