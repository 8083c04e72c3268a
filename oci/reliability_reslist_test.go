package oci

import (
	"fmt"
	"testing"
	"time"

	"ociedge/internal/kv"
)

// memCore is a Core on an in-memory store: for tests of many operations
// where durability is not the point.
func memCore(t *testing.T, clock *fakeClock) *testCore {
	t.Helper()
	st := kv.NewMem()
	c, err := Open(Config{Store: st, Now: clock.Now, SweepInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	tc := &testCore{Core: c, clock: clock, store: st, tb: t}
	t.Cleanup(tc.close)
	return tc
}

func listIDs(t *testing.T, tc *testCore, f ReservationFilter) []string {
	t.Helper()
	var ids []string
	err := tc.Reservations(f, func(v ReservationView) error {
		ids = append(ids, v.ReservationID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestReservations_FiltersAcrossChunks: more documents than one chunk are
// listed in creation order; the state and time filters select exactly the
// right ones; a closed document shows what it reserved.
func TestReservations_FiltersAcrossChunks(t *testing.T) {
	tc := memCore(t, newClock())
	tc.mustGraph(shared)
	tc.mustSet("L1", "s0", 100000, 0)
	n := 2*reservationChunk + 100
	half := tc.clock.Now().Add(time.Hour)
	for i := range n {
		if i == n/2 {
			tc.clock.Advance(time.Hour)
		}
		tc.mustReserve(reserveAt(fmt.Sprintf("r%05d", i), PlaceLocation, "L1", "s0", 2))
		if i%3 == 0 {
			if _, err := tc.UpdateReservation(fmt.Sprintf("r%05d", i), &ReservationUpdate{Cancel: true}); err != nil {
				t.Fatal(err)
			}
		}
	}
	var open, closedLate []string
	for i := range n {
		id := fmt.Sprintf("r%05d", i)
		if i%3 != 0 {
			open = append(open, id)
		} else if i >= n/2 {
			closedLate = append(closedLate, id)
		}
	}
	if got := listIDs(t, tc, ReservationFilter{States: []ReservationState{StateOpen}}); fmt.Sprint(got) != fmt.Sprint(open) {
		t.Fatalf("open: %d documents, want %d in creation order", len(got), len(open))
	}
	late := ReservationFilter{States: []ReservationState{StateCancelled}, From: half}
	if got := listIDs(t, tc, late); fmt.Sprint(got) != fmt.Sprint(closedLate) {
		t.Fatalf("cancelled since %v: %d documents, want %d", half, len(got), len(closedLate))
	}
	if got := listIDs(t, tc, ReservationFilter{To: half}); len(got) != n/2 {
		t.Fatalf("before %v: %d documents, want %d", half, len(got), n/2)
	}
	var v ReservationView
	tc.Reservations(ReservationFilter{States: []ReservationState{StateCancelled}}, func(r ReservationView) error {
		v = r
		return errStop
	})
	if v.ReservationID != "r00000" || len(v.Locations) != 1 || v.Locations[0].Items[0] != (Line{"s0", q(2)}) {
		t.Fatalf("a cancelled document shows %+v; want what it reserved (L1 s0 2)", v)
	}
}

var errStop = fmt.Errorf("stop")

// TestReservations_CallbackRunsUnlocked: fn may call the core (it runs
// without the state lock), and a document cancelled while the listing runs
// is skipped when its chunk is read.
func TestReservations_CallbackRunsUnlocked(t *testing.T) {
	tc := memCore(t, newClock())
	tc.mustGraph(shared)
	tc.mustSet("L1", "s0", 100000, 0)
	n := reservationChunk + 10
	for i := range n {
		tc.mustReserve(reserveAt(fmt.Sprintf("r%05d", i), PlaceLocation, "L1", "s0", 1))
	}
	last := fmt.Sprintf("r%05d", n-1)
	seen := 0
	err := tc.Reservations(ReservationFilter{States: []ReservationState{StateOpen}}, func(v ReservationView) error {
		if seen++; seen == 1 {
			_, err := tc.UpdateReservation(last, &ReservationUpdate{Cancel: true})
			return err
		}
		if v.ReservationID == last {
			return fmt.Errorf("%s was cancelled before its chunk was read, yet listed as %s", last, v.State)
		}
		return nil
	})
	if err != nil || seen != n-1 {
		t.Fatalf("listed %d documents (%v); want %d", seen, err, n-1)
	}
	tc.mustHealthy()
}
