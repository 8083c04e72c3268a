package orders

import (
	"bytes"
	"net"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"
)

// serve puts the handler on an in-memory listener.
func (f *fixture) serve() {
	ln := fasthttputil.NewInmemoryListener()
	srv := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) {
		if !f.h.Handle(ctx) {
			ctx.NotFound()
		}
	}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(ln)
	}()
	f.client = &fasthttp.Client{Dial: func(string) (net.Conn, error) { return ln.Dial() }, MaxConnsPerHost: 512}
	f.tb.Cleanup(func() {
		srv.Shutdown()
		ln.Close()
		<-done
	})
}

// do sends a request and returns the status and the body.
func (f *fixture) do(method, path, body string) (int, []byte) {
	f.tb.Helper()
	req := newRequest(method, path, body)
	if body != "" {
		req.Header.SetContentType("application/json")
	}
	return f.send(req)
}

func newRequest(method, path, body string) *fasthttp.Request {
	req := fasthttp.AcquireRequest()
	req.SetRequestURI("http://edge" + path)
	req.Header.SetMethod(method)
	req.SetBodyString(body)
	return req
}

// send sends req (and releases it).
func (f *fixture) send(req *fasthttp.Request) (int, []byte) {
	f.tb.Helper()
	resp := fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	if err := f.client.DoTimeout(req, resp, 10*time.Second); err != nil {
		f.tb.Errorf("%s %s: %v", req.Header.Method(), req.URI(), err)
		return 0, nil
	}
	return resp.StatusCode(), bytes.Clone(resp.Body())
}

func basketsPath(rest string) string {
	return "/checkout/shopper-baskets/v2/organizations/" + testOrg + "/baskets" + rest
}

func shopperOrdersPath(rest string) string {
	return "/checkout/shopper-orders/v1/organizations/" + testOrg + "/orders" + rest
}

func adminOrdersPath(rest string) string {
	return "/checkout/orders/v1/organizations/" + testOrg + "/orders" + rest
}

func withSite(path string) string { return path + "?siteId=" + testSite }
