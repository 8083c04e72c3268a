package inventory

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestMoreValidation covers the rules TestRecordValidation and
// TestReserveValidation do not.
func TestMoreValidation(t *testing.T) {
	f := newFixture(t)
	if _, _, err := f.PutList(ListChange{ID: "l", OnOrderEnabled: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	many := map[string][]string{}
	for i := range maxCustom + 1 {
		many[fmt.Sprint("a", i)] = []string{"v"}
	}
	tests := []struct {
		name  string
		c     RecordChange
		field string
	}{
		{"invalid UTF-8 id", RecordChange{ProductID: "a\xffb"}, "productId"},
		{"control character", RecordChange{ProductID: "a\tb"}, "productId"},
		{"negative on order", RecordChange{ProductID: "p", OnOrder: ptr(Units(-1))}, "onOrder"},
		{"zero reset date", RecordChange{ProductID: "p", Allocation: ptr(Unit), AllocationResetDate: &time.Time{}}, "allocationResetDate"},
		{"reset date year 10000", RecordChange{ProductID: "p", Allocation: ptr(Unit), AllocationResetDate: &far}, "allocationResetDate"},
		{"in stock date year 10000", RecordChange{ProductID: "p", InStockDate: &far}, "inStockDate"},
		{"set and clear allocation", RecordChange{ProductID: "p", Allocation: ptr(Unit), ClearAllocation: true}, "allocation"},
		{"too many custom attributes", RecordChange{ProductID: "p", Custom: many}, "custom"},
		{"custom value too long", RecordChange{ProductID: "p", Custom: map[string][]string{"x": {strings.Repeat("v", 4001)}}}, "custom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.PutRecord("l", tt.c)
			wantCode(t, err, EINVALID)
			if got := ErrorField(err); got != tt.field {
				t.Errorf("field = %q, want %q", got, tt.field)
			}
		})
	}
	// Custom attributes merged over several writes are bounded too.
	half := map[string][]string{}
	for i := range maxCustom / 2 {
		half[fmt.Sprint("b", i)] = []string{"v"}
	}
	f.MustRecord(t, "l", "p", 1, func(c *RecordChange) { c.Custom = half })
	other := map[string][]string{}
	for i := range maxCustom/2 + 1 {
		other[fmt.Sprint("c", i)] = []string{"v"}
	}
	_, err := f.UpdateRecord("l", RecordChange{ProductID: "p", Custom: other})
	wantCode(t, err, EINVALID)
}

func TestMoreLineValidation(t *testing.T) {
	f := newFixture(t)
	f.MustList(t, "l", false)
	f.MustList(t, "m", false)
	f.MustRecord(t, "l", "p", 10)
	lots := make([]Line, maxLines+1)
	for i := range lots {
		lots[i] = Line{fmt.Sprint("p", i), Unit}
	}
	exp := f.clock.Now().Add(time.Hour)
	tests := []struct {
		name  string
		err   error
		field string
	}{
		{"too many lines", errOf(f.Reserve(ReserveRequest{ID: "o", ListID: "l", Lines: lots})), "lines"},
		{"quantity too large", errOf(f.Reserve(ReserveRequest{ID: "o", ListID: "l", Lines: []Line{{"p", MaxQuantity + 1}}})), "lines[0].quantity"},
		{"merged quantity too large", errOf(f.Reserve(ReserveRequest{ID: "o", ListID: "l",
			Lines: []Line{{"p", MaxQuantity}, {"p", MaxQuantity}}})), "lines"},
		{"bad hold id", errOf(f.Reserve(ReserveRequest{ID: "o", ListID: "l", Lines: []Line{{"p", Unit}}, FromHold: " x"})), "fromHold"},
		{"bad list id", errOf(f.Reserve(ReserveRequest{ID: "o", ListID: "", Lines: []Line{{"p", Unit}}})), "listId"},
		{"hold without id", errOf(f.Hold(HoldRequest{ListID: "l", Lines: []Line{{"p", Unit}}, ExpiresAt: exp})), "id"},
		{"hold in year 10000", errOf(f.Hold(HoldRequest{ID: "h", ListID: "l", Lines: []Line{{"p", Unit}},
			ExpiresAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})), "expiresAt"},
	}
	for _, tt := range tests {
		wantCode(t, tt.err, EINVALID)
		if got := ErrorField(tt.err); got != tt.field {
			t.Errorf("%s: field %q, want %q", tt.name, got, tt.field)
		}
	}
	if _, err := f.Hold(HoldRequest{ID: "h", ListID: "m", Lines: []Line{{"x", Unit}}, ExpiresAt: exp}); ErrorCode(err) != EUNAVAILABLE {
		t.Fatalf("hold on a product without record: %v", err)
	}
	f.MustRecord(t, "m", "x", 1)
	if _, err := f.Hold(HoldRequest{ID: "h", ListID: "m", Lines: []Line{{"x", Unit}}, ExpiresAt: exp}); err != nil {
		t.Fatal(err)
	}
	_, err := f.Reserve(ReserveRequest{ID: "o", ListID: "l", Lines: []Line{{"p", Unit}}, FromHold: "h"})
	wantCode(t, err, EINVALID) // the hold is for another list
	if ErrorField(err) != "fromHold" {
		t.Errorf("field %q", ErrorField(err))
	}
}

func errOf[T any](_ T, err error) error { return err }
