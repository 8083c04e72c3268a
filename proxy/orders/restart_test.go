package orders

import (
	"context"
	"testing"
	"time"

	"ociedge/modes"
	"ociedge/oci"
	"ociedge/proxy/inventory"
	"ociedge/proxy/orders/coretest"
)

// errKilled stands for the process dying at a kill point.
type errKilled struct{}

// TestRestartBetweenCancelIntentAndRelease: the edge stops after a cancel
// is durable and before its release; after the restart the job releases
// it exactly once (B2C turnover back to 0, not below; the core's reserved
// back to 0), and the order stays cancelled.
func TestRestartBetweenCancelIntentAndRelease(t *testing.T) {
	for _, m := range []modes.Mode{modes.OmnichannelInventory, modes.CommercePlatform} {
		t.Run(m.String(), func(t *testing.T) {
			f := newFixture(t, fixtureOpts{mode: m, edgeDir: t.TempDir()})
			f.stock("wh-a", "sku", 10)
			f.allocate("online", "sku", 10)
			o := f.mustOrder(f.mustBasket(item("sku", 3)).ID)
			if _, err := f.svc.SetStatus(context.Background(), testSite, o.No, StatusNew); err != nil {
				t.Fatal(err)
			}
			f.svc.afterReleaseIntent = func(*Order) { panic(errKilled{}) }
			func() {
				defer func() {
					if _, ok := recover().(errKilled); !ok {
						t.Fatal("the kill point was not reached")
					}
				}()
				f.svc.SetStatus(context.Background(), testSite, o.No, StatusCancelled)
			}()
			f.reopenEdge()
			if got := f.order(o.No); got.Status != StatusCancelled || got.Res.State != ResReleasing {
				t.Fatalf("order after restart: %+v", got)
			}
			if rep, err := f.svc.RunJobs(context.Background()); err != nil || rep.Settled != 1 {
				t.Fatalf("job: %+v %v", rep, err)
			}
			if rep, _ := f.svc.RunJobs(context.Background()); rep.Settled != 0 {
				t.Fatalf("a second job settled again: %+v", rep)
			}
			f.wantOrderHeld(f.order(o.No), false)
			if m == modes.OmnichannelInventory {
				if r := f.values(oci.Grp("online"), "sku").Reserved; r != 0 {
					t.Fatalf("reserved %s", r)
				}
				f.mustHealthy()
			} else if r := f.record("online", "sku"); r.Turnover != 0 || r.ATS() != inventory.Units(10) {
				t.Fatalf("turnover %s ATS %s", r.Turnover, r.ATS())
			}
		})
	}
}

// TestFailWhileCoreDown: failing an order while the core does not answer
// still fails it (the change is durable); the release waits for the job,
// which does it once the core answers.
func TestFailWhileCoreDown(t *testing.T) {
	f := newFixture(t, fixtureOpts{mode: modes.OmnichannelInventory})
	f.stock("wh-a", "sku", 10)
	o := f.mustOrder(f.mustBasket(item("sku", 2)).ID)
	f.faulty.Add(coretest.Rule{Fault: coretest.Fail, Times: 1000})
	if st, body := f.do("POST", withSite(shopperOrdersPath("/"+o.No+"/actions/fail")), ""); st != 204 {
		t.Fatalf("fail with the core down: %d %s", st, body)
	}
	got := f.order(o.No)
	if got.Status != StatusFailed || got.Res.State != ResReleasing || f.heldBy(o.Res.DocID) != 2 {
		t.Fatalf("order %+v, held %d", got, f.heldBy(o.Res.DocID))
	}
	if st, _ := f.do("PUT", withSite(adminOrdersPath("/"+o.No+"/status")), `{"status":"created"}`); st != 503 {
		t.Fatalf("undo fail before the release: %d, want 503", st)
	}
	if rep, _ := f.svc.RunJobs(context.Background()); rep.Pending != 1 {
		t.Fatalf("job with the core down: %+v", rep)
	}
	f.faulty.Clear()
	f.clock.Advance(5 * time.Second)
	if rep, _ := f.svc.RunJobs(context.Background()); rep.Settled != 1 || rep.Pending != 0 {
		t.Fatalf("job with the core back: %+v", rep)
	}
	if f.heldBy(o.Res.DocID) != 0 {
		t.Fatal("not released")
	}
	f.mustHealthy()
}

// TestConversionLostThenRolledBack: the PATCH that turns a basket's
// document into an order's commits, every answer is lost, the shopper
// gets 503; the rollback cancels the document, so nothing stays held for
// the order that was never acknowledged, and the basket can check out
// again with a fresh document.
func TestConversionLostThenRolledBack(t *testing.T) {
	f := newFixture(t, fixtureOpts{mode: modes.OmnichannelInventory})
	f.stock("wh-a", "sku", 10)
	b := f.mustBasket(item("sku", 4))
	f.mustReserve(b.ID, ReserveOptions{})
	f.faulty.Add(coretest.Rule{Op: "update", Fault: coretest.Drop, Times: 3})
	if _, err := f.svc.CreateOrder(context.Background(), testSite, b.ID); ErrorCode(err) != EUNREACHABLE {
		t.Fatalf("create order: %v", err)
	}
	doc := f.svc.basketDocID(b.ID, 1)
	if v, _ := f.core.Reservation(doc); v.ExternalRefID != "00001001" {
		t.Fatalf("the PATCH did not commit: %+v", v)
	}
	f.clock.Advance(5 * time.Second)
	if rep, _ := f.svc.RunJobs(context.Background()); rep.Settled != 1 {
		t.Fatalf("job: %+v", rep)
	}
	if f.heldBy(doc) != 0 || f.order("00001001").Status != StatusFailed {
		t.Fatal("the converted document was not rolled back")
	}
	o := f.mustOrder(b.ID)
	if o.Res.DocID != f.svc.orderDocID(o.No, 1) || f.heldBy(o.Res.DocID) != 4 {
		t.Fatalf("second checkout %+v", o.Res)
	}
	if r := f.values(oci.Grp("online"), "sku").Reserved; r != 4*oci.Unit {
		t.Fatalf("reserved %s, want 4", r)
	}
	f.mustHealthy()
}
