package orders

import (
	"encoding/json"
	"testing"
	"time"

	"ociedge/internal/kv"
	"ociedge/modes"
	"ociedge/oci"
	"ociedge/proxy/inventory"
	"ociedge/proxy/orders/coretest"
)

// stack is a core and an edge on Pebble directories, without a testing.TB
// (the child has none).
type stack struct {
	core             *oci.Core
	svc              *Service
	inv              *inventory.Store
	coreKV, edgeKV   kv.Store
	clock            *fakeClock
	coreDir, edgeDir string
}

func openStack(coreDir, edgeDir string, clock *fakeClock, mode modes.Mode) (*stack, error) {
	st := &stack{clock: clock, coreDir: coreDir, edgeDir: edgeDir}
	var err error
	if st.coreKV, err = kv.OpenPebble(coreDir, kv.PebbleConfig{}); err != nil {
		return nil, err
	}
	if st.core, err = oci.Open(oci.Config{Store: st.coreKV, Now: clock.Now, SweepInterval: time.Hour}); err != nil {
		return nil, err
	}
	if g, _ := st.core.Graph(); len(g.Locations) == 0 {
		if err := st.core.ReplaceGraph(testGraph); err != nil {
			return nil, err
		}
	}
	if st.edgeKV, err = kv.OpenPebble(edgeDir, kv.PebbleConfig{}); err != nil {
		return nil, err
	}
	if st.inv, err = inventory.Open(inventory.Config{KV: st.edgeKV, Now: clock.Now}); err != nil {
		return nil, err
	}
	edge, err := parseEdge()
	if err != nil {
		return nil, err
	}
	mv := &modeVar{}
	mv.Set(mode)
	st.svc, err = Open(Config{KV: st.edgeKV, Edge: edge, Mode: mv.Get, Place: testPlace,
		Core: coretest.Local{Core: st.core}, Inventory: st.inv, Now: clock.Now, JobInterval: -1,
		RetryBackoff: time.Millisecond})
	return st, err
}

func (st *stack) close() {
	st.svc.Close()
	st.inv.Close()
	st.edgeKV.Close()
	st.core.Close()
	st.coreKV.Close()
}

func mustStack(tb testing.TB, coreDir, edgeDir string, clock *fakeClock) *stack {
	tb.Helper()
	st, err := openStack(coreDir, edgeDir, clock, modes.OmnichannelInventory)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(st.close)
	return st
}

func groupReserved(tb testing.TB, c *oci.Core, sku string) oci.Qty {
	tb.Helper()
	a, err := c.GetAvailability(&oci.AvailabilityQuery{SKUs: []string{sku}, Groups: []string{"online"}})
	if err != nil {
		tb.Fatal(err)
	}
	return a.Groups[0].Records[0].Reserved
}

func healthy(tb testing.TB, c *oci.Core) {
	tb.Helper()
	if v := c.CheckInvariants(); len(v) > 0 {
		tb.Fatalf("core invariants broken: %+v", v)
	}
	if o := c.Overcommitted(); len(o) > 0 {
		tb.Fatalf("core overcommitted: %+v", o)
	}
}

func (st *stack) storedOrders(t *testing.T) map[string]*Order {
	t.Helper()
	out := map[string]*Order{}
	err := st.svc.repo.scan("o/", func(no, v string) error {
		var o Order
		if err := json.Unmarshal([]byte(v), &o); err != nil {
			return err
		}
		out[no] = &o
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (st *stack) storedBaskets(t *testing.T) []*Basket {
	t.Helper()
	var out []*Basket
	err := st.svc.repo.scan("b/", func(_, v string) error {
		var b Basket
		if err := json.Unmarshal([]byte(v), &b); err != nil {
			return err
		}
		out = append(out, &b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
