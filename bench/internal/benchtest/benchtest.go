// Package benchtest holds test helpers shared by the bench packages: loopback
// fasthttp servers and the goleak options for fasthttp. Only tests import it.
package benchtest

import (
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"go.uber.org/goleak"
)

// LeakOptions lists goroutines fasthttp keeps after its clients and servers
// are closed: cleaners that sleep up to their idle duration before they
// notice the stop, and process-wide helpers.
func LeakOptions() []goleak.Option {
	return []goleak.Option{
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*HostClient).connsCleaner"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*workerPool).Start.func2"),
		// process-wide: the default dialer's address cache, the Date header
		// clock, the default client's host cleaner
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*TCPDialer).tcpAddrsClean"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.updateServerDate.func1"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*Client).mCleaner"),
	}
}

// Server is a fasthttp server on 127.0.0.1:0 that counts its requests.
type Server struct {
	URL  string
	Addr string
	hits atomic.Int64
}

// Hits returns how many requests the server has seen.
func (s *Server) Hits() int64 { return s.hits.Load() }

// MustServe starts h on a loopback port and stops it (waiting for it) when
// tb ends.
func MustServe(tb testing.TB, h fasthttp.RequestHandler) *Server {
	tb.Helper()
	return MustServeConfig(tb, h, nil)
}

// MustServeConfig is MustServe with the server's settings changed by
// configure (nil: none) before it starts.
func MustServeConfig(tb testing.TB, h fasthttp.RequestHandler, configure func(*fasthttp.Server)) *Server {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	ts := &Server{URL: "http://" + ln.Addr().String(), Addr: ln.Addr().String()}
	srv := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) {
		ts.hits.Add(1)
		h(ctx)
	}, IdleTimeout: time.Second}
	if configure != nil {
		configure(srv)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	tb.Cleanup(func() {
		_ = srv.Shutdown()
		_ = ln.Close() // Serve may not have registered ln when Shutdown ran: it returns either way
		<-done
	})
	return ts
}

// OK answers 200 with a small JSON body.
func OK(ctx *fasthttp.RequestCtx) {
	ctx.SetContentType("application/json")
	ctx.SetBodyString(`{"ok":true}`)
}

// Slow answers like OK after d: a server with a fixed service time.
func Slow(d time.Duration) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		time.Sleep(d) // the server's service time, not a test wait
		OK(ctx)
	}
}

// Limited answers like Slow(d) but serves at most n requests at a time; the
// rest queue: a server with an artificial capacity of n/d requests per second.
func Limited(n int, d time.Duration) fasthttp.RequestHandler {
	sem := make(chan struct{}, n)
	slow := Slow(d)
	return func(ctx *fasthttp.RequestCtx) {
		sem <- struct{}{}
		defer func() { <-sem }()
		slow(ctx)
	}
}
