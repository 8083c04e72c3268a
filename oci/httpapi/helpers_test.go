package httpapi_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/internal/clocktest"
	"ociedge/oci/node"
)

// clock is a fake clock shared by the core and the test.
type clock = clocktest.Clock

// harness is a real core serving on a loopback port, and a client for it.
type harness struct {
	t     testing.TB
	n     *node.Node
	clock *clock
	url   string
	token string
}

const tenant = "tenant1"

func start(t testing.TB, mod ...func(*node.Config)) *harness {
	t.Helper()
	c := clocktest.New(clocktest.Noon)
	cfg := node.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), DevClient: "dev:secret", Now: c.Now}
	cfg.Core.SweepInterval = time.Hour
	for _, m := range mod {
		m(&cfg)
	}
	n, err := node.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	h := &harness{t: t, n: n, clock: c, url: n.URL()}
	h.token = h.mustToken("dev", "secret", "SALESFORCE_COMMERCE_API:"+tenant+" sfcc.inventory.availability.rw sfcc.inventory.reservations.rw sfcc.inventory.admin.rw sfcc.inventory.impex-inventory.rw sfcc.inventory.impex-inventory sfcc.inventory.impex-graphs")
	return h
}

type response struct {
	status int
	header map[string]string
	body   []byte
}

func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("response %d is not JSON: %s", r.status, r.body)
	}
	return m
}

func (h *harness) do(method, path, token, contentType string, body []byte) response {
	h.t.Helper()
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.Header.SetMethod(method)
	req.SetRequestURI(h.url + path)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.SetContentType(contentType)
	}
	req.SetBody(body)
	if err := fasthttp.DoTimeout(req, resp, 10*time.Second); err != nil {
		h.t.Fatal(err)
	}
	out := response{status: resp.StatusCode(), body: append([]byte(nil), resp.Body()...), header: map[string]string{}}
	resp.Header.VisitAll(func(k, v []byte) { out.header[string(k)] = string(v) })
	return out
}

// call sends a JSON body (a string or any value) with the harness token.
func (h *harness) call(method, path string, body any) response {
	h.t.Helper()
	var b []byte
	switch v := body.(type) {
	case nil:
	case string:
		b = []byte(v)
	default:
		b, _ = json.Marshal(v)
	}
	return h.do(method, path, h.token, "application/json", b)
}

func (h *harness) mustToken(id, secret, scope string) string {
	h.t.Helper()
	r := h.tokenCall(id, secret, scope)
	if r.status != 200 {
		h.t.Fatalf("token: %d %s", r.status, r.body)
	}
	return r.json(h.t)["access_token"].(string)
}

func (h *harness) tokenCall(id, secret, scope string) response {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.Header.SetMethod("POST")
	req.SetRequestURI(h.url + "/dwsso/oauth2/access_token")
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(id+":"+secret)))
	req.Header.SetContentType("application/x-www-form-urlencoded")
	req.SetBodyString("grant_type=client_credentials&scope=" + strings.ReplaceAll(scope, " ", "+"))
	if err := fasthttp.DoTimeout(req, resp, 5*time.Second); err != nil {
		h.t.Fatal(err)
	}
	return response{status: resp.StatusCode(), body: append([]byte(nil), resp.Body()...)}
}

func avail(p string) string { return "/inventory/availability/v1/organizations/" + tenant + p }
func resv(p string) string  { return "/inventory/reservation/v1/organizations/" + tenant + p }
func admin(p string) string { return "/inventory/admin/v1/organizations/" + tenant + p }

func (h *harness) mustStatus(r response, want int) response {
	h.t.Helper()
	if r.status != want {
		h.t.Fatalf("status %d, want %d: %s", r.status, want, r.body)
	}
	return r
}

const demoGraph = `{"locations":["wh-a",{"id":"wh-b","type":"Warehouse","name":"B"},"store-1"],
 "groups":[{"id":"online","locations":["wh-a","wh-b"]}]}`

func (h *harness) setup() {
	h.t.Helper()
	h.mustStatus(h.call("PUT", admin("/location-graph"), demoGraph), 200)
	recs := `{"records":[
	 {"id":"i1","location":"wh-a","sku":"sku-1","onHand":10,"safetyStockCount":1},
	 {"id":"i2","location":"wh-b","sku":"sku-1","onHand":5.25},
	 {"id":"i3","location":"store-1","sku":"sku-1","onHand":3}]}`
	h.mustStatus(h.call("POST", avail("/availability-records/actions/batch-update"), recs), 204)
}

func num(v any) string { return fmt.Sprint(v) }
