package proxy_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/valyala/fasthttp"
	"go.uber.org/zap"

	"ociedge/oci"
	"ociedge/oci/client"
	"ociedge/oci/node/nodetest"
	"ociedge/proxy"
	"ociedge/proxy/config"
)

// opsConfig is baseConfig with auto-fail after 1s and a breaker that opens
// after two failures, for the operations tests.
const opsConfig = `
organizationId: f_ecom_zzzz_001
core: {url: CORE, tenantGroupId: tenant1, clientId: dev, clientSecret: secret, timeout: 2s, retries: 0,
       breaker: {failures: 2, openFor: 1m}}
admin: {token: admin-token}
sites:
  - {id: RefArch, inventoryList: online-us, failNonPlacedOrdersAfter: 1s}
stores:
  - {id: store-phoenix, inventoryList: phoenix}
inventoryLists:
  - {id: online-us}
  - {id: phoenix}
  - {id: austin}
streams: {pollInterval: 10ms, graphPollInterval: 50ms}
cache: {maxRecords: 100000, missWait: 1s}
`

// opsEdge configures the edge of an operations world.
type opsEdge struct {
	logger      *zap.Logger
	jobInterval time.Duration // 0: no background jobs
}

// flakyCore is the edge's core client with switches that make reservation
// calls, exports or get-availability fail as if the core could not be reached.
type flakyCore struct {
	*client.Client
	reserveDown, exportDown, availDown atomic.Bool
}

var errDown = fmt.Errorf("test switch: %w", client.ErrUnavailable)

func (f *flakyCore) Reserve(ctx context.Context, id string, req *oci.ReserveRequest) (*oci.ReserveResult, error) {
	if f.reserveDown.Load() {
		return nil, errDown
	}
	return f.Client.Reserve(ctx, id, req)
}

func (f *flakyCore) Export(ctx context.Context, kind oci.PlaceType, ids []string, fn func(string, []oci.Values) error) (string, error) {
	if f.exportDown.Load() {
		return "", errDown
	}
	return f.Client.Export(ctx, kind, ids, fn)
}

func (f *flakyCore) GetAvailability(ctx context.Context, q *oci.AvailabilityQuery) (*oci.Availability, error) {
	if f.availDown.Load() {
		return nil, errDown
	}
	return f.Client.GetAvailability(ctx, q)
}

// newOpsWorld is newWorld with the edge's logger and job interval chosen
// and its core client behind a flakyCore.
func newOpsWorld(t testing.TB, yaml string, oe opsEdge) (*world, *flakyCore) {
	t.Helper()
	n := nodetest.Start(t)
	cl := nodetest.Client(t, n.URL(), client.Config{})
	w := &world{t: t, core: n, client: cl, dir: t.TempDir(), yaml: strings.ReplaceAll(yaml, "CORE", n.URL())}
	app, err := config.Parse([]byte(w.yaml), nil)
	if err != nil {
		t.Fatal(err)
	}
	fc := &flakyCore{Client: cl}
	jobs := oe.jobInterval
	if jobs == 0 {
		jobs = -1
	}
	e, err := proxy.New(proxy.Config{App: app, DataDir: w.dir, Addr: "127.0.0.1:0", Core: fc, JobInterval: jobs, Logger: oe.logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	w.edge = e
	return w, fc
}

// stock puts onHand for each sku at loc in one batch.
func (w *world) stock(loc string, onHand int, skus ...string) {
	w.t.Helper()
	var recs []client.BatchRecord
	for _, sku := range skus {
		recs = append(recs, client.BatchRecord{ID: fmt.Sprintf("%s-%s-%d-%d", loc, sku, onHand, time.Now().UnixNano()),
			Location: loc, SKU: sku, OnHand: oci.Value(oci.Qty(onHand) * oci.Unit)})
	}
	if _, err := w.client.BatchUpdate(context.Background(), recs); err != nil {
		w.t.Fatal(err)
	}
}

// order creates a basket with qty of sku and an order from it; it returns
// the order creation's response.
func (w *world) order(sku string, qty int) resp {
	w.t.Helper()
	b := w.do("POST", "/checkout/shopper-baskets/v2/organizations/"+org+"/baskets?siteId=RefArch", "",
		fmt.Appendf(nil, `{"productItems":[{"productId":%q,"quantity":%d}]}`, sku, qty))
	if b.status != 200 {
		w.t.Fatalf("basket: %d %s", b.status, b.body)
	}
	id := b.json(w.t)["basketId"].(string)
	return w.do("POST", "/checkout/shopper-orders/v1/organizations/"+org+"/orders?siteId=RefArch", "",
		fmt.Appendf(nil, `{"basketId":%q}`, id))
}

// orderNo creates an order that must succeed and returns its number.
func (w *world) orderNo(sku string, qty int) string {
	w.t.Helper()
	r := w.order(sku, qty)
	if r.status != 200 {
		w.t.Fatalf("order: %d %s", r.status, r.body)
	}
	return r.json(w.t)["orderNo"].(string)
}

func (w *world) placeOrder(no string) {
	w.t.Helper()
	r := w.do("PUT", "/checkout/orders/v1/organizations/"+org+"/orders/"+no+"/status?siteId=RefArch", "", []byte(`{"status":"new"}`))
	if r.status/100 != 2 {
		w.t.Fatalf("place %s: %d %s", no, r.status, r.body)
	}
}

func (w *world) failOrder(no string) {
	w.t.Helper()
	r := w.do("POST", "/checkout/shopper-orders/v1/organizations/"+org+"/orders/"+no+"/actions/fail?siteId=RefArch", "", []byte(`{}`))
	if r.status/100 != 2 {
		w.t.Fatalf("fail %s: %d %s", no, r.status, r.body)
	}
}

// activate moves the edge to OCI mode once lists are imported.
func (w *world) activate(lists ...string) {
	w.t.Helper()
	if r := w.setMode("OCI_CACHE_ENABLED", false); r.status != 200 {
		w.t.Fatalf("cache enabled: %d %s", r.status, r.body)
	}
	eventually(w.t, 10*time.Second, "lists imported", func() bool { return w.listsImported(lists...) })
	if r := w.setMode("OMNICHANNEL_INVENTORY", false); r.status != 200 {
		w.t.Fatalf("OCI: %d %s", r.status, r.body)
	}
}

// families is one scrape of a /metrics page.
type families map[string]*dto.MetricFamily

// scrape reads and parses url's /metrics.
func scrape(t testing.TB, base string) families {
	t.Helper()
	status, body, err := fasthttp.GetTimeout(nil, base+"/metrics", 5*time.Second)
	if err != nil || status != 200 {
		t.Fatalf("scrape %s: %d %v", base, status, err)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("scrape %s: %v", base, err)
	}
	return fams
}

// value sums the series of name whose labels include want: a counter's or
// gauge's value, a histogram's sample count.
func (f families) value(name string, want map[string]string) float64 {
	fam := f[name]
	if fam == nil {
		return 0
	}
	sum := 0.0
	for _, m := range fam.GetMetric() {
		if !hasLabels(m, want) {
			continue
		}
		switch {
		case m.Counter != nil:
			sum += m.Counter.GetValue()
		case m.Gauge != nil:
			sum += m.Gauge.GetValue()
		case m.Histogram != nil:
			sum += float64(m.Histogram.GetSampleCount())
		case m.Untyped != nil:
			sum += m.Untyped.GetValue()
		}
	}
	return sum
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	for k, v := range want {
		found := false
		for _, l := range m.GetLabel() {
			if l.GetName() == k && l.GetValue() == v {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// labels is a shorthand for label matchers: labels("a", "1", "b", "2").
func labels(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// httpGet is a plain GET with net/http for servers that are not ours
// (Prometheus).
func httpGet(url string) (int, []byte, error) {
	c := &http.Client{Timeout: 5 * time.Second}
	res, err := c.Get(url)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

// raw sends a request with the given headers (no Authorization unless
// given) and body.
func (w *world) raw(method, path string, hdr map[string]string, body string) resp {
	w.t.Helper()
	req, res := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(res)
	req.Header.SetMethod(method)
	req.SetRequestURI(w.edge.URL() + path)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	req.SetBodyString(body)
	if err := fasthttp.DoTimeout(req, res, 10*time.Second); err != nil {
		w.t.Fatal(err)
	}
	out := resp{status: res.StatusCode(), body: append([]byte(nil), res.Body()...), header: map[string]string{}}
	res.Header.VisitAll(func(k, v []byte) { out.header[strings.ToLower(string(k))] = string(v) })
	return out
}

// login posts the admin login form and returns the response.
func (w *world) login(token string) resp {
	return w.raw("POST", "/admin/oci/login", map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
		"token="+token)
}

// tail is the last n bytes of s, for failure messages.
func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
