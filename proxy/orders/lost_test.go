package orders

import (
	"context"
	"testing"
	"time"

	"ociedge/modes"
	"ociedge/oci"
	"ociedge/proxy/orders/coretest"
)

// TestLostResponse: the core commits and the answer is lost; the retry
// with the same id replays what was committed. The order is created and
// the core holds exactly one document with its lines once.
func TestLostResponse(t *testing.T) {
	for _, tc := range []struct {
		name    string
		reserve bool   // reserve the basket first (the order then PATCHes)
		op      string // the call whose answer is lost
	}{
		{"fresh document PUT", false, "reserve"},
		{"basket document PATCH", true, "update"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, fixtureOpts{mode: modes.OmnichannelInventory})
			f.stock("wh-a", "sku", 10)
			b := f.mustBasket(item("sku", 3))
			doc := f.svc.orderDocID("00001001", 1)
			if tc.reserve {
				f.mustReserve(b.ID, ReserveOptions{})
				doc = f.svc.basketDocID(b.ID, 1)
			}
			f.faulty.Add(coretest.Rule{Op: tc.op, Fault: coretest.Drop, Times: 1})
			o := f.mustOrder(b.ID)
			if o.Status != StatusCreated || o.Res.DocID != doc {
				t.Fatalf("order %+v, want created on %s", o, doc)
			}
			if f.faulty.Calls(tc.op) != 2 {
				t.Fatalf("%d %s calls, want the lost one and its retry", f.faulty.Calls(tc.op), tc.op)
			}
			if n := f.core.OpenReservations(); n != 1 {
				t.Fatalf("%d open documents, want 1", n)
			}
			if held := f.heldBy(doc); held != 3 {
				t.Fatalf("document holds %d, want 3", held)
			}
			if r := f.values(oci.Grp("online"), "sku").Reserved; r != 3*oci.Unit {
				t.Fatalf("reserved %s, want 3", r)
			}
			f.mustHealthy()
		})
	}
}

// TestLostResponseEveryRetry: every attempt commits and loses its answer,
// so the shopper gets 503; what the core committed is rolled back (now, or
// by the job once the core answers again) and the order ends failed.
func TestLostResponseEveryRetry(t *testing.T) {
	f := newFixture(t, fixtureOpts{mode: modes.OmnichannelInventory})
	f.stock("wh-a", "sku", 10)
	b := f.mustBasket(item("sku", 3))
	f.faulty.Add(coretest.Rule{Op: "", Fault: coretest.Drop, Times: 3}) // 1 + 2 retries; opens the circuit
	_, err := f.svc.CreateOrder(context.Background(), testSite, b.ID)
	if ErrorCode(err) != EUNREACHABLE {
		t.Fatalf("create order: %v, want EUNREACHABLE", err)
	}
	doc := f.svc.orderDocID("00001001", 1)
	if f.heldBy(doc) != 3 {
		t.Fatalf("the committed document should still hold 3 while the circuit is open")
	}
	f.clock.Advance(6 * time.Second) // past openFor
	rep, err := f.svc.RunJobs(context.Background())
	if err != nil || rep.Settled != 1 || rep.Pending != 0 {
		t.Fatalf("job: %+v %v", rep, err)
	}
	if f.heldBy(doc) != 0 || f.values(oci.Grp("online"), "sku").Reserved != 0 {
		t.Fatal("the rolled back document still holds units")
	}
	o := f.order("00001001")
	if o.Status != StatusFailed || o.FailReason != "interrupted" || o.Res.State != ResReleased {
		t.Fatalf("order after the rollback: %+v", o)
	}
	if _, err := f.svc.Basket(testSite, b.ID); err != nil {
		t.Fatalf("the basket should survive a failed checkout: %v", err)
	}
	f.mustHealthy()
}

// TestLostBasketReservation: a basket reservation PUT whose answers are all
// lost leaves a pending PUT that is replayed before the document is used
// again, so the next reservation replaces it instead of adding to it.
func TestLostBasketReservation(t *testing.T) {
	f := newFixture(t, fixtureOpts{mode: modes.OmnichannelInventory})
	f.stock("wh-a", "sku", 10)
	b := f.mustBasket(item("sku", 4))
	f.faulty.Add(coretest.Rule{Op: "reserve", Fault: coretest.Drop, Times: 3})
	if _, _, err := f.svc.ReserveBasket(context.Background(), testSite, b.ID, ReserveOptions{}); ErrorCode(err) != EUNREACHABLE {
		t.Fatalf("reserve: %v, want EUNREACHABLE", err)
	}
	f.clock.Advance(6 * time.Second)
	got := f.mustReserve(b.ID, ReserveOptions{})
	if got.Res.DocID != f.svc.basketDocID(b.ID, 1) || got.Res.PendingPut != nil {
		t.Fatalf("basket reservation %+v", got.Res)
	}
	if r := f.values(oci.Grp("online"), "sku").Reserved; r != 4*oci.Unit {
		t.Fatalf("reserved %s, want 4", r)
	}
	o := f.mustOrder(b.ID)
	if o.Res.DocID != got.Res.DocID || f.core.OpenReservations() != 1 {
		t.Fatalf("order %+v; %d open documents", o.Res, f.core.OpenReservations())
	}
	f.mustHealthy()
}
