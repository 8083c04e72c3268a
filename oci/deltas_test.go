package oci

import (
	"testing"
	"time"
)

func (tc *testCore) mustExport(kind PlaceType, ids ...string) (*collectSink, string) {
	tc.tb.Helper()
	sink := &collectSink{}
	tok, err := tc.Export(kind, ids, sink)
	if err != nil {
		tc.tb.Fatal(err)
	}
	return sink, tok
}

func (tc *testCore) mustDeltas(tok string) *Deltas {
	tc.tb.Helper()
	d, err := tc.Deltas(tok)
	if err != nil {
		tc.tb.Fatal(err)
	}
	return d
}

func deltaKeys(d *Deltas) map[string]DeltaType {
	out := map[string]DeltaType{}
	for _, r := range d.Records {
		out[r.Place+"/"+r.SKU] = r.Type
	}
	return out
}

func TestExportThenDeltas(t *testing.T) {
	tc := sharedCore(t)
	tc.mustSet("L3", "other", 4, 0)
	sink, tok := tc.mustExport(PlaceGroup, "GA")
	if len(sink.byPlace) != 1 || sink.byPlace["group GA sku"] == "" {
		t.Fatalf("export of GA: %+v", sink.byPlace)
	}
	if d := tc.mustDeltas(tok); len(d.Records) != 0 || d.ShouldQueryAgain {
		t.Fatalf("no change yet: %+v", d)
	}
	tc.mustSet("L1", "sku", 9, 0)   // in GA
	tc.mustSet("L3", "other", 1, 0) // not in GA, no group promises
	d := tc.mustDeltas(tok)
	if k := deltaKeys(d); len(k) != 1 || k["GA/sku"] != DeltaChange {
		t.Fatalf("deltas: %+v", k)
	}
	if d.Records[0].OnHand != q(14) {
		t.Errorf("delta carries current values: %+v", d.Records[0])
	}
	tok = d.NextToken
	tc.mustReserve(reserveAt("b", PlaceGroup, "GB", "sku", 17)) // needs 2 of GA's L2
	d = tc.mustDeltas(tok)
	if k := deltaKeys(d); k["GA/sku"] != DeltaChange || d.Records[0].SharedReserved == 0 {
		t.Fatalf("a competing group promise changes GA: %+v", d.Records)
	}
	if d2 := tc.mustDeltas(d.NextToken); len(d2.Records) != 0 {
		t.Errorf("nothing after the last token: %+v", d2.Records)
	}
}

func TestDeltas_DeleteAndPaging(t *testing.T) {
	tc := sharedCore(t)
	tc.Core.cfg.MaxDeltaRecords = 2
	_, tok := tc.mustExport(PlaceLocation, "L1", "L2")
	for _, s := range []string{"a", "b", "c"} {
		tc.mustSet("L1", s, 1, 0)
	}
	del := RecordUpdate{ID: "del", Location: "L2", SKU: "sku"}
	if err := tc.WriteRecord(SingleDelete, &del); err != nil {
		t.Fatal(err)
	}
	seen := map[string]DeltaType{}
	for i := 0; ; i++ {
		d := tc.mustDeltas(tok)
		if len(d.Records) > 2 {
			t.Fatalf("page of %d records, max 2", len(d.Records))
		}
		for k, v := range deltaKeys(d) {
			seen[k] = v
		}
		tok = d.NextToken
		if !d.ShouldQueryAgain {
			break
		}
		if i > 5 {
			t.Fatal("shouldQueryAgain never cleared")
		}
	}
	want := map[string]DeltaType{"L1/a": DeltaChange, "L1/b": DeltaChange, "L1/c": DeltaChange, "L2/sku": DeltaDelete}
	for k, v := range want {
		if seen[k] != v {
			t.Errorf("%s: %q, want %q (all: %v)", k, seen[k], v, seen)
		}
	}
}

func TestDeltas_TokenRules(t *testing.T) {
	tc := sharedCore(t)
	_, tok := tc.mustExport(PlaceLocation, "L1")
	if _, err := tc.Deltas(tok[:len(tok)-2] + "AA"); codeOf(err) != InvalidRequestParameter {
		t.Errorf("tampered token: %v", err)
	}
	if _, err := tc.Deltas("not a token"); codeOf(err) != InvalidRequestParameter {
		t.Errorf("garbage token: %v", err)
	}
	tc.clock.Advance(23*time.Hour + 31*time.Minute)
	if _, err := tc.Deltas(tok); codeOf(err) != ExpiredDeltaLink {
		t.Errorf("token past 23.5 h: %v", err)
	}
	_, tok = tc.mustExport(PlaceLocation, "L1")
	tc.mustGraph(Graph{Locations: []Location{{ID: "L2"}, {ID: "L3"}}})
	if _, err := tc.Deltas(tok); codeOf(err) != ExpiredDeltaLink {
		t.Errorf("token for a removed location: %v", err)
	}
	if _, err := tc.Export(PlaceLocation, []string{"L1"}, &collectSink{}); codeOf(err) != LocationDoesNotExist {
		t.Errorf("export of an unknown location: %v", err)
	}
}

// TestDeltas_AcrossRestart: a caught-up token survives a restart; one that
// was behind the last durable change gets 410 and must re-export.
func TestDeltas_AcrossRestart(t *testing.T) {
	tc := sharedCore(t)
	_, behind := tc.mustExport(PlaceLocation, "L1")
	tc.mustSet("L1", "sku", 7, 0)
	_, current := tc.mustExport(PlaceLocation, "L1")
	tc2 := tc.reopen()
	if d, err := tc2.Deltas(current); err != nil || len(d.Records) != 0 {
		t.Fatalf("caught-up token after restart: %v %+v", err, d)
	}
	if _, err := tc2.Deltas(behind); codeOf(err) != ExpiredDeltaLink {
		t.Errorf("token behind the restart: %v", err)
	}
	tc2.mustSet("L1", "sku", 8, 0)
	d, _ := tc2.Deltas(current)
	if k := deltaKeys(d); k["L1/sku"] != DeltaChange {
		t.Errorf("changes after the restart reach old tokens: %+v", k)
	}
}

func TestGraphChangeEmitsGroupDeltas(t *testing.T) {
	tc := sharedCore(t)
	_, tok := tc.mustExport(PlaceGroup, "GA")
	g := Graph{Locations: shared.Locations, Groups: []Group{{ID: "GA", Locations: []string{"L1", "L2", "L3"}}, {ID: "GB", Locations: []string{"L2", "L3"}}}}
	tc.mustGraph(g)
	d := tc.mustDeltas(tok)
	if len(d.Records) != 1 || d.Records[0].OnHand != q(25) {
		t.Fatalf("GA gained L3: %+v", d.Records)
	}
}
