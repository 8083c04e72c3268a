package proxy_test

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"ociedge/internal/faultproxy"
	"ociedge/oci"
	"ociedge/proxy"
)

// faultConfig lets each order try the core three times and opens the
// circuit after three failed calls, for openFor of the edge's clock (which
// the test moves on, so that the circuit stays open for as long as the
// test needs on a slow machine, and no longer).
var faultConfig = strings.Replace(baseConfig, "timeout: 2s, retries: 1",
	"timeout: 2s, retries: 2, breaker: {failures: 3, openFor: 1m}", 1)

const openFor = time.Minute

// fastFail bounds the answer to an order while the circuit is open:
// generous for a noisy 2-core machine under the race detector, far below
// one core call's timeout.
const fastFail = 500 * time.Millisecond

// faultWorld is a core, a fault proxy in front of it and an edge in this
// process that reaches the core only through the proxy.
type faultWorld struct {
	t     *testing.T
	core  reliableCore
	fp    *faultproxy.Proxy
	e     *proxy.Edge
	edge  remote
	reach atomic.Int64   // reservation-document requests that reached the proxy
	skew  atomic.Int64   // how far the edge's clock is ahead of the real one
	acked map[string]int // what acknowledged orders reserved, by sku
	phase string         // named in failures
}

func newFaultWorld(t *testing.T) *faultWorld {
	t.Helper()
	w := &faultWorld{t: t, core: startCore(t), acked: map[string]int{}}
	fp, err := faultproxy.Start(strings.TrimPrefix(w.core.node.URL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fp.Close() })
	w.fp = fp
	putGraph(t, w.core, graphWithAustin)
	for _, sku := range burstSKUs {
		setCoreStock(t, w.core, "wh-a", sku, 100)
	}
	w.setFaults(nil)
	w.e = startEdge(t, faultConfig, fp.URL(), edgeOpts{now: w.now})
	w.edge = remote{t: t, url: w.e.URL()}
	w.edge.toOCIMode(30 * time.Second)
	return w
}

// now is the edge's clock: real time, moved on by the test.
func (w *faultWorld) now() time.Time { return time.Now().Add(time.Duration(w.skew.Load())) }

// setFaults installs rule (nil: none), counting every reservation-document
// request that reaches the proxy, faulted or not.
func (w *faultWorld) setFaults(rule faultproxy.Rule) {
	w.fp.Set(func(method, path string) faultproxy.Fault {
		if strings.Contains(path, "/reservation-documents") {
			w.reach.Add(1)
		}
		if rule == nil {
			return faultproxy.Pass
		}
		return rule(method, path)
	})
}

func everything(f faultproxy.Fault) faultproxy.Rule {
	return func(string, string) faultproxy.Fault { return f }
}

// order checks out qty of sku and remembers an acknowledged order.
func (w *faultWorld) order(sku string, qty int) (resp, time.Duration) {
	w.t.Helper()
	start := time.Now()
	r, err := w.edge.checkout(sku, qty)
	took := time.Since(start)
	if err != nil {
		w.t.Fatal(err)
	}
	if r.status == 200 {
		w.acked[sku] += qty
	}
	return r, took
}

func (w *faultWorld) circuit() string {
	return w.edge.admin("GET", "/admin/api/oci/status", "").json(w.t)["circuit"].(string)
}

// mustUnavailable fails unless r is the edge's clean refusal of an order
// it could not reserve: 503, a problem body, Retry-After.
func (w *faultWorld) mustUnavailable(r resp) {
	w.t.Helper()
	if r.status != 503 || r.header["content-type"] != "application/problem+json" ||
		!strings.Contains(string(r.body), "service-unavailable") || r.header["retry-after"] == "" {
		w.t.Fatalf("%s: order: %d %v %s", w.phase, r.status, r.header, r.body)
	}
}

// cacheAge asks Shopper Availability for sku; it must be a cache hit with
// the stock it had, and its age is returned.
func (w *faultWorld) cacheAge(sku, ats string) time.Duration {
	w.t.Helper()
	r := w.edge.do("GET", "/product/shopper-availability/v1/organizations/"+org+"/availability?siteId=RefArch&productIds="+sku, "", nil)
	if r.status != 200 || r.header["x-ociedge-cache"] != "hit" || !strings.Contains(string(r.body), `"ats":`+ats+`,`) {
		w.t.Fatalf("%s: availability: %d %v %s", w.phase, r.status, r.header, r.body)
	}
	ms, err := strconv.Atoi(r.header["x-ociedge-cache-age-ms"])
	if err != nil {
		w.t.Fatalf("no cache age: %v", r.header)
	}
	return time.Duration(ms) * time.Millisecond
}

// settle runs the orders job until it has settled the work the open
// circuit left pending (rollbacks of orders that failed).
func (w *faultWorld) settle() {
	w.t.Helper()
	eventually(w.t, 10*time.Second, "pending reservation work settled", func() bool {
		rep, err := w.e.RunOrderJobs(context.Background())
		if err != nil {
			w.t.Fatal(err)
		}
		return rep.Pending == 0
	})
}

// TestReliabilityCoreFaults: between the edge and the core a fault proxy
// adds latency, resets connections, answers 503 and 429 with Retry-After,
// and drops answers after the core committed. Throughout, Shopper
// Availability answers from the cache (a hit, with a growing age); an order
// that meets a failing core is refused with a clean 503 problem; three
// failed calls open the circuit, and while it is open orders are refused
// in well under fastFail without one request reaching the core; once the
// core is back the circuit closes, lost answers are replayed by their
// retries, the core holds exactly what the acknowledged orders reserved,
// reconciliation is clean and the cache converges.
func TestReliabilityCoreFaults(t *testing.T) {
	w := newFaultWorld(t)
	for _, p := range []struct {
		name string
		run  func()
	}{
		{"latency", w.latency},
		{"connection resets", func() { w.outage(faultproxy.Reset) }},
		{"503s", func() { w.outage(faultproxy.Error503) }},
		{"429s with Retry-After", func() { w.outage(faultproxy.TooMany) }},
		{"answers lost after the commit", w.lostAnswers},
	} {
		start := time.Now()
		w.phase = p.name
		p.run()
		t.Logf("%s: %s", p.name, time.Since(start))
	}
	w.phase = "after the faults"
	w.settle()
	for _, sku := range burstSKUs {
		if got, want := w.core.groupReserved(t, "online-us", sku), oci.Qty(w.acked[sku])*oci.Unit; got != want {
			t.Errorf("the core holds %s of %s; the acknowledged orders reserved %s", got, sku, want)
		}
	}
	w.edge.mustClean(10 * time.Second)
	w.edge.mustConverged()
	w.core.mustInvariants(t)
}

// latency: a slow link slows orders down and nothing else.
func (w *faultWorld) latency() {
	w.fp.SetDelay(100 * time.Millisecond)
	w.setFaults(everything(faultproxy.Delay))
	defer w.setFaults(nil)
	r, took := w.order("sku-0", 2)
	if r.status != 200 || took < 100*time.Millisecond {
		w.t.Fatalf("%s: order in %s: %d %s", w.phase, took, r.status, r.body)
	}
	w.cacheAge("sku-1", "100")
	if w.fp.Count(faultproxy.Delay) == 0 {
		w.t.Fatalf("%s: no request was delayed", w.phase)
	}
}

// lostAnswers: the core commits and the answer is lost. Once, and the
// retry with the same id replays the reservation; always, and the order
// fails and its reservation is rolled back (by the job: the failures open
// the circuit).
func (w *faultWorld) lostAnswers() {
	w.setFaults(faultproxy.Once(faultproxy.PathContains("PUT", "/reservation-documents/", faultproxy.DropResponse)))
	if r, _ := w.order("sku-3", 3); r.status != 200 {
		w.t.Fatalf("%s: order whose first answer was lost: %d %s", w.phase, r.status, r.body)
	}
	w.setFaults(faultproxy.PathContains("PUT", "/reservation-documents/", faultproxy.DropResponse))
	r, _ := w.order("sku-4", 4)
	w.mustUnavailable(r)
	w.awaitClosed()
}

// outage makes every call to the core fail with fault: the first order
// fails after its retries and opens the circuit; then orders fail fast
// without reaching the core, availability is served from the cache with a
// growing age; then the core comes back and orders go through again.
func (w *faultWorld) outage(fault faultproxy.Fault) {
	t := w.t
	w.setFaults(everything(fault))
	r, took := w.order("sku-1", 1)
	w.mustUnavailable(r)
	if st := w.circuit(); st != "open" {
		t.Fatalf("%s: circuit after a failed order: %s", w.phase, st)
	}
	before := w.reach.Load()
	for range 3 {
		r, took = w.order("sku-1", 1)
		w.mustUnavailable(r)
		if took > fastFail {
			t.Errorf("%s: an order took %s to fail while the circuit is open; want < %s", w.phase, took, fastFail)
		}
	}
	if n := w.reach.Load() - before; n != 0 || w.circuit() != "open" {
		t.Fatalf("%s: %d reservation requests reached the core while the circuit was open (%s)", w.phase, n, w.circuit())
	}
	// The streams poll every 10ms: an age of 200ms means they have not
	// reached the core for that long.
	age := w.cacheAge("sku-1", "100")
	eventually(t, 5*time.Second, w.phase+": the cache age to grow", func() bool {
		a := w.cacheAge("sku-1", "100")
		return a > age && a >= 200*time.Millisecond
	})
	w.setFaults(nil)
	w.awaitClosed()
}

// awaitClosed moves the edge's clock past the circuit's open time: the
// next order is the trial call, and its success closes the circuit. Then
// the streams catch up with the core again.
func (w *faultWorld) awaitClosed() {
	w.t.Helper()
	w.setFaults(nil)
	w.skew.Add(int64(openFor + time.Second))
	if r, _ := w.order("sku-2", 1); r.status != 200 || w.circuit() != "closed" {
		w.t.Fatalf("%s: the trial order after the recovery: %d %s (circuit %s)", w.phase, r.status, r.body, w.circuit())
	}
	eventually(w.t, 5*time.Second, w.phase+": the streams to catch up", func() bool {
		return w.cacheAge("sku-1", "100") < 100*time.Millisecond
	})
}
