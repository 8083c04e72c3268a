package proxy_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"ociedge/internal/kv"
	"ociedge/internal/kv/kvtest"
	"ociedge/oci"
	"ociedge/proxy"
	"ociedge/proxy/orders"
)

// acked is what the edge acknowledged before its disk failed, and the
// kind of the first write it refused: the one write whose fate is unknown
// (its WAL write may have reached the disk before the failed sync).
type acked struct {
	baskets map[string]bool
	orders  map[string]int    // order number → quantity of sku-0
	records map[string]string // OCAPI product id → allocation
	refused string            // "basket", "order" or "record"
	refusal resp              // the edge's answer to it
	// ordered is the basket of the refused order: gone if the order's
	// creation landed after all, there if not.
	ordered string
}

// uncertain is how many writes of kind may have landed unacknowledged.
func (a acked) uncertain(kind string) int {
	if a.refused == kind {
		return 1
	}
	return 0
}

// diskCase is one way the disk fails, in one mode.
type diskCase struct {
	name  string
	errno syscall.Errno
	oci   bool // Omnichannel Inventory mode, else Commerce Platform
	cause string
}

// diskWorld is a core and an edge on a disk that fails part way through a
// stream of writes (a seeded number of file writes in).
type diskWorld struct {
	t    *testing.T
	core reliableCore
	dir  string
	e    *proxy.Edge
	edge remote
	mode string // the mode the edge was put in
	a    acked
}

func newDiskWorld(t *testing.T, c diskCase) *diskWorld {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, uint64(c.errno)))
	w := &diskWorld{t: t, core: startCore(t), dir: t.TempDir(), mode: "COMMERCE_PLATFORM"}
	putGraph(t, w.core, graphWithAustin)
	setCoreStock(t, w.core, "wh-a", "sku-0", 1000)
	f := kvtest.NewDiskFault(c.errno)
	w.e = startEdge(t, baseConfig, w.core.node.URL(), edgeOpts{fs: f.FS(), dir: w.dir})
	w.edge = remote{t: t, url: w.e.URL()}
	if c.oci {
		w.edge.toOCIMode(30 * time.Second)
		w.mode = "OMNICHANNEL_INVENTORY"
	} else if r := putRecord(w.edge, "sku-0", 1000); r.status/100 != 2 {
		t.Fatalf("OCAPI put: %d %s", r.status, r.body)
	}
	f.Arm(int64(rng.IntN(40)))
	w.a = writeUntilRefused(t, w.edge, c.oci)
	t.Cleanup(f.Clear)
	return w
}

// TestReliabilityEdgeDiskFull: the edge's disk fills up or turns
// read-only part way through a stream of writes. Every write from then on
// — basket, order, mode change, OCAPI record — is refused with a 503 that
// names the cause (a JSON problem; an OCAPI fault); reads go on
// (Shopper Availability from the cache or the edge's records, baskets);
// /readyz is not ready and names the cause. Reopened on a healthy disk,
// the store holds every acknowledged basket, order and record, nothing
// written after the failure, and at most the one write in flight when the
// disk failed; orders begun but not acknowledged end failed and hold
// nothing; reconciliation is clean and the core holds what the created
// orders reserved.
func TestReliabilityEdgeDiskFull(t *testing.T) {
	for _, c := range []diskCase{
		{"disk full, omnichannel", syscall.ENOSPC, true, "no space left on device"},
		{"read-only, omnichannel", syscall.EROFS, true, "read-only file system"},
		{"disk full, commerce platform", syscall.ENOSPC, false, "no space left on device"},
		{"read-only, commerce platform", syscall.EROFS, false, "read-only file system"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newDiskWorld(t, c)
			mustStoreRefusal(t, "the first refused write ("+w.a.refused+")", w.a.refusal, c.cause)
			for what, r := range refusedWrites(t, w.edge, c.oci) {
				mustStoreRefusal(t, what, r, c.cause)
			}
			rd := w.edge.do("GET", "/readyz", "", nil)
			if rd.status != 503 || !strings.Contains(string(rd.body), "the store cannot be written") || !strings.Contains(string(rd.body), c.cause) {
				t.Errorf("/readyz: %d %s", rd.status, rd.body)
			}
			checkReads(t, w.edge, w.a)

			w.e.Close() // may fail: the disk is still broken
			checkStoredBaskets(t, w.dir, w.a)
			w.e = startEdge(t, baseConfig, w.core.node.URL(), edgeOpts{dir: w.dir})
			w.edge = remote{t: t, url: w.e.URL()}
			held := checkAcked(t, w.edge, w.e.RunOrderJobs, w.a, w.mode)
			if c.oci {
				w.edge.mustClean(10 * time.Second)
				if got := w.core.groupReserved(t, "online-us", "sku-0"); got != oci.Qty(held)*oci.Unit {
					t.Errorf("the core holds %s; the created orders reserved %d", got, held)
				}
			}
			t.Logf("acknowledged: %d baskets, %d orders, %d records; then the store refused: %s",
				len(w.a.baskets), len(w.a.orders), len(w.a.records), w.a.refused)
		})
	}
}

func putRecord(edge remote, product string, allocation int) resp {
	return edge.do("PUT", "/s/-/dw/data/v25_6/inventory_lists/online-us/product_inventory_records/"+product, "admin-token",
		fmt.Appendf(nil, `{"allocation":{"amount":%d}}`, allocation))
}

// writeUntilRefused creates baskets, orders and (in Commerce Platform
// mode) OCAPI records in turn until the edge refuses one, and returns what
// it acknowledged.
func writeUntilRefused(t *testing.T, edge remote, ociMode bool) acked {
	t.Helper()
	a := acked{baskets: map[string]bool{}, orders: map[string]int{}, records: map[string]string{}}
	for i := 0; i < 1000; i++ {
		var r resp
		switch i % 3 {
		case 0:
			a.refused = "basket"
			if r = edge.do("POST", basketsPath, "", []byte(`{"productItems":[{"productId":"sku-0","quantity":1}]}`)); r.status == 200 {
				a.baskets[r.json(t)["basketId"].(string)] = true
			}
		case 1:
			a.refused = "basket"
			if r = edge.do("POST", basketsPath, "", []byte(`{"productItems":[{"productId":"sku-0","quantity":2}]}`)); r.status != 200 {
				break
			}
			id := r.json(t)["basketId"].(string)
			a.refused, a.ordered = "order", id
			if r = edge.do("POST", ordersPath, "", fmt.Appendf(nil, `{"basketId":%q}`, id)); r.status == 200 {
				a.orders[r.json(t)["orderNo"].(string)] = 2
				a.ordered = ""
			}
		case 2:
			if ociMode {
				continue
			}
			a.refused = "record"
			p := fmt.Sprintf("rec-%d", i)
			if r = putRecord(edge, p, i); r.status/100 == 2 {
				a.records[p] = fmt.Sprint(i)
			}
		}
		if r.status/100 != 2 {
			a.refusal = r
			return a
		}
	}
	t.Fatal("the disk fault never struck")
	return a
}

// mustStoreRefusal fails unless r refuses a write because the store cannot
// be written: 503, a JSON problem (or OCAPI fault) naming the cause.
func mustStoreRefusal(t *testing.T, what string, r resp, cause string) {
	t.Helper()
	if r.status != 503 || !strings.Contains(r.header["content-type"], "json") || !strings.Contains(string(r.body), cause) {
		t.Errorf("%s on a broken disk: %d %s; want 503 naming %q", what, r.status, r.body, cause)
	}
}

// refusedWrites tries each kind of write once more and returns the
// answers by kind.
func refusedWrites(t *testing.T, edge remote, ociMode bool) map[string]resp {
	t.Helper()
	out := map[string]resp{"a basket": edge.do("POST", basketsPath, "", []byte(`{"productItems":[{"productId":"sku-0","quantity":1}]}`))}
	r, err := edge.checkout("sku-0", 1)
	if err != nil {
		t.Fatal(err)
	}
	out["an order"] = r
	to := "OCI_CACHE_ENABLED"
	if ociMode {
		to = "COMMERCE_PLATFORM"
	} else {
		out["an OCAPI record"] = putRecord(edge, "rec-refused", 1)
	}
	out["a mode change"] = edge.setMode(to)
	return out
}

// checkReads: availability and the acknowledged baskets are still served.
func checkReads(t *testing.T, edge remote, a acked) {
	t.Helper()
	r := edge.do("GET", "/product/shopper-availability/v1/organizations/"+org+"/availability?siteId=RefArch&productIds=sku-0", "", nil)
	if r.status != 200 || !strings.Contains(string(r.body), `"id":"sku-0"`) {
		t.Errorf("availability on a broken disk: %d %s", r.status, r.body)
	}
	for id := range a.baskets {
		if r := edge.do("GET", "/checkout/shopper-baskets/v2/organizations/"+org+"/baskets/"+id+"?siteId=RefArch", "", nil); r.status != 200 {
			t.Errorf("basket %s on a broken disk: %d %s", id, r.status, r.body)
		}
	}
}

// checkStoredBaskets opens the closed edge's store on a healthy disk and
// compares the baskets it holds with the acknowledged ones.
func checkStoredBaskets(t *testing.T, dir string, a acked) {
	t.Helper()
	st, err := kv.OpenPebble(filepath.Join(dir, "store"), kv.PebbleConfig{})
	if err != nil {
		t.Fatalf("the store does not reopen on a healthy disk: %v", err)
	}
	defer st.Close()
	var extra, missing []string
	err = st.Scan([]byte("orders/b/"), func(k, _ []byte) error {
		if id := string(k[len("orders/b/"):]); !a.baskets[id] && id != a.ordered {
			extra = append(extra, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for id := range a.baskets {
		if _, ok, err := st.Get([]byte("orders/b/" + id)); err != nil || !ok {
			missing = append(missing, id)
		}
	}
	if len(extra) > a.uncertain("basket") || len(missing) > 0 {
		t.Errorf("baskets never acknowledged are stored: %v; acknowledged baskets lost: %v", extra, missing)
	}
}

// checkAcked: on the reopened edge the orders job settles what the refused
// writes left; every acknowledged order is created and every other order
// failed (but the one in flight); acknowledged records have their values
// and the refused one is absent; the mode is the one set before. It
// returns the quantity the created orders reserve.
func checkAcked(t *testing.T, edge remote, runJobs func(context.Context) (orders.JobReport, error), a acked, mode string) int {
	t.Helper()
	if rep, err := runJobs(context.Background()); err != nil || rep.Pending != 0 {
		t.Fatalf("the orders job after the reopen: %+v %v", rep, err)
	}
	last, held, unacked := 1001, 0, 0
	for no := range a.orders {
		var n int
		fmt.Sscanf(no, "%d", &n)
		last = max(last, n)
	}
	for n := 1001; n <= last+5; n++ {
		no := fmt.Sprintf("%08d", n)
		o, found := edge.order(no)
		switch {
		case !found && a.orders[no] > 0:
			t.Errorf("acknowledged order %s is lost", no)
		case !found:
		case o["status"] == "created":
			held += 2
			if a.orders[no] == 0 {
				unacked++
			}
		case a.orders[no] > 0 || o["status"] != "failed":
			t.Errorf("order %s: %v", no, o)
		}
	}
	if unacked > a.uncertain("order") {
		t.Errorf("%d orders never acknowledged are created", unacked)
	}
	for p, alloc := range a.records {
		r := edge.do("GET", "/s/-/dw/data/v25_6/inventory_lists/online-us/product_inventory_records/"+p, "admin-token", nil)
		if r.status != 200 || !strings.Contains(string(r.body), `"amount":`+alloc) {
			t.Errorf("record %s: %d %s; want allocation %s", p, r.status, r.body, alloc)
		}
	}
	if r := edge.do("GET", "/s/-/dw/data/v25_6/inventory_lists/online-us/product_inventory_records/rec-refused", "admin-token", nil); r.status != 404 {
		t.Errorf("a record refused on the broken disk: %d %s", r.status, r.body)
	}
	if got := edge.admin("GET", "/admin/api/oci/status", "").json(t)["mode"]; got != mode {
		t.Errorf("mode after the reopen: %v; want %s", got, mode)
	}
	return held
}
