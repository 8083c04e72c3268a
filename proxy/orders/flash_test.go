package orders

import (
	"sync"
	"testing"

	"ociedge/modes"
	"ociedge/oci"
)

// TestFlashSale: 240 shoppers check out one unit each of a sku with 37 in
// stock, all at once, over HTTP. Exactly 37 orders are created, every other
// checkout is 400 "product item is not available", nothing answers 5xx, and
// the inventory shows exactly 37 reserved and nothing broken.
func TestFlashSale(t *testing.T) {
	const buyers, stock = 240, 37
	for _, m := range []modes.Mode{modes.OmnichannelInventory, modes.CommercePlatform} {
		t.Run(m.String(), func(t *testing.T) {
			f := newFixture(t, fixtureOpts{mode: m})
			f.stock("wh-a", "hot", 20)
			f.stock("wh-b", "hot", stock-20)
			f.allocate("online", "hot", stock)

			statuses := make(chan int, buyers)
			var wg sync.WaitGroup
			for range buyers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					statuses <- f.checkout(`{"productItems":[{"productId":"hot","quantity":1}]}`)
				}()
			}
			wg.Wait()
			close(statuses)
			count := map[int]int{}
			for st := range statuses {
				count[st]++
			}
			if count[200] != stock || count[400] != buyers-stock || len(count) != 2 {
				t.Fatalf("checkouts by status %v, want %d×200 and %d×400", count, stock, buyers-stock)
			}
			if m == modes.OmnichannelInventory {
				if v := f.values(oci.Grp("online"), "hot"); v.Reserved != stock*oci.Unit || v.ATO != 0 {
					t.Fatalf("group after the sale: reserved %s ATO %s, want %d and 0", v.Reserved, v.ATO, stock)
				}
				if n := f.core.OpenReservations(); n != stock {
					t.Fatalf("%d open documents, want %d", n, stock)
				}
				f.mustHealthy()
			} else if r := f.record("online", "hot"); r.Turnover != stock*1000 || r.ATS() != 0 {
				t.Fatalf("record after the sale: turnover %s ATS %s, want %d and 0", r.Turnover, r.ATS(), stock)
			}
		})
	}
}

// checkout creates a basket and an order over HTTP and returns the order
// creation's status (or the basket's, if that failed).
func (f *fixture) checkout(basket string) int {
	st, body := f.do("POST", withSite(basketsPath("")), basket)
	if st != 200 {
		f.tb.Errorf("create basket: %d %s", st, body)
		return st
	}
	var b struct{ BasketID string }
	decodeJSON(f.tb, body, &b)
	st, body = f.do("POST", withSite(shopperOrdersPath("")), `{"basketId":"`+b.BasketID+`"}`)
	if st == 400 && !contains(body, "product item is not available") {
		f.tb.Errorf("refused order: %s", body)
	}
	return st
}
