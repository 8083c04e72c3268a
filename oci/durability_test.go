package oci

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"
	"time"
)

// dump is a canonical picture of everything a client can observe.
func (tc *testCore) dump() map[string]string {
	tc.tb.Helper()
	out := map[string]string{}
	g, epoch := tc.Graph()
	out["graph"] = fmt.Sprintf("%d %+v", epoch, g)
	for _, kind := range []PlaceType{PlaceLocation, PlaceGroup} {
		var ids []string
		if kind == PlaceLocation {
			for _, l := range g.Locations {
				ids = append(ids, l.ID)
			}
		} else {
			for _, gr := range g.Groups {
				ids = append(ids, gr.ID)
			}
		}
		if len(ids) == 0 {
			continue
		}
		sink := &collectSink{}
		if _, err := tc.Export(kind, ids, sink); err != nil {
			tc.tb.Fatal(err)
		}
		for k, v := range sink.byPlace {
			out[k] = v
		}
	}
	tc.mu.RLock()
	ids := make([]string, 0, len(tc.docs))
	for id := range tc.docs {
		ids = append(ids, id)
	}
	tc.mu.RUnlock()
	sort.Strings(ids)
	for _, id := range ids {
		v, _ := tc.Reservation(id)
		out["doc "+id] = fmt.Sprintf("%+v", v)
	}
	return out
}

type collectSink struct {
	place   string
	byPlace map[string]string
}

func (s *collectSink) Place(kind PlaceType, id string) error {
	if s.byPlace == nil {
		s.byPlace = map[string]string{}
	}
	s.place = kind.String() + " " + id
	return nil
}

func (s *collectSink) Records(vs []Values) error {
	for _, v := range vs {
		s.byPlace[s.place+" "+v.SKU] = fmt.Sprintf("%+v", v)
	}
	return nil
}

// randomWorkload drives a mix of every write the core takes, from a fixed
// seed, and returns how many operations it made.
func randomWorkload(tc *testCore, seed uint64, n int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	locs := []string{"L1", "L2", "L3"}
	places := []Place{Loc("L1"), Loc("L2"), Loc("L3"), Grp("GA"), Grp("GB")}
	skus := []string{"s1", "s2", "s3"}
	var docs []string
	for i := range n {
		sku := skus[rng.IntN(len(skus))]
		switch op := rng.IntN(10); {
		case op < 2:
			tc.BatchUpdate([]RecordUpdate{{ID: fmt.Sprint("u", seed, i), Location: locs[rng.IntN(3)], SKU: sku,
				OnHand: Value(Qty(rng.IntN(20)) * Unit), SafetyStock: Value(Qty(rng.IntN(2)) * Unit)}})
		case op < 6:
			p := places[rng.IntN(len(places))]
			id := fmt.Sprint("d", seed, "-", i)
			req := reserveAt(id, p.Type, p.ID, sku, float64(1+rng.IntN(6)))
			if rng.IntN(3) == 0 {
				secs := 1 + rng.IntN(120)
				req.ExpirationSeconds = &secs
			}
			if _, err := tc.Reserve(req); err == nil {
				docs = append(docs, id)
			}
		case op < 7 && len(docs) > 0:
			tc.UpdateReservation(docs[rng.IntN(len(docs))], &ReservationUpdate{Cancel: true})
		case op < 8:
			g := []string{"GA", "GB"}[rng.IntN(2)]
			l := shared.Groups[map[string]int{"GA": 0, "GB": 1}[g]].Locations[rng.IntN(2)]
			tc.Transfer(&TransferRequest{Records: []TransferRecord{{ID: fmt.Sprint("t", seed, i), From: Grp(g), To: Loc(l), SKU: sku, Quantity: Unit}}})
		case op < 9:
			tc.Fulfill([]FulfillRecord{{ID: fmt.Sprint("f", seed, i), Location: locs[rng.IntN(3)], SKU: sku, Quantity: Unit}})
		default:
			tc.clock.Advance(time.Duration(rng.IntN(60)) * time.Second)
			tc.Release([]ReleaseRecord{{ID: fmt.Sprint("r", seed, i), Place: places[rng.IntN(len(places))], SKU: sku, Quantity: Unit}})
		}
	}
}

// TestRestoreEqualsBefore: state after a reopen equals state before it.
func TestRestoreEqualsBefore(t *testing.T) {
	tc := mustOpen(t)
	tc.mustGraph(shared)
	randomWorkload(tc, 7, 600)
	if v := tc.CheckInvariants(); len(v) > 0 {
		t.Fatalf("invariants after the workload: %+v", v)
	}
	before := tc.dump()
	seq := tc.Seq()
	tc2 := tc.reopen()
	after := tc2.dump()
	if !reflect.DeepEqual(before, after) {
		for k, v := range before {
			if after[k] != v {
				t.Errorf("%s\n before %s\n after  %s", k, v, after[k])
			}
		}
		for k := range after {
			if _, ok := before[k]; !ok {
				t.Errorf("%s appeared after reopen: %s", k, after[k])
			}
		}
	}
	if tc2.Seq() != seq {
		t.Errorf("change-log sequence %d after reopen, %d before", tc2.Seq(), seq)
	}
	if v := tc2.CheckInvariants(); len(v) > 0 {
		t.Fatalf("invariants after reopen: %+v", v)
	}
}

// TestInvariantsUnderRandomWorkloads runs many seeds of mixed operations.
func TestInvariantsUnderRandomWorkloads(t *testing.T) {
	for seed := range uint64(8) {
		tc := mustOpen(t)
		tc.mustGraph(shared)
		randomWorkload(tc, seed, 300)
		if v := tc.CheckInvariants(); len(v) > 0 {
			t.Fatalf("seed %d: %+v", seed, v)
		}
	}
}
