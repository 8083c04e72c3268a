package ocapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/internal/kv"
	"ociedge/proxy/inventory"
)

const fuzzRecords = "/s/-/dw/data/v25_6/inventory_lists/online/product_inventory_records"

// fuzzStore is a handler over an in-memory store holding the list online
// with n records p-00 … p-(n-1).
type fuzzStore struct {
	mem *kv.Mem
	h   *Handler
}

func newFuzzStore(tb testing.TB, n int) *fuzzStore {
	tb.Helper()
	mem := kv.NewMem()
	s, err := inventory.Open(inventory.Config{KV: mem, Now: func() time.Time { return testNow }})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if _, _, err := s.PutList(inventory.ListChange{ID: "online"}); err != nil {
		tb.Fatal(err)
	}
	h, err := New(Config{Store: s, Now: func() time.Time { return testNow }})
	if err != nil {
		tb.Fatal(err)
	}
	fs := &fuzzStore{mem: mem, h: h}
	for i := range n {
		if st, body := fs.do("PUT", fmt.Sprintf("%s/p-%02d", fuzzRecords, i), fmt.Sprintf(`{"allocation":{"amount":%d}}`, i)); st != 201 {
			tb.Fatalf("seed record %d: %d %s", i, st, body)
		}
	}
	return fs
}

// do serves one request through Handle, in memory.
func (fs *fuzzStore) do(method, uri, body string) (int, []byte) {
	var ctx fasthttp.RequestCtx
	ctx.Request.Header.SetMethod(method)
	ctx.Request.SetRequestURI(uri)
	ctx.Request.Header.SetHost("edge.test")
	ctx.Request.Header.SetContentType("application/json")
	ctx.Request.SetBodyString(body)
	if !fs.h.Handle(&ctx) {
		return 0, nil
	}
	return ctx.Response.StatusCode(), bytes.Clone(ctx.Response.Body())
}

// snapshot is every key and value of the store.
func (fs *fuzzStore) snapshot(tb testing.TB) string {
	tb.Helper()
	var b strings.Builder
	if err := fs.mem.Scan(nil, func(k, v []byte) error {
		fmt.Fprintf(&b, "%q=%q\n", k, v)
		return nil
	}); err != nil {
		tb.Fatal(err)
	}
	return b.String()
}

// checkAnswer: a known status below 500, a JSON body, and a fault that
// names its type for every error.
func checkAnswer(t *testing.T, what string, status int, body []byte) {
	t.Helper()
	switch status {
	case 200, 201, 204:
		if status != 204 && !json.Valid(body) {
			t.Fatalf("%s: %d with a body that is not JSON: %q", what, status, body)
		}
		return
	case 400, 404, 405, 409, 413, 415:
	default:
		t.Fatalf("%s: status %d: %s", what, status, body)
	}
	var f faultDoc
	if err := json.Unmarshal(body, &f); err != nil || f.Fault.Type == "" || f.Fault.Message == "" {
		t.Fatalf("%s: %d with a body that is not a fault: %s", what, status, body)
	}
}

// FuzzRecordDocument sends arbitrary product_inventory_record documents
// with PUT and PATCH, to an existing record or a new one: nothing panics,
// nothing answers 5xx, a refusal is a fault and changes nothing, and an
// accepted document reads back as a document that, sent back with PUT, is
// accepted and changes nothing more (the edit-a-GET round trip clients do).
func FuzzRecordDocument(f *testing.F) {
	for _, s := range []struct {
		patch   bool
		product string
		body    string
	}{
		{false, "p-00", `{"allocation":{"amount":5,"reset_date":"2026-03-01T00:00:00.000Z"},"perpetual_flag":false}`},
		{true, "p-00", `{"pre_order_back_order_allocation":2.5,"pre_order_back_order_handling":"backorder","in_stock_date":"2026-04-01"}`},
		{true, "p-00", `{"allocation":null,"c_color":["red",1,true],"c_size":null}`},
		{false, "new", `{"product_id":"new","inventory_list_id":"online","allocation":{"amount":1},"inventory_turnover":0,"quantity_on_order":3}`},
		{false, "new", `{"ats":7,"stock_level":3,"link":"x","_v":"25.6","_type":"product_inventory_record","allocation":{"amount":1}}`},
		{true, "p-00", `{"allocation":{"amount":-1}}`},
		{true, "p-00", `{"allocation":{"amount":1e400}}`},
		{false, "a/b", `{"allocation":{"amount":1}} {}`},
		{true, "p-00", `{"product_id":"other"}`},
		{false, "p-00", `{"in_stock_date":"yesterday"}`},
		{false, "p-00", `[]`},
	} {
		f.Add(s.patch, s.product, s.body)
	}
	f.Fuzz(func(t *testing.T, patch bool, product, body string) {
		fs := newFuzzStore(t, 1)
		method := "PUT"
		if patch {
			method = "PATCH"
		}
		uri := fuzzRecords + "/" + url.PathEscape(product)
		before := fs.snapshot(t)
		status, answer := fs.do(method, uri, body)
		checkAnswer(t, method+" "+body, status, answer)
		if status >= 400 {
			if fs.snapshot(t) != before {
				t.Fatalf("%s %q refused with %d, yet the store changed: %s", method, body, status, answer)
			}
			return
		}
		st, doc := fs.do("GET", uri, "")
		if st != 200 {
			t.Fatalf("GET after %s %q: %d %s", method, body, st, doc)
		}
		after := fs.snapshot(t)
		if st, answer := fs.do("PUT", uri, string(doc)); st != 200 {
			t.Fatalf("PUT of the record's own document %s: %d %s", doc, st, answer)
		}
		if _, again := fs.do("GET", uri, ""); !bytes.Equal(again, doc) || fs.snapshot(t) != after {
			t.Fatalf("PUT of the record's own document changed it:\n%s\n%s", doc, again)
		}
	})
}

// FuzzPagingQuery sends arbitrary query strings to the record collection
// of a list of 30 records: nothing panics; the answer is 200 or a 400
// InvalidParameterException; a page holds at most count (≤ 200) records
// from start on, with total 30, and its next and previous links are pages
// the handler accepts; reading changes nothing.
func FuzzPagingQuery(f *testing.F) {
	for _, s := range []string{
		"start=0&count=5", "count=200", "start=25&count=10&select=(**)", "select=(data.(product_id,ats))",
		"count=0", "start=-1", "count=201", "start=2147483648", "select=((", "count=5&count=6", "start=%31&count=%2B3",
		"start=29&count=1", "start=31", "count=007", "select=(count,total)", "",
	} {
		f.Add(s)
	}
	fs := newFuzzStore(f, 30)
	want := fs.snapshot(f)
	f.Fuzz(func(t *testing.T, query string) {
		status, body := fs.do("GET", fuzzRecords+"?"+query, "")
		if status == 0 {
			return // not a URI of the collection (control bytes end its path)
		}
		checkAnswer(t, "GET ?"+query, status, body)
		if status != 200 {
			var fd faultDoc
			json.Unmarshal(body, &fd)
			if status != 400 || fd.Fault.Type != "InvalidParameterException" {
				t.Fatalf("?%s: %d %s", query, status, body)
			}
			return
		}
		var req fasthttp.Request // the query as the handler saw it
		req.SetRequestURI(fuzzRecords + "?" + query)
		p, err := parsePaging(req.URI().QueryArgs())
		if err != nil {
			t.Fatalf("?%s answered 200, but its paging does not parse: %v", query, err)
		}
		checkPage(t, fs, query, p, body)
		if fs.snapshot(t) != want {
			t.Fatalf("GET ?%s changed the store", query)
		}
	})
}

// checkPage checks a page against its paging and follows its links.
func checkPage(t *testing.T, fs *fuzzStore, query string, p paging, body []byte) {
	t.Helper()
	if p.count < 1 || p.count > maxCount || p.start < 0 {
		t.Fatalf("?%s accepted as start %d count %d", query, p.start, p.count)
	}
	if p.sel != nil && !p.sel.all {
		return // the selector may leave out any field
	}
	var d collectionDoc
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatalf("?%s: %v: %s", query, err, body)
	}
	if n := max(0, min(p.count, 30-p.start)); d.Total != 30 || d.Count != n || len(d.Data) != n || d.Start != p.start {
		t.Fatalf("?%s: total %d count %d (%d records) start %d; want 30, %d, from %d", query, d.Total, d.Count, len(d.Data), d.Start, n, p.start)
	}
	for _, link := range []string{d.Next, d.Previous} {
		if link == "" {
			continue
		}
		u, err := url.Parse(link)
		if err != nil || u.Path != fuzzRecords {
			t.Fatalf("?%s: link %q", query, link)
		}
		if st, b := fs.do("GET", u.RequestURI(), ""); st != 200 {
			t.Fatalf("?%s: link %q answers %d %s", query, link, st, b)
		}
	}
}
