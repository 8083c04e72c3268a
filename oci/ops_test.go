package oci

import (
	"testing"
	"time"
)

func TestTransfer_Rules(t *testing.T) {
	tc := sharedCore(t)
	tc.mustReserve(reserveAt("doc", PlaceGroup, "GA", "sku", 4))
	tr := func(recs ...TransferRecord) ([]RecordError, error) {
		return tc.Transfer(&TransferRequest{Records: recs})
	}
	for name, c := range map[string]struct {
		rec  TransferRecord
		code Code
	}{
		"group to group":      {TransferRecord{ID: "x", From: Grp("GA"), To: Grp("GB"), SKU: "sku", Quantity: q(1)}, InvalidRequestParameter},
		"force loc to group":  {TransferRecord{ID: "x", From: Loc("L1"), To: Grp("GA"), SKU: "sku", Quantity: q(1), IgnoreAvailabilityCheck: true}, InvalidRequestParameter},
		"unknown destination": {TransferRecord{ID: "x", From: Grp("GA"), To: Loc("L9"), SKU: "sku", Quantity: q(1)}, LocationDoesNotExist},
		"zero quantity":       {TransferRecord{ID: "x", From: Grp("GA"), To: Loc("L1"), SKU: "sku"}, PositiveQuantityRequired},
		"missing id":          {TransferRecord{From: Grp("GA"), To: Loc("L1"), SKU: "sku", Quantity: q(1)}, MissingParameter},
		"same place":          {TransferRecord{ID: "x", From: Loc("L1"), To: Loc("L1"), SKU: "sku", Quantity: q(1)}, InvalidRequestParameter},
		"no from":             {TransferRecord{ID: "x", To: Loc("L1"), SKU: "sku", Quantity: q(1)}, InvalidRequestParameter},
	} {
		if _, err := tr(c.rec); codeOf(err) != c.code {
			t.Errorf("%s: got %v, want %s", name, err, c.code)
		}
	}
	if _, err := tc.Transfer(&TransferRequest{AllOrNothingTransferID: "aon", Records: []TransferRecord{
		{ID: "x", From: Loc("L1"), To: Loc("L2"), SKU: "sku", Quantity: q(1)}}}); codeOf(err) != InvalidRequestParameter {
		t.Errorf("all-or-nothing must be group to location: %v", err)
	}
	errs, err := tr(
		TransferRecord{ID: "t1", From: Grp("GA"), To: Loc("L3"), SKU: "sku", Quantity: q(1)},
		TransferRecord{ID: "t2", From: Grp("GA"), To: Loc("L1"), SKU: "sku", Quantity: q(9)},
		TransferRecord{ID: "t3", From: Grp("GA"), To: Loc("L1"), SKU: "sku", Quantity: q(3)},
	)
	if err != nil || len(errs) != 2 || errs[0].Code != LocationNotInGroup || errs[1].Code != InsufficientQuantity {
		t.Fatalf("per-record errors: %v %+v", err, errs)
	}
	if l1 := tc.values(PlaceLocation, "L1", "sku"); l1.Reserved != q(3) {
		t.Errorf("t3 moved 3 to L1, reserved %s", l1.Reserved)
	}
	if a := tc.values(PlaceGroup, "GA", "sku"); a.GroupReserved != q(1) || a.Reserved != q(4) {
		t.Errorf("A keeps 1 at the group: %+v", a)
	}
	tc.mustHealthy()
}

func TestTransfer_AllOrNothingAndIgnoreCheck(t *testing.T) {
	tc := sharedCore(t)
	tc.mustReserve(reserveAt("doc", PlaceGroup, "GA", "sku", 8))
	errs, err := tc.Transfer(&TransferRequest{AllOrNothingTransferID: "aon-1", Records: []TransferRecord{
		{ID: "a1", From: Grp("GA"), To: Loc("L1"), SKU: "sku", Quantity: q(5)},
		{ID: "a2", From: Grp("GA"), To: Loc("L2"), SKU: "sku", Quantity: q(6)},
	}})
	if err != nil || len(errs) != 2 || errs[0].Code != NotAppliedDueToAtomicFailure || errs[1].Code != InsufficientQuantity {
		t.Fatalf("aon: %v %+v", err, errs)
	}
	if l1 := tc.values(PlaceLocation, "L1", "sku"); l1.Reserved != 0 {
		t.Errorf("aon failure must undo the first move: L1 reserved %s", l1.Reserved)
	}
	// L1 has capacity 5; forcing 6 there is allowed with ignoreAvailabilityCheck.
	errs, err = tc.Transfer(&TransferRequest{Records: []TransferRecord{
		{ID: "f1", From: Grp("GA"), To: Loc("L1"), SKU: "sku", Quantity: q(6), IgnoreAvailabilityCheck: true}}})
	if err != nil || len(errs) != 0 {
		t.Fatalf("forced transfer: %v %+v", err, errs)
	}
	if l1 := tc.values(PlaceLocation, "L1", "sku"); l1.Reserved != q(6) || l1.ATO != 0 {
		t.Errorf("forced: L1 reserved %s ato %s", l1.Reserved, l1.ATO)
	}
	// Replays: same record is a no-op; same id with other content conflicts.
	errs, _ = tc.Transfer(&TransferRequest{Records: []TransferRecord{
		{ID: "f1", From: Grp("GA"), To: Loc("L1"), SKU: "sku", Quantity: q(6), IgnoreAvailabilityCheck: true}}})
	if len(errs) != 0 || tc.values(PlaceLocation, "L1", "sku").Reserved != q(6) {
		t.Errorf("replay moved again: %+v", errs)
	}
	errs, _ = tc.Transfer(&TransferRequest{Records: []TransferRecord{
		{ID: "f1", From: Grp("GA"), To: Loc("L2"), SKU: "sku", Quantity: q(1)}}})
	if len(errs) != 1 || errs[0].Code != EntityAlreadyExists {
		t.Errorf("conflicting replay: %+v", errs)
	}
	if len(tc.CheckInvariants()) != 0 {
		t.Error(tc.CheckInvariants())
	}
}

func TestReleaseAndFulfill(t *testing.T) {
	tc := mustOpen(t)
	tc.mustGraph(arizona)
	tc.mustSet("flagstaff", "a", 10, 0)
	tc.mustReserve(reserveAt("d1", PlaceLocation, "flagstaff", "a", 3))
	tc.mustReserve(reserveAt("d2", PlaceLocation, "flagstaff", "a", 4))
	errs, err := tc.Release([]ReleaseRecord{{ID: "r1", Place: Loc("flagstaff"), SKU: "a", Quantity: q(8)}})
	if err != nil || len(errs) != 1 || errs[0].Code != InsufficientQuantity {
		t.Fatalf("release more than held: %v %+v", err, errs)
	}
	errs, _ = tc.Release([]ReleaseRecord{{ID: "r2", Place: Loc("flagstaff"), SKU: "a", Quantity: q(5)}})
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	d1, _ := tc.Reservation("d1")
	d2, _ := tc.Reservation("d2")
	if d1.State != StateClosed || d2.Locations[0].Items[0].Quantity != q(2) {
		t.Errorf("oldest first: d1 %+v d2 %+v", d1, d2)
	}
	if _, err := tc.Release([]ReleaseRecord{{ID: "r3", Place: Loc("mars"), SKU: "a", Quantity: q(1)}}); codeOf(err) != LocationDoesNotExist {
		t.Errorf("unknown place: %v", err)
	}
	// Fulfill: onHand and reserved go down together; before effectiveDate onHand stays.
	errs, _ = tc.Fulfill([]FulfillRecord{{ID: "f1", Location: "flagstaff", SKU: "a", Quantity: q(1)}})
	v := tc.values(PlaceLocation, "flagstaff", "a")
	if len(errs) != 0 || v.OnHand != q(9) || v.Reserved != q(1) {
		t.Errorf("fulfill: %+v %+v", errs, v)
	}
	early := tc.clock.Now().Add(-time.Hour)
	tc.mustSetEffective("flagstaff", "a", 20, tc.clock.Now())
	errs, _ = tc.Fulfill([]FulfillRecord{{ID: "f2", Location: "flagstaff", SKU: "a", Quantity: q(1), FulfillmentTime: &early}})
	v = tc.values(PlaceLocation, "flagstaff", "a")
	if len(errs) != 0 || v.OnHand != q(20) || v.Reserved != 0 {
		t.Errorf("fulfilled before effectiveDate must leave onHand: %+v %+v", errs, v)
	}
	errs, _ = tc.Fulfill([]FulfillRecord{{ID: "f3", Location: "mars", SKU: "a", Quantity: q(1)}})
	if len(errs) != 1 || errs[0].Code != LocationDoesNotExist || errs[0].Message != "Failed to fulfill, invalid location provided." {
		t.Errorf("fulfill at unknown location: %+v", errs)
	}
	if _, err := tc.Fulfill([]FulfillRecord{{ID: "f4", Location: "flagstaff", SKU: "a"}}); codeOf(err) != MissingParameter {
		t.Errorf("missing quantity: %v", err)
	}
	if _, err := tc.Fulfill([]FulfillRecord{{ID: "f5", Location: "flagstaff", SKU: "a", Quantity: q(1), ReservationID: "nope"}}); codeOf(err) != InvalidRequestParameter {
		t.Errorf("unknown reservation id: %v", err)
	}
	tc.mustHealthy()
}

func (tc *testCore) mustSetEffective(loc, sku string, onHand float64, at time.Time) {
	tc.tb.Helper()
	errs, err := tc.BatchUpdate([]RecordUpdate{{ID: "eff-" + at.String(), Location: loc, SKU: sku,
		OnHand: Value(q(onHand)), EffectiveDate: Value(at)}})
	if err != nil || len(errs) > 0 {
		tc.tb.Fatal(err, errs)
	}
}

func TestBatchUpdate_Semantics(t *testing.T) {
	tc := mustOpen(t)
	tc.mustGraph(arizona)
	now := tc.clock.Now()
	fut := []Future{{q(2), now.Add(48 * time.Hour)}}
	up := func(us ...RecordUpdate) []RecordError {
		t.Helper()
		errs, err := tc.BatchUpdate(us)
		if err != nil {
			t.Fatal(err)
		}
		return errs
	}
	up(RecordUpdate{ID: "1", Location: "flagstaff", SKU: "a", OnHand: Value(q(10)), SafetyStock: Value(q(1)), Futures: Value(fut), EffectiveDate: Value(now)})
	up(RecordUpdate{ID: "2", Location: "flagstaff", SKU: "a", OnHand: Value(q(7))}) // patch-like
	v := tc.values(PlaceLocation, "flagstaff", "a")
	if v.OnHand != q(7) || v.SafetyStock != q(1) || len(v.Futures) != 1 {
		t.Errorf("absent fields must stay: %+v", v)
	}
	up(RecordUpdate{ID: "3", Location: "flagstaff", SKU: "a", Futures: Value[[]Future](nil)})
	if v := tc.values(PlaceLocation, "flagstaff", "a"); len(v.Futures) != 0 {
		t.Errorf("an included empty value deletes it: %+v", v.Futures)
	}
	up(RecordUpdate{ID: "4", Location: "flagstaff", SKU: "a", OnHand: Value(q(99)), EffectiveDate: Value(now.Add(-time.Hour))})
	if v := tc.values(PlaceLocation, "flagstaff", "a"); v.OnHand != q(7) {
		t.Errorf("an older effectiveDate must not overwrite newer data: onHand %s", v.OnHand)
	}
	if errs := up(RecordUpdate{ID: "2", Location: "flagstaff", SKU: "a", OnHand: Value(q(7))}); len(errs) != 0 {
		t.Errorf("replay: %+v", errs)
	}
	if errs := up(RecordUpdate{ID: "2", Location: "flagstaff", SKU: "a", OnHand: Value(q(8))}); len(errs) != 1 || errs[0].Code != EntityAlreadyExists {
		t.Errorf("same (id, sku), other content: %+v", errs)
	}
	if v := tc.values(PlaceLocation, "flagstaff", "a"); v.OnHand != q(7) {
		t.Errorf("a conflict changes nothing: onHand %s", v.OnHand)
	}
	for name, c := range map[string]struct {
		u    RecordUpdate
		code Code
	}{
		"unknown location": {RecordUpdate{ID: "x", Location: "mars", SKU: "a"}, LocationDoesNotExist},
		"negative onHand":  {RecordUpdate{ID: "x", Location: "flagstaff", SKU: "a", OnHand: Value(Qty(-1))}, InvalidRequestParameter},
		"past future":      {RecordUpdate{ID: "x", Location: "flagstaff", SKU: "a", Futures: Value([]Future{{q(1), now.Add(-time.Second)}})}, InvalidRequestParameter},
		"zero future":      {RecordUpdate{ID: "x", Location: "flagstaff", SKU: "a", Futures: Value([]Future{{0, now.Add(time.Hour)}})}, PositiveQuantityRequired},
		"future no date":   {RecordUpdate{ID: "x", Location: "flagstaff", SKU: "a", Futures: Value([]Future{{q(1), time.Time{}}})}, MissingParameter},
		"missing id":       {RecordUpdate{Location: "flagstaff", SKU: "a"}, MissingParameter},
		"bad sku":          {RecordUpdate{ID: "x", Location: "flagstaff", SKU: "a b"}, InvalidRequestParameter},
	} {
		if _, err := tc.BatchUpdate([]RecordUpdate{{ID: "ok", Location: "flagstaff", SKU: "b", OnHand: Value(q(1))}, c.u}); codeOf(err) != c.code {
			t.Errorf("%s: got %v, want %s", name, err, c.code)
		}
	}
	if v := tc.values(PlaceLocation, "flagstaff", "b"); v.Exists {
		t.Error("a bad batch must apply nothing")
	}
	big := make([]RecordUpdate, 101)
	for i := range big {
		big[i] = RecordUpdate{ID: Qty(i).String(), Location: "flagstaff", SKU: "a"}
	}
	if _, err := tc.BatchUpdate(big); codeOf(err) != InvalidRequestParameter {
		t.Errorf("101 records: %v", err)
	}
}

func TestWriteRecord_PutPatchDelete(t *testing.T) {
	tc := mustOpen(t)
	tc.mustGraph(arizona)
	now := tc.clock.Now()
	put := RecordUpdate{ID: "req-1", Location: "flagstaff", SKU: "a", OnHand: Value(q(5)), SafetyStock: Value(q(1))}
	if err := tc.WriteRecord(SinglePut, &put); err != nil {
		t.Fatal(err)
	}
	patch := RecordUpdate{ID: "req-2", Location: "flagstaff", SKU: "a", EffectiveDate: Value(now)}
	if err := tc.WriteRecord(SinglePatch, &patch); err != nil {
		t.Fatal(err)
	}
	if v := tc.values(PlaceLocation, "flagstaff", "a"); v.OnHand != q(5) || v.SafetyStock != q(1) || !v.EffectiveDate.Equal(now) {
		t.Errorf("patch keeps the rest: %+v", v)
	}
	put2 := RecordUpdate{ID: "req-3", Location: "flagstaff", SKU: "a", OnHand: Value(q(2)), EffectiveDate: Value(now)}
	if err := tc.WriteRecord(SinglePut, &put2); err != nil {
		t.Fatal(err)
	}
	if v := tc.values(PlaceLocation, "flagstaff", "a"); v.SafetyStock != 0 {
		t.Errorf("put replaces: fields not given become 0, safety %s", v.SafetyStock)
	}
	other := RecordUpdate{ID: "req-3", Location: "flagstaff", SKU: "a", OnHand: Value(q(3))}
	if err := tc.WriteRecord(SinglePut, &other); codeOf(err) != EntityAlreadyExists {
		t.Errorf("requestId reused with other content: %v", err)
	}
	missing := RecordUpdate{ID: "req-4", Location: "flagstaff", SKU: "zz", OnHand: Value(q(1))}
	if err := tc.WriteRecord(SinglePatch, &missing); codeOf(err) != EntityNotFound {
		t.Errorf("patch of a missing record: %v", err)
	}
	del := RecordUpdate{ID: "req-5", Location: "flagstaff", SKU: "a"}
	if err := tc.WriteRecord(SingleDelete, &del); err != nil {
		t.Fatal(err)
	}
	if v := tc.values(PlaceLocation, "flagstaff", "a"); v.Exists {
		t.Errorf("deleted: %+v", v)
	}
	del2 := RecordUpdate{ID: "req-6", Location: "flagstaff", SKU: "a"}
	if err := tc.WriteRecord(SingleDelete, &del2); codeOf(err) != EntityNotFound {
		t.Errorf("delete of a missing record: %v", err)
	}
}

func TestGraph_Validation(t *testing.T) {
	tc := mustOpen(t)
	for name, c := range map[string]struct {
		g    Graph
		code Code
	}{
		"short id":        {Graph{Locations: []Location{{ID: "a"}}}, InvalidRequestParameter},
		"bad chars":       {Graph{Locations: []Location{{ID: "a b"}}}, InvalidRequestParameter},
		"dup location":    {Graph{Locations: []Location{{ID: "aa"}, {ID: "aa"}}}, DuplicateLocationID},
		"group=location":  {Graph{Locations: []Location{{ID: "aa"}}, Groups: []Group{{ID: "aa", Locations: []string{"aa"}}}}, DuplicateGroupID},
		"dup group":       {Graph{Locations: []Location{{ID: "aa"}}, Groups: []Group{{ID: "gg", Locations: []string{"aa"}}, {ID: "gg", Locations: []string{"aa"}}}}, DuplicateGroupID},
		"empty group":     {Graph{Locations: []Location{{ID: "aa"}}, Groups: []Group{{ID: "gg"}}}, GroupMustNotBeEmpty},
		"unknown member":  {Graph{Locations: []Location{{ID: "aa"}}, Groups: []Group{{ID: "gg", Locations: []string{"bb"}}}}, LocationDoesNotExist},
		"member twice":    {Graph{Locations: []Location{{ID: "aa"}}, Groups: []Group{{ID: "gg", Locations: []string{"aa", "aa"}}}}, DuplicateLocationID},
		"group as member": {Graph{Locations: []Location{{ID: "aa"}}, Groups: []Group{{ID: "g1", Locations: []string{"aa"}}, {ID: "g2", Locations: []string{"g1"}}}}, LocationDoesNotExist},
	} {
		if err := tc.ReplaceGraph(c.g); codeOf(err) != c.code {
			t.Errorf("%s: got %v, want %s", name, err, c.code)
		}
	}
	if g, _ := tc.Graph(); len(g.Locations) != 0 {
		t.Errorf("a refused graph must not be applied: %+v", g)
	}
}

func TestGraph_ReplaceKeepsPromises(t *testing.T) {
	tc := sharedCore(t)
	tc.mustReserve(reserveAt("b", PlaceGroup, "GB", "sku", 17))
	// Dropping L3 from B would leave B's 17 against L2's 5.
	smaller := Graph{Locations: shared.Locations, Groups: []Group{{ID: "GA", Locations: []string{"L1", "L2"}}, {ID: "GB", Locations: []string{"L2"}}}}
	if err := tc.ReplaceGraph(smaller); codeOf(err) != InvalidRequest {
		t.Fatalf("a graph that breaks promises must be refused: %v", err)
	}
	noB := Graph{Locations: shared.Locations, Groups: []Group{{ID: "GA", Locations: []string{"L1", "L2"}}}}
	if err := tc.ReplaceGraph(noB); codeOf(err) != InvalidRequest {
		t.Fatalf("removing a group that holds reservations must be refused: %v", err)
	}
	bigger := Graph{Locations: append(append([]Location(nil), shared.Locations...), Location{ID: "L4"}),
		Groups: []Group{{ID: "GA", Locations: []string{"L1", "L2", "L4"}}, {ID: "GB", Locations: []string{"L2", "L3"}}}}
	tc.mustGraph(bigger)
	tc.mustSet("L4", "sku", 2, 0)
	if a := tc.values(PlaceGroup, "GA", "sku"); a.ATO != q(10) || a.OnHand != q(12) {
		t.Errorf("group aggregates after the change: %+v", a)
	}
	// Removing a location deletes its records.
	tc.mustGraph(Graph{Locations: shared.Locations, Groups: shared.Groups})
	tc2 := tc.reopen()
	if a := tc2.values(PlaceGroup, "GA", "sku"); a.OnHand != q(10) {
		t.Errorf("records of a removed location must be gone: %+v", a)
	}
	tc2.mustHealthy()
}

func TestStats(t *testing.T) {
	tc := sharedCore(t)
	tc.mustReserve(reserveAt("x", PlaceGroup, "GA", "sku", 1))
	s := tc.Stats()
	if s.Records != 3 || s.SKUs != 1 || s.OpenReservations != 1 || s.Locations != 3 || s.Groups != 2 || s.RecordsByLocation["L3"] != 1 {
		t.Errorf("stats: %+v", s)
	}
}

func TestDatesOutOfRange(t *testing.T) {
	tc := sharedCore(t)
	far := time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
	old := time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := tc.BatchUpdate([]RecordUpdate{{ID: "d", Location: "L1", SKU: "s", EffectiveDate: Value(old)}}); codeOf(err) != InvalidRequestParameter {
		t.Errorf("effectiveDate in 1500: %v", err)
	}
	if _, err := tc.BatchUpdate([]RecordUpdate{{ID: "d", Location: "L1", SKU: "s", Futures: Value([]Future{{q(1), far}})}}); codeOf(err) != InvalidRequestParameter {
		t.Errorf("future in 3000: %v", err)
	}
	req := reserveAt("r", PlaceLocation, "L1", "sku", 1)
	req.ReservationTime = &far
	if _, err := tc.Reserve(req); codeOf(err) != InvalidRequestParameter {
		t.Errorf("reservationTime in 3000: %v", err)
	}
	if _, err := tc.Fulfill([]FulfillRecord{{ID: "f", Location: "L1", SKU: "sku", Quantity: q(1), FulfillmentTime: &old}}); codeOf(err) != InvalidRequestParameter {
		t.Errorf("fulfillmentTime in 1500: %v", err)
	}
}

func TestReplaceGraphWithTheSameGraphChangesNothing(t *testing.T) {
	tc := sharedCore(t)
	_, epoch := tc.Graph()
	seq := tc.Seq()
	tc.mustGraph(shared)
	if _, e := tc.Graph(); e != epoch || tc.Seq() != seq {
		t.Errorf("the same graph again moved the epoch %d -> %d, seq %d -> %d", epoch, e, seq, tc.Seq())
	}
}
