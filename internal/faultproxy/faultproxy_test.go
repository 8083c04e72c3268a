package faultproxy

import (
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

func upstream(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var hits atomic.Int64
	srv := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) {
		hits.Add(1)
		ctx.SetBodyString("ok")
	}}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown(); ln.Close() })
	return ln.Addr().String(), &hits
}

func get(url string) (int, error) {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI(url)
	req.Header.SetMethod("POST") // not idempotent: the client does not resend it
	err := fasthttp.DoTimeout(req, resp, 5*time.Second)
	return resp.StatusCode(), err
}

func TestFaults(t *testing.T) {
	target, hits := upstream(t)
	p, err := Start(target)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for _, c := range []struct {
		fault   Fault
		status  int
		fails   bool
		reached int64
	}{
		{Pass, 200, false, 1}, {Error503, 503, false, 0}, {TooMany, 429, false, 0},
		{Reset, 0, true, 0}, {DropResponse, 0, true, 1},
	} {
		before := hits.Load()
		f := c.fault
		p.Set(func(string, string) Fault { return f })
		st, err := get(p.URL() + "/x")
		if (err != nil) != c.fails || (!c.fails && st != c.status) {
			t.Errorf("fault %d: status %d err %v", c.fault, st, err)
		}
		if got := hits.Load() - before; got != c.reached {
			t.Errorf("fault %d: upstream reached %d times, want %d", c.fault, got, c.reached)
		}
	}
	p.Set(Once(PathContains("POST", "/y", Error503)))
	if st, _ := get(p.URL() + "/y"); st != 503 {
		t.Errorf("once: first %d", st)
	}
	if st, _ := get(p.URL() + "/y"); st != 200 {
		t.Errorf("once: second %d", st)
	}
	if p.Count(Error503) != 2 {
		t.Errorf("count %d", p.Count(Error503))
	}
}

// TestCloseRightAfterStart: Close returns even when the proxy's Serve had
// not started yet (fasthttp's Shutdown then finds no listener to close; a
// bench test hung on that once).
func TestCloseRightAfterStart(t *testing.T) {
	target, _ := upstream(t)
	done := make(chan error, 1)
	go func() {
		for range 300 {
			p, err := Start(target)
			if err != nil {
				done <- err
				return
			}
			p.Close()
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("Close right after Start never returned")
	}
}
