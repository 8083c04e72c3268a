package orders

import (
	"context"
	"fmt"
	"testing"

	"ociedge/modes"
	"ociedge/oci"
	"ociedge/proxy/inventory"
)

// TestStatusTransitions walks the Orders v1 status table: every allowed
// change answers 204 and leaves the reservation held or released as the
// new status says; every refused one answers 409 and changes nothing.
func TestStatusTransitions(t *testing.T) {
	all := []Status{StatusCreated, StatusNew, StatusCompleted, StatusCancelled, StatusFailed}
	allowed := map[[2]Status]bool{
		{StatusCreated, StatusNew}: true, {StatusCreated, StatusCompleted}: true,
		{StatusCreated, StatusCancelled}: true, {StatusCreated, StatusFailed}: true,
		{StatusNew, StatusCompleted}: true, {StatusCompleted, StatusNew}: true,
		{StatusNew, StatusCancelled}: true, {StatusCompleted, StatusCancelled}: true,
		{StatusCancelled, StatusNew}: true, {StatusCancelled, StatusCompleted}: true,
		{StatusFailed, StatusCreated}: true,
	}
	for _, m := range []modes.Mode{modes.OmnichannelInventory, modes.CommercePlatform} {
		f := newFixture(t, fixtureOpts{mode: m})
		f.stock("wh-a", "sku", 1000)
		f.allocate("online", "sku", 1000)
		for _, from := range all {
			for _, to := range all {
				t.Run(fmt.Sprintf("%s/%s->%s", m, from, to), func(t *testing.T) {
					o := f.orderIn(from)
					st, body := f.do("PUT", withSite(adminOrdersPath("/"+o.No+"/status")), `{"status":"`+string(to)+`"}`)
					want, wantStatus := 409, from
					if allowed[[2]Status{from, to}] {
						want, wantStatus = 204, to
					}
					if st != want {
						t.Fatalf("%d %s, want %d", st, body, want)
					}
					if st == 409 && !contains(body, "order-status-transition") {
						t.Fatalf("refusal body %s", body)
					}
					got := f.order(o.No)
					if got.Status != wantStatus {
						t.Fatalf("status %s, want %s", got.Status, wantStatus)
					}
					f.wantOrderHeld(got, wantStatus != StatusCancelled && wantStatus != StatusFailed)
				})
			}
		}
		f.wantAllReleasedBut(m)
	}
}

// orderIn returns a new order of 1 unit brought to status s.
func (f *fixture) orderIn(s Status) *Order {
	f.tb.Helper()
	o := f.mustOrder(f.mustBasket(item("sku", 1)).ID)
	path := []Status{}
	switch s {
	case StatusNew, StatusCompleted, StatusFailed:
		path = []Status{s}
	case StatusCancelled:
		path = []Status{StatusNew, StatusCancelled}
	}
	for _, to := range path {
		var err error
		if o, err = f.svc.SetStatus(context.Background(), testSite, o.No, to); err != nil {
			f.tb.Fatalf("bring order to %s: %v", to, err)
		}
	}
	return o
}

// wantOrderHeld checks that the order's reservation holds its unit, or
// holds nothing.
func (f *fixture) wantOrderHeld(o *Order, held bool) {
	f.tb.Helper()
	want := map[bool]ResState{true: ResHeld, false: ResReleased}[held]
	if o.Res.State != want {
		f.tb.Fatalf("reservation %s, want %s", o.Res.State, want)
	}
	var units int64
	for _, l := range o.Res.Lines {
		units += l.Quantity
	}
	if !held {
		units = 0
	}
	if o.Res.System == SystemOCI {
		if got := f.heldBy(o.Res.DocID); got != units {
			f.tb.Fatalf("document %s holds %d, held %v", o.Res.DocID, got, held)
		}
		return
	}
	for _, id := range o.Res.IDs {
		r, ok := f.inv.ReservationOf(id)
		if ok && r.Released.IsZero() != held || !ok && held {
			f.tb.Fatalf("B2C reservation %s: %+v, held %v", id, r, held)
		}
	}
}

// wantAllReleasedBut checks the totals: reserved equals the units of the
// orders whose reservation is held, and nothing is negative.
func (f *fixture) wantAllReleasedBut(m modes.Mode) {
	f.tb.Helper()
	counts, err := f.svc.OpenReservations()
	if err != nil {
		f.tb.Fatal(err)
	}
	held := int64(counts.Orders[SystemOCI] + counts.Orders[SystemB2C])
	if m == modes.OmnichannelInventory {
		if r := f.values(oci.Grp("online"), "sku").Reserved; r != oci.Qty(held)*oci.Unit {
			f.tb.Fatalf("core reserved %s, %d orders hold a unit", r, held)
		}
		f.mustHealthy()
	} else if r := f.record("online", "sku"); r.Turnover != inventory.Units(held) {
		f.tb.Fatalf("turnover %s, %d orders hold a unit", r.Turnover, held)
	}
}

// TestFailReleasesOnce: failing releases the reservation; a second fail is
// refused with a clear status error and releases nothing more.
func TestFailReleasesOnce(t *testing.T) {
	for _, m := range []modes.Mode{modes.OmnichannelInventory, modes.CommercePlatform} {
		t.Run(m.String(), func(t *testing.T) {
			f := newFixture(t, fixtureOpts{mode: m})
			f.stock("wh-a", "sku", 10)
			f.allocate("online", "sku", 10)
			keep := f.mustOrder(f.mustBasket(item("sku", 4)).ID)
			o := f.mustOrder(f.mustBasket(item("sku", 3)).ID)
			path := withSite(shopperOrdersPath("/" + o.No + "/actions/fail"))
			if st, body := f.do("POST", path, `{"reasonCode":"payment_auth_failure"}`); st != 204 {
				t.Fatalf("fail: %d %s", st, body)
			}
			st, body := f.do("POST", path, "")
			if st != 409 || !contains(body, "order is already failed") {
				t.Fatalf("second fail: %d %s", st, body)
			}
			if st, body := f.do("PUT", withSite(adminOrdersPath("/"+o.No+"/status")), `{"status":"failed_with_reopen"}`); st != 409 {
				t.Fatalf("third fail: %d %s", st, body)
			}
			f.wantOrderHeld(f.order(o.No), false)
			f.wantOrderHeld(f.order(keep.No), true)
			if m == modes.OmnichannelInventory {
				if r := f.values(oci.Grp("online"), "sku").Reserved; r != 4*oci.Unit {
					t.Fatalf("reserved %s, want 4", r)
				}
				f.mustHealthy()
			} else if r := f.record("online", "sku"); r.Turnover != inventory.Units(4) {
				t.Fatalf("turnover %s, want 4", r.Turnover)
			}
		})
	}
}

// TestUndoFailWithoutStock: undoing a fail re-reserves, and is refused
// with 409 undo-fail-order when the units went to someone else.
func TestUndoFailWithoutStock(t *testing.T) {
	for _, m := range []modes.Mode{modes.OmnichannelInventory, modes.CommercePlatform} {
		t.Run(m.String(), func(t *testing.T) {
			f := newFixture(t, fixtureOpts{mode: m})
			f.stock("wh-a", "sku", 3)
			f.allocate("online", "sku", 3)
			o := f.mustOrder(f.mustBasket(item("sku", 3)).ID)
			if _, err := f.svc.FailOrder(context.Background(), testSite, o.No); err != nil {
				t.Fatal(err)
			}
			other := f.mustOrder(f.mustBasket(item("sku", 2)).ID)
			st, body := f.do("PUT", withSite(adminOrdersPath("/"+o.No+"/status")), `{"status":"created"}`)
			if st != 409 || !contains(body, "undo-fail-order") {
				t.Fatalf("undo fail without stock: %d %s", st, body)
			}
			got := f.order(o.No)
			if got.Status != StatusFailed || got.Res.Gen != 2 {
				t.Fatalf("order after a refused undo: %+v", got)
			}
			f.wantOrderHeld(got, false)
			if _, err := f.svc.SetStatus(context.Background(), testSite, other.No, StatusFailed); err != nil {
				t.Fatal(err)
			}
			if st, body := f.do("PUT", withSite(adminOrdersPath("/"+o.No+"/status")), `{"status":"created"}`); st != 204 {
				t.Fatalf("undo fail with stock: %d %s", st, body)
			}
			got = f.order(o.No)
			if got.Status != StatusCreated || got.Res.Gen != 3 {
				t.Fatalf("order after undo: %+v", got)
			}
			f.wantOrderHeld(got, true)
		})
	}
}

// TestReleaseWhereReserved: an order reserved in B2C mode and cancelled
// after the switch to OCI mode is released in B2C; the counts say which
// system holds what.
func TestReleaseWhereReserved(t *testing.T) {
	f := newFixture(t, fixtureOpts{mode: modes.CommercePlatform})
	f.stock("wh-a", "sku", 10)
	f.allocate("online", "sku", 10)
	b2c := f.mustOrder(f.mustBasket(item("sku", 2)).ID)
	f.mode.Set(modes.OmnichannelInventory)
	atCore := f.mustOrder(f.mustBasket(item("sku", 1)).ID)
	counts, _ := f.svc.OpenReservations()
	if counts.Orders[SystemB2C] != 1 || counts.Orders[SystemOCI] != 1 {
		t.Fatalf("counts %+v", counts)
	}
	if _, err := f.svc.SetStatus(context.Background(), testSite, b2c.No, StatusCancelled); err != nil {
		t.Fatal(err)
	}
	if r := f.record("online", "sku"); r.Turnover != 0 {
		t.Fatalf("B2C turnover %s after cancelling in OCI mode", r.Turnover)
	}
	if f.heldBy(atCore.Res.DocID) != 1 {
		t.Fatal("the OCI order lost its reservation")
	}
}
