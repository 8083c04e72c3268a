package client

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"ociedge/oci"
)

// The export and import tests against the real core's impex routes.

func TestExportFromTheCoreThenFollowDeltas(t *testing.T) {
	k := startCore(t)
	c := k.client(t)
	setup(t, k, c)
	ctx := context.Background()
	var got collect
	tok, err := c.Export(ctx, oci.PlaceGroup, []string{"online"}, got.fn)
	if err != nil {
		t.Fatal(err)
	}
	recs := got.recs["online"]
	if len(got.places) != 1 || len(recs) != 1 {
		t.Fatalf("places %v, records %+v", got.places, got.recs)
	}
	if v := recs[0]; v.SKU != "sku-1" || v.OnHand != q("15.25") || v.ATO != q("24.5") || v.SafetyStock != q("1") ||
		len(v.Futures) != 1 || v.Futures[0].Quantity != q("10.25") || !v.Exists {
		t.Fatalf("online sku-1 %+v", v)
	}
	if _, err := c.BatchUpdate(ctx, []BatchRecord{{ID: "d1", Location: "wh-a", SKU: "sku-1", OnHand: oci.Value(q("0.5"))}}); err != nil {
		t.Fatal(err)
	}
	d, err := c.Deltas(ctx, tok)
	if err != nil || len(d.Records) != 1 || d.Records[0].Place != "online" || d.Records[0].OnHand != q("5.75") {
		t.Fatalf("deltas %+v %v", d, err)
	}
}

func TestExportOfLocationsFromTheCore(t *testing.T) {
	k := startCore(t)
	c := k.client(t)
	setup(t, k, c)
	var got collect
	if _, err := c.Export(context.Background(), oci.PlaceLocation, []string{"store-1", "wh-b"}, got.fn); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.places, ",") != "store-1,wh-b" || got.recs["store-1"][0].OnHand != q("3") || got.recs["wh-b"][0].OnHand != q("5.25") {
		t.Fatalf("places %v records %+v", got.places, got.recs)
	}
}

func TestExportOfAnUnknownGroupIsA400(t *testing.T) {
	k := startCore(t)
	c := k.client(t)
	setup(t, k, c)
	_, err := c.Export(context.Background(), oci.PlaceGroup, []string{"nope"}, (&collect{}).fn)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 400 || ae.Code != oci.GroupDoesNotExist || ae.Group != "nope" {
		t.Fatalf("err %v, want 400 GroupDoesNotExist", err)
	}
}

func importFile(k *core, lines ...string) string {
	eff := k.clock.Now().Add(-time.Hour).Format(time.RFC3339)
	return strings.NewReplacer("EFF", eff, "FUT", k.clock.Now().Add(72*time.Hour).Format(time.RFC3339)).Replace(strings.Join(lines, "\n") + "\n")
}

func TestImportIntoTheCore(t *testing.T) {
	k := startCore(t)
	c := k.client(t)
	setup(t, k, c)
	ctx := context.Background()
	file := importFile(k,
		`{"recordId":"m1","locationId":"wh-b","sku":"sku-9","onHand":10.25,"safetyStockCount":0.5,"effectiveDate":"EFF","futures":[{"quantity":2.125,"expectedDate":"FUT"}]}`,
		`{"recordId":"m2","locationId":"store-1","sku":"sku-9","onHand":1,"effectiveDate":"EFF"}`,
		`{"recordId":"m3","locationId":"wh-b","sku":"sku-8","onHand":-1,"effectiveDate":"EFF"}`)
	st, err := c.Import(ctx, strings.NewReader(file), ImportOptions{FileName: "stock.ndjson"})
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != "COMPLETED" || st.RecordsRead != 3 || st.RecordsProcessed != 2 {
		t.Fatalf("status %+v", st)
	}
	a, err := c.GetAvailability(ctx, &oci.AvailabilityQuery{SKUs: []string{"sku-9"}, Locations: []string{"wh-b"}})
	if err != nil {
		t.Fatal(err)
	}
	if v := a.Locations[0].Records[0]; v.OnHand != q("10.25") || v.SafetyStock != q("0.5") || v.ATO != q("11.875") {
		t.Fatalf("wh-b sku-9 %+v", v)
	}
	var fails []ImportFailure
	status, err := c.ImportResults(ctx, st, func(f ImportFailure) error { fails = append(fails, f); return nil })
	if err != nil || status != "COMPLETED_WITH_PARTIAL_FAILURES" || len(fails) != 1 || fails[0].RecordID != "m3" {
		t.Fatalf("results %q %+v %v", status, fails, err)
	}
}

func TestGzipDeclaredButNotSentFailsTheImport(t *testing.T) {
	k := startCore(t)
	c := k.client(t)
	setup(t, k, c)
	st, err := c.Import(context.Background(), strings.NewReader(importFile(k, `{"recordId":"m1","locationId":"wh-b","sku":"s","onHand":1,"effectiveDate":"EFF"}`)),
		ImportOptions{GZIP: true})
	if !errors.Is(err, ErrJobFailed) || st == nil || st.Status != "FAILED" || len(st.ValidationErrors) == 0 {
		t.Fatalf("status %+v err %v", st, err)
	}
}

// TestImportThenExportAtScale moves 20,000 records through an import and
// back out of an export, exactly.
func TestImportThenExportAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("moves 20,000 records")
	}
	k := startCore(t)
	c := k.client(t)
	setup(t, k, c)
	ctx := context.Background()
	const n = 20_000
	var b strings.Builder
	eff := k.clock.Now().Add(-time.Hour).Format(time.RFC3339)
	for i := range n {
		fmt.Fprintf(&b, `{"recordId":"r%d","locationId":"wh-a","sku":"bulk-%05d","onHand":%d.%03d,"effectiveDate":%q}`+"\n", i, i, i, i%1000, eff)
	}
	if st, err := c.Import(ctx, strings.NewReader(b.String()), ImportOptions{}); err != nil || st.RecordsProcessed != n {
		t.Fatalf("import %+v %v", st, err)
	}
	seen := 0
	_, err := c.Export(ctx, oci.PlaceLocation, []string{"wh-a"}, func(_ string, vs []oci.Values) error {
		for _, v := range vs {
			var i int
			if _, err := fmt.Sscanf(v.SKU, "bulk-%05d", &i); err != nil {
				continue // sku-1 from setup
			}
			if want := oci.Qty(i*1000 + i%1000); v.OnHand != want {
				return fmt.Errorf("%s onHand %v, want %v", v.SKU, v.OnHand, want)
			}
			seen++
		}
		return nil
	})
	if err != nil || seen != n {
		t.Fatalf("exported %d of %d bulk records: %v", seen, n, err)
	}
}
