package orders

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ociedge/modes"
	"ociedge/oci"
	"ociedge/proxy/inventory"
)

// TestBasketReservationMinutes: 10 minutes by default, up to 240, and 241,
// 0, negative or fractional minutes are refused.
func TestBasketReservationMinutes(t *testing.T) {
	f := newFixture(t, fixtureOpts{mode: modes.OmnichannelInventory})
	f.stock("wh-a", "sku", 10)
	b := f.mustBasket(item("sku", 1))
	path := withSite(basketsPath("/" + b.ID + "/actions/reserve-inventory"))
	for _, tc := range []struct {
		body   string
		status int
		expiry time.Duration
	}{
		{`{}`, 200, 10 * time.Minute},
		{``, 200, 10 * time.Minute},
		{`{"minutes":240,"removeIfNotAvailable":false}`, 200, 240 * time.Minute},
		{`{"minutes":1}`, 200, time.Minute},
		{`{"minutes":241}`, 400, 0},
		{`{"minutes":0}`, 400, 0},
		{`{"minutes":-5}`, 400, 0},
		{`{"minutes":1.5}`, 400, 0},
		{`{"minutes":"10"}`, 400, 0},
		{`{"minutes":null}`, 400, 0},
		{`{"minutes":1e400}`, 400, 0},
	} {
		st, body := f.do("POST", path, tc.body)
		if st != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.body, st, body, tc.status)
			continue
		}
		if st != 200 {
			continue
		}
		var out struct{ InventoryReservationExpiry string }
		decodeJSON(t, body, &out)
		want := f.clock.Now().Add(tc.expiry).UTC().Format("2006-01-02T15:04:05.000Z")
		if out.InventoryReservationExpiry != want {
			t.Errorf("%s: expiry %s, want %s", tc.body, out.InventoryReservationExpiry, want)
		}
	}
	if n := f.core.OpenReservations(); n != 1 {
		t.Fatalf("%d open documents after replacements, want 1", n)
	}
}

// TestBasketReservationReplaces: a new reservation sets the quantities of
// the basket's items (it does not add to the previous one) and releases
// the items no longer in the basket; in OCI mode it lowers the ATO.
func TestBasketReservationReplaces(t *testing.T) {
	for _, m := range []modes.Mode{modes.OmnichannelInventory, modes.CommercePlatform} {
		t.Run(m.String(), func(t *testing.T) {
			f := newFixture(t, fixtureOpts{mode: m})
			f.stock("wh-a", "a", 10)
			f.stock("wh-a", "b", 10)
			f.allocate("online", "a", 10)
			f.allocate("online", "b", 10)
			b := f.mustBasket(item("a", 3), item("b", 2))
			f.mustReserve(b.ID, ReserveOptions{})
			f.wantHeld(m, "a", 3)
			f.wantHeld(m, "b", 2)
			up, err := f.svc.UpdateItems(testSite, b.ID, []ItemUpdate{
				{ItemID: b.Items[0].ItemID, Quantity: ptr(int64(5))},
				{ItemID: b.Items[1].ItemID, Quantity: ptr(int64(0))},
			})
			if err != nil || len(up.Items) != 1 {
				t.Fatalf("update items: %v %+v", err, up)
			}
			f.wantHeld(m, "a", 3) // a reservation does not follow item changes
			f.mustReserve(b.ID, ReserveOptions{Minutes: 20})
			f.wantHeld(m, "a", 5)
			f.wantHeld(m, "b", 0)
			if m == modes.OmnichannelInventory {
				if ato := f.ato(oci.Grp("online"), "a"); ato != 5 {
					t.Fatalf("ATO %d, want 5: a basket reservation lowers what others see in OCI mode", ato)
				}
				if n := f.core.OpenReservations(); n != 1 {
					t.Fatalf("%d open documents, want 1", n)
				}
				f.mustHealthy()
			} else if r := f.record("online", "a"); r.ATS() != inventory.Units(10) {
				t.Fatalf("ATS %s, want 10: a basket hold does not lower the ATS in B2C mode", r.ATS())
			}
		})
	}
}

// wantHeld checks what the basket reservations hold of sku in the site's
// list: the core's reserved (OCI) or the inventory's hold lines (B2C).
func (f *fixture) wantHeld(m modes.Mode, sku string, units int64) {
	f.tb.Helper()
	var got int64
	if m == modes.OmnichannelInventory {
		got = int64(f.values(oci.Grp("online"), sku).Reserved / oci.Unit)
	} else {
		got = f.heldInInventory("online", sku)
	}
	if got != units {
		f.tb.Fatalf("%s held %d, want %d", sku, got, units)
	}
}

// heldInInventory probes what others can still reserve: allocation minus
// what a new hold can take (the inventory exposes holds only per id).
func (f *fixture) heldInInventory(list, sku string) int64 {
	r := f.record(list, sku)
	ats := int64(r.ATS() / inventory.Unit)
	for free := ats; free >= 0; free-- {
		if free == 0 {
			return ats
		}
		_, err := f.inv.Hold(inventory.HoldRequest{ID: "probe", ListID: list,
			Lines:     []inventory.Line{{ProductID: sku, Quantity: inventory.Units(free)}},
			ExpiresAt: f.clock.Now().Add(time.Minute)})
		if err == nil {
			f.inv.ReleaseHold("probe")
			return ats - free
		}
	}
	return ats
}

func ptr[T any](v T) *T { return &v }

// TestBasketHoldLimitsOthersInB2C: in B2C mode a basket hold leaves the
// displayed ATS alone but others can reserve only what is not held; after
// the hold expires (injected clock) they can have everything.
func TestBasketHoldLimitsOthersInB2C(t *testing.T) {
	f := newFixture(t, fixtureOpts{mode: modes.CommercePlatform})
	f.allocate("online", "sku", 5)
	a := f.mustBasket(item("sku", 3))
	f.mustReserve(a.ID, ReserveOptions{Minutes: 10})
	if r := f.record("online", "sku"); r.ATS() != inventory.Units(5) {
		t.Fatalf("ATS %s with a hold, want 5", r.ATS())
	}
	b := f.mustBasket(item("sku", 3))
	if _, _, err := f.svc.ReserveBasket(context.Background(), testSite, b.ID, ReserveOptions{}); ErrorCode(err) != EUNAVAILABLE {
		t.Fatalf("another basket reserved past the hold: %v", err)
	}
	if _, err := f.svc.CreateOrder(context.Background(), testSite, b.ID); ErrorCode(err) != EUNAVAILABLE {
		t.Fatalf("another basket ordered past the hold: %v", err)
	}
	f.clock.Advance(10*time.Minute + time.Second)
	if n, err := f.inv.PurgeExpiredHolds(); err != nil || n != 1 {
		t.Fatalf("purge: %d %v", n, err)
	}
	if o := f.mustOrder(b.ID); o.Status != StatusCreated {
		t.Fatalf("order after the hold expired: %+v", o)
	}
	if _, err := f.svc.CreateOrder(context.Background(), testSite, a.ID); ErrorCode(err) != EUNAVAILABLE {
		t.Fatalf("the expired basket still got its units: %v", err)
	}
}

// TestBasketReservationExpiresAtCore: the core releases an expired basket
// document (its clock is the injected one) and the basket shows no expiry.
func TestBasketReservationExpiresAtCore(t *testing.T) {
	f := newFixture(t, fixtureOpts{mode: modes.OmnichannelInventory})
	f.stock("wh-a", "sku", 5)
	b := f.mustBasket(item("sku", 5))
	f.mustReserve(b.ID, ReserveOptions{Minutes: 10})
	if ato := f.ato(oci.Grp("online"), "sku"); ato != 0 {
		t.Fatalf("ATO %d while reserved", ato)
	}
	f.clock.Advance(10*time.Minute + time.Second)
	f.core.Sweep()
	if ato := f.ato(oci.Grp("online"), "sku"); ato != 5 {
		t.Fatalf("ATO %d after expiry, want 5", ato)
	}
	st, body := f.do("GET", withSite(basketsPath("/"+b.ID)), "")
	if st != 200 || contains(body, "inventoryReservationExpiry") {
		t.Fatalf("basket after expiry: %d %s", st, body)
	}
	// The order finds the document expired and reserves afresh.
	o := f.mustOrder(b.ID)
	if o.Res.DocID != f.svc.orderDocID(o.No, 1) || f.heldBy(o.Res.DocID) != 5 {
		t.Fatalf("order after the basket reservation expired: %+v", o.Res)
	}
	f.mustHealthy()
}

// TestRemoveIfNotAvailable drops what cannot be reserved and keeps the rest.
func TestRemoveIfNotAvailable(t *testing.T) {
	for _, m := range []modes.Mode{modes.OmnichannelInventory, modes.CommercePlatform} {
		for _, replace := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/replace=%v", m, replace), func(t *testing.T) {
				f := newFixture(t, fixtureOpts{mode: m})
				f.stock("wh-a", "ok", 5)
				f.stock("wh-a", "short", 1)
				f.allocate("online", "ok", 5)
				f.allocate("online", "short", 1)
				b := f.mustBasket(item("ok", 2))
				if replace {
					f.mustReserve(b.ID, ReserveOptions{})
				}
				if _, err := f.svc.AddItems(testSite, b.ID, []ItemInput{item("short", 3)}); err != nil {
					t.Fatal(err)
				}
				path := withSite(basketsPath("/" + b.ID + "/actions/reserve-inventory"))
				if st, body := f.do("POST", path, `{"removeIfNotAvailable":false}`); st != 400 || !contains(body, "short") {
					t.Fatalf("reserve without removal: %d %s", st, body)
				}
				f.wantHeld(m, "ok", map[bool]int64{false: 0, true: 2}[replace]) // a failed replace keeps the old one
				st, body := f.do("POST", path, `{"removeIfNotAvailable":true}`)
				if st != 200 || !contains(body, `"c_removedProductIds":["short"]`) {
					t.Fatalf("reserve with removal: %d %s", st, body)
				}
				got, _ := f.svc.Basket(testSite, b.ID)
				if len(got.Items) != 1 || got.Items[0].ProductID != "ok" {
					t.Fatalf("items after removal: %+v", got.Items)
				}
				f.wantHeld(m, "ok", 2)
				f.wantHeld(m, "short", 0)
			})
		}
	}
}

// TestBasketToOrderWithoutWindow: while a fully reserved basket turns into
// an order, competitors keep trying to take the same units. None ever
// succeeds (the units are never free in between), the order holds them
// once, and the basket's document became the order's.
func TestBasketToOrderWithoutWindow(t *testing.T) {
	for _, m := range []modes.Mode{modes.OmnichannelInventory, modes.CommercePlatform} {
		t.Run(m.String(), func(t *testing.T) {
			f := newFixture(t, fixtureOpts{mode: m})
			f.stock("wh-a", "sku", 5)
			f.allocate("online", "sku", 5)
			b := f.mustBasket(item("sku", 5))
			f.mustReserve(b.ID, ReserveOptions{})
			var stole atomic.Int64
			stop := make(chan struct{})
			var wg sync.WaitGroup
			for w := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					f.compete(m, w, stop, &stole)
				}()
			}
			o := f.mustOrder(b.ID)
			close(stop)
			wg.Wait()
			if stole.Load() != 0 {
				t.Fatalf("competitors reserved %d units during the conversion", stole.Load())
			}
			if m == modes.OmnichannelInventory {
				v, _ := f.core.Reservation(o.Res.DocID)
				if o.Res.DocID != f.svc.basketDocID(b.ID, 1) || v.ExternalRefID != o.No || v.ExpirationTime != nil {
					t.Fatalf("the order's document %+v", v)
				}
				if r := f.values(oci.Grp("online"), "sku").Reserved; r != 5*oci.Unit || f.heldBy(o.Res.DocID) != 5 {
					t.Fatalf("reserved %s, the order's document %d, want 5 and 5", r, f.heldBy(o.Res.DocID))
				}
				f.mustHealthy()
			} else {
				if r := f.record("online", "sku"); r.Turnover != inventory.Units(5) {
					t.Fatalf("turnover %s, want 5", r.Turnover)
				}
				if _, ok := f.inv.HoldOf(holdID(b.ID, "online")); ok {
					t.Fatal("the basket hold survived its conversion")
				}
			}
		})
	}
}

// compete reserves one unit again and again until stop, counting successes.
func (f *fixture) compete(m modes.Mode, w int, stop chan struct{}, stole *atomic.Int64) {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		id := fmt.Sprintf("thief-%d-%d", w, i)
		var err error
		if m == modes.OmnichannelInventory {
			var res *oci.ReserveResult
			no := false
			res, err = f.core.Reserve(&oci.ReserveRequest{ReservationID: id, AllowPartial: &no,
				Groups: []oci.PlaceLines{{ID: "online", Lines: []oci.Line{{SKU: "sku", Quantity: oci.Unit}}}}})
			if err == nil && res.Success {
				stole.Add(1)
			}
		} else {
			_, err = f.inv.Reserve(inventory.ReserveRequest{ID: id, ListID: "online",
				Lines: []inventory.Line{{ProductID: "sku", Quantity: inventory.Unit}}})
			if err == nil {
				stole.Add(1)
			}
		}
	}
}

// TestModeChangeMovesTheReservation: a basket reserved in B2C mode that is
// ordered after the switch to OCI mode reserves at the core, and its B2C
// hold is released; the order remembers OCI.
func TestModeChangeMovesTheReservation(t *testing.T) {
	f := newFixture(t, fixtureOpts{mode: modes.CommercePlatform})
	f.stock("wh-a", "sku", 5)
	f.allocate("online", "sku", 5)
	b := f.mustBasket(item("sku", 2))
	f.mustReserve(b.ID, ReserveOptions{})
	f.mode.Set(modes.OmnichannelInventory)
	o := f.mustOrder(b.ID)
	if o.Res.System != SystemOCI || f.heldBy(o.Res.DocID) != 2 {
		t.Fatalf("order %+v", o.Res)
	}
	if _, ok := f.inv.HoldOf(holdID(b.ID, "online")); ok {
		t.Fatal("the B2C hold survived")
	}
	counts, _ := f.svc.OpenReservations()
	if counts.Orders[SystemOCI] != 1 || counts.Orders[SystemB2C] != 0 || len(counts.Baskets) != 0 {
		t.Fatalf("counts %+v", counts)
	}
}
