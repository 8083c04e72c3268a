// Package faultproxy is an HTTP reverse proxy for tests that sits between
// the edge and the core on loopback and injects faults: added latency,
// connection resets, 5xx answers, 429 with Retry-After, and answers dropped
// after the core committed the request. Faults are chosen per request by a
// rule the test sets and changes at any time.
package faultproxy

import (
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// Fault is what happens to one request.
type Fault int

// The faults.
const (
	Pass         Fault = iota // forward and answer normally
	Delay                     // wait Rule.Delay, then forward
	Reset                     // close the connection without answering, not forwarding
	Error503                  // answer 503 without forwarding
	TooMany                   // answer 429 with Retry-After without forwarding
	DropResponse              // forward (the core commits), then close without answering
)

// Rule picks the fault for a request; nil passes everything.
type Rule func(method, path string) Fault

// Proxy forwards to Target. It is safe for concurrent use.
type Proxy struct {
	Target string // host:port of the upstream

	rule  atomic.Pointer[Rule]
	delay atomic.Int64 // nanoseconds, for Delay

	mu     sync.Mutex // guards counts
	counts map[Fault]int

	client *fasthttp.HostClient
	srv    *fasthttp.Server
	ln     net.Listener
	done   chan struct{}
}

// Start listens on a free loopback port and forwards to target (host:port).
func Start(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{Target: target, counts: map[Fault]int{}, ln: ln, done: make(chan struct{}),
		client: &fasthttp.HostClient{Addr: target, MaxConns: 512, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}}
	p.srv = &fasthttp.Server{Handler: p.handle, NoDefaultServerHeader: true, StreamRequestBody: false}
	go func() {
		defer close(p.done)
		p.srv.Serve(ln)
	}()
	return p, nil
}

// URL is the proxy's base URL.
func (p *Proxy) URL() string { return "http://" + p.ln.Addr().String() }

// Set installs a rule (nil: pass everything).
func (p *Proxy) Set(r Rule) {
	if r == nil {
		p.rule.Store(nil)
		return
	}
	p.rule.Store(&r)
}

// SetDelay sets the latency the Delay fault adds.
func (p *Proxy) SetDelay(d time.Duration) { p.delay.Store(int64(d)) }

// Count returns how many requests got the fault.
func (p *Proxy) Count(f Fault) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.counts[f]
}

// Close stops the proxy and waits for it.
func (p *Proxy) Close() error {
	err := p.srv.Shutdown()
	p.ln.Close() // Serve may not have registered ln when Shutdown ran: it returns either way
	<-p.done
	return err
}

func (p *Proxy) handle(ctx *fasthttp.RequestCtx) {
	f := Pass
	if r := p.rule.Load(); r != nil {
		f = (*r)(string(ctx.Method()), string(ctx.Path()))
	}
	p.mu.Lock()
	p.counts[f]++
	p.mu.Unlock()
	switch f {
	case Reset:
		hangUp(ctx)
		return
	case Error503:
		ctx.Error(`{"title":"Service Unavailable"}`, fasthttp.StatusServiceUnavailable)
		return
	case TooMany:
		ctx.Response.Header.Set("Retry-After", "1")
		ctx.Error(`{"title":"Too Many Requests"}`, fasthttp.StatusTooManyRequests)
		return
	case Delay:
		time.Sleep(time.Duration(p.delay.Load())) // the fault itself: latency on the wire
	}
	p.forward(ctx)
	if f == DropResponse {
		hangUp(ctx)
	}
}

// hangUp closes the connection without sending any answer.
func hangUp(ctx *fasthttp.RequestCtx) {
	ctx.HijackSetNoResponse(true)
	ctx.Hijack(func(c net.Conn) { c.Close() })
}

func (p *Proxy) forward(ctx *fasthttp.RequestCtx) {
	req := &ctx.Request
	req.Header.Del("Connection")
	req.SetHost(p.Target)
	if err := p.client.Do(req, &ctx.Response); err != nil {
		ctx.Error("upstream: "+err.Error(), fasthttp.StatusBadGateway)
	}
}

// PathContains is a rule helper: fault f for requests whose path contains
// s (and method m, if not empty), Pass otherwise.
func PathContains(m, s string, f Fault) Rule {
	return func(method, path string) Fault {
		if (m == "" || m == method) && strings.Contains(path, s) {
			return f
		}
		return Pass
	}
}

// Once returns a rule that applies r's fault to the first matching request
// only and passes the rest.
func Once(r Rule) Rule {
	var used atomic.Bool
	return func(method, path string) Fault {
		f := r(method, path)
		if f != Pass && used.CompareAndSwap(false, true) {
			return f
		}
		return Pass
	}
}
