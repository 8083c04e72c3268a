package proxy_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"ociedge/internal/faultproxy"
	"ociedge/oci"
)

const (
	basketsPath = "/checkout/shopper-baskets/v2/organizations/" + org + "/baskets?siteId=RefArch"
	ordersPath  = "/checkout/shopper-orders/v1/organizations/" + org + "/orders?siteId=RefArch"
)

// checkout creates a basket with one item and an order from it; it returns
// the order status code and body.
func (w *world) checkout(sku string, qty int) resp {
	w.t.Helper()
	r := w.do("POST", basketsPath, "", []byte(fmt.Sprintf(`{"productItems":[{"productId":%q,"quantity":%d}]}`, sku, qty)))
	if r.status != 200 {
		return r
	}
	id := r.json(w.t)["basketId"].(string)
	return w.do("POST", ordersPath, "", []byte(fmt.Sprintf(`{"basketId":%q}`, id)))
}

func (w *world) toOCIMode() {
	w.t.Helper()
	for _, m := range []string{"OCI_CACHE_ENABLED", "OMNICHANNEL_INVENTORY"} {
		eventually(w.t, 10*time.Second, "mode "+m, func() bool { return w.setMode(m, false).status == 200 })
	}
}

// flashSale runs n concurrent checkouts of one unit and returns how many
// orders were created, and how many were refused as not available.
func (w *world) flashSale(n int, sku string) (created, refused int) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := w.checkout(sku, 1)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case r.status == 200:
				created++
			case r.status == 400 && strings.Contains(string(r.body), "product item is not available"):
				refused++
			default:
				w.t.Errorf("checkout: %d %s", r.status, r.body)
			}
		}()
	}
	wg.Wait()
	return created, refused
}

// TestFlashSaleThroughTheEdge: 250 concurrent checkouts for a sku with
// stock 37 create exactly 37 orders, in OCI mode (against the core) and in
// Commerce Platform mode (the edge's own records); no 5xx; the core's
// invariants hold.
func TestFlashSaleThroughTheEdge(t *testing.T) {
	const stock, buyers = 37, 250
	t.Run("omnichannel", func(t *testing.T) {
		w := newWorld(t, baseConfig)
		w.graph(graphWithAustin)
		w.setStock("wh-a", "hot", 20)
		w.setStock("wh-b", "hot", stock-20)
		w.toOCIMode()
		created, refused := w.flashSale(buyers, "hot")
		if created != stock || refused != buyers-stock {
			t.Fatalf("%d orders created, %d refused; want %d and %d", created, refused, stock, buyers-stock)
		}
		a, err := w.client.GetAvailability(context.Background(), &oci.AvailabilityQuery{SKUs: []string{"hot"}, Groups: []string{"online-us"}})
		if err != nil {
			t.Fatal(err)
		}
		if g := a.Groups[0].Records[0]; g.Reserved != stock*oci.Unit || g.ATO != 0 {
			t.Errorf("core after the sale: reserved %s ato %s", g.Reserved, g.ATO)
		}
		if ok, v, err := w.client.Invariants(context.Background()); !ok || err != nil {
			t.Errorf("core invariants: %v %v", v, err)
		}
	})
	t.Run("commerce platform", func(t *testing.T) {
		w := newWorld(t, baseConfig)
		put := w.do("PUT", "/s/-/dw/data/v25_6/inventory_lists/online-us/product_inventory_records/hot", "admin-token",
			[]byte(fmt.Sprintf(`{"allocation":{"amount":%d}}`, stock)))
		if put.status/100 != 2 {
			t.Fatal(put.status, string(put.body))
		}
		created, refused := w.flashSale(buyers, "hot")
		if created != stock || refused != buyers-stock {
			t.Fatalf("%d orders created, %d refused; want %d and %d", created, refused, stock, buyers-stock)
		}
		if got := w.ats("siteId=RefArch&productIds=hot", "hot@online-us"); got != "0" {
			t.Errorf("ATS after the sale: %s", got)
		}
	})
}

// TestLostResponseNeverDoubleReserves: the proxy lets the core commit the
// order's reservation and drops the answer; the edge retries with the same
// id, the order is created, and the core holds exactly one reservation.
func TestLostResponseNeverDoubleReserves(t *testing.T) {
	w, fp := newWorldBehindFaultProxy(t, strings.Replace(baseConfig, "retries: 1", "retries: 2", 1))
	w.graph(graphWithAustin)
	w.setStock("wh-a", "sku-9", 10)
	w.toOCIMode()
	fp.Set(faultproxy.Once(faultproxy.PathContains("PUT", "/reservation-documents/", faultproxy.DropResponse)))
	r := w.checkout("sku-9", 3)
	if r.status != 200 {
		t.Fatalf("order: %d %s", r.status, r.body)
	}
	if fp.Count(faultproxy.DropResponse) != 1 {
		t.Fatalf("the fault was not injected (%d)", fp.Count(faultproxy.DropResponse))
	}
	a, err := w.client.GetAvailability(context.Background(), &oci.AvailabilityQuery{SKUs: []string{"sku-9"}, Groups: []string{"online-us"}})
	if err != nil {
		t.Fatal(err)
	}
	if g := a.Groups[0].Records[0]; g.Reserved != 3*oci.Unit {
		t.Fatalf("the core holds %s, want exactly 3", g.Reserved)
	}
}
