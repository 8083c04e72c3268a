package proxy

import (
	"bytes"
	"crypto/subtle"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/proxy/adminui"
)

// route names label the metrics; they never carry ids.
const (
	routeAvailability = "availability"
	routeCheckout     = "checkout"
	routeOCAPI        = "ocapi"
	routeAdminAPI     = "admin_api"
	routeAdminPage    = "admin_page"
	routeMetrics      = "metrics"
	routeHealth       = "health"
	routeNotFound     = "not_found"
)

var (
	prefixCheckout = []byte("/checkout/")
	prefixOCAPI    = []byte("/s/-/dw/data/")
	prefixAdminAPI = []byte("/admin/api/")
	suffixAvail    = []byte("/availability")
)

// handle is the edge's fasthttp handler: it routes by path and records the
// request's route, status and latency.
func (e *Edge) handle(ctx *fasthttp.RequestCtx) {
	route := e.dispatch(ctx)
	// Latency is real elapsed time since fasthttp read the request, not
	// domain time, so it uses the monotonic clock whatever clock is injected.
	e.metrics.observe(route, ctx.Response.StatusCode(), time.Since(ctx.Time()))
}

func (e *Edge) dispatch(ctx *fasthttp.RequestCtx) string {
	path := ctx.Path()
	switch {
	case bytes.HasPrefix(path, availabilityPrefix):
		rest := path[len(availabilityPrefix):]
		if !bytes.HasSuffix(rest, suffixAvail) || bytes.IndexByte(rest[:len(rest)-len(suffixAvail)], '/') >= 0 {
			break
		}
		if !ctx.IsGet() {
			e.scapiError(ctx, fasthttp.StatusMethodNotAllowed, "method-not-allowed", "Only GET is allowed here.")
			return routeAvailability
		}
		if e.storefrontAuthorized(ctx) {
			e.shopperAvailability(ctx, rest[:len(rest)-len(suffixAvail)])
		}
		return routeAvailability
	case bytes.HasPrefix(path, prefixCheckout):
		if e.storefrontAuthorized(ctx) && !e.ordersH.Handle(ctx) {
			break
		}
		return routeCheckout
	case bytes.HasPrefix(path, prefixOCAPI) || string(path) == "/admin/api/inventory/import":
		if e.ocapiH.Handle(ctx) {
			return routeOCAPI
		}
	case bytes.HasPrefix(path, prefixAdminAPI):
		if e.adminAPI(ctx) {
			return routeAdminAPI
		}
	case string(path) == "/admin/oci" || bytes.HasPrefix(path, []byte("/admin/oci/")):
		if e.adminPage(ctx) {
			return routeAdminPage
		}
	case string(path) == "/metrics":
		e.serveMetrics(ctx)
		return routeMetrics
	case string(path) == "/healthz" || string(path) == "/readyz":
		e.health(ctx, string(path) == "/readyz")
		return routeHealth
	}
	e.scapiError(ctx, fasthttp.StatusNotFound, "not-found", "No resource at "+string(path)+".")
	return routeNotFound
}

// storefrontAuthorized applies the storefront's shared bearer token when
// the configuration requires one; by default any request is accepted.
func (e *Edge) storefrontAuthorized(ctx *fasthttp.RequestCtx) bool {
	sf := e.app.Storefront
	if !sf.RequireToken || bearerIs(ctx, string(sf.Token)) {
		return true
	}
	e.scapiError(ctx, fasthttp.StatusUnauthorized, "unauthorized", "Unauthorized request")
	return false
}

// adminAuthorized checks Authorization: Bearer <admin token>. The OCAPI
// routes take only this; the admin page's API also takes the session
// cookie (adminAPIAuth).
func (e *Edge) adminAuthorized(ctx *fasthttp.RequestCtx) bool {
	return bearerIs(ctx, string(e.app.Admin.Token))
}

// adminBearerOrSession reports whether the request carries the admin token
// or a valid admin page session cookie.
func (e *Edge) adminBearerOrSession(ctx *fasthttp.RequestCtx) bool {
	return e.adminAuthorized(ctx) || e.session().InRequest(ctx)
}

// adminAPIAuth decides an admin API request: the bearer admin token, or
// the session cookie — with, on a request that changes state, the header
// adminui.CSRFHeader, which a cross-site form cannot send. It returns 0
// when the request may proceed, else the status and the reason.
func (e *Edge) adminAPIAuth(ctx *fasthttp.RequestCtx) (int, string) {
	if e.adminAuthorized(ctx) {
		return 0, ""
	}
	if !e.session().InRequest(ctx) {
		return fasthttp.StatusUnauthorized, "The admin routes need Authorization: Bearer <admin token> or a login at " + adminui.PagePath + "."
	}
	if ctx.IsGet() || ctx.IsHead() || len(ctx.Request.Header.Peek(adminui.CSRFHeader)) > 0 {
		return 0, ""
	}
	return fasthttp.StatusForbidden, "A state-changing admin request authenticated by the session cookie needs the header " +
		adminui.CSRFHeader + ": 1."
}

func bearerIs(ctx *fasthttp.RequestCtx, token string) bool {
	h := ctx.Request.Header.Peek("Authorization")
	if len(h) < 7 || !bytes.EqualFold(h[:7], []byte("Bearer ")) || token == "" {
		return false
	}
	return subtle.ConstantTimeCompare(h[7:], []byte(token)) == 1
}

// scapiError writes a SCAPI problem: {title, type, detail}.
func (e *Edge) scapiError(ctx *fasthttp.RequestCtx, status int, kind, detail string) {
	b := make([]byte, 0, 160+len(detail))
	b = append(b, `{"title":"`...)
	b = appendEscaped(b, []byte(fasthttp.StatusMessage(status)))
	b = append(b, `","type":"https://api.commercecloud.salesforce.com/documentation/error/v1/errors/`...)
	b = append(b, kind...)
	b = append(b, `","detail":"`...)
	b = appendEscaped(b, []byte(detail))
	b = append(b, `"}`...)
	ctx.SetStatusCode(status)
	ctx.SetContentType("application/problem+json")
	ctx.SetBody(b)
}
