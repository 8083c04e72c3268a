package adminui_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/oci"
	"ociedge/oci/auth"
	"ociedge/oci/client"
	"ociedge/oci/node"
	"ociedge/oci/node/nodetest"
)

type coreEnv struct {
	t  *testing.T
	n  *node.Node
	cl *client.Client
}

func newCore(t *testing.T) *coreEnv {
	t.Helper()
	n := nodetest.Start(t)
	cl := nodetest.Client(t, n.URL(), client.Config{})
	return &coreEnv{t: t, n: n, cl: cl}
}

func (c *coreEnv) token(client, secret, scopes string) string {
	c.t.Helper()
	tok, err := c.n.Auth.Grant("client_credentials", client, secret, "SALESFORCE_COMMERCE_API:tenant1 "+scopes)
	if err != nil {
		c.t.Fatal(err)
	}
	return tok.AccessToken
}

func (c *coreEnv) get(path, token string) (int, *fasthttp.ResponseHeader, []byte) {
	c.t.Helper()
	req, res := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(res)
	req.SetRequestURI(c.n.URL() + path)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if err := fasthttp.DoTimeout(req, res, 5*time.Second); err != nil {
		c.t.Fatal(err)
	}
	h := &fasthttp.ResponseHeader{}
	res.Header.CopyTo(h)
	return res.StatusCode(), h, append([]byte(nil), res.Body()...)
}

func TestShellAndAssetsHoldNoDataAndForbidInlineScript(t *testing.T) {
	c := newCore(t)
	for _, tc := range []struct{ path, ctype, has string }{
		{"/admin", "text/html", `<script src="/admin?asset=app.js"`},
		{"/admin?asset=app.js", "text/javascript", "textContent"},
		{"/admin?asset=app.css", "text/css", "font"},
	} {
		st, h, body := c.get(tc.path, "")
		if st != 200 || !strings.HasPrefix(string(h.ContentType()), tc.ctype) || !strings.Contains(string(body), tc.has) {
			t.Errorf("%s: %d %s", tc.path, st, h.ContentType())
		}
		if csp := string(h.Peek("Content-Security-Policy")); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: CSP %q", tc.path, csp)
		}
	}
	if st, _, _ := c.get("/admin?asset=../../etc/passwd", ""); st != 404 {
		t.Errorf("unknown asset: %d", st)
	}
	if strings.Contains(string(pageBody(c)), "innerHTML") {
		t.Error("the page must not use innerHTML")
	}
}

func pageBody(c *coreEnv) []byte {
	_, _, js := c.get("/admin?asset=app.js", "")
	return js
}

func TestDataNeedsTheAdminScope(t *testing.T) {
	c := newCore(t)
	if err := c.n.Auth.EnsureClient(auth.Client{ID: "reader", Secret: "r", Scopes: []string{auth.ScopeAvailability}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, token string
		want        int
	}{
		{"no token", "", 401},
		{"garbage", "not-a-token", 401},
		{"no admin scope", c.token("reader", "r", auth.ScopeAvailability), 403},
		{"admin scope", c.token("dev", "secret", auth.ScopeAdmin), 200},
	} {
		if st, _, body := c.get("/admin?view=data", tc.token); st != tc.want {
			t.Errorf("%s: %d %s, want %d", tc.name, st, body, tc.want)
		}
	}
}

func TestDataShowsGraphRecordsReservationsJobsAndInvariants(t *testing.T) {
	c := newCore(t)
	ctx := context.Background()
	g := oci.Graph{Locations: []oci.Location{{ID: "wh-a", Type: "Warehouse"}, {ID: "wh-b"}},
		Groups: []oci.Group{{ID: "online", Locations: []string{"wh-a", "wh-b"}}}}
	if err := c.cl.PutGraph(ctx, g); err != nil {
		t.Fatal(err)
	}
	if _, err := c.cl.BatchUpdate(ctx, []client.BatchRecord{
		{ID: "r1", Location: "wh-a", SKU: "sku-1", OnHand: oci.Value(10 * oci.Unit)},
		{ID: "r2", Location: "wh-b", SKU: "sku-1", OnHand: oci.Value(5 * oci.Unit)},
	}); err != nil {
		t.Fatal(err)
	}
	file := `{"recordId":"i1","locationId":"wh-a","sku":"sku-2","onHand":3,"effectiveDate":"2024-01-01T00:00:00Z"}` + "\n"
	if _, err := c.cl.Import(ctx, strings.NewReader(file), client.ImportOptions{FileName: "a.ndjson"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.cl.Reserve(ctx, "res-1", &oci.ReserveRequest{
		Groups: []oci.PlaceLines{{ID: "online", Lines: []oci.Line{{SKU: "sku-1", Quantity: 2 * oci.Unit}}}}}); err != nil {
		t.Fatal(err)
	}
	st, _, body := c.get("/admin?view=data&check=1", c.token("dev", "secret", auth.ScopeAdmin))
	if st != 200 {
		t.Fatalf("%d %s", st, body)
	}
	var d struct {
		Stats struct {
			Records, SKUs, OpenReservations int
			ChangeSequence                  uint64         `json:"changeSequence"`
			DurableSequence                 uint64         `json:"durableSequence"`
			ByState                         map[string]int `json:"reservationsByState"`
		}
		Graph struct {
			Locations []struct {
				ID      string
				Type    string
				Groups  []string
				Records int
			}
		}
		Jobs []struct {
			Kind, Status, FileName string
			Processed              int `json:"recordsProcessed"`
		}
		Invariants struct{ OK bool }
	}
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatal(err)
	}
	if d.Stats.Records != 3 || d.Stats.SKUs != 2 || d.Stats.ByState["OPEN"] != 1 || d.Stats.ChangeSequence == 0 ||
		d.Stats.DurableSequence != d.Stats.ChangeSequence {
		t.Errorf("stats: %+v", d.Stats)
	}
	if len(d.Graph.Locations) != 2 || d.Graph.Locations[0].ID != "wh-a" || d.Graph.Locations[0].Type != "Warehouse" ||
		d.Graph.Locations[0].Records != 2 || len(d.Graph.Locations[0].Groups) != 1 {
		t.Errorf("graph: %+v", d.Graph)
	}
	if len(d.Jobs) != 1 || d.Jobs[0].Kind != "import" || d.Jobs[0].Status != "COMPLETED" || d.Jobs[0].Processed != 1 ||
		d.Jobs[0].FileName != "a.ndjson" {
		t.Errorf("jobs: %+v", d.Jobs)
	}
	if !d.Invariants.OK {
		t.Errorf("invariants: %s", body)
	}
}
