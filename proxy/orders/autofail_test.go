package orders

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"ociedge/modes"
	"ociedge/oci"
)

func counterValue(tb testing.TB, c prometheus.Counter) float64 {
	tb.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		tb.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

// TestAutoFail: orders still created failNonPlacedOrdersAfter (30m) after
// their creation are failed and released, once, counted and logged one
// line each; placed orders, younger orders and sites without the setting
// are left alone.
func TestAutoFail(t *testing.T) {
	metrics := NewMetrics()
	core, logs := observer.New(zap.InfoLevel)
	f := newFixture(t, fixtureOpts{mode: modes.OmnichannelInventory, cfg: func(c *Config) {
		c.Metrics, c.Logger = metrics, zap.New(core)
	}})
	f.stock("wh-a", "sku", 100)
	stale1 := f.mustOrder(f.mustBasket(item("sku", 1)).ID)
	stale2 := f.mustOrder(f.mustBasket(item("sku", 2)).ID)
	placed := f.mustOrder(f.mustBasket(item("sku", 3)).ID)
	other, err := f.svc.CreateBasket("NoAutoFail", []ItemInput{item("sku", 4)})
	if err != nil {
		t.Fatal(err)
	}
	never, err := f.svc.CreateOrder(context.Background(), "NoAutoFail", other.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetStatus(context.Background(), testSite, placed.No, StatusNew); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(29 * time.Minute)
	young := f.mustOrder(f.mustBasket(item("sku", 5)).ID)
	if rep, err := f.svc.RunJobs(context.Background()); err != nil || rep.AutoFailed != 0 {
		t.Fatalf("job before the deadline: %+v %v", rep, err)
	}
	f.clock.Advance(time.Minute)
	if rep, err := f.svc.RunJobs(context.Background()); err != nil || rep.AutoFailed != 2 {
		t.Fatalf("job at the deadline: %+v %v", rep, err)
	}
	for _, no := range []string{stale1.No, stale2.No} {
		o := f.order(no)
		if o.Status != StatusFailed || o.FailReason != "auto-fail" {
			t.Fatalf("order %s: %+v", no, o)
		}
		f.wantOrderHeld(o, false)
	}
	for _, o := range []*Order{placed, young} {
		f.wantOrderHeld(f.order(o.No), true)
	}
	if got, _ := f.svc.loadOrder("NoAutoFail", never.No); got.Status != StatusCreated {
		t.Fatalf("an order of a site without auto-fail: %+v", got)
	}
	if rep, _ := f.svc.RunJobs(context.Background()); rep.AutoFailed != 0 {
		t.Fatalf("a second run failed %d more", rep.AutoFailed)
	}
	if n := counterValue(t, metrics.Orders.WithLabelValues("auto_failed")); n != 2 {
		t.Fatalf("auto_failed counter %v, want 2", n)
	}
	if n := logs.FilterMessage("order auto-failed").Len(); n != 2 {
		t.Fatalf("%d auto-fail log lines, want 2", n)
	}
	if r := f.values(oci.Grp("online"), "sku").Reserved; r != (3+4+5)*oci.Unit {
		t.Fatalf("reserved %s, want 12", r)
	}
	f.mustHealthy()
}

// TestAutoFailAfterRestart: the orders to auto-fail are found again after
// a restart, from the store.
func TestAutoFailAfterRestart(t *testing.T) {
	f := newFixture(t, fixtureOpts{mode: modes.CommercePlatform, edgeDir: t.TempDir()})
	f.allocate("online", "sku", 10)
	o := f.mustOrder(f.mustBasket(item("sku", 2)).ID)
	f.reopenEdge()
	f.clock.Advance(31 * time.Minute)
	if rep, err := f.svc.RunJobs(context.Background()); err != nil || rep.AutoFailed != 1 {
		t.Fatalf("job after restart: %+v %v", rep, err)
	}
	f.wantOrderHeld(f.order(o.No), false)
	if r := f.record("online", "sku"); r.Turnover != 0 {
		t.Fatalf("turnover %s", r.Turnover)
	}
}

// TestBackgroundJob: with a job interval the service auto-fails by itself,
// and Close stops the job.
func TestBackgroundJob(t *testing.T) {
	f := newFixture(t, fixtureOpts{mode: modes.OmnichannelInventory, cfg: func(c *Config) {
		c.JobInterval = time.Millisecond
	}})
	f.stock("wh-a", "sku", 10)
	o := f.mustOrder(f.mustBasket(item("sku", 1)).ID)
	f.clock.Advance(time.Hour)
	deadline := time.After(10 * time.Second)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for f.order(o.No).Status != StatusFailed {
		select {
		case <-deadline:
			t.Fatal("the background job did not auto-fail the order")
		case <-tick.C:
		}
	}
	f.svc.Close()
	f.svc.Close() // twice is fine
}

// TestOrderNumbersAfterRestart: order numbers are sequential, and after a
// restart they continue after the last durably reserved block.
func TestOrderNumbersAfterRestart(t *testing.T) {
	f := newFixture(t, fixtureOpts{mode: modes.CommercePlatform, edgeDir: t.TempDir()})
	f.allocate("online", "sku", 10)
	for _, want := range []string{"00001001", "00001002"} {
		if o := f.mustOrder(f.mustBasket(item("sku", 1)).ID); o.No != want {
			t.Fatalf("order number %s, want %s", o.No, want)
		}
	}
	f.reopenEdge()
	if o := f.mustOrder(f.mustBasket(item("sku", 1)).ID); o.No != "00001101" {
		t.Fatalf("order number after restart %s, want 00001101", o.No)
	}
}
