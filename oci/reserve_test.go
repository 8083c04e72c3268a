package oci

import (
	"testing"
	"time"
)

// shared is the worked example of reference §4.1: A = {L1, L2} and
// B = {L2, L3} share L2 (ids of at least two characters).
var shared = Graph{
	Locations: []Location{{ID: "L1"}, {ID: "L2"}, {ID: "L3"}},
	Groups: []Group{
		{ID: "GA", Locations: []string{"L1", "L2"}},
		{ID: "GB", Locations: []string{"L2", "L3"}},
	},
}

func sharedCore(t testing.TB) *testCore {
	tc := mustOpen(t)
	tc.mustGraph(shared)
	tc.mustSet("L1", "sku", 5, 0)
	tc.mustSet("L2", "sku", 5, 0)
	tc.mustSet("L3", "sku", 15, 0)
	return tc
}

// TestWorkedExample_SharedLocations: reserve 17 at B ⇒ B reserved 17 (ATO 3)
// and A reserved 2 (ATO 8), because the least shared location (L3) is used
// first.
func TestWorkedExample_SharedLocations(t *testing.T) {
	tc := sharedCore(t)
	res := tc.mustReserve(reserveAt("r-b17", PlaceGroup, "GB", "sku", 17))
	if !res.Success || reservedQty(res) != q(17) {
		t.Fatalf("reserve 17 at B: %+v", res)
	}
	b := tc.values(PlaceGroup, "GB", "sku")
	a := tc.values(PlaceGroup, "GA", "sku")
	if b.Reserved != q(17) || b.ATO != q(3) || b.GroupReserved != q(17) {
		t.Errorf("B = reserved %s ato %s groupReserved %s; want 17 3 17", b.Reserved, b.ATO, b.GroupReserved)
	}
	if a.Reserved != q(2) || a.ATO != q(8) || a.SharedReserved != q(2) {
		t.Errorf("A = reserved %s ato %s sharedGroupReserved %s; want 2 8 2", a.Reserved, a.ATO, a.SharedReserved)
	}
	if l2 := tc.values(PlaceLocation, "L2", "sku"); l2.ATO != q(5) {
		t.Errorf("a location's reported ATO ignores group promises: L2 ato %s, want 5", l2.ATO)
	}
	tc.mustHealthy()
}

// TestGroupPromiseBlocksLocation: a location whose reported ATO is 5 refuses
// 5 when that would break B's promise ("a location with a reported ATO of 3
// can fail with an Insufficient Quantity response").
func TestGroupPromiseBlocksLocation(t *testing.T) {
	tc := sharedCore(t)
	tc.mustReserve(reserveAt("r-b17", PlaceGroup, "GB", "sku", 17))
	req := reserveAt("r-l2", PlaceLocation, "L2", "sku", 5)
	req.AllowPartial = no()
	res := tc.mustReserve(req)
	if res.Success || len(res.Locations[0].Errors) != 1 || res.Locations[0].Errors[0].ErrorCode != InsufficientQuantity {
		t.Fatalf("L2 5 must fail with InsufficientQuantity: %+v", res)
	}
	res = tc.mustReserve(reserveAt("r-l2p", PlaceLocation, "L2", "sku", 5))
	if got := reservedQty(res); got != q(3) {
		t.Fatalf("partial reservation at L2 must get exactly what keeps B whole: got %s, want 3", got)
	}
	// A can now take only L1.
	if a := tc.values(PlaceGroup, "GA", "sku"); a.ATO != q(5) {
		t.Errorf("A ato = %s, want 5", a.ATO)
	}
	tc.mustHealthy()
}

// TestFlowReroutesPromises: a promise may move between locations to make
// room; OCI exhausts all possibilities before refusing.
func TestFlowReroutesPromises(t *testing.T) {
	tc := sharedCore(t)
	// 5 at B first: a greedy assignment might pin it on L2.
	tc.mustReserve(reserveAt("r-b5", PlaceGroup, "GB", "sku", 5))
	req := reserveAt("r-a10", PlaceGroup, "GA", "sku", 10)
	req.AllowPartial = no()
	if res := tc.mustReserve(req); !res.Success {
		t.Fatalf("A 10 is feasible (B's 5 can all come from L3): %+v", res)
	}
	req = reserveAt("r-a1", PlaceGroup, "GA", "sku", 1)
	req.AllowPartial = no()
	if res := tc.mustReserve(req); res.Success {
		t.Fatalf("A 11 is infeasible: %+v", res)
	}
	tc.mustHealthy()
}

// TestWorkedExample_GroupLifecycle is reference §4.1's table: reserve at a
// group, transfer to a location, fulfill there.
func TestWorkedExample_GroupLifecycle(t *testing.T) {
	tc := mustOpen(t)
	tc.mustGraph(Graph{Locations: []Location{{ID: "L1"}, {ID: "L2"}}, Groups: []Group{{ID: "GA", Locations: []string{"L1", "L2"}}}})
	tc.mustSet("L1", "sku", 50, 0)
	tc.mustSet("L2", "sku", 50, 0)
	check := func(step string, place PlaceType, id string, onHand, reserved, ato float64) {
		t.Helper()
		v := tc.values(place, id, "sku")
		if v.OnHand != q(onHand) || v.Reserved != q(reserved) || v.ATO != q(ato) {
			t.Errorf("%s: %s = %s/%s/%s; want %v/%v/%v", step, id, v.OnHand, v.Reserved, v.ATO, onHand, reserved, ato)
		}
	}
	tc.mustReserve(reserveAt("order-1", PlaceGroup, "GA", "sku", 1))
	check("reserve", PlaceGroup, "GA", 100, 1, 99)
	check("reserve", PlaceLocation, "L2", 50, 0, 50)
	errs, err := tc.Transfer(&TransferRequest{Records: []TransferRecord{{ID: "t1", From: Grp("GA"), To: Loc("L2"), SKU: "sku", Quantity: q(1)}}})
	if err != nil || len(errs) > 0 {
		t.Fatal(err, errs)
	}
	check("transfer", PlaceLocation, "L2", 50, 1, 49)
	check("transfer", PlaceGroup, "GA", 100, 1, 99)
	errs, err = tc.Fulfill([]FulfillRecord{{ID: "f1", Location: "L2", SKU: "sku", Quantity: q(1)}})
	if err != nil || len(errs) > 0 {
		t.Fatal(err, errs)
	}
	check("fulfill", PlaceLocation, "L2", 49, 0, 49)
	check("fulfill", PlaceGroup, "GA", 99, 0, 99)
	if v, _ := tc.Reservation("order-1"); v.State != StateClosed {
		t.Errorf("a fully fulfilled document is CLOSED, got %s", v.State)
	}
	tc.mustHealthy()
}

func TestReserve_PartialAndNot(t *testing.T) {
	tc := mustOpen(t)
	tc.mustGraph(arizona)
	tc.mustSet("flagstaff", "a", 3, 0)
	tc.mustSet("flagstaff", "b", 10, 0)
	req := &ReserveRequest{ReservationID: "p1", Locations: []PlaceLines{{ID: "flagstaff", Lines: []Line{{"a", q(5)}, {"b", q(2)}, {"zz", q(1)}}}}}
	res := tc.mustReserve(req)
	loc := res.Locations[0]
	if res.Success || len(loc.Details) != 2 || loc.Details[0].Quantity != q(3) || len(loc.Errors) != 1 || loc.Errors[0].SKU != "zz" {
		t.Errorf("partial: %+v", res)
	}
	req = &ReserveRequest{ReservationID: "p2", AllowPartial: no(), Locations: []PlaceLines{{ID: "flagstaff", Lines: []Line{{"b", q(9)}, {"b2", q(1)}}}}}
	res = tc.mustReserve(req)
	if res.Success || len(res.Locations[0].Errors) != 2 || len(res.Locations[0].Details) != 0 {
		t.Errorf("not partial, b has 8 left: %+v", res)
	}
	if v := tc.values(PlaceLocation, "flagstaff", "b"); v.Reserved != q(2) {
		t.Errorf("a refused line must reserve nothing: reserved %s", v.Reserved)
	}
}

func TestReserve_AllOrNothing(t *testing.T) {
	tc := mustOpen(t)
	tc.mustGraph(arizona)
	tc.mustSet("flagstaff", "a", 3, 0)
	tc.mustSet("flagstaff", "b", 1, 0)
	req := &ReserveRequest{ReservationID: "aon", Locations: []PlaceLines{{ID: "flagstaff",
		AllOrNothing: []AllOrNothing{{ID: "set1", Lines: []Line{{"a", q(2)}, {"b", q(2)}}}}}}}
	res := tc.mustReserve(req)
	errs := res.Locations[0].Errors
	if len(errs) != 2 || errs[0].ErrorCode != NotAppliedDueToAtomicFailure || errs[1].ErrorCode != InsufficientQuantity {
		t.Errorf("all-or-nothing: %+v", res)
	}
	if v := tc.values(PlaceLocation, "flagstaff", "a"); v.Reserved != 0 {
		t.Errorf("a failed all-or-nothing set must leave nothing reserved, a has %s", v.Reserved)
	}
	tc.mustHealthy()
}

func TestReserve_FulfillOnly(t *testing.T) {
	tc := mustOpen(t)
	tc.mustGraph(arizona)
	tc.mustSet("flagstaff", "a", 3, 0, Future{q(10), tc.clock.Now().Add(time.Hour)})
	req := reserveAt("fo", PlaceLocation, "flagstaff", "a", 5)
	req.FulfillOnly, req.AllowPartial = true, no()
	if res := tc.mustReserve(req); res.Success {
		t.Errorf("fulfillOnly must check ATF (3), not ATO (13): %+v", res)
	}
	req = reserveAt("normal", PlaceLocation, "flagstaff", "a", 5)
	if res := tc.mustReserve(req); !res.Success {
		t.Errorf("a normal reservation may use futures (backorder): %+v", res)
	}
}

func TestReserve_ReplayAndConflict(t *testing.T) {
	tc := mustOpen(t)
	tc.mustGraph(arizona)
	tc.mustSet("flagstaff", "a", 10, 0)
	first := tc.mustReserve(reserveAt("same", PlaceLocation, "flagstaff", "a", 4))
	tc.clock.Advance(time.Minute)
	again := tc.mustReserve(reserveAt("same", PlaceLocation, "flagstaff", "a", 4))
	if !again.ReservationTime.Equal(first.ReservationTime) || reservedQty(again) != q(4) {
		t.Errorf("replay must return the first result: %+v vs %+v", again, first)
	}
	if v := tc.values(PlaceLocation, "flagstaff", "a"); v.Reserved != q(4) {
		t.Errorf("replay must change nothing: reserved %s", v.Reserved)
	}
	if _, err := tc.Reserve(reserveAt("same", PlaceLocation, "flagstaff", "a", 5)); codeOf(err) != EntityExists {
		t.Errorf("same id, other body: %v", err)
	}
	if _, err := tc.UpdateReservation("same", &ReservationUpdate{Cancel: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := tc.UpdateReservation("same", &ReservationUpdate{Cancel: true}); codeOf(err) != ReservationCancelled {
		t.Errorf("second cancel: %v", err)
	}
	if _, err := tc.Reserve(reserveAt("same", PlaceLocation, "flagstaff", "a", 5)); codeOf(err) != ReservationCancelled {
		t.Errorf("reuse of a cancelled id: %v", err)
	}
	if v := tc.values(PlaceLocation, "flagstaff", "a"); v.Reserved != 0 {
		t.Errorf("cancel must release: reserved %s", v.Reserved)
	}
	tc.mustHealthy()
}

func TestReserve_UnknownPlaceAppliesNothing(t *testing.T) {
	tc := mustOpen(t)
	tc.mustGraph(arizona)
	tc.mustSet("flagstaff", "a", 10, 0)
	req := &ReserveRequest{ReservationID: "u1",
		Locations: []PlaceLines{{ID: "flagstaff", Lines: []Line{{"a", q(1)}}}},
		Groups:    []PlaceLines{{ID: "nowhere", Lines: []Line{{"a", q(1)}}}}}
	_, err := tc.Reserve(req)
	if e, ok := err.(*Error); !ok || e.Code != GroupDoesNotExist || e.Group != "nowhere" {
		t.Fatalf("unknown group: %v", err)
	}
	if v := tc.values(PlaceLocation, "flagstaff", "a"); v.Reserved != 0 {
		t.Errorf("nothing may be applied: reserved %s", v.Reserved)
	}
	if _, ok := tc.Reservation("u1"); ok {
		t.Error("no document may be created")
	}
}

func TestReserve_Expiry(t *testing.T) {
	tc := mustOpen(t)
	tc.mustGraph(arizona)
	tc.mustSet("flagstaff", "a", 10, 0)
	secs := 60
	req := reserveAt("tmp", PlaceLocation, "flagstaff", "a", 4)
	req.ExpirationSeconds = &secs
	res := tc.mustReserve(req)
	if res.ExpirationTime == nil || !res.ExpirationTime.Equal(tc.clock.Now().Add(time.Minute)) {
		t.Errorf("expirationTime = %v", res.ExpirationTime)
	}
	tc.clock.Advance(59 * time.Second)
	tc.Sweep()
	if v := tc.values(PlaceLocation, "flagstaff", "a"); v.Reserved != q(4) {
		t.Fatalf("not yet expired: reserved %s", v.Reserved)
	}
	tc.clock.Advance(2 * time.Hour) // the clock jumps forward
	tc.Sweep()
	if v := tc.values(PlaceLocation, "flagstaff", "a"); v.Reserved != 0 {
		t.Errorf("expired reservation must release: reserved %s", v.Reserved)
	}
	if v, _ := tc.Reservation("tmp"); v.State != StateExpired {
		t.Errorf("state %s, want EXPIRED", v.State)
	}
	tc.mustHealthy()
}

// TestReserve_ExpiryBeforeWrite: a due reservation is released before the
// next write even if the sweeper has not run.
func TestReserve_ExpiryBeforeWrite(t *testing.T) {
	tc := mustOpen(t)
	tc.mustGraph(arizona)
	tc.mustSet("flagstaff", "a", 4, 0)
	secs := 1
	req := reserveAt("tmp", PlaceLocation, "flagstaff", "a", 4)
	req.ExpirationSeconds = &secs
	tc.mustReserve(req)
	tc.clock.Advance(2 * time.Second)
	if res := tc.mustReserve(reserveAt("next", PlaceLocation, "flagstaff", "a", 4)); !res.Success {
		t.Errorf("the expired hold must not block: %+v", res)
	}
}

func TestUpdateReservation_SetLinesAndExpiry(t *testing.T) {
	tc := mustOpen(t)
	tc.mustGraph(arizona)
	tc.mustSet("flagstaff", "a", 10, 0)
	secs := 600
	req := reserveAt("basket-1", PlaceLocation, "flagstaff", "a", 2)
	req.ExpirationSeconds = &secs
	tc.mustReserve(req)
	ref := "order-1"
	set := &ReservationUpdate{ExternalRefID: &ref, SetExpiration: true,
		Locations: []PlaceLines{{ID: "flagstaff", Lines: []Line{{"a", q(3)}}}}}
	for range 2 { // a retried PATCH must not reserve twice
		res, err := tc.UpdateReservation("basket-1", set)
		if err != nil || !res.Success {
			t.Fatal(err, res)
		}
	}
	v, _ := tc.Reservation("basket-1")
	if v.ExternalRefID != "order-1" || v.ExpirationTime != nil || v.Locations[0].Items[0].Quantity != q(3) {
		t.Errorf("after update: %+v", v)
	}
	if got := tc.values(PlaceLocation, "flagstaff", "a").Reserved; got != q(3) {
		t.Errorf("reserved %s, want 3", got)
	}
	tc.clock.Advance(time.Hour)
	tc.Sweep()
	if got := tc.values(PlaceLocation, "flagstaff", "a").Reserved; got != q(3) {
		t.Errorf("a document made permanent must not expire: reserved %s", got)
	}
	too := &ReservationUpdate{Locations: []PlaceLines{{ID: "flagstaff", Lines: []Line{{"a", q(11)}}}}}
	if res, err := tc.UpdateReservation("basket-1", too); err != nil || res.Success {
		t.Errorf("more than available: %v %+v", err, res)
	}
	if got := tc.values(PlaceLocation, "flagstaff", "a").Reserved; got != q(3) {
		t.Errorf("a failed update changes nothing: reserved %s", got)
	}
	tc.mustHealthy()
}

func TestReserve_BadInput(t *testing.T) {
	tc := mustOpen(t)
	tc.mustGraph(arizona)
	tc.mustSet("flagstaff", "a", 10, 0)
	neg, big, zero := -1, 14401, 0
	lines := func(ls ...Line) []PlaceLines { return []PlaceLines{{ID: "flagstaff", Lines: ls}} }
	many := make([]Line, 101)
	for i := range many {
		many[i] = Line{"s" + Qty(i).String(), q(1)}
	}
	for name, c := range map[string]struct {
		req  ReserveRequest
		code Code
	}{
		"no places":         {ReserveRequest{ReservationID: "x"}, InvalidRequest},
		"bad id":            {ReserveRequest{ReservationID: "a b", Locations: lines(Line{"a", q(1)})}, InvalidRequestParameter},
		"zero quantity":     {ReserveRequest{ReservationID: "x", Locations: lines(Line{"a", 0})}, PositiveQuantityRequired},
		"negative quantity": {ReserveRequest{ReservationID: "x", Locations: lines(Line{"a", -1000})}, PositiveQuantityRequired},
		"duplicate sku":     {ReserveRequest{ReservationID: "x", Locations: lines(Line{"a", q(1)}, Line{"a", q(1)})}, DuplicateSku},
		"expiry negative":   {ReserveRequest{ReservationID: "x", ExpirationSeconds: &neg, Locations: lines(Line{"a", q(1)})}, InvalidRequestParameter},
		"expiry zero":       {ReserveRequest{ReservationID: "x", ExpirationSeconds: &zero, Locations: lines(Line{"a", q(1)})}, InvalidRequestParameter},
		"expiry too long":   {ReserveRequest{ReservationID: "x", ExpirationSeconds: &big, Locations: lines(Line{"a", q(1)})}, InvalidRequestParameter},
		"too many lines":    {ReserveRequest{ReservationID: "x", Locations: lines(many...)}, InvalidRequestParameter},
		"empty place":       {ReserveRequest{ReservationID: "x", Locations: lines()}, InvalidRequestParameter},
		"bad sku":           {ReserveRequest{ReservationID: "x", Locations: lines(Line{"a;b", q(1)})}, InvalidRequestParameter},
		"same place twice":  {ReserveRequest{ReservationID: "x", Locations: append(lines(Line{"a", q(1)}), lines(Line{"b", q(1)})...)}, InvalidRequestParameter},
		"aon at group":      {ReserveRequest{ReservationID: "x", Groups: []PlaceLines{{ID: "arizona", AllOrNothing: []AllOrNothing{{ID: "s", Lines: []Line{{"a", q(1)}}}}}}}, InvalidRequestParameter},
		"unknown location":  {ReserveRequest{ReservationID: "x", Locations: []PlaceLines{{ID: "mars", Lines: []Line{{"a", q(1)}}}}}, LocationDoesNotExist},
	} {
		if _, err := tc.Reserve(&c.req); codeOf(err) != c.code {
			t.Errorf("%s: got %v, want %s", name, err, c.code)
		}
	}
	if v := tc.values(PlaceLocation, "flagstaff", "a"); v.Reserved != 0 {
		t.Errorf("bad requests must change nothing: reserved %s", v.Reserved)
	}
	if _, err := tc.UpdateReservation("missing", &ReservationUpdate{Cancel: true}); codeOf(err) != EntityNotFound {
		t.Errorf("cancel of an unknown reservation: %v", err)
	}
}

func TestUpdateReservation_SetToZeroReleases(t *testing.T) {
	tc := mustOpen(t)
	tc.mustGraph(arizona)
	tc.mustSet("flagstaff", "a", 10, 0)
	tc.mustSet("flagstaff", "b", 10, 0)
	tc.mustReserve(&ReserveRequest{ReservationID: "bk", Locations: []PlaceLines{{ID: "flagstaff", Lines: []Line{{"a", q(2)}, {"b", q(3)}}}}})
	res, err := tc.UpdateReservation("bk", &ReservationUpdate{Locations: []PlaceLines{{ID: "flagstaff", Lines: []Line{{"a", 0}}}}})
	if err != nil || !res.Success {
		t.Fatal(err, res)
	}
	if a, b := tc.values(PlaceLocation, "flagstaff", "a"), tc.values(PlaceLocation, "flagstaff", "b"); a.Reserved != 0 || b.Reserved != q(3) {
		t.Errorf("a reserved %s (want 0), b %s (want 3)", a.Reserved, b.Reserved)
	}
	if _, err := tc.Reserve(&ReserveRequest{ReservationID: "z", Locations: []PlaceLines{{ID: "flagstaff", Lines: []Line{{"a", 0}}}}}); codeOf(err) != PositiveQuantityRequired {
		t.Errorf("a new reservation still needs positive quantities: %v", err)
	}
	tc.mustHealthy()
}
