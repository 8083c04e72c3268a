package sdk_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"ociedge/oci"
)

// basketJSON and orderJSON are the SDK's Basket and Order as the test
// reads them.
type basketJSON struct {
	BasketID                   string     `json:"basketId"`
	ProductItems               []itemJSON `json:"productItems"`
	InventoryReservationExpiry *string    `json:"inventoryReservationExpiry"`
}

type orderJSON struct {
	OrderNo      string     `json:"orderNo"`
	Status       string     `json:"status"`
	SiteID       string     `json:"siteId"`
	ProductItems []itemJSON `json:"productItems"`
}

type itemJSON struct {
	ItemID      string  `json:"itemId"`
	ProductID   string  `json:"productId"`
	Quantity    float64 `json:"quantity"`
	InventoryID string  `json:"inventoryId"`
}

// items is a basket's or order's items in one comparable line:
// "product x quantity [@inventoryId]", sorted.
func items(in []itemJSON) string {
	out := make([]string, 0, len(in))
	for _, it := range in {
		s := fmt.Sprintf("%s x%v", it.ProductID, it.Quantity)
		if it.InventoryID != "" {
			s += " @" + it.InventoryID
		}
		if it.ItemID == "" {
			s += " (no itemId)"
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}

// shop is a shopper's SDK session against the world.
type shop struct {
	*sdk
	w *world
}

func (s shop) createBasket(productItems ...map[string]any) basketJSON {
	s.t.Helper()
	var b basketJSON
	r := s.must("ShopperBasketsV2", "createBasket", nil, map[string]any{"productItems": productItems})
	r.decode(s.t, &b)
	if b.BasketID == "" {
		s.t.Fatalf("createBasket: no basketId in %s", r.Body)
	}
	return b
}

func (s shop) createOrder(basketID string) orderJSON {
	s.t.Helper()
	var o orderJSON
	s.must("ShopperOrders", "createOrder", nil, map[string]any{"basketId": basketID}).decode(s.t, &o)
	return o
}

// status reads an order through both order APIs and checks they agree.
func (s shop) status(orderNo string) string {
	s.t.Helper()
	var shopper, admin orderJSON
	s.must("ShopperOrders", "getOrder", params{"orderNo": orderNo}, nil).decode(s.t, &shopper)
	s.must("Orders", "getOrder", params{"orderNo": orderNo}, nil).decode(s.t, &admin)
	if shopper.Status != admin.Status || shopper.OrderNo != orderNo || admin.OrderNo != orderNo {
		s.t.Errorf("order %s: Shopper Orders says %s/%s, Orders says %s/%s",
			orderNo, shopper.OrderNo, shopper.Status, admin.OrderNo, admin.Status)
	}
	return admin.Status
}

// setStatus is Orders.updateOrderStatus; SCAPI answers 204 (or 201 with a
// reopened basket's Location), no content.
func (s shop) setStatus(orderNo, status string) {
	s.t.Helper()
	r := s.raw("Orders", "updateOrderStatus", params{"orderNo": orderNo}, map[string]any{"status": status})
	if r.Status != 204 {
		s.t.Errorf("updateOrderStatus %s -> %s: got %d %s, want 204", orderNo, status, r.Status, r.Body)
	}
}

// reserveBasket is the edge's basket reservation extension (the SDK has no
// method for it), sent with fetch from node.
func (s shop) reserveBasket(basketID string, minutes int) basketJSON {
	s.t.Helper()
	r := s.fetch("POST", "/checkout/shopper-baskets/v2/organizations/"+org+"/baskets/"+basketID+
		"/actions/reserve-inventory?siteId="+site, map[string]any{"minutes": minutes})
	if r.Status != 200 {
		s.t.Fatalf("reserve-inventory: %d %s", r.Status, r.Body)
	}
	var b basketJSON
	r.decode(s.t, &b)
	return b
}

func item(product string, quantity any, inventoryID ...string) map[string]any {
	it := map[string]any{"productId": product, "quantity": quantity}
	if len(inventoryID) > 0 {
		it["inventoryId"] = inventoryID[0]
	}
	return it
}

// checkoutWorld is a world in OMNICHANNEL_INVENTORY mode with sku-1 at the
// site's group (15 over two warehouses) and sku-2 at the phoenix store (3).
func checkoutWorld(t *testing.T) (*world, shop) {
	t.Helper()
	w := newWorld(t)
	w.stock("wh-a", "sku-1", 10)
	w.stock("wh-b", "sku-1", 5)
	w.stock("phoenix", "sku-2", 3)
	w.toOCI()
	return w, shop{startSDK(w), w}
}

// held checks what the core holds reserved for the site's group (sku-1)
// and the phoenix store (sku-2, BOPIS).
func (w *world) held(step string, group, store int) {
	w.t.Helper()
	w.wantReserved(step, oci.PlaceGroup, "online-us", "sku-1", group)
	w.wantReserved(step, oci.PlaceLocation, "phoenix", "sku-2", store)
}

// TestSDKBasketOrderFail (issue 5): a basket with a shipped and a BOPIS item,
// reserved, turned into an order, and failed; the core holds the basket's
// quantities from the reservation on, once, and nothing after the fail.
func TestSDKBasketOrderFail(t *testing.T) {
	w, s := checkoutWorld(t)

	b := s.createBasket(item("sku-1", 2), item("sku-2", 1, "phoenix"))
	if got, want := items(b.ProductItems), "sku-1 x2, sku-2 x1 @phoenix"; got != want {
		t.Errorf("createBasket: items %q, want %q", got, want)
	}
	var added basketJSON
	s.must("ShopperBasketsV2", "addItemToBasket", params{"basketId": b.BasketID},
		[]map[string]any{item("sku-1", 1)}).decode(t, &added)
	if got, want := items(added.ProductItems), "sku-1 x3, sku-2 x1 @phoenix"; got != want {
		t.Errorf("addItemToBasket: items %q, want %q", got, want)
	}
	w.held("basket without reservation", 0, 0)

	reserved := s.reserveBasket(b.BasketID, 10)
	w.held("basket reserved", 3, 1)
	var got basketJSON
	s.must("ShopperBasketsV2", "getBasket", params{"basketId": b.BasketID}, nil).decode(t, &got)
	if got.InventoryReservationExpiry == nil || reserved.InventoryReservationExpiry == nil {
		t.Errorf("a reserved basket shows inventoryReservationExpiry: %+v", got)
	} else if exp, err := time.Parse(time.RFC3339, *got.InventoryReservationExpiry); err != nil ||
		time.Until(exp) < 9*time.Minute || time.Until(exp) > 11*time.Minute {
		t.Errorf("inventoryReservationExpiry %s is not 10 minutes ahead (%v)", *got.InventoryReservationExpiry, err)
	}
	eventually(t, 5*time.Second, "the storefront sees the basket reservation", func() bool {
		return atsOf(s.sdk, "sku-1", "online-us") == 12 && atsOf(s.sdk, "sku-2", "phoenix") == 2
	})

	o := s.createOrder(b.BasketID)
	if o.Status != "created" || o.OrderNo == "" || items(o.ProductItems) != "sku-1 x3, sku-2 x1 @phoenix" {
		t.Errorf("createOrder: %+v", o)
	}
	w.held("order created from the reserved basket", 3, 1)

	r := s.raw("ShopperOrders", "failOrder", params{"orderNo": o.OrderNo},
		map[string]any{"reasonCode": "payment_auth_failure"})
	if r.Status != 204 {
		t.Errorf("failOrder: got %d %s, want 204", r.Status, r.Body)
	}
	w.held("order failed", 0, 0)
	if st := s.status(o.OrderNo); st != "failed" {
		t.Errorf("after failOrder the order is %s, want failed", st)
	}
	if r := s.call("ShopperOrders", "failOrder", params{"orderNo": o.OrderNo}, nil); r.OK || r.Status != 409 ||
		r.problem().Type != problemType+"order-status-transition" {
		t.Errorf("failing a failed order: want 409 order-status-transition, got ok=%v %d %s", r.OK, r.Status, r.Body)
	}
	w.held("order failed twice", 0, 0)

	// Orders v1: undo fail (failed -> created) reserves again, fail releases.
	s.setStatus(o.OrderNo, "created")
	w.held("undo fail", 3, 1)
	s.setStatus(o.OrderNo, "failed")
	w.held("failed again", 0, 0)
	if st := s.status(o.OrderNo); st != "failed" {
		t.Errorf("the order is %s, want failed", st)
	}
}

// TestSDKOrderPlaceCancel (issue 5): an order straight from a basket reserves at
// the core, placing keeps the reservation, cancelling releases it; an
// order for more than there is fails with 400 and reserves nothing.
func TestSDKOrderPlaceCancel(t *testing.T) {
	w, s := checkoutWorld(t)

	b := s.createBasket(item("sku-1", 4), item("sku-2", 2, "phoenix"))
	w.held("basket", 0, 0)
	o := s.createOrder(b.BasketID)
	if o.Status != "created" || o.SiteID != site {
		t.Errorf("createOrder: %+v", o)
	}
	w.held("order created", 4, 2)

	s.setStatus(o.OrderNo, "new")
	w.held("order placed", 4, 2)
	if st := s.status(o.OrderNo); st != "new" {
		t.Errorf("after placing the order is %s, want new", st)
	}

	s.setStatus(o.OrderNo, "cancelled")
	w.held("order cancelled", 0, 0)
	if st := s.status(o.OrderNo); st != "cancelled" {
		t.Errorf("after cancelling the order is %s, want cancelled", st)
	}

	// Deleting a reserved basket gives its reservation back.
	kept := s.createBasket(item("sku-1", 5), item("sku-2", 3, "phoenix"))
	s.reserveBasket(kept.BasketID, 5)
	w.held("second basket reserved", 5, 3)
	if r := s.raw("ShopperBasketsV2", "deleteBasket", params{"basketId": kept.BasketID}, nil); r.Status != 204 {
		t.Errorf("deleteBasket: got %d %s, want 204", r.Status, r.Body)
	}
	w.held("reserved basket deleted", 0, 0)

	big := s.createBasket(item("sku-1", 16))
	r := s.call("ShopperOrders", "createOrder", nil, map[string]any{"basketId": big.BasketID})
	if p := r.problem(); r.OK || r.Status != 400 || !strings.Contains(p.Detail, "product item is not available") ||
		!strings.HasPrefix(r.ContentType, "application/problem+json") {
		t.Errorf("an order for more than there is: want 400 'product item is not available', got ok=%v %d %s",
			r.OK, r.Status, r.Body)
	}
	w.held("refused order", 0, 0)
}

// atsOf is the storefront's ats of one product at one list, through the
// SDK; -1 when the answer has none.
func atsOf(s *sdk, product, list string) float64 {
	s.t.Helper()
	r := s.call("ShopperAvailability", "getAvailability",
		params{"productIds": []string{product}, "inventoryIds": []string{list}}, nil)
	var a availabilityResult
	if !r.OK {
		return -1
	}
	r.decode(s.t, &a)
	for _, d := range a.Data {
		for _, inv := range d.Inventories {
			if d.ID == product && inv.ID == list && inv.ATS != nil {
				return *inv.ATS
			}
		}
	}
	return -1
}
