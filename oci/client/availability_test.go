package client

import (
	"context"
	"errors"
	"testing"
	"time"

	"ociedge/oci"
)

func TestGetAvailabilityHasExactQuantities(t *testing.T) {
	k := startCore(t)
	c := k.client(t)
	setup(t, k, c)
	a, err := c.GetAvailability(context.Background(), &oci.AvailabilityQuery{SKU: "sku-1", Group: "online"})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Locations) != 2 || len(a.Groups) != 1 {
		t.Fatalf("answer %+v: want wh-a, wh-b and the group online", a)
	}
	wha, whb, online := a.Locations[0].Records[0], a.Locations[1].Records[0], a.Groups[0].Records[0]
	if a.Locations[0].ID != "wh-a" || wha.OnHand != q("10") || wha.SafetyStock != q("1") || wha.ATF != q("9") ||
		wha.ATO != q("19.25") || len(wha.Futures) != 1 || wha.Futures[0].Quantity != q("10.25") || !wha.Exists {
		t.Fatalf("wh-a %+v", wha)
	}
	if !wha.Futures[0].ExpectedDate.Equal(k.clock.Now().Add(48 * time.Hour)) {
		t.Fatalf("future date %v", wha.Futures[0].ExpectedDate)
	}
	if whb.OnHand != q("5.25") || whb.ATO != q("5.25") {
		t.Fatalf("wh-b %+v", whb)
	}
	if a.Groups[0].ID != "online" || online.OnHand != q("15.25") || online.ATF != q("14.25") || online.ATO != q("24.5") {
		t.Fatalf("online %+v", online)
	}
}

func TestUnknownSkuAtAKnownPlaceDoesNotExist(t *testing.T) {
	k := startCore(t)
	c := k.client(t)
	setup(t, k, c)
	a, err := c.GetAvailability(context.Background(), &oci.AvailabilityQuery{SKUs: []string{"nope"}, Locations: []string{"wh-a"}})
	if err != nil {
		t.Fatal(err)
	}
	if v := a.Locations[0].Records[0]; v.SKU != "nope" || v.Exists || v.ATO != 0 {
		t.Fatalf("record %+v: want zero values, not existing", v)
	}
}

func TestUnknownPlaceIsA400WithItsCode(t *testing.T) {
	k := startCore(t)
	c := k.client(t)
	setup(t, k, c)
	_, err := c.GetAvailability(context.Background(), &oci.AvailabilityQuery{SKUs: []string{"sku-1"}, Locations: []string{"nowhere"}})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 400 || ae.Code != oci.LocationDoesNotExist || ae.Location != "nowhere" {
		t.Fatalf("err %#v", err)
	}
	var oe *oci.Error
	if oci.ErrorCode(err) != oci.LocationDoesNotExist || !errors.As(err, &oe) || oe.Location != "nowhere" {
		t.Fatalf("oci.ErrorCode(%v) = %q", err, oci.ErrorCode(err))
	}
	if Retryable(err) || errors.Is(err, ErrUnavailable) {
		t.Fatal("a 400 must not be retryable")
	}
	if s := c.Stats(); s.Retries != 0 {
		t.Fatalf("stats %+v: a 400 was retried", s)
	}
}

func TestBatchUpdateReportsRefusedRecordsByIndex(t *testing.T) {
	k := startCore(t)
	c := k.client(t)
	setup(t, k, c)
	errs, err := c.BatchUpdate(context.Background(), []BatchRecord{
		{ID: "new", Location: "wh-b", SKU: "sku-2", OnHand: oci.Value(q("0.001"))},
		{ID: "i1", Location: "wh-a", SKU: "sku-1", OnHand: oci.Value(q("11"))}, // id reused with other content
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) != 1 || errs[0].Index != 1 || errs[0].ID != "i1" || errs[0].SKU != "sku-1" || errs[0].Code != oci.EntityAlreadyExists {
		t.Fatalf("record errors %+v", errs)
	}
	a, err := c.GetAvailability(context.Background(), &oci.AvailabilityQuery{SKUs: []string{"sku-1", "sku-2"}, Locations: []string{"wh-a", "wh-b"}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]oci.Qty{}
	for _, p := range a.Locations {
		for _, v := range p.Records {
			got[p.ID+"/"+v.SKU] = v.OnHand
		}
	}
	if got["wh-a/sku-1"] != q("10") || got["wh-b/sku-2"] != q("0.001") {
		t.Fatalf("onHand %v: want the refused record untouched and the other applied", got)
	}
}

func TestBatchUpdateClearsFieldsSetToZero(t *testing.T) {
	k := startCore(t)
	c := k.client(t)
	setup(t, k, c)
	errs, err := c.BatchUpdate(context.Background(), []BatchRecord{
		{ID: "clear", Location: "wh-a", SKU: "sku-1", SafetyStock: oci.Value(oci.Qty(0)), Futures: oci.Value([]oci.Future(nil))},
	})
	if err != nil || errs != nil {
		t.Fatal(errs, err)
	}
	v := mustAvailability(t, c).Locations[0].Records[0]
	if v.OnHand != q("10") || v.SafetyStock != 0 || len(v.Futures) != 0 || v.ATO != q("10") {
		t.Fatalf("wh-a %+v: want safety stock and futures cleared, onHand kept", v)
	}
}

// exportToken takes a delta token straight from the core, as an export's
// last line would give it.
func exportToken(t *testing.T, k *core, kind oci.PlaceType, ids ...string) string {
	t.Helper()
	tok, err := k.n.Core.Export(kind, ids, discard{})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

type discard struct{}

func (discard) Place(oci.PlaceType, string) error { return nil }
func (discard) Records([]oci.Values) error        { return nil }

func TestDeltasCarryExactChanges(t *testing.T) {
	k := startCore(t)
	c := k.client(t)
	setup(t, k, c)
	tok := exportToken(t, k, oci.PlaceGroup, "online")
	if _, err := c.BatchUpdate(context.Background(), []BatchRecord{{ID: "d1", Location: "wh-b", SKU: "sku-1", OnHand: oci.Value(q("7.125"))}}); err != nil {
		t.Fatal(err)
	}
	d, err := c.Deltas(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	if d.NextToken == "" || d.NextToken == tok || len(d.Records) != 1 {
		t.Fatalf("deltas %+v", d)
	}
	r := d.Records[0]
	if r.Type != oci.DeltaChange || r.Place != "online" || r.SKU != "sku-1" || r.OnHand != q("17.125") ||
		r.ATO != q("26.375") || !r.Exists {
		t.Fatalf("delta %+v", r)
	}
	again, err := c.Deltas(context.Background(), d.NextToken)
	if err != nil || len(again.Records) != 0 {
		t.Fatalf("second deltas %+v %v: want none", again, err)
	}
}

func TestExpiredDeltaTokenIs410(t *testing.T) {
	k := startCore(t)
	c := k.client(t)
	setup(t, k, c)
	tok := exportToken(t, k, oci.PlaceLocation, "wh-a")
	k.clock.Advance(24 * time.Hour)
	_, err := c.Deltas(context.Background(), tok)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 410 || oci.ErrorCode(err) != oci.ExpiredDeltaLink || Retryable(err) {
		t.Fatalf("err %v: want 410 ExpiredDeltaLink", err)
	}
}

func TestGraphExportMatchesAdminGraph(t *testing.T) {
	c := startCore(t).client(t)
	ctx := context.Background()
	if err := c.PutGraph(ctx, demoGraph); err != nil {
		t.Fatal(err)
	}
	got, _, err := c.GraphExport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Locations) != 3 || len(got.Groups) != 1 || len(got.Groups[0].Locations) != 2 || got.Groups[0].ID != "online" {
		t.Fatalf("graph export: %+v", got)
	}
}
