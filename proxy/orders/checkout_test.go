package orders

import (
	"bytes"
	"context"
	"testing"

	"ociedge/modes"
	"ociedge/oci"
)

// TestCheckoutOverHTTP: a basket created with productItems becomes an
// order with status created; the reservation is one document at the core
// (OCI mode) or turnover in the edge's inventory (B2C mode); the basket is
// gone.
func TestCheckoutOverHTTP(t *testing.T) {
	for _, m := range []modes.Mode{modes.OmnichannelInventory, modes.CommercePlatform} {
		t.Run(m.String(), func(t *testing.T) {
			f := newFixture(t, fixtureOpts{mode: m})
			f.stock("wh-a", "sku-1", 5)
			f.stock("phoenix", "sku-2", 5)
			f.allocate("online", "sku-1", 5)
			f.allocate("phoenix", "sku-2", 5)

			st, body := f.do("POST", withSite(basketsPath("")),
				`{"productItems":[{"productId":"sku-1","quantity":2},{"productId":"sku-2","quantity":1,"inventoryId":"phoenix"}]}`)
			if st != 200 {
				t.Fatalf("create basket: %d %s", st, body)
			}
			var b struct {
				BasketID     string `json:"basketId"`
				ProductItems []struct {
					ItemID, ProductID, InventoryID string
					Quantity                       int
				} `json:"productItems"`
			}
			decodeJSON(t, body, &b)
			if len(b.ProductItems) != 2 || b.ProductItems[1].InventoryID != "phoenix" || b.ProductItems[0].ItemID == "" {
				t.Fatalf("basket: %s", body)
			}
			st, body = f.do("POST", withSite(shopperOrdersPath("")), `{"basketId":"`+b.BasketID+`"}`)
			if st != 200 {
				t.Fatalf("create order: %d %s", st, body)
			}
			var o struct{ OrderNo, Status, SiteID string }
			decodeJSON(t, body, &o)
			if o.OrderNo != "00001001" || o.Status != "created" || o.SiteID != testSite {
				t.Fatalf("order: %s", body)
			}
			if st, body := f.do("GET", withSite(basketsPath("/"+b.BasketID)), ""); st != 404 {
				t.Fatalf("basket after order: %d %s", st, body)
			}
			if m == modes.OmnichannelInventory {
				doc := f.svc.orderDocID(o.OrderNo, 1)
				v, ok := f.core.Reservation(doc)
				if !ok || v.ExternalRefID != o.OrderNo || v.ExpirationTime != nil || f.heldBy(doc) != 3 {
					t.Fatalf("core document %s: %+v", doc, v)
				}
				if got := f.values(oci.Grp("online"), "sku-1").Reserved; got != 2*oci.Unit {
					t.Fatalf("group reserved %s, want 2", got)
				}
				if got := f.values(oci.Loc("phoenix"), "sku-2").Reserved; got != oci.Unit {
					t.Fatalf("phoenix reserved %s, want 1", got)
				}
				f.mustHealthy()
			} else {
				if r := f.record("online", "sku-1"); r.Turnover != 2000 {
					t.Fatalf("online turnover %s", r.Turnover)
				}
				if r := f.record("phoenix", "sku-2"); r.Turnover != 1000 {
					t.Fatalf("phoenix turnover %s", r.Turnover)
				}
			}
			st, body = f.do("GET", withSite(shopperOrdersPath("/"+o.OrderNo)), "")
			if st != 200 {
				t.Fatalf("get order: %d %s", st, body)
			}
			counts, err := f.svc.OpenReservations()
			if err != nil || counts.Orders[SystemOCI]+counts.Orders[SystemB2C] != 1 {
				t.Fatalf("open reservations %+v %v", counts, err)
			}
		})
	}
}

// TestUnavailableOrderLeavesNothing: an order for more than is available
// is refused with 400 "product item is not available" and nothing stays
// reserved, even for the lines that would have fitted.
func TestUnavailableOrderLeavesNothing(t *testing.T) {
	for _, m := range []modes.Mode{modes.OmnichannelInventory, modes.CommercePlatform} {
		t.Run(m.String(), func(t *testing.T) {
			f := newFixture(t, fixtureOpts{mode: m})
			f.stock("wh-a", "ok", 5)
			f.stock("wh-a", "short", 1)
			f.allocate("online", "ok", 5)
			f.allocate("online", "short", 1)
			b := f.mustBasket(item("ok", 2), item("short", 2), item("unknown-sku", 1))
			st, body := f.do("POST", withSite(shopperOrdersPath("")), `{"basketId":"`+b.ID+`"}`)
			if st != 400 || !contains(body, "product-item-not-available") || !contains(body, "product item is not available") {
				t.Fatalf("order: %d %s", st, body)
			}
			if m == modes.OmnichannelInventory {
				if r := f.values(oci.Grp("online"), "ok").Reserved; r != 0 {
					t.Fatalf("reserved %s after a refused order", r)
				}
				if n := f.core.OpenReservations(); n != 0 {
					t.Fatalf("%d open documents", n)
				}
				f.mustHealthy()
			} else if r := f.record("online", "ok"); r.Turnover != 0 {
				t.Fatalf("turnover %s after a refused order", r.Turnover)
			}
			if _, err := f.svc.Basket(testSite, b.ID); err != nil {
				t.Fatalf("the basket is gone after a refused order: %v", err)
			}
		})
	}
}

// TestDefaultInStockList: in B2C mode a product without a record on a
// default-in-stock list is accepted and not reserved; on other lists it is
// not available at order time, though the basket accepts it.
func TestDefaultInStockList(t *testing.T) {
	f := newFixture(t, fixtureOpts{mode: modes.CommercePlatform})
	b := f.mustBasket(bopis("ghost", 1, "dis"))
	if _, err := f.svc.CreateOrder(context.Background(), testSite, b.ID); err != nil {
		t.Fatalf("default-in-stock order: %v", err)
	}
	b = f.mustBasket(item("ghost", 1))
	if _, err := f.svc.CreateOrder(context.Background(), testSite, b.ID); ErrorCode(err) != EUNAVAILABLE {
		t.Fatalf("order of an unknown product: %v, want EUNAVAILABLE", err)
	}
}

func contains(b []byte, s string) bool { return bytes.Contains(b, []byte(s)) }
