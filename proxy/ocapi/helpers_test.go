package ocapi

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/internal/kv"
	"ociedge/proxy/inventory"
)

// env is a store, a handler and a loopback fasthttp server in front of it.
type env struct {
	store *inventory.Store
	h     *Handler
	url   string
	oci   *fakeOCI

	mu      sync.Mutex // guards ociMode and deny
	ociMode bool
	deny    bool
}

type fakeOCI struct {
	vals   map[string]inventory.OCIValues
	lister bool
}

func (f *fakeOCI) Lookup(list, product string) (inventory.OCIValues, bool) {
	v, ok := f.vals[list+"/"+product]
	return v, ok
}

// listerOCI adds paging over the cached ids.
type listerOCI struct{ *fakeOCI }

func (l listerOCI) ProductIDs(list string, start, count int) ([]string, int) {
	var ids []string
	for k := range l.vals {
		if p, ok := strings.CutPrefix(k, list+"/"); ok {
			ids = append(ids, p)
		}
	}
	if start >= len(ids) {
		return nil, len(ids)
	}
	return ids[start:min(len(ids), start+count)], len(ids)
}

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

type envOpts struct {
	stream    bool
	lister    bool
	maxDoc    int
	maxImport int64
}

func newEnv(t *testing.T, o envOpts) *env {
	t.Helper()
	e := &env{oci: &fakeOCI{vals: map[string]inventory.OCIValues{}}}
	s, err := inventory.Open(inventory.Config{KV: kv.NewMem(), Now: func() time.Time { return testNow }, Writable: e.writable})
	if err != nil {
		t.Fatal(err)
	}
	var oci OCIReader = e.oci
	if o.lister {
		oci = listerOCI{e.oci}
	}
	h, err := New(Config{Store: s, OCI: oci, ReadsFromOCI: e.readsFromOCI, Authorize: e.authorize,
		MaxDocumentBytes: o.maxDoc, MaxImportBytes: o.maxImport})
	if err != nil {
		t.Fatal(err)
	}
	e.store, e.h = s, h
	e.serve(t, o.stream)
	return e
}

func (e *env) serve(t *testing.T, stream bool) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &fasthttp.Server{
		Handler: func(ctx *fasthttp.RequestCtx) {
			if !e.h.Handle(ctx) {
				ctx.Error("not mine", http.StatusNotFound)
			}
		},
		StreamRequestBody:  stream,
		MaxRequestBodySize: 8 << 20,
	}
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(ln) }()
	// Serve may not have registered ln yet when Shutdown runs; closing ln
	// makes it return either way.
	t.Cleanup(func() { srv.Shutdown(); ln.Close(); <-done })
	e.url = "http://" + ln.Addr().String()
}

func (e *env) writable() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ociMode {
		return inventory.ErrReadOnly()
	}
	return nil
}

func (e *env) readsFromOCI() bool { e.mu.Lock(); defer e.mu.Unlock(); return e.ociMode }

func (e *env) authorize(*fasthttp.RequestCtx) bool { e.mu.Lock(); defer e.mu.Unlock(); return !e.deny }

func (e *env) setOCI(v bool)  { e.mu.Lock(); e.ociMode = v; e.mu.Unlock() }
func (e *env) setDeny(v bool) { e.mu.Lock(); e.deny = v; e.mu.Unlock() }

const recordsPath = "/s/-/dw/data/v25_6/inventory_lists/online/product_inventory_records"

// response is a decoded reply.
type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (e *env) do(t *testing.T, method, path, contentType string, body io.Reader) response {
	t.Helper()
	req, err := http.NewRequest(method, e.url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := response{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	if len(raw) > 0 && strings.Contains(resp.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			t.Fatalf("response is not JSON: %v\n%s", err, raw)
		}
	}
	return r
}

func (e *env) get(t *testing.T, path string) response { return e.do(t, "GET", path, "", nil) }

// rawGet sends a GET with a path net/http would refuse to send.
func (e *env) rawGet(t *testing.T, path string) response {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n", path)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := response{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	if err := json.Unmarshal(raw, &r.body); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, raw)
	}
	return r
}

func (e *env) send(t *testing.T, method, path, body string) response {
	return e.do(t, method, path, "application/json", strings.NewReader(body))
}

// wantFault checks the status and the OCAPI fault type, and returns the
// fault's arguments.
func wantFault(t *testing.T, r response, status int, typ string) map[string]any {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
	f, _ := r.body["fault"].(map[string]any)
	if f == nil || f["type"] != typ || f["message"] == "" {
		t.Fatalf("fault %v, want type %s", r.body, typ)
	}
	args, _ := f["arguments"].(map[string]any)
	return args
}

func (e *env) mustList(t *testing.T, id string) {
	t.Helper()
	f := false
	if _, _, err := e.store.PutList(inventory.ListChange{ID: id, DefaultInStock: &f}); err != nil {
		t.Fatal(err)
	}
}

func (e *env) mustRecord(t *testing.T, list, product string, alloc int64) {
	t.Helper()
	a := inventory.Units(alloc)
	if _, _, err := e.store.PutRecord(list, inventory.RecordChange{ProductID: product, Allocation: &a}); err != nil {
		t.Fatal(err)
	}
}

func num(v any) float64 {
	f, _ := v.(float64)
	return f
}
