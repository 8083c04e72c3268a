package xmlimport

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"ociedge/internal/kv"
	"ociedge/proxy/inventory"
)

type env struct {
	store *inventory.Store
	im    *Importer
	mu    sync.Mutex // guards oci
	oci   bool
}

func newEnv(tb testing.TB, cfg Config) *env {
	tb.Helper()
	e := &env{}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s, err := inventory.Open(inventory.Config{KV: kv.NewMem(), Now: func() time.Time { return now }, Writable: e.writable})
	if err != nil {
		tb.Fatal(err)
	}
	cfg.Store = s
	im, err := New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	e.store, e.im = s, im
	return e
}

func (e *env) writable() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.oci {
		return inventory.ErrReadOnly()
	}
	return nil
}

func (e *env) setOCI(v bool) { e.mu.Lock(); e.oci = v; e.mu.Unlock() }

func (e *env) importFile(tb testing.TB, name string) (*Report, error) {
	tb.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	return e.im.Import(f)
}

func (e *env) mustImport(tb testing.TB, name string) *Report {
	tb.Helper()
	rep, err := e.importFile(tb, name)
	if err != nil {
		tb.Fatalf("import %s: %v", name, err)
	}
	return rep
}

func (e *env) record(tb testing.TB, list, product string) inventory.Record {
	tb.Helper()
	r, err := e.store.Get(list, product)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func units(n int64) inventory.Quantity { return inventory.Units(n) }

func TestImportExampleFile(t *testing.T) {
	e := newEnv(t, Config{})
	rep := e.mustImport(t, "inventory-lists.xml")
	if rep.RecordsImported != 5 || rep.RecordsSkipped != 0 || rep.ErrorCount != 0 || rep.WarningCount != 0 {
		t.Fatalf("report %+v", rep)
	}
	if strings.Join(rep.ListsCreated, ",") != "online-us,store-phoenix" {
		t.Fatalf("lists created %v", rep.ListsCreated)
	}
	r := e.record(t, "online-us", "sku-1002")
	reset := time.Date(2026, 2, 27, 9, 30, 0, 0, time.UTC)
	instock := time.Date(2026, 4, 15, 0, 0, 0, 0, time.UTC)
	if r.Allocation != inventory.Quantity(4500) || !r.AllocationResetDate.Equal(reset) || r.Turnover != units(1) ||
		r.Handling != inventory.HandlingBackorder || r.PreorderBackorderAllocation != units(10) ||
		!r.InStockDate.Equal(instock) || r.ATS() != inventory.Quantity(13500) {
		t.Fatalf("sku-1002 = %+v", r)
	}
	if got := r.Custom; got["bin"][0] != "A-17" || strings.Join(got["tags"], ",") != "summer,clearance" {
		t.Fatalf("custom = %v", got)
	}
	if g := e.record(t, "online-us", "gift-card"); !g.Perpetual || g.AllocationSet {
		t.Fatalf("gift-card = %+v", g)
	}
	if p := e.record(t, "online-us", "sku-1003"); !p.InStockDate.Equal(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)) || !p.Preorderable() {
		t.Fatalf("sku-1003 = %+v", p)
	}
	if s := e.record(t, "store-phoenix", "sku-1001"); s.OnOrder != units(1) || s.ATS() != units(2) {
		t.Fatalf("store record = %+v", s)
	}
	l, _ := e.store.List("store-phoenix")
	if !l.DefaultInStock || !l.OnOrderEnabled || l.Description != "Phoenix store" {
		t.Fatalf("list = %+v", l)
	}
	// Importing again updates, it does not duplicate.
	rep = e.mustImport(t, "inventory-lists.xml")
	if len(rep.ListsUpdated) != 2 || len(rep.ListsCreated) != 0 || e.store.Len("online-us") != 4 {
		t.Fatalf("re-import %+v", rep)
	}
}

func TestImportReportsBadRecordsAndContinues(t *testing.T) {
	e := newEnv(t, Config{})
	rep := e.mustImport(t, "bad-records.xml")
	if rep.RecordsImported != 2 || rep.RecordsSkipped != 10 || rep.ErrorCount != 10 {
		t.Fatalf("report %+v", rep)
	}
	want := map[string]string{
		"bad-number":      "<allocation>",
		"negative":        "must not be negative",
		"too-precise":     "three decimal places",
		"unknown-element": "<colour>",
		"twice":           "appears twice",
		"bad-handling":    "none, preorder, backorder",
		"bad-date":        "<in-stock-datetime>",
		"bad-mode":        "mode \"update\"",
		"":                "productId",
		"stamp-only":      "allocationResetDate",
	}
	for _, is := range rep.Errors {
		w, ok := want[is.ProductID]
		if !ok || !strings.Contains(is.Message, w) || is.Line < 8 || is.Line > 18 {
			t.Errorf("unexpected issue %+v (want message containing %q)", is, w)
		}
		delete(want, is.ProductID)
	}
	if len(want) > 0 {
		t.Errorf("no issue for %v", want)
	}
	if rep.Errors[0].Line != 9 {
		t.Errorf("first bad record reported on line %d, want 9", rep.Errors[0].Line)
	}
	if e.store.Len("online-us") != 2 {
		t.Fatalf("%d records stored, want the 2 valid ones", e.store.Len("online-us"))
	}
}

func TestImportMalformedXMLStopsNamingTheLine(t *testing.T) {
	e := newEnv(t, Config{})
	rep, err := e.importFile(t, "malformed.xml")
	var se *SyntaxError
	if inventory.ErrorCode(err) != inventory.EINVALID || !errors.As(err, &se) || se.Line != 10 {
		t.Fatalf("err = %v, want a syntax error on line 10", err)
	}
	if !strings.Contains(err.Error(), "line 10") {
		t.Errorf("message %q does not name the line", err)
	}
	// The complete records before the error are applied; nothing after it.
	if rep.RecordsImported != 2 || e.store.Len("online-us") != 2 {
		t.Fatalf("report %+v, %d records", rep, e.store.Len("online-us"))
	}
	if _, err := e.store.Get("online-us", "broken"); inventory.ErrorCode(err) != inventory.ERECORDNOTFOUND {
		t.Fatal("the broken record was half-applied")
	}
}

func TestImportInOCIModeSkipsEveryRecord(t *testing.T) {
	e := newEnv(t, Config{})
	e.setOCI(true)
	rep := e.mustImport(t, "inventory-lists.xml")
	if len(rep.ListsCreated) != 2 {
		t.Fatalf("lists must still be imported: %+v", rep)
	}
	if rep.RecordsSkipped != 5 || rep.RecordsSkippedReadOnly != 5 || rep.RecordsImported != 0 {
		t.Fatalf("report %+v", rep)
	}
	skips := 0
	for _, w := range rep.Warnings {
		if w.Message == "Omnichannel Inventory doesn't support the import of inventory records. Skipping element." {
			skips++
			if w.ProductID == "" || w.Line == 0 {
				t.Errorf("warning without record: %+v", w)
			}
		}
	}
	if skips != 5 {
		t.Fatalf("%d skip warnings, want one per record: %+v", skips, rep.Warnings)
	}
	if e.store.Len("online-us") != 0 || e.store.Len("store-phoenix") != 0 {
		t.Fatal("records were written in OCI mode")
	}
	if l, _ := e.store.List("store-phoenix"); l.OnOrderEnabled {
		t.Fatal("on-order was enabled in OCI mode")
	}
}

func TestImportDeleteModes(t *testing.T) {
	e := newEnv(t, Config{})
	e.mustImport(t, "inventory-lists.xml")
	rep := e.mustImport(t, "delete.xml")
	if rep.RecordsDeleted != 1 || rep.RecordsSkipped != 1 || strings.Join(rep.ListsDeleted, ",") != "store-phoenix" {
		t.Fatalf("report %+v", rep)
	}
	if _, err := e.store.Get("online-us", "sku-1001"); inventory.ErrorCode(err) != inventory.ERECORDNOTFOUND {
		t.Fatal("record not deleted")
	}
	if _, ok := e.store.List("store-phoenix"); ok {
		t.Fatal("list not deleted")
	}
}

func TestImportDocumentErrors(t *testing.T) {
	tests := []struct {
		name, xml, want string
	}{
		{"empty", "", "no root element"},
		{"wrong root", `<catalog xmlns="` + Namespace + `"/>`, "root element must be <inventory>"},
		{"no namespace", `<inventory/>`, "root element must be <inventory>"},
		{"second root", `<inventory xmlns="` + Namespace + `"/><inventory/>`, "second root"},
		{"unclosed", `<inventory xmlns="` + Namespace + `"><inventory-list>`, "line 1"},
		{"latin1", `<?xml version="1.0" encoding="ISO-8859-1"?><inventory/>`, "ISO-8859-1"},
		{"deep", `<inventory xmlns="` + Namespace + `">` + strings.Repeat("<a>", 100), "nested more than"},
		{"huge token", `<inventory xmlns="` + Namespace + `"><x>` + strings.Repeat("a", 5000), "longer than 4096"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, Config{MaxTokenBytes: 4096})
			_, err := e.im.Import(strings.NewReader(tt.xml))
			if inventory.ErrorCode(err) != inventory.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestImportHeaderProblems(t *testing.T) {
	e := newEnv(t, Config{})
	doc := `<inventory xmlns="` + Namespace + `">
<inventory-list><header list-id="a"><description>no default</description></header>
<records><record product-id="p"><allocation>1</allocation></record></records></inventory-list>
<inventory-list><header list-id="b"><default-instock>maybe</default-instock></header></inventory-list>
<inventory-list><header list-id="c"><default-instock>1</default-instock><custom-attributes/></header></inventory-list>
</inventory>`
	rep, err := e.im.Import(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if rep.ErrorCount != 2 || rep.RecordsSkipped != 1 || strings.Join(rep.ListsCreated, ",") != "c" {
		t.Fatalf("report %+v", rep)
	}
	if !strings.Contains(rep.Errors[0].Message, "default-instock> is required") || rep.Errors[0].Line != 2 {
		t.Errorf("first error %+v", rep.Errors[0])
	}
	if _, ok := e.store.List("a"); ok {
		t.Fatal("list with an invalid header was created")
	}
}

func TestImportOnOrderOnListWithoutIt(t *testing.T) {
	e := newEnv(t, Config{})
	doc := `<inventory xmlns="` + Namespace + `"><inventory-list><header list-id="l"><default-instock>false</default-instock></header>
<records><record product-id="p"><allocation>5</allocation><on-order>2</on-order></record></records></inventory-list></inventory>`
	rep, err := e.im.Import(strings.NewReader(doc))
	if err != nil || rep.RecordsImported != 1 || rep.WarningCount != 1 {
		t.Fatalf("report %+v %v", rep, err)
	}
	if r := e.record(t, "l", "p"); r.OnOrder != 0 || r.ATS() != units(5) {
		t.Fatalf("record %+v", r)
	}
}

// generated streams a document with n records without ever holding it.
func generated(n int) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		fmt.Fprintf(pw, `<inventory xmlns="%s"><inventory-list><header list-id="big"><default-instock>false</default-instock></header><records>`, Namespace)
		for i := range n {
			fmt.Fprintf(pw, "<record product-id=\"p%06d\"><allocation>%d.5</allocation></record>\n", i, i%100)
		}
		fmt.Fprint(pw, `</records></inventory-list></inventory>`)
		pw.Close()
	}()
	return pr
}

func TestImportStreamsInBatches(t *testing.T) {
	e := newEnv(t, Config{BatchSize: 64})
	rep, err := e.im.Import(generated(5000))
	if err != nil || rep.RecordsImported != 5000 || e.store.Len("big") != 5000 {
		t.Fatalf("report %+v %v", rep, err)
	}
	if r := e.record(t, "big", "p004321"); r.Allocation != inventory.Quantity(21500) {
		t.Fatalf("record %+v", r)
	}
}

func TestIssuesAreCapped(t *testing.T) {
	e := newEnv(t, Config{MaxIssues: 3})
	e.setOCI(true)
	rep, err := e.im.Import(generated(10))
	if err != nil || rep.WarningCount != 10 || len(rep.Warnings) != 3 || !rep.IssuesTruncated {
		t.Fatalf("report %+v %v", rep, err)
	}
}

func BenchmarkImport(b *testing.B) {
	e := newEnv(b, Config{})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.im.Import(generated(10000)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "records/s")
}
