package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/internal/kv"
	"ociedge/oci"
	"ociedge/oci/auth"
	"ociedge/oci/httpapi"
	ociimpex "ociedge/oci/impex"
)

// fuzzCore is a whole core — domain, auth, impex and the real handler — on
// an in-memory store with a frozen clock, called without a network: the
// fuzz targets hand it requests directly. It is not safe for concurrent
// use (a fuzz worker runs one input at a time).
type fuzzCore struct {
	core  *oci.Core
	auth  *auth.Authority
	impex *ociimpex.Service
	srv   *httpapi.Server
	token string // every scope of tenant1
	// deltaToken is a delta token of group online
	deltaToken string
	n          int // requests so far: makes ids unique
}

var fuzzNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newFuzzCore(f testing.TB) *fuzzCore {
	now := func() time.Time { return fuzzNow }
	st := kv.NewMem()
	core, err := oci.Open(oci.Config{Store: st, Now: now, SweepInterval: time.Hour})
	if err != nil {
		f.Fatal(err)
	}
	a, err := auth.New(auth.Config{Store: st, Tenants: []string{tenant}, Now: now})
	if err != nil {
		f.Fatal(err)
	}
	svc, err := ociimpex.New(ociimpex.Config{Core: core, Store: st, Dir: f.TempDir(), Now: now, SweepInterval: time.Hour})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { svc.Close(); core.Close() })
	huge := httpapi.Limits{API: 1e15, Impex: 1e15, ImpexFile: 1e15} // the clock is frozen: buckets never refill
	srv, err := httpapi.New(httpapi.Config{Core: core, Auth: a, Impex: svc, Now: now, Limits: huge})
	if err != nil {
		f.Fatal(err)
	}
	fc := &fuzzCore{core: core, auth: a, impex: svc, srv: srv}
	fc.setup(f)
	return fc
}

// setup gives the core the demo graph, sku-1 everywhere and two open
// reservations, and mints the token.
func (fc *fuzzCore) setup(f testing.TB) {
	if err := fc.auth.EnsureClient(auth.Client{ID: "dev", Secret: "secret", Scopes: auth.AllScopes}); err != nil {
		f.Fatal(err)
	}
	tok, err := fc.auth.Grant("client_credentials", "dev", "secret", "SALESFORCE_COMMERCE_API:"+tenant+" "+strings.Join(auth.AllScopes, " "))
	if err != nil {
		f.Fatal(err)
	}
	fc.token = tok.AccessToken
	for _, r := range []struct{ method, path, body string }{
		{"PUT", admin("/location-graph"), demoGraph},
		{"POST", avail("/availability-records/actions/batch-update"), `{"records":[{"id":"i1","location":"wh-a","sku":"sku-1","onHand":10},` +
			`{"id":"i2","location":"wh-b","sku":"sku-1","onHand":5},{"id":"i3","location":"store-1","sku":"sku-1","onHand":3}]}`},
		{"PUT", resv("/reservation-documents/doc-1"), `{"groups":[{"id":"online","reservations":[{"sku":"sku-1","quantity":2}]}]}`},
		{"PUT", resv("/reservation-documents/doc-2"), `{"locations":[{"id":"wh-a","reservations":[{"sku":"sku-1","quantity":1}]}]}`},
	} {
		if st, body := fc.do(r.method, r.path, "application/json", "Bearer "+fc.token, []byte(r.body)); st >= 300 {
			f.Fatalf("setup %s %s: %d %s", r.method, r.path, st, body)
		}
	}
	if fc.deltaToken, err = fc.core.Export(oci.PlaceGroup, []string{"online"}, nopSink{}); err != nil {
		f.Fatal(err)
	}
}

type nopSink struct{}

func (nopSink) Place(oci.PlaceType, string) error { return nil }
func (nopSink) Records([]oci.Values) error        { return nil }

// do runs one request through the server's handler and returns the status
// and a copy of the answer's body.
func (fc *fuzzCore) do(method, path, contentType, authorization string, body []byte) (int, []byte) {
	fc.n++
	var req fasthttp.Request
	req.Header.SetMethod(method)
	req.SetRequestURI(path)
	if contentType != "" {
		req.Header.SetContentType(contentType)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	req.SetBody(body)
	var ctx fasthttp.RequestCtx
	ctx.Init(&req, nil, nil)
	fc.srv.Handle(&ctx)
	return ctx.Response.StatusCode(), append([]byte(nil), ctx.Response.Body()...)
}

// state is what a refused request must leave as it was: the change log,
// the records, the documents, the graph and the impex jobs. Reservations
// that fell due are released first, so the request under test cannot be
// blamed for their expiry.
func (fc *fuzzCore) state() string {
	fc.core.Sweep()
	st := fc.core.Stats()
	return fmt.Sprint(st.Seq, st.Records, st.Reservations, st.GraphEpoch, len(fc.impex.Jobs(0)))
}
