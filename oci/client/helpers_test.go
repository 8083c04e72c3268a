package client

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"go.uber.org/goleak"
	"go.uber.org/zap/zaptest"

	"ociedge/internal/clocktest"
	"ociedge/oci"
	"ociedge/oci/node"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// fasthttp's cleaners sleep up to their idle duration before they
		// notice a stop; the dialer cache and Date clock are process-wide.
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*HostClient).connsCleaner"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*workerPool).Start.func2"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*TCPDialer).tcpAddrsClean"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.updateServerDate.func1"),
	)
}

// clock is a fake clock shared by a core and its clients. Its After
// advances the clock by the wait and fires at once, so backoffs and
// Retry-After waits cost no real time and the core sees them pass.
type clock = clocktest.Clock

func newClock() *clock { return clocktest.New(clocktest.Noon) }

const tenant = "tenant1"

// core is a real OCI core on a loopback port with a fake clock.
type core struct {
	n     *node.Node
	clock *clock
}

func startCore(t testing.TB, mod ...func(*node.Config)) *core {
	t.Helper()
	c := newClock()
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
	return &core{n: n, clock: c}
}

// client returns a client of the core that shares its clock.
func (k *core) client(t testing.TB, mod ...func(*Config)) *Client {
	t.Helper()
	return mustClient(t, k.n.URL(), append([]func(*Config){func(c *Config) { c.Now, c.After = k.clock.Now, k.clock.After }}, mod...)...)
}

func mustClient(t testing.TB, url string, mod ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{BaseURL: url, Tenant: tenant, ClientID: "dev", ClientSecret: "secret", Logger: zaptest.NewLogger(t)}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// demoGraph: group online = {wh-a, wh-b}; store-1 in no group.
var demoGraph = oci.Graph{
	Locations: []oci.Location{{ID: "wh-a"}, {ID: "wh-b", Type: "Warehouse", Name: "B"}, {ID: "store-1"}},
	Groups:    []oci.Group{{ID: "online", Locations: []string{"wh-a", "wh-b"}}},
}

// setup puts the demo graph and sku-1 at every location: wh-a 10 (safety
// 1, a future of 10.25), wh-b 5.25, store-1 3.
func setup(t testing.TB, k *core, c *Client) {
	t.Helper()
	ctx := context.Background()
	if err := c.PutGraph(ctx, demoGraph); err != nil {
		t.Fatal(err)
	}
	future := []oci.Future{{Quantity: q("10.25"), ExpectedDate: k.clock.Now().Add(48 * time.Hour)}}
	errs, err := c.BatchUpdate(ctx, []BatchRecord{
		{ID: "i1", Location: "wh-a", SKU: "sku-1", OnHand: oci.Value(q("10")), SafetyStock: oci.Value(q("1")), Futures: oci.Value(future)},
		{ID: "i2", Location: "wh-b", SKU: "sku-1", OnHand: oci.Value(q("5.25"))},
		{ID: "i3", Location: "store-1", SKU: "sku-1", OnHand: oci.Value(q("3"))},
	})
	if err != nil || len(errs) > 0 {
		t.Fatalf("batch-update: %v %v", errs, err)
	}
}

// q parses an exact quantity.
func q(s string) oci.Qty {
	v, err := oci.ParseQty([]byte(s))
	if err != nil {
		panic(err)
	}
	return v
}

// fake is a fasthttp server standing in for a core: it answers the token
// endpoint itself and hands every other request to handle. Handlers that
// stall wait on release, closed before the server shuts down.
type fake struct {
	url     string
	tokens  atomic.Int64 // token requests
	noToken atomic.Bool  // the token endpoint answers 503
	hits    atomic.Int64 // other requests
	release chan struct{}
}

func newFake(t testing.TB, handle func(f *fake, ctx *fasthttp.RequestCtx)) *fake {
	t.Helper()
	f := &fake{release: make(chan struct{})}
	f.url = serve(t, func(ctx *fasthttp.RequestCtx) {
		if string(ctx.Path()) == "/dwsso/oauth2/access_token" {
			n := f.tokens.Add(1)
			if f.noToken.Load() {
				problem(ctx, 503, "Unknown", "account manager down")
				return
			}
			ctx.SetContentType("application/json")
			fmt.Fprintf(ctx, `{"access_token":"tok-%d","token_type":"Bearer","expires_in":1800,"scope":"x"}`, n)
			return
		}
		f.hits.Add(1)
		handle(f, ctx)
	}, f.release)
	return f
}

// serve runs a fasthttp server on a loopback port until the test ends;
// release is closed first, to free handlers that wait on it.
func serve(t testing.TB, h fasthttp.RequestHandler, release chan struct{}) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &fasthttp.Server{Handler: h, StreamRequestBody: true, CloseOnShutdown: true}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		close(release)
		srv.Shutdown()
		ln.Close() // in case Serve had not started when Shutdown ran
		<-done
	})
	return "http://" + ln.Addr().String()
}

// stall never answers (until the test ends).
func stall(f *fake, ctx *fasthttp.RequestCtx) { <-f.release }

// reset drops the connection with a TCP reset instead of answering.
func reset(_ *fake, ctx *fasthttp.RequestCtx) { resetConn(ctx) }

func resetConn(ctx *fasthttp.RequestCtx) {
	if tc, ok := ctx.Conn().(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	ctx.HijackSetNoResponse(true)
	ctx.Hijack(func(c net.Conn) { c.Close() })
}

// problem answers an OCI problem.
func problem(ctx *fasthttp.RequestCtx, status int, code, msg string) {
	ctx.SetStatusCode(status)
	ctx.SetContentType("application/problem+json")
	fmt.Fprintf(ctx, `{"type":"about:blank","errorCode":%q,"message":%q}`, code, msg)
}

func has(path, part string) bool { return strings.Contains(path, part) }
