package proxy_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/oci"
	"ociedge/oci/client"
	"ociedge/oci/node"
	"ociedge/oci/node/nodetest"
	"ociedge/proxy"
	"ociedge/proxy/config"
)

const org = "f_ecom_zzzz_001"

// world is a real core and a real edge on loopback ports.
type world struct {
	t      testing.TB
	core   *node.Node
	client *client.Client
	edge   *proxy.Edge
	dir    string
	yaml   string
}

const baseConfig = `
organizationId: f_ecom_zzzz_001
core: {url: CORE, tenantGroupId: tenant1, clientId: dev, clientSecret: secret, timeout: 2s, retries: 1}
admin: {token: admin-token}
sites:
  - {id: RefArch, inventoryList: online-us, failNonPlacedOrdersAfter: 30m}
stores:
  - {id: store-phoenix, inventoryList: phoenix}
inventoryLists:
  - {id: online-us}
  - {id: phoenix}
  - {id: austin}
streams: {pollInterval: 10ms, graphPollInterval: 50ms}
cache: {maxRecords: 100000, missWait: 1s}
`

func newWorld(t testing.TB, yaml string) *world {
	t.Helper()
	return newWorldVia(t, yaml, func(coreURL string) string { return coreURL })
}

// newWorldVia is newWorld with the edge reaching the core through the URL
// via returns (a fault-injecting proxy, say).
func newWorldVia(t testing.TB, yaml string, via func(coreURL string) string) *world {
	t.Helper()
	n := nodetest.Start(t)
	cl := nodetest.Client(t, via(n.URL()), client.Config{Retries: -1, Timeout: 2 * time.Second})
	w := &world{t: t, core: n, client: cl, dir: t.TempDir(), yaml: strings.ReplaceAll(yaml, "CORE", n.URL())}
	w.startEdge()
	return w
}

func (w *world) startEdge() {
	w.t.Helper()
	app, err := config.Parse([]byte(w.yaml), nil)
	if err != nil {
		w.t.Fatal(err)
	}
	e, err := proxy.New(proxy.Config{App: app, DataDir: w.dir, Addr: "127.0.0.1:0", Core: w.client, JobInterval: -1})
	if err != nil {
		w.t.Fatal(err)
	}
	w.edge = e
	w.t.Cleanup(func() { e.Close() })
}

func (w *world) restartEdge() {
	w.t.Helper()
	w.edge.Close()
	w.startEdge()
}

func (w *world) graph(g string) {
	w.t.Helper()
	var gr oci.Graph
	if err := json.Unmarshal([]byte(g), &gr); err != nil {
		w.t.Fatal(err)
	}
	if err := w.client.PutGraph(context.Background(), gr); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) setStock(loc, sku string, onHand int) {
	w.t.Helper()
	_, err := w.client.BatchUpdate(context.Background(), []client.BatchRecord{{
		ID: fmt.Sprintf("%s-%s-%d-%d", loc, sku, onHand, time.Now().UnixNano()), Location: loc, SKU: sku,
		OnHand: oci.Value(oci.Qty(onHand) * oci.Unit)}})
	if err != nil {
		w.t.Fatal(err)
	}
}

type resp struct {
	status int
	header map[string]string
	body   []byte
}

func (r resp) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("not JSON (%d): %s", r.status, r.body)
	}
	return m
}

func (w *world) do(method, path, token string, body []byte) resp {
	w.t.Helper()
	req, res := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(res)
	req.Header.SetMethod(method)
	req.SetRequestURI(w.edge.URL() + path)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.SetContentType("application/json")
		req.SetBody(body)
	}
	if err := fasthttp.DoTimeout(req, res, 10*time.Second); err != nil {
		w.t.Fatal(err)
	}
	out := resp{status: res.StatusCode(), body: append([]byte(nil), res.Body()...), header: map[string]string{}}
	res.Header.VisitAll(func(k, v []byte) { out.header[strings.ToLower(string(k))] = string(v) })
	return out
}

func (w *world) admin(method, path, body string) resp {
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	return w.do(method, path, "admin-token", b)
}

// availability asks Shopper Availability and returns ats per product/list.
func (w *world) availability(query string) (map[string]map[string]any, resp) {
	w.t.Helper()
	r := w.do("GET", "/product/shopper-availability/v1/organizations/"+org+"/availability?"+query, "", nil)
	if r.status != 200 {
		return nil, r
	}
	out := map[string]map[string]any{}
	for _, d := range r.json(w.t)["data"].([]any) {
		dm := d.(map[string]any)
		for _, inv := range dm["inventories"].([]any) {
			im := inv.(map[string]any)
			out[dm["id"].(string)+"@"+im["id"].(string)] = im
		}
	}
	return out, r
}

func (w *world) ats(query, key string) string {
	w.t.Helper()
	got, r := w.availability(query)
	if got == nil {
		w.t.Fatalf("availability %s: %d %s", query, r.status, r.body)
	}
	if got[key] == nil {
		return "absent"
	}
	return fmt.Sprint(got[key]["ats"])
}

// eventually waits for cond, failing after the deadline.
func eventually(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (w *world) setMode(mode string, force bool) resp {
	return w.admin("POST", "/admin/api/oci/mode", fmt.Sprintf(`{"mode":%q,"force":%v}`, mode, force))
}

func (w *world) listsImported(ids ...string) bool {
	st := w.admin("GET", "/admin/api/oci/status", "").json(w.t)
	done := map[string]bool{}
	for _, l := range st["lists"].([]any) {
		lm := l.(map[string]any)
		done[lm["id"].(string)] = lm["imported"] == true
	}
	for _, id := range ids {
		if !done[id] {
			return false
		}
	}
	return true
}
