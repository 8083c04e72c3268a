package load

import (
	"bufio"
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/bench/internal/benchtest"
)

// echo answers with the request's method, URI, headers and body, as the
// lean client sent them.
func echo(ctx *fasthttp.RequestCtx) {
	ctx.SetContentType("text/plain")
	ctx.Response.Header.Set("X-Host", string(ctx.Host()))
	ctx.Response.Header.Set("X-Auth", string(ctx.Request.Header.Peek("Authorization")))
	ctx.Response.Header.Set("X-Type", string(ctx.Request.Header.ContentType()))
	ctx.SetBodyString(string(ctx.Method()) + " " + string(ctx.RequestURI()) + " " + string(ctx.PostBody()))
}

func call(t *testing.T, tg *Target, c *Call) (int, string) {
	t.Helper()
	var body string
	c.Parse = func(_ int, b []byte) string { body = string(b); return "" }
	rep := tg.Send(c)
	if rep.Err != nil {
		t.Fatalf("%s %s: %v", c.Method, c.URI, rep.Err)
	}
	return rep.Status, body
}

func TestLeanRequestAndAnswer(t *testing.T) {
	srv := benchtest.MustServe(t, echo)
	tg := MustTarget(t, srv.URL, 2)
	if st, body := call(t, tg, &Call{URI: "/a?b=c"}); st != 200 || body != "GET /a?b=c " {
		t.Fatalf("GET: %d %q", st, body)
	}
	c := &Call{Method: "PUT", URI: "/r/1", Body: []byte(`{"x":1}`), ContentType: "application/json", Auth: "Bearer t"}
	if st, body := call(t, tg, c); st != 200 || body != `PUT /r/1 {"x":1}` {
		t.Fatalf("PUT: %d %q", st, body)
	}
	if st, body := call(t, tg, &Call{Method: "POST", URI: "/empty"}); st != 200 || body != "POST /empty " {
		t.Fatalf("POST without a body: %d %q", st, body)
	}
	if tg.lean == nil || len(tg.lean.idle) != 1 {
		t.Fatalf("the calls did not share one kept-alive connection")
	}
}

// Answers without a body, with a chunked body, a large body, and ending the
// connection all leave the client ready for the next call.
func TestLeanAnswerShapes(t *testing.T) {
	big := strings.Repeat("x", 200_000)
	srv := benchtest.MustServe(t, func(ctx *fasthttp.RequestCtx) {
		switch string(ctx.Path()) {
		case "/none":
			ctx.SetStatusCode(204)
		case "/chunked":
			ctx.SetBodyStreamWriter(func(w *bufio.Writer) {
				for i := range 3 {
					w.WriteString(strings.Repeat(string(rune('a'+i)), 5000))
					w.Flush()
				}
			})
		case "/big":
			ctx.SetBodyString(big)
		case "/close":
			ctx.SetConnectionClose()
			ctx.SetBodyString("bye")
		default:
			ctx.SetBodyString("ok")
		}
	})
	tg := MustTarget(t, srv.URL, 1)
	for _, c := range []struct{ uri, want string }{
		{"/none", ""}, {"/x", "ok"},
		{"/chunked", strings.Repeat("a", 5000) + strings.Repeat("b", 5000) + strings.Repeat("c", 5000)}, {"/x", "ok"},
		{"/big", big}, {"/x", "ok"},
		{"/close", "bye"}, {"/x", "ok"},
	} {
		if _, body := call(t, tg, &Call{URI: c.uri}); body != c.want {
			t.Fatalf("%s: %d bytes, want %d", c.uri, len(body), len(c.want))
		}
	}
	if tg.StaleRetries() != 0 {
		t.Fatalf("%d stale retries", tg.StaleRetries())
	}
}

// A kept-alive connection the server closed while idle is retried once on
// a fresh one, and counted.
func TestLeanStaleConnection(t *testing.T) {
	srv := benchtest.MustServeConfig(t, benchtest.OK, func(s *fasthttp.Server) { s.IdleTimeout = 50 * time.Millisecond })
	tg := MustTarget(t, srv.URL, 1)
	call(t, tg, &Call{URI: "/"})
	time.Sleep(200 * time.Millisecond) // let the server close the idle connection
	if st, _ := call(t, tg, &Call{URI: "/"}); st != 200 || tg.StaleRetries() != 1 {
		t.Fatalf("status %d, %d stale retries", st, tg.StaleRetries())
	}
}

// Many concurrent calls over few connections all get answers, and the
// pool never opens more than it may.
func TestLeanConcurrency(t *testing.T) {
	var mu sync.Mutex // guards peers
	peers := map[string]bool{}
	srv := benchtest.MustServe(t, func(ctx *fasthttp.RequestCtx) {
		mu.Lock()
		peers[ctx.RemoteAddr().String()] = true
		mu.Unlock()
		time.Sleep(time.Millisecond) // service time, so that calls overlap
		ctx.SetBody(bytes.Repeat([]byte("y"), 100))
	})
	tg, err := NewTarget(TargetConfig{URL: srv.URL, Conns: 3, ConnWait: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	var wg sync.WaitGroup
	for range 12 {
		wg.Go(func() {
			for range 10 {
				if rep := tg.Send(&Call{URI: "/"}); rep.Status != 200 {
					t.Errorf("%+v", rep)
				}
			}
		})
	}
	wg.Wait()
	if len(peers) > 3 || tg.NoFreeConns() != 0 {
		t.Fatalf("%d connections, %d without a free one", len(peers), tg.NoFreeConns())
	}
}
