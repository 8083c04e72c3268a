package oci

import (
	"testing"
	"time"
)

func TestApplyImport(t *testing.T) {
	tc := mustOpen(t)
	tc.mustGraph(arizona)
	now := tc.clock.Now()
	rec := func(id, loc, sku string, onHand float64, eff time.Time) RecordUpdate {
		return RecordUpdate{ID: id, Location: loc, SKU: sku, OnHand: Value(q(onHand)), EffectiveDate: Value(eff)}
	}
	res, err := tc.ApplyImport([]RecordUpdate{
		rec("r1", "flagstaff", "a", 10, now),
		rec("r2", "mars", "a", 1, now),
		{ID: "r3", Location: "flagstaff", SKU: "b", OnHand: Value(q(1))},                  // no effectiveDate
		{Location: "flagstaff", SKU: "c", OnHand: Value(q(1)), EffectiveDate: Value(now)}, // no recordId
		rec("r1", "flagstaff", "a", 99, now.Add(time.Hour)),                               // same recordId later in the file
		{ID: "r5", Location: "flagstaff", SKU: "d", EffectiveDate: Value(now), Futures: Value([]Future{{0, now.Add(time.Hour)}})},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []ImportOutcome{ImportApplied, ImportFailed, ImportFailed, ImportFailed, ImportSkipped, ImportFailed}
	for i, r := range res {
		if r.Outcome != want[i] {
			t.Errorf("record %d: outcome %d (%s), want %d", i, r.Outcome, r.Message, want[i])
		}
	}
	if res[5].Message != "'futures[0].quantity' quantity must be a positive value" {
		t.Errorf("message: %q", res[5].Message)
	}
	tc2 := tc.reopen()
	res, _ = tc2.ApplyImport([]RecordUpdate{rec("r1", "flagstaff", "a", 50, now.Add(2*time.Hour))})
	if res[0].Outcome != ImportSkipped {
		t.Errorf("recordId dedup must outlive a restart: %+v", res[0])
	}
	if v := tc2.values(PlaceLocation, "flagstaff", "a"); v.OnHand != q(10) {
		t.Errorf("onHand %s, want 10", v.OnHand)
	}
	res, _ = tc2.ApplyImport([]RecordUpdate{rec("r9", "flagstaff", "a", 50, now.Add(-time.Hour))})
	if res[0].Outcome != ImportSkipped || tc2.values(PlaceLocation, "flagstaff", "a").OnHand != q(10) {
		t.Errorf("an older effectiveDate is skipped: %+v", res[0])
	}
}

func TestImportDedupWindow(t *testing.T) {
	tc := mustOpen(t)
	tc.mustGraph(arizona)
	now := tc.clock.Now()
	rec := RecordUpdate{ID: "r1", Location: "flagstaff", SKU: "a", OnHand: Value(q(1)), EffectiveDate: Value(now)}
	if res, _ := tc.ApplyImport([]RecordUpdate{rec}); res[0].Outcome != ImportApplied {
		t.Fatal(res)
	}
	tc.clock.Advance(6 * 24 * time.Hour)
	tc.Sweep()
	rec.EffectiveDate = Value(tc.clock.Now())
	if res, _ := tc.ApplyImport([]RecordUpdate{rec}); res[0].Outcome != ImportSkipped {
		t.Errorf("within 7 days the recordId is remembered: %+v", res)
	}
	tc.clock.Advance(2 * 24 * time.Hour)
	tc.Sweep()
	tc2 := tc.reopen()
	rec.EffectiveDate = Value(tc2.clock.Now())
	if res, _ := tc2.ApplyImport([]RecordUpdate{rec}); res[0].Outcome != ImportApplied {
		t.Errorf("after the window the recordId is forgotten: %+v", res)
	}
}
