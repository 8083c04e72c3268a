package proxy_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/valyala/fasthttp"

	"ociedge/internal/proctest"
	"ociedge/oci"
	"ociedge/oci/client"
	"ociedge/oci/node"
	"ociedge/oci/node/nodetest"
	"ociedge/proxy"
	"ociedge/proxy/config"
)

// The process tests run a real edge process: this test binary again, as the
// child that TestReliabilityEdgeChild turns into an edge. They SIGKILL it
// and start it again on the same data directory. The core runs in the test
// process and outlives the edge's restarts.

const edgeChildEnv = "OCIEDGE_RELIABILITY_EDGE_DIR"

// TestReliabilityEdgeChild is not a test of its own: run with edgeChildEnv
// set to a directory holding edge.yaml, it is the edge process the crash
// tests start and kill. It prints "serving URL" once the edge serves, then
// serves until it is killed (or the -test.timeout its parent gave it ends
// it). Its orders job runs every 50ms, so that a restart settles what the
// killed process left without the test's help.
func TestReliabilityEdgeChild(t *testing.T) {
	dir := os.Getenv(edgeChildEnv)
	if dir == "" {
		t.Skip("the edge process of the crash tests; they run it")
	}
	app, err := config.Load(filepath.Join(dir, "edge.yaml"), os.Getenv)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	e, err := proxy.New(proxy.Config{App: app, DataDir: filepath.Join(dir, "data"), Addr: "127.0.0.1:0",
		JobInterval: 50 * time.Millisecond})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	fmt.Println("serving", e.URL())
	err = <-e.Done()
	fmt.Println("error", err)
	os.Exit(1)
}

// edgeProc is a running edge process.
type edgeProc struct {
	*proctest.Child
	url string
}

// startEdgeProc starts an edge process on dir (edge.yaml, data/) and waits
// until it serves. The process is killed and waited for when the test ends,
// if not before.
func startEdgeProc(t *testing.T, dir string) *edgeProc {
	t.Helper()
	c, url := proctest.Start(t, proctest.Config{Test: "TestReliabilityEdgeChild", Env: []string{edgeChildEnv + "=" + dir},
		Ready: "serving ", ReadyWithin: 60 * time.Second, Timeout: 3 * time.Minute})
	return &edgeProc{Child: c, url: url}
}

// reliableCore is a core in the test process with a client of it.
type reliableCore struct {
	node   *node.Node
	client *client.Client
}

// startCore opens a core on a fresh directory; it is closed when the test
// ends.
func startCore(t *testing.T) reliableCore {
	t.Helper()
	n := nodetest.Start(t)
	cl := nodetest.Client(t, n.URL(), client.Config{Timeout: 30 * time.Second, TransferTimeout: time.Minute})
	return reliableCore{node: n, client: cl}
}

// groupReserved is what the core holds reserved for sku at group.
func (c reliableCore) groupReserved(t testing.TB, group, sku string) oci.Qty {
	t.Helper()
	a, err := c.client.GetAvailability(context.Background(), &oci.AvailabilityQuery{SKUs: []string{sku}, Groups: []string{group}})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Groups) == 0 || len(a.Groups[0].Records) == 0 {
		return 0
	}
	return a.Groups[0].Records[0].Reserved
}

// mustInvariants fails unless the core's invariant check passes.
func (c reliableCore) mustInvariants(t testing.TB) {
	t.Helper()
	if ok, v, err := c.client.Invariants(context.Background()); !ok || err != nil {
		t.Fatalf("core invariants: %v %v", v, err)
	}
}

// edgeDir writes edge.yaml (yaml with CORE replaced by coreURL) into a new
// directory and returns it.
func edgeDir(t *testing.T, yaml, coreURL string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "edge.yaml"), []byte(strings.ReplaceAll(yaml, "CORE", coreURL)), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// remote is an edge reached over HTTP at url, in this process or another.
type remote struct {
	t   testing.TB
	url string
}

// call sends one request; an error means no answer (the edge was killed).
func (r remote) call(method, path, token string, body []byte) (resp, error) {
	req, res := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(res)
	req.Header.SetMethod(method)
	req.SetRequestURI(r.url + path)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.SetContentType("application/json")
		req.SetBody(body)
	}
	if err := fasthttp.DoTimeout(req, res, 30*time.Second); err != nil {
		return resp{}, err
	}
	out := resp{status: res.StatusCode(), body: append([]byte(nil), res.Body()...), header: map[string]string{}}
	res.Header.VisitAll(func(k, v []byte) { out.header[strings.ToLower(string(k))] = string(v) })
	return out, nil
}

func (r remote) do(method, path, token string, body []byte) resp {
	r.t.Helper()
	out, err := r.call(method, path, token, body)
	if err != nil {
		r.t.Fatalf("%s %s: %v", method, path, err)
	}
	return out
}

func (r remote) admin(method, path, body string) resp {
	r.t.Helper()
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	return r.do(method, path, "admin-token", b)
}

func (r remote) setMode(mode string) resp {
	r.t.Helper()
	return r.admin("POST", "/admin/api/oci/mode", fmt.Sprintf(`{"mode":%q,"force":false}`, mode))
}

// toOCIMode walks the edge to Omnichannel Inventory mode, waiting for the
// full imports the last step needs.
func (r remote) toOCIMode(d time.Duration) {
	r.t.Helper()
	for _, m := range []string{"OCI_CACHE_ENABLED", "OMNICHANNEL_INVENTORY"} {
		eventually(r.t, d, "mode "+m, func() bool { return r.setMode(m).status == 200 })
	}
}

// checkout creates a basket with one item and an order from it. An error
// means the edge did not answer one of the two. Safe to call from any
// goroutine.
func (r remote) checkout(sku string, qty int) (resp, error) {
	b, err := r.call("POST", basketsPath, "", fmt.Appendf(nil, `{"productItems":[{"productId":%q,"quantity":%d}]}`, sku, qty))
	if err != nil || b.status != 200 {
		return b, err
	}
	var basket struct{ BasketID string }
	if err := json.Unmarshal(b.body, &basket); err != nil {
		return b, fmt.Errorf("basket: %w: %s", err, b.body)
	}
	return r.call("POST", ordersPath, "", fmt.Appendf(nil, `{"basketId":%q}`, basket.BasketID))
}

// order reads an order through the Orders API; found is false on 404.
func (r remote) order(no string) (o map[string]any, found bool) {
	r.t.Helper()
	res := r.do("GET", "/checkout/orders/v1/organizations/"+org+"/orders/"+no+"?siteId=RefArch", "", nil)
	switch res.status {
	case 200:
		return res.json(r.t), true
	case 404:
		return nil, false
	}
	r.t.Fatalf("order %s: %d %s", no, res.status, res.body)
	return nil, false
}

// reconcile asks the reconciliation report, once nothing is pending (the
// orders job has settled what was in flight).
func (r remote) reconcile(d time.Duration) map[string]any {
	r.t.Helper()
	var rep map[string]any
	eventually(r.t, d, "reconcile with nothing pending", func() bool {
		res := r.admin("GET", "/admin/api/oci/reconcile", "")
		if res.status != 200 {
			r.t.Fatalf("reconcile: %d %s", res.status, res.body)
		}
		rep = res.json(r.t)
		return rep["pending"] == 0.0
	})
	return rep
}

// mustClean fails unless reconciliation finds nothing to repair.
func (r remote) mustClean(d time.Duration) map[string]any {
	r.t.Helper()
	rep := r.reconcile(d)
	if rep["clean"] != true {
		r.t.Fatalf("reconcile is not clean: %v", rep)
	}
	return rep
}

// mustConverged fails unless the convergence checker says the cache holds
// what the core holds.
func (r remote) mustConverged() map[string]any {
	r.t.Helper()
	res := r.admin("GET", "/admin/api/oci/check-cache?settle=5s", "")
	if res.status != 200 {
		r.t.Fatalf("check-cache: %d %s", res.status, res.body)
	}
	rep := res.json(r.t)
	if rep["converged"] != true {
		r.t.Fatalf("the cache did not converge: %s", res.body)
	}
	return rep
}

// listStatus returns the admin status row of list id.
func (r remote) listStatus(id string) map[string]any {
	r.t.Helper()
	st := r.admin("GET", "/admin/api/oci/status", "")
	if st.status != 200 {
		r.t.Fatalf("status: %d %s", st.status, st.body)
	}
	for _, l := range st.json(r.t)["lists"].([]any) {
		if lm := l.(map[string]any); lm["id"] == id {
			return lm
		}
	}
	r.t.Fatalf("no list %s in the status", id)
	return nil
}

// putGraph replaces the core's location graph with g (JSON).
func putGraph(t testing.TB, c reliableCore, g string) {
	t.Helper()
	var gr oci.Graph
	if err := json.Unmarshal([]byte(g), &gr); err != nil {
		t.Fatal(err)
	}
	if err := c.client.PutGraph(context.Background(), gr); err != nil {
		t.Fatal(err)
	}
}

// setCoreStock sets onHand of sku at loc through batch-update.
func setCoreStock(t testing.TB, c reliableCore, loc, sku string, onHand int) {
	t.Helper()
	_, err := c.client.BatchUpdate(context.Background(), []client.BatchRecord{{
		ID: fmt.Sprintf("%s-%s-%d-%d", loc, sku, onHand, time.Now().UnixNano()), Location: loc, SKU: sku,
		OnHand: oci.Value(oci.Qty(onHand) * oci.Unit)}})
	if err != nil {
		t.Fatal(err)
	}
}

// edgeOpts are the injections of startEdge.
type edgeOpts struct {
	now func() time.Time
	fs  vfs.FS
	dir string // the data directory; a new one if empty
}

// startEdge starts an edge in this process with the configuration yaml
// (CORE replaced by coreURL), its own core client built from it, and no
// background jobs (tests run them). It is closed when the test ends.
func startEdge(t *testing.T, yaml, coreURL string, o edgeOpts) *proxy.Edge {
	t.Helper()
	app, err := config.Parse([]byte(strings.ReplaceAll(yaml, "CORE", coreURL)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if o.dir == "" {
		o.dir = t.TempDir()
	}
	e, err := proxy.New(proxy.Config{App: app, DataDir: o.dir, Addr: "127.0.0.1:0", JobInterval: -1, Now: o.now, FS: o.fs})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}
