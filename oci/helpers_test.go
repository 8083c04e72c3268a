package oci

import (
	"errors"
	"testing"
	"time"

	"ociedge/internal/clocktest"
	"ociedge/internal/kv"
)

// fakeClock is a clock the test moves by hand.
type fakeClock = clocktest.Clock

func newClock() *fakeClock { return clocktest.New(clocktest.Noon) }

// testCore is a Core on a real Pebble store in a temp dir.
type testCore struct {
	*Core
	clock *fakeClock
	store kv.Store
	dir   string
	tb    testing.TB
}

func mustOpen(tb testing.TB) *testCore {
	tb.Helper()
	return mustOpenDir(tb, tb.TempDir(), newClock())
}

func mustOpenDir(tb testing.TB, dir string, clock *fakeClock) *testCore {
	tb.Helper()
	st, err := kv.OpenPebble(dir, kv.PebbleConfig{})
	if err != nil {
		tb.Fatal(err)
	}
	c, err := Open(Config{Store: st, Now: clock.Now, SweepInterval: time.Hour})
	if err != nil {
		tb.Fatal(err)
	}
	tc := &testCore{Core: c, clock: clock, store: st, dir: dir, tb: tb}
	tb.Cleanup(tc.close)
	return tc
}

func (tc *testCore) close() {
	tc.Core.Close()
	tc.store.Close()
}

// reopen closes the core and opens it again on the same directory.
func (tc *testCore) reopen() *testCore {
	tc.tb.Helper()
	tc.close()
	return mustOpenDir(tc.tb, tc.dir, tc.clock)
}

func (tc *testCore) mustGraph(g Graph) {
	tc.tb.Helper()
	if err := tc.ReplaceGraph(g); err != nil {
		tc.tb.Fatal(err)
	}
}

func q(units float64) Qty { return Qty(units*1000 + 0.5) }

// mustSet gives sku at loc the onHand, safety stock and futures (units).
func (tc *testCore) mustSet(loc, sku string, onHand, safety float64, futures ...Future) {
	tc.tb.Helper()
	u := RecordUpdate{ID: "set-" + loc + "-" + sku + "-" + tc.clock.Now().String(), Location: loc, SKU: sku,
		OnHand: Value(q(onHand)), SafetyStock: Value(q(safety))}
	if futures != nil {
		u.Futures = Value(futures)
	}
	u.ID += Qty(len(futures)).String() + q(onHand).String() + q(safety).String()
	if errs, err := tc.BatchUpdate([]RecordUpdate{u}); err != nil || len(errs) > 0 {
		tc.tb.Fatalf("set %s/%s: %v %v", loc, sku, err, errs)
	}
}

func (tc *testCore) values(kind PlaceType, place, sku string) Values {
	tc.tb.Helper()
	qr := &AvailabilityQuery{SKUs: []string{sku}}
	if kind == PlaceGroup {
		qr.Groups = []string{place}
	} else {
		qr.Locations = []string{place}
	}
	a, err := tc.GetAvailability(qr)
	if err != nil {
		tc.tb.Fatal(err)
	}
	if kind == PlaceGroup {
		return a.Groups[0].Records[0]
	}
	return a.Locations[0].Records[0]
}

func (tc *testCore) mustReserve(req *ReserveRequest) *ReserveResult {
	tc.tb.Helper()
	res, err := tc.Reserve(req)
	if err != nil {
		tc.tb.Fatalf("reserve %s: %v", req.ReservationID, err)
	}
	return res
}

func (tc *testCore) mustHealthy() {
	tc.tb.Helper()
	if v := tc.CheckInvariants(); len(v) > 0 {
		tc.tb.Fatalf("invariants broken: %+v", v)
	}
	if o := tc.Overcommitted(); len(o) > 0 {
		tc.tb.Fatalf("overcommitted: %+v", o)
	}
}

func reserveAt(id string, kind PlaceType, place, sku string, units float64) *ReserveRequest {
	pl := []PlaceLines{{ID: place, Lines: []Line{{SKU: sku, Quantity: q(units)}}}}
	r := &ReserveRequest{ReservationID: id}
	if kind == PlaceGroup {
		r.Groups = pl
	} else {
		r.Locations = pl
	}
	return r
}

func no() *bool { b := false; return &b }

func codeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func reservedQty(res *ReserveResult) Qty {
	var t Qty
	for _, ps := range [][]PlaceResult{res.Locations, res.Groups} {
		for _, p := range ps {
			for _, d := range p.Details {
				t += d.Quantity
			}
		}
	}
	return t
}
