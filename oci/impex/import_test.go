package impex

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"ociedge/oci"
)

// The seed guide's example records, one per line as an import file needs
// them. The third repeats the first one's recordId: it is skipped.
var seedGuideFile = lines(
	`{"recordId":"0a87539d-f3dd-47bc-91c7-9c752e39dbe0","onHand":10,"sku":"12389156","effectiveDate":"2020-12-08T14:05:22.790896-07:00","futures":[{"quantity":1,"expectedDate":"2021-04-18T14:05:22.781-07:00"},{"quantity":5,"expectedDate":"2021-05-18T14:05:22.781-07:00"}],"safetyStockCount":0,"locationId":"Warehouse-A"}`,
	`{"recordId":"0a87539d-f3dd-47bc-91c7-9c752e312345","onHand":10,"sku":"9485728","effectiveDate":"2020-12-08T14:05:22.790896-07:00","futures":[{"quantity":10,"expectedDate":"2021-04-18T14:05:22.781-07:00"}],"safetyStockCount":0,"locationId":"Warehouse-A"}`,
	`{"recordId":"0a87539d-f3dd-47bc-91c7-9c752e39dbe0", "onHand":10, "sku":"sku1", "effectiveDate":"2020-04-08T14:05:22.790896-07:00", "futures":[{"quantity":1, "expectedDate":"2020-04-18T14:05:22.781-07:00"}], "safetyStockCount":0, "locationId":"Warehouse-B"}`,
	``,
	`{"recordId":"3127e2ad-748b-459a-917c-78bef741602c", "onHand":10, "sku":"sku1", "effectiveDate":"2020-04-08T14:05:22.790896-07:00", "futures":[{"quantity":1, "expectedDate":"2020-04-18T14:05:22.781-07:00"}], "safetyStockCount":0, "locationId":"Warehouse-B"}`,
	``,
	`{"recordId":"b709e7a8-7d4f-4458-be0c-a88f1e594f1d", "onHand":10, "sku":"sku2", "effectiveDate":"2020-04-08T14:05:22.790896-07:00", "futures":[{"quantity":1, "expectedDate":"2020-04-18T14:05:22.781-07:00"}], "safetyStockCount":0, "locationId":"Warehouse-B"}`,
)

func TestImport_SeedGuideHighPerformanceLayout(t *testing.T) {
	e := newEnv(t)
	id, st := e.mustImport(seedGuideFile)
	if st.Status != StatusCompleted || st.Import.RecordsReadCount != 5 || st.Import.RecordsProcessedCount != 4 ||
		st.Import.RecordsSkippedCount != 1 {
		t.Fatalf("status %+v", st)
	}
	if status, fails := e.results(id); status != ResultWithoutErrors || len(fails) != 0 {
		t.Fatalf("results %s %+v", status, fails)
	}
	a := e.values("Warehouse-A", "12389156")
	wantFutures(t, a, "1@2021-04-18T21:05:22.781Z", "5@2021-05-18T21:05:22.781Z")
	if a.OnHand != q(10) || a.SafetyStock != 0 || a.ATO != q(16) || !a.EffectiveDate.Equal(date("2020-12-08T14:05:22.790896-07:00")) {
		t.Errorf("Warehouse-A/12389156 = %+v", a)
	}
	if v := e.values("Warehouse-A", "9485728"); v.ATO != q(20) {
		t.Errorf("Warehouse-A/9485728 ato %s, want 20", v.ATO)
	}
	for _, sku := range []string{"sku1", "sku2"} {
		v := e.values("Warehouse-B", sku)
		wantFutures(t, v, "1@2020-04-18T21:05:22.781Z")
		if v.OnHand != q(10) || v.ATF != q(10) || v.ATO != q(11) || !v.EffectiveDate.Equal(date("2020-04-08T21:05:22.790896Z")) {
			t.Errorf("Warehouse-B/%s = %+v", sku, v)
		}
	}
}

// The seed guide's records rewritten in the legacy layout (a header per
// location, records without locationId) import to exactly the same values.
func TestImport_SeedGuideLegacyLayoutSameValues(t *testing.T) {
	flat := newEnv(t)
	flat.mustImport(seedGuideFile)
	legacy := newEnv(t)
	var out []string
	current := ""
	for _, l := range strings.Split(strings.TrimSpace(seedGuideFile), "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		var rec map[string]any
		mustJSON(t, []byte(l), &rec)
		if loc := rec["locationId"].(string); loc != current {
			out = append(out, `{"location":"`+loc+`","mode":"UPDATE"}`)
			current = loc
		}
		delete(rec, "locationId")
		b, _ := json.Marshal(rec)
		out = append(out, string(b))
	}
	_, st := legacy.mustImport(lines(out...))
	if st.Import.RecordsReadCount != 5 || st.Import.RecordsProcessedCount != 4 || st.Import.RecordsSkippedCount != 1 {
		t.Fatalf("legacy import %+v", st.Import)
	}
	want, got := flat.allValues(), legacy.allValues()
	if len(want) != 4 || fmt.Sprint(want) != fmt.Sprint(got) {
		t.Errorf("legacy layout:\n got %v\nwant %v", got, want)
	}
}

// The reference's legacy example, with both header spellings.
func TestImport_LegacyLayout(t *testing.T) {
	e := newEnv(t)
	_, st := e.mustImport(lines(
		`{"location":"wickenburg","mode":"UPDATE"}`,
		`{"recordId":"0a87539d-f3dd-47bc-91c7-9c752e39dbe0","onHand":10,"sku":"sku1","effectiveDate":"2020-04-08T14:05:22.790896-07:00","futures":[{"quantity":1,"expectedDate":"2020-04-18T14:05:22.781-07:00"}],"safetyStockCount":0}`,
		`{"recordId":"f4bf981e-321e-42bd-851f-3573a3263ab1","onHand":5,"sku":"sku2","effectiveDate":"2020-04-08T14:05:22.790896-07:00","safetyStockCount":1}`,
		`{"locationId":"prescott","mode":"UPDATE"}`,
		`{"recordId":"p1","onHand":7.5,"sku":"sku1","effectiveDate":"2020-04-08T14:05:22Z","safetyStockCount":2.25}`,
	))
	if st.Status != StatusCompleted || st.Import.RecordsReadCount != 3 || st.Import.RecordsProcessedCount != 3 {
		t.Fatalf("status %+v", st)
	}
	w1 := e.values("wickenburg", "sku1")
	wantFutures(t, w1, "1@2020-04-18T21:05:22.781Z")
	if w1.OnHand != q(10) || w1.ATO != q(11) {
		t.Errorf("wickenburg/sku1 = %+v", w1)
	}
	if w2 := e.values("wickenburg", "sku2"); w2.OnHand != q(5) || w2.SafetyStock != q(1) || w2.ATF != q(4) || len(w2.Futures) != 0 {
		t.Errorf("wickenburg/sku2 = %+v", w2)
	}
	if p := e.values("prescott", "sku1"); p.OnHand != q(7.5) || p.SafetyStock != q(2.25) || p.ATF != q(5.25) {
		t.Errorf("prescott/sku1 = %+v", p)
	}
}

func TestImport_MixedLayoutsReportTheOffendingLines(t *testing.T) {
	e := newEnv(t)
	id, st := e.mustImport(lines(
		`{"recordId":"m1","locationId":"surprise","sku":"a","onHand":1,"effectiveDate":"2020-04-01T00:00:00Z"}`,
		`{"location":"wickenburg","mode":"UPDATE"}`,
		`{"recordId":"m2","sku":"b","onHand":2,"effectiveDate":"2020-04-01T00:00:00Z"}`,
		`{"recordId":"m3","locationId":"surprise","sku":"c","onHand":3,"effectiveDate":"2020-04-01T00:00:00Z"}`,
	))
	if st.Import.RecordsProcessedCount != 2 || st.Import.RecordsReadCount != 4 {
		t.Fatalf("status %+v", st)
	}
	status, fails := e.results(id)
	if status != ResultPartialFailures || len(fails) != 2 || fails[0].Line != 2 || fails[1].Line != 3 || fails[1].RecordID != "m2" ||
		!strings.Contains(fails[0].Message, "layouts cannot be mixed") || !strings.Contains(fails[1].Message, "'locationId' is required") {
		t.Fatalf("results %s %+v", status, fails)
	}

	id, _ = e.mustImport(lines(
		`{"location":"wickenburg","mode":"UPDATE"}`,
		`{"recordId":"m4","sku":"a","onHand":1,"effectiveDate":"2020-04-01T00:00:00Z"}`,
		`{"recordId":"m5","locationId":"surprise","sku":"a","onHand":1,"effectiveDate":"2020-04-01T00:00:00Z"}`,
		`{"location":"prescott","mode":"DELETE"}`,
		`{"recordId":"m6","sku":"a","onHand":1,"effectiveDate":"2020-04-01T00:00:00Z"}`,
	))
	_, fails = e.results(id)
	want := []string{"line 3: layouts cannot be mixed", "line 4: mode 'DELETE' is not supported", "line 5: the location header on line 4 cannot be used"}
	if len(fails) != len(want) {
		t.Fatalf("failures %+v", fails)
	}
	for i, f := range fails {
		if got := fmt.Sprintf("line %d: %s", f.Line, f.Message); !strings.Contains(got, strings.SplitN(want[i], ": ", 2)[1]) || f.Line != int64(3+i) {
			t.Errorf("failure %d = %q, want %q", i, got, want[i])
		}
	}
	if v := e.values("prescott", "a"); v.Exists {
		t.Errorf("a record under a DELETE header was applied: %+v", v)
	}
}

// Every rule of the file format fails its line alone; the good lines apply.
func TestImport_BadLinesFailAloneAndAreListed(t *testing.T) {
	e := newEnv(t, withConfig(func(c *Config) { c.MaxLineBytes = 1 << 10 }))
	good := func(n int) string {
		return fmt.Sprintf(`{"recordId":"g%d","locationId":"surprise","sku":"good%d","onHand":%d,"effectiveDate":"2020-04-01T00:00:00Z"}`, n, n, n)
	}
	bad := []struct{ line, msg string }{
		{`{"recordId":"b1","locationId":"surprise","sku":"x","onHand":1.2345,"effectiveDate":"2020-04-01T00:00:00Z"}`, "has more than 3 decimal places"},
		{`{"recordId":"b2","locationId":"surprise","sku":"x","onHand":-1,"effectiveDate":"2020-04-01T00:00:00Z"}`, "'onHand' must not be negative"},
		{`{"recordId":"b3","locationId":"surprise","sku":"x","effectiveDate":"2020-04-01T00:00:00Z","futures":[{"quantity":1,"expectedDate":"2020-04-01T00:00:00Z"}]}`, "must be in the future"},
		{`{"recordId":"b4","locationId":"surprise","sku":"x","effectiveDate":"2020-04-01T00:00:00Z","futures":[{"quantity":0,"expectedDate":"2021-01-01T00:00:00Z"}]}`, "quantity must be a positive value"},
		{`{"locationId":"surprise","sku":"x","onHand":1,"effectiveDate":"2020-04-01T00:00:00Z"}`, "'recordId' is required"},
		{`{"recordId":"b6","locationId":"surprise","sku":"x","onHand":1}`, "'effectiveDate' is required"},
		{`{"recordId":"b7","locationId":"nowhere","sku":"x","onHand":1,"effectiveDate":"2020-04-01T00:00:00Z"}`, "No location exists with ID 'nowhere'"},
		{`{"recordId":"b8","locationId":"surprise","sku":"x",`, "invalid JSON"},
		{`{"recordId":"b9","locationId":"surprise","sku":"x","onHand":"10","effectiveDate":"2020-04-01T00:00:00Z"}`, "'onHand' must be a number"},
		{`{"recordId":"b10","locationId":"surprise","sku":"` + strings.Repeat("x", 2000) + `"}`, "longer than 1024 bytes"},
		{`{"recordId":"b11","locationId":"surprise","sku":"x","onHand":1,"effectiveDate":"2020-04-01"}`, "is not an RFC 3339 date-time"},
		{`{"recordId":"b12","locationId":"surprise","sku":"x y","onHand":1,"effectiveDate":"2020-04-01T00:00:00Z"}`, "must not contain"},
	}
	var file []string
	for i, b := range bad {
		file = append(file, good(i), b.line)
	}
	file = append(file, good(len(bad)))
	id, st := e.mustImport(lines(file...))
	if st.Status != StatusCompleted || st.Import.RecordsProcessedCount != int64(len(bad)+1) ||
		st.Import.RecordsReadCount != int64(len(file)) || st.Import.RecordsSkippedCount != 0 {
		t.Fatalf("status %+v", st)
	}
	status, fails := e.results(id)
	if status != ResultPartialFailures || len(fails) != len(bad) {
		t.Fatalf("results %s: %d failures, want %d: %+v", status, len(fails), len(bad), fails)
	}
	for i, f := range fails {
		if f.Line != int64(2*i+2) || !strings.Contains(f.Message, bad[i].msg) {
			t.Errorf("failure %d: line %d %q, want line %d %q", i, f.Line, f.Message, 2*i+2, bad[i].msg)
		}
	}
	if fails[0].RecordID != "b1" || fails[0].LocationID != "surprise" || fails[0].SKU != "x" {
		t.Errorf("a failure names its record: %+v", fails[0])
	}
	for i := range len(bad) + 1 {
		if v := e.values("surprise", fmt.Sprint("good", i)); v.OnHand != q(float64(i)) || !v.Exists {
			t.Errorf("good%d = %+v", i, v)
		}
	}
	if v := e.values("surprise", "x"); v.Exists {
		t.Errorf("a bad line was applied: %+v", v)
	}
}

func TestImport_SameFileTwiceAppliesNothingTheSecondTime(t *testing.T) {
	e := newEnv(t)
	_, first := e.mustImport(seedGuideFile)
	e.core.BatchUpdate([]oci.RecordUpdate{{ID: "manual", Location: "Warehouse-B", SKU: "sku1", OnHand: oci.Value(q(3))}})
	id, second := e.mustImport(seedGuideFile)
	if first.Import.RecordsProcessedCount != 4 || second.Import.RecordsProcessedCount != 0 || second.Import.RecordsSkippedCount != 5 {
		t.Fatalf("first %+v second %+v", first.Import, second.Import)
	}
	if status, _ := e.results(id); status != ResultWithoutErrors {
		t.Errorf("result %s", status)
	}
	if v := e.values("Warehouse-B", "sku1"); v.OnHand != q(3) {
		t.Errorf("a re-sent record was applied again: onHand %s", v.OnHand)
	}
}

// Upsert: absent fields are kept, an included empty value clears, an older
// effectiveDate does not overwrite newer data.
func TestImport_UpsertSemantics(t *testing.T) {
	e := newEnv(t)
	e.mustImport(lines(`{"recordId":"u1","locationId":"surprise","sku":"a","onHand":8,"safetyStockCount":2,"effectiveDate":"2020-04-02T00:00:00Z","futures":[{"quantity":3,"expectedDate":"2020-05-01T00:00:00Z"}]}`))
	_, st := e.mustImport(lines(
		`{"recordId":"u2","locationId":"surprise","sku":"a","onHand":6,"effectiveDate":"2020-04-03T00:00:00Z"}`,
		`{"recordId":"u3","locationId":"surprise","sku":"a","safetyStockCount":null,"futures":[],"effectiveDate":"2020-04-04T00:00:00Z"}`,
		`{"recordId":"u4","locationId":"surprise","sku":"a","onHand":99,"effectiveDate":"2020-04-01T00:00:00Z"}`,
	))
	if st.Import.RecordsProcessedCount != 2 || st.Import.RecordsSkippedCount != 1 {
		t.Fatalf("status %+v", st.Import)
	}
	if v := e.values("surprise", "a"); v.OnHand != q(6) || v.SafetyStock != 0 || len(v.Futures) != 0 {
		t.Errorf("surprise/a = %+v", v)
	}
}

func TestImport_EmptyFileCompletes(t *testing.T) {
	e := newEnv(t)
	id, st := e.mustImport("\n\r\n  \n")
	if status, _ := e.results(id); st.Status != StatusCompleted || status != ResultWithoutErrors || st.Import.RecordsReadCount != 0 {
		t.Fatalf("%+v %s", st, status)
	}
}

func wantFutures(t *testing.T, v oci.Values, want ...string) {
	t.Helper()
	var got []string
	for _, f := range v.Futures {
		got = append(got, fmt.Sprintf("%s@%s", f.Quantity, f.ExpectedDate.UTC().Format("2006-01-02T15:04:05.999Z07:00")))
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s futures %v, want %v", v.SKU, got, want)
	}
}
