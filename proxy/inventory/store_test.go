package inventory

import (
	"errors"
	"strings"
	"testing"
	"time"

	"ociedge/internal/kv"
)

func TestOpenNeedsKV(t *testing.T) {
	if _, err := Open(Config{}); err == nil || !strings.Contains(err.Error(), "KV") {
		t.Fatalf("Open without KV: %v", err)
	}
	if _, err := Open(Config{KV: kv.NewMem(), LockStripes: -1}); err == nil || !strings.Contains(err.Error(), "LockStripes") {
		t.Fatalf("Open with bad stripes: %v", err)
	}
}

func TestListsCreateUpdateDelete(t *testing.T) {
	f := newFixture(t)
	l, created, err := f.PutList(ListChange{ID: "online", Description: ptr("Online"), DefaultInStock: ptr(true)})
	if err != nil || !created || !l.DefaultInStock || l.Description != "Online" {
		t.Fatalf("create = %+v %v %v", l, created, err)
	}
	l, created, err = f.PutList(ListChange{ID: "online", UseBundleInventoryOnly: ptr(true)})
	if err != nil || created || !l.DefaultInStock || !l.UseBundleInventoryOnly {
		t.Fatalf("update kept fields? %+v %v %v", l, created, err)
	}
	f.MustRecord(t, "online", "p1", 5)
	n, err := f.DeleteList("online")
	if err != nil || n != 1 {
		t.Fatalf("delete = %d, %v", n, err)
	}
	if _, ok := f.List("online"); ok {
		t.Fatal("list still there")
	}
	_, err = f.DeleteList("online")
	wantCode(t, err, ELISTNOTFOUND)
}

func TestListValidation(t *testing.T) {
	f := newFixture(t)
	for _, id := range []string{"", " x", "x ", "a\x00b", strings.Repeat("x", 257)} {
		_, _, err := f.PutList(ListChange{ID: id})
		wantCode(t, err, EINVALID)
		if ErrorField(err) != "listId" {
			t.Errorf("id %q: field %q", id, ErrorField(err))
		}
	}
	_, _, err := f.PutList(ListChange{ID: "x", Description: ptr(strings.Repeat("d", 4001))})
	wantCode(t, err, EINVALID)
}

func TestRecordPutPatchDelete(t *testing.T) {
	f := newFixture(t)
	f.MustList(t, "l", false)
	r, created, err := f.PutRecord("l", RecordChange{ProductID: "p", Allocation: ptr(Units(10)),
		Handling: ptr(HandlingBackorder), PreorderBackorderAllocation: ptr(Units(3))})
	if err != nil || !created {
		t.Fatal(created, err)
	}
	if r.ATS() != Units(13) || r.StockLevel() != Units(10) || !r.AllocationResetDate.Equal(f.clock.Now()) {
		t.Fatalf("record %+v", r)
	}
	f.clock.Advance(time.Hour)
	r, err = f.UpdateRecord("l", RecordChange{ProductID: "p", Perpetual: ptr(true)})
	if err != nil || !r.Perpetual || r.Allocation != Units(10) || r.Handling != HandlingBackorder {
		t.Fatalf("patch lost fields: %+v %v", r, err)
	}
	if !r.LastModified.After(r.Created) {
		t.Errorf("last modified not advanced")
	}
	_, err = f.UpdateRecord("l", RecordChange{ProductID: "nope", Perpetual: ptr(true)})
	wantCode(t, err, ERECORDNOTFOUND)
	r, created, err = f.PutRecord("l", RecordChange{ProductID: "p"})
	if err != nil || created || r.AllocationSet || r.Perpetual || r.Handling != HandlingNone {
		t.Fatalf("put did not replace: %+v %v", r, err)
	}
	if err := f.DeleteRecord("l", "p"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.DeleteRecord("l", "p"), ERECORDNOTFOUND)
	_, err = f.Get("l", "p")
	wantCode(t, err, ERECORDNOTFOUND)
	_, err = f.Get("nolist", "p")
	wantCode(t, err, ELISTNOTFOUND)
}

func TestSettingAllocationResetsTurnover(t *testing.T) {
	f := newFixture(t)
	f.MustList(t, "l", false)
	f.MustRecord(t, "l", "p", 10)
	if _, err := f.Reserve(ReserveRequest{ID: "o1", ListID: "l", Lines: []Line{{"p", Units(4)}}}); err != nil {
		t.Fatal(err)
	}
	if r := f.MustGet(t, "l", "p"); r.Turnover != Units(4) || r.ATS() != Units(6) {
		t.Fatalf("after reserve %+v", r)
	}
	reset := f.clock.Now().Add(-time.Minute)
	r, err := f.UpdateRecord("l", RecordChange{ProductID: "p", Allocation: ptr(Units(8)), AllocationResetDate: &reset})
	if err != nil || r.Turnover != 0 || r.ATS() != Units(8) || !r.AllocationResetDate.Equal(reset) {
		t.Fatalf("allocation reset: %+v %v", r, err)
	}
	// A patch without allocation keeps turnover.
	f.Reserve(ReserveRequest{ID: "o2", ListID: "l", Lines: []Line{{"p", Units(1)}}})
	r, _ = f.UpdateRecord("l", RecordChange{ProductID: "p", Perpetual: ptr(false)})
	if r.Turnover != Units(1) {
		t.Fatalf("turnover lost on an unrelated patch: %+v", r)
	}
	// Releasing the reservation made before the reset is a transaction
	// after it: turnover goes negative, as B2C documents.
	if _, err := f.Release("o1"); err != nil {
		t.Fatal(err)
	}
	if r := f.MustGet(t, "l", "p"); r.Turnover != Units(-3) || r.ATS() != Units(11) {
		t.Fatalf("after release %+v", r)
	}
}

func TestRecordValidation(t *testing.T) {
	f := newFixture(t)
	f.MustList(t, "l", false)
	past := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		c     RecordChange
		field string
	}{
		{"empty product", RecordChange{}, "productId"},
		{"negative allocation", RecordChange{ProductID: "p", Allocation: ptr(Units(-1))}, "allocation"},
		{"huge allocation", RecordChange{ProductID: "p", Allocation: ptr(MaxQuantity + 1)}, "allocation"},
		{"negative pboa", RecordChange{ProductID: "p", PreorderBackorderAllocation: ptr(Units(-1))}, "preorderBackorderAllocation"},
		{"reset date without allocation", RecordChange{ProductID: "p", AllocationResetDate: &past}, "allocationResetDate"},
		{"on order on a list without it", RecordChange{ProductID: "p", OnOrder: ptr(Units(1))}, "onOrder"},
		{"bad handling", RecordChange{ProductID: "p", Handling: ptr(Handling(7))}, "handling"},
		{"huge turnover", RecordChange{ProductID: "p", Turnover: ptr(-MaxQuantity - 1)}, "turnover"},
		{"bad custom id", RecordChange{ProductID: "p", Custom: map[string][]string{"": {"x"}}}, "custom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.PutRecord("l", tt.c)
			wantCode(t, err, EINVALID)
			if got := ErrorField(err); got != tt.field {
				t.Errorf("field = %q, want %q", got, tt.field)
			}
			if f.Len("l") != 0 {
				t.Error("an invalid change was stored")
			}
		})
	}
}

func TestOnOrderList(t *testing.T) {
	f := newFixture(t)
	if _, _, err := f.PutList(ListChange{ID: "l", OnOrderEnabled: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	r := f.MustRecord(t, "l", "p", 10, func(c *RecordChange) { c.OnOrder = ptr(Units(3)) })
	if r.ATS() != Units(7) {
		t.Fatalf("ATS with on order = %s", r.ATS())
	}
	if _, _, err := f.PutList(ListChange{ID: "l", OnOrderEnabled: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	if r := f.MustGet(t, "l", "p"); r.OnOrder != 0 || r.ATS() != Units(10) {
		t.Fatalf("disabling on-order kept the quantity: %+v", r)
	}
	f.mode.Set(true)
	_, _, err := f.PutList(ListChange{ID: "l", OnOrderEnabled: ptr(true)})
	wantCode(t, err, EREADONLY)
}

func TestReadOnlyInOCIMode(t *testing.T) {
	f := newFixture(t)
	f.MustList(t, "l", false)
	f.MustRecord(t, "l", "p", 10)
	f.Reserve(ReserveRequest{ID: "o1", ListID: "l", Lines: []Line{{"p", Unit}}})
	before := f.MustGet(t, "l", "p")
	f.mode.Set(true)
	_, _, err := f.PutRecord("l", RecordChange{ProductID: "p", Allocation: ptr(Units(1))})
	wantCode(t, err, EREADONLY)
	if !strings.Contains(err.Error(), ReadOnlyMessage) {
		t.Errorf("message %q", err)
	}
	_, err = f.UpdateRecord("l", RecordChange{ProductID: "p", Perpetual: ptr(true)})
	wantCode(t, err, EREADONLY)
	wantCode(t, f.DeleteRecord("l", "p"), EREADONLY)
	_, err = f.Reserve(ReserveRequest{ID: "o2", ListID: "l", Lines: []Line{{"p", Unit}}})
	wantCode(t, err, EREADONLY)
	_, err = f.Hold(HoldRequest{ID: "b", ListID: "l", Lines: []Line{{"p", Unit}}, ExpiresAt: f.clock.Now().Add(time.Minute)})
	wantCode(t, err, EREADONLY)
	if got := f.MustGet(t, "l", "p"); got.Allocation != before.Allocation || got.Turnover != before.Turnover {
		t.Fatalf("a refused write changed the record: %+v", got)
	}
	// Lists stay writable; releases of earlier reservations still work.
	if _, _, err := f.PutList(ListChange{ID: "l2"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Release("o1"); err != nil {
		t.Fatal(err)
	}
}

func TestWritableHookErrorGetsCode(t *testing.T) {
	s, err := Open(Config{KV: kv.NewMem(), Writable: func() error { return errors.New("mode is OCI") }})
	if err != nil {
		t.Fatal(err)
	}
	err = s.CheckWritable()
	wantCode(t, err, EREADONLY)
	if err.Error() != "mode is OCI" {
		t.Errorf("message %q", err)
	}
}

func TestApplyRecordsReportsEachChange(t *testing.T) {
	f := newFixture(t)
	f.MustList(t, "l", false)
	res, err := f.ApplyRecords("l", []RecordChange{
		{ProductID: "a", Allocation: ptr(Units(1))},
		{ProductID: "b", Allocation: ptr(Units(-1))},
		{ProductID: "c", Op: OpDelete},
		{ProductID: "a", PreorderBackorderAllocation: ptr(Units(2))},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err != nil || !res[0].Created || ErrorCode(res[1].Err) != EINVALID ||
		ErrorCode(res[2].Err) != ERECORDNOTFOUND || res[3].Err != nil || res[3].Created {
		t.Fatalf("results %+v", res)
	}
	if r := f.MustGet(t, "l", "a"); r.PreorderBackorderAllocation != Units(2) || r.Allocation != Unit {
		t.Fatalf("later change on the same product: %+v", r)
	}
	if f.Len("l") != 1 {
		t.Fatalf("len = %d", f.Len("l"))
	}
}

func TestFailedWriteChangesNothing(t *testing.T) {
	mem := kv.NewMem()
	f := openFixture(t, mem, newClock())
	f.MustList(t, "l", false)
	f.MustRecord(t, "l", "p", 5)
	mem.FailWrites = errors.New("disk full")
	_, _, err := f.PutRecord("l", RecordChange{ProductID: "p", Allocation: ptr(Units(9))})
	wantCode(t, err, EINTERNAL)
	_, err = f.Reserve(ReserveRequest{ID: "o", ListID: "l", Lines: []Line{{"p", Unit}}})
	wantCode(t, err, EINTERNAL)
	if r := f.MustGet(t, "l", "p"); r.Allocation != Units(5) || r.Turnover != 0 {
		t.Fatalf("memory changed without a durable write: %+v", r)
	}
	if _, ok := f.ReservationOf("o"); ok {
		t.Fatal("reservation visible without a durable write")
	}
}

func TestPaging(t *testing.T) {
	f := newFixture(t)
	f.MustList(t, "l", false)
	for _, p := range []string{"c", "a", "e", "b", "d"} {
		f.MustRecord(t, "l", p, 1)
	}
	tests := []struct {
		start, count int
		want         string
	}{
		{0, 2, "ab"}, {2, 2, "cd"}, {4, 2, "e"}, {5, 2, ""}, {99, 1, ""}, {0, 10, "abcde"},
	}
	for _, tt := range tests {
		recs, total, err := f.Page("l", tt.start, tt.count)
		got := ""
		for _, r := range recs {
			got += r.ProductID
		}
		if err != nil || total != 5 || got != tt.want {
			t.Errorf("Page(%d,%d) = %q,%d,%v want %q", tt.start, tt.count, got, total, err, tt.want)
		}
	}
	f.DeleteRecord("l", "a")
	recs, total, _ := f.Page("l", 0, 1)
	if total != 4 || recs[0].ProductID != "b" {
		t.Errorf("after delete: %v %d", recs, total)
	}
	_, _, err := f.Page("l", -1, 1)
	wantCode(t, err, EINVALID)
	_, _, err = f.Page("none", 0, 1)
	wantCode(t, err, ELISTNOTFOUND)
}

func TestCustomAttributes(t *testing.T) {
	f := newFixture(t)
	f.MustList(t, "l", false)
	f.MustRecord(t, "l", "p", 1, func(c *RecordChange) { c.Custom = map[string][]string{"color": {"red"}, "tags": {"a", "b"}} })
	r, err := f.UpdateRecord("l", RecordChange{ProductID: "p", Custom: map[string][]string{"color": nil, "size": {"M"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Custom) != 2 || r.Custom["size"][0] != "M" || len(r.Custom["tags"]) != 2 || r.Custom["color"] != nil {
		t.Fatalf("custom = %v", r.Custom)
	}
}
