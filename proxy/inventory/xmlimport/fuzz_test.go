package xmlimport

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"ociedge/internal/kv"
	"ociedge/proxy/inventory"
)

// FuzzImport feeds arbitrary bytes to the importer. It must never panic,
// and whatever it does to the store must be explained by the report: only
// records counted as imported or deleted may have changed (besides the
// records of lists it deleted), every stored record must be valid, and the
// durable state must equal the in-memory state.
//
// The seed corpus is testdata/fuzz/FuzzImport.
func FuzzImport(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		mem := kv.NewMem()
		now := func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }
		s, err := inventory.Open(inventory.Config{KV: mem, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		seed(t, s)
		before := records(t, s)
		im, _ := New(Config{Store: s, BatchSize: 3, MaxTokenBytes: 4096})
		rep, _ := im.Import(bytes.NewReader(data))
		after := records(t, s)
		checkExplained(t, rep, before, after)
		for _, r := range after {
			l, _ := s.List(r.ListID)
			checkValid(t, l, r)
		}
		reopened, err := inventory.Open(inventory.Config{KV: mem, Now: now})
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		if got := records(t, reopened); !reflect.DeepEqual(got, after) {
			t.Fatalf("durable state differs from memory:\n%v\n%v", got, after)
		}
	})
}

func seed(t *testing.T, s *inventory.Store) {
	f := false
	if _, _, err := s.PutList(inventory.ListChange{ID: "online-us", DefaultInStock: &f}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"sku-1001", "sku-1002", "ok-1"} {
		a := inventory.Units(9)
		if _, _, err := s.PutRecord("online-us", inventory.RecordChange{ProductID: p, Allocation: &a}); err != nil {
			t.Fatal(err)
		}
	}
}

func records(t *testing.T, s *inventory.Store) map[string]inventory.Record {
	out := map[string]inventory.Record{}
	for _, l := range s.Lists() {
		recs, _, err := s.Page(l.ID, 0, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			out[l.ID+"\x00"+r.ProductID] = r
		}
	}
	return out
}

func checkExplained(t *testing.T, rep *Report, before, after map[string]inventory.Record) {
	deletedList := map[string]bool{}
	for _, id := range rep.ListsDeleted {
		deletedList[id] = true
	}
	changed := 0
	for k, b := range before {
		if a, ok := after[k]; !ok && !deletedList[b.ListID] || ok && !reflect.DeepEqual(a, b) {
			changed++
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			changed++
		}
	}
	if limit := rep.RecordsImported + rep.RecordsDeleted; changed > limit {
		t.Fatalf("%d records changed but the report accounts for %d: %+v", changed, limit, rep)
	}
}

func checkValid(t *testing.T, l inventory.List, r inventory.Record) {
	ok := r.Allocation >= 0 && r.Allocation <= inventory.MaxQuantity &&
		r.PreorderBackorderAllocation >= 0 && r.PreorderBackorderAllocation <= inventory.MaxQuantity &&
		r.OnOrder >= 0 && (r.OnOrder == 0 || l.OnOrderEnabled) && r.Turnover >= -inventory.MaxQuantity && r.Turnover <= inventory.MaxQuantity &&
		r.Handling <= inventory.HandlingBackorder && r.ProductID != ""
	if !ok {
		t.Fatalf("invalid record stored: %+v", r)
	}
}
