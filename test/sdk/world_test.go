package sdk_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"ociedge/oci"
	"ociedge/oci/client"
	"ociedge/oci/node/nodetest"
	"ociedge/proxy"
	"ociedge/proxy/config"
)

const (
	org        = "f_ecom_zzzz_001"
	site       = "RefArch"
	adminToken = "admin-token"
)

// edgeConfig serves one site (list online-us, a group of two warehouses),
// one store (list phoenix, a location) and three more location lists. The auto-fail job is off
// (JobInterval -1), so that an order stays created until the test moves it.
const edgeConfig = `
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
  - {id: dallas}
  - {id: tucson}
streams: {pollInterval: 10ms, graphPollInterval: 50ms}
cache: {maxRecords: 100000, missWait: 1s}
`

const graph = `{"locations":[{"id":"wh-a"},{"id":"wh-b"},{"id":"phoenix"},{"id":"austin"},{"id":"dallas"},{"id":"tucson"}],
  "groups":[{"id":"online-us","locations":["wh-a","wh-b"]}]}`

// world is a real core and a real edge on loopback ports, as a storefront
// and an operator see them.
type world struct {
	t      testing.TB
	core   *client.Client
	edge   *proxy.Edge
	http   *http.Client
	stocks int // makes batch-update record ids unique
}

func newWorld(t testing.TB) *world {
	t.Helper()
	nodeBinary(t) // fail fast, before starting anything, when node is missing
	n := nodetest.Start(t)
	cl := nodetest.Client(t, n.URL(), client.Config{})
	app, err := config.Parse([]byte(strings.ReplaceAll(edgeConfig, "CORE", n.URL())), nil)
	if err != nil {
		t.Fatal(err)
	}
	e, err := proxy.New(proxy.Config{App: app, DataDir: t.TempDir(), Addr: "127.0.0.1:0", Core: cl, JobInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	w := &world{t: t, core: cl, edge: e, http: &http.Client{Timeout: 10 * time.Second,
		Transport: &http.Transport{DisableKeepAlives: true}}}
	w.putGraph(graph)
	return w
}

func (w *world) putGraph(g string) {
	w.t.Helper()
	var gr oci.Graph
	if err := json.Unmarshal([]byte(g), &gr); err != nil {
		w.t.Fatal(err)
	}
	if err := w.core.PutGraph(context.Background(), gr); err != nil {
		w.t.Fatal(err)
	}
}

// stock sets onHand (and futures) of sku at a core location.
func (w *world) stock(loc, sku string, onHand int, futures ...oci.Future) {
	w.t.Helper()
	w.stocks++
	rec := client.BatchRecord{
		ID: fmt.Sprintf("%s-%s-%d", loc, sku, w.stocks), Location: loc, SKU: sku,
		OnHand: oci.Value(oci.Qty(onHand) * oci.Unit)}
	if len(futures) > 0 {
		rec.Futures = oci.Value(futures)
	}
	_, err := w.core.BatchUpdate(context.Background(), []client.BatchRecord{rec})
	if err != nil {
		w.t.Fatal(err)
	}
}

// values returns the core's values of sku at a location or a group.
func (w *world) values(kind oci.PlaceType, place, sku string) oci.Values {
	w.t.Helper()
	q := &oci.AvailabilityQuery{SKUs: []string{sku}}
	if kind == oci.PlaceGroup {
		q.Groups = []string{place}
	} else {
		q.Locations = []string{place}
	}
	a, err := w.core.GetAvailability(context.Background(), q)
	if err != nil {
		w.t.Fatalf("core get-availability %s at %s: %v", sku, place, err)
	}
	for _, pv := range append(a.Groups, a.Locations...) {
		for _, v := range pv.Records {
			if pv.ID == place && v.SKU == sku {
				return v
			}
		}
	}
	w.t.Fatalf("the core did not answer for %s at %s: %+v", sku, place, a)
	return oci.Values{}
}

// wantReserved checks the core's reserved quantity of sku at a place.
func (w *world) wantReserved(step string, kind oci.PlaceType, place, sku string, want int) {
	w.t.Helper()
	if got := w.values(kind, place, sku).Reserved; got != oci.Qty(want)*oci.Unit {
		w.t.Errorf("%s: the core holds %s reserved of %s at %s, want %d", step, got, sku, place, want)
	}
}

type answer struct {
	status int
	body   []byte
}

func (w *world) do(method, path, token, body string) answer {
	w.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, w.edge.URL()+path, rd)
	if err != nil {
		w.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := w.http.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	return answer{res.StatusCode, b}
}

// ocapiPut writes one of the edge's own (B2C) inventory records through the
// OCAPI Data API.
func (w *world) ocapiPut(list, sku, body string) {
	w.t.Helper()
	r := w.do("PUT", "/s/-/dw/data/v25_6/inventory_lists/"+list+"/product_inventory_records/"+sku, adminToken, body)
	if r.status/100 != 2 {
		w.t.Fatalf("OCAPI PUT %s/%s: %d %s", list, sku, r.status, r.body)
	}
}

func (w *world) setMode(mode string) {
	w.t.Helper()
	r := w.do("POST", "/admin/api/oci/mode", adminToken, fmt.Sprintf(`{"mode":%q,"force":false}`, mode))
	if r.status != 200 {
		w.t.Fatalf("mode %s: %d %s", mode, r.status, r.body)
	}
}

// toOCI walks the edge to OMNICHANNEL_INVENTORY: cache enabled, every list
// imported, then OCI.
func (w *world) toOCI() {
	w.t.Helper()
	w.setMode("OCI_CACHE_ENABLED")
	eventually(w.t, 10*time.Second, "every list imported", w.allImported)
	w.setMode("OMNICHANNEL_INVENTORY")
}

func (w *world) allImported() bool {
	w.t.Helper()
	r := w.do("GET", "/admin/api/oci/status", adminToken, "")
	var st struct {
		Lists []struct {
			Imported bool `json:"imported"`
		} `json:"lists"`
	}
	if r.status != 200 || json.Unmarshal(r.body, &st) != nil {
		w.t.Fatalf("admin status: %d %s", r.status, r.body)
	}
	for _, l := range st.Lists {
		if !l.Imported {
			return false
		}
	}
	return len(st.Lists) > 0
}

// eventually waits for cond, failing after d.
func eventually(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
