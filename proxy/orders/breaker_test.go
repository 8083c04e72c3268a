package orders

import (
	"context"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"ociedge/modes"
	"ociedge/proxy/orders/coretest"
)

// TestCircuitBreaker: three consecutive failed calls open the circuit;
// while it is open order creation answers 503 at once and no call reaches
// the core; after openFor one trial call goes through and closes it.
func TestCircuitBreaker(t *testing.T) {
	metrics := NewMetrics()
	f := newFixture(t, fixtureOpts{mode: modes.OmnichannelInventory, cfg: func(c *Config) { c.Metrics = metrics }})
	f.stock("wh-a", "sku", 10)
	f.faulty.Add(coretest.Rule{Fault: coretest.Fail, Times: 1000})
	b1 := f.mustBasket(item("sku", 1))
	st, body := f.do("POST", withSite(shopperOrdersPath("")), `{"basketId":"`+b1.ID+`"}`)
	if st != 503 || !contains(body, "service-unavailable") {
		t.Fatalf("order with the core failing: %d %s", st, body)
	}
	if n := f.faulty.Calls("reserve"); n != 3 {
		t.Fatalf("%d reserve calls, want 1 + 2 retries", n)
	}
	if f.svc.CircuitState() != CircuitOpen {
		t.Fatalf("circuit %s, want open", f.svc.CircuitState())
	}
	calls := f.faulty.Calls("")
	for range 5 {
		b := f.mustBasket(item("sku", 1))
		if st, body := f.do("POST", withSite(shopperOrdersPath("")), `{"basketId":"`+b.ID+`"}`); st != 503 {
			t.Fatalf("order with the circuit open: %d %s", st, body)
		}
	}
	if n := f.faulty.Calls(""); n != calls {
		t.Fatalf("%d calls reached the core while the circuit was open", n-calls)
	}
	f.clock.Advance(5 * time.Second)
	f.faulty.Clear()
	o := f.mustOrder(b1.ID)
	if o.Status != StatusCreated || f.svc.CircuitState() != CircuitClosed {
		t.Fatalf("after openFor: order %s, circuit %s", o.Status, f.svc.CircuitState())
	}
	if v := gaugeValue(t, metrics); v != float64(CircuitClosed) {
		t.Fatalf("circuit gauge %v", v)
	}
	// The pending rollbacks of the refused checkouts go through now.
	if rep, err := f.svc.RunJobs(context.Background()); err != nil || rep.Pending != 0 {
		t.Fatalf("job: %+v %v", rep, err)
	}
	f.mustHealthy()
}

func gaugeValue(tb testing.TB, m *Metrics) float64 {
	tb.Helper()
	pb := new(dto.Metric)
	if err := m.Circuit.Write(pb); err != nil {
		tb.Fatal(err)
	}
	return pb.GetGauge().GetValue()
}

// TestHalfOpenTrialFails: a failed trial call opens the circuit again.
func TestHalfOpenTrialFails(t *testing.T) {
	clock := newClock()
	var states []CircuitState
	b := newBreaker(2, time.Second, clock.Now, func(s CircuitState) { states = append(states, s) })
	for range 2 {
		trial, ok := b.allow()
		if !ok || trial {
			t.Fatal("closed circuit refused a call")
		}
		b.done(false, false)
	}
	if _, ok := b.allow(); ok {
		t.Fatal("open circuit allowed a call")
	}
	clock.Advance(time.Second)
	trial, ok := b.allow()
	if !ok || !trial {
		t.Fatal("no trial call after openFor")
	}
	if _, ok := b.allow(); ok {
		t.Fatal("a second call during the trial")
	}
	b.done(true, false)
	if b.State() != CircuitOpen {
		t.Fatalf("state %s after a failed trial", b.State())
	}
	clock.Advance(time.Second)
	trial, _ = b.allow()
	b.done(trial, true)
	want := []CircuitState{CircuitOpen, CircuitHalfOpen, CircuitOpen, CircuitHalfOpen, CircuitClosed}
	if len(states) != len(want) {
		t.Fatalf("states %v, want %v", states, want)
	}
	for i := range want {
		if states[i] != want[i] {
			t.Fatalf("states %v, want %v", states, want)
		}
	}
}

// TestSlowCore: a call that does not answer within core.timeout is retried
// with the same id; the order is created once.
func TestSlowCore(t *testing.T) {
	f := newFixture(t, fixtureOpts{mode: modes.OmnichannelInventory})
	f.stock("wh-a", "sku", 10)
	f.faulty.Add(coretest.Rule{Op: "reserve", Fault: coretest.Hang, Times: 1})
	start := time.Now()
	o := f.mustOrder(f.mustBasket(item("sku", 2)).ID)
	if time.Since(start) < 250*time.Millisecond {
		t.Fatal("the hung call did not wait for its deadline")
	}
	if f.heldBy(o.Res.DocID) != 2 || f.faulty.Calls("reserve") != 2 {
		t.Fatalf("held %d after %d calls", f.heldBy(o.Res.DocID), f.faulty.Calls("reserve"))
	}
}
