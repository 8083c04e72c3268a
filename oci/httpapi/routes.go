package httpapi

import (
	"net/url"
	"strings"

	"github.com/valyala/fasthttp"

	"ociedge/oci/auth"
)

// route is one endpoint: its method and path pattern ({name} segments
// capture), the scopes that may call it (nil: no token needed), its rate
// limit class and its handler.
type route struct {
	name    string
	method  string
	pattern []string
	scopes  []string
	class   limitClass
	impex   bool // answers 403 in the impex (Spring) shape
	handle  func(ctx *fasthttp.RequestCtx, p params) error
}

// params are the path parameters of a matched route.
type params struct {
	org, id, location, sku, requestID string
}

const (
	availBase = "/inventory/availability/v1/organizations/{org}"
	resvBase  = "/inventory/reservation/v1/organizations/{org}"
	impexBase = "/inventory/impex/v1/organizations/{org}"
	adminBase = "/inventory/admin/v1/organizations/{org}"
)

func (s *Server) routeTable() []route {
	read := []string{auth.ScopeAvailability, auth.ScopeAvailabilityRW}
	write := []string{auth.ScopeAvailabilityRW}
	resv := []string{auth.ScopeReservationsRW}
	admin := []string{auth.ScopeAdmin}
	rs := []route{
		{name: "token", method: "POST", pattern: split("/dwsso/oauth2/access_token"), handle: s.token},
		{name: "healthz", method: "GET", pattern: split("/healthz"), handle: s.healthz},
		{name: "readyz", method: "GET", pattern: split("/readyz"), handle: s.readyz},
		{name: "metrics", method: "GET", pattern: split("/metrics"), handle: s.metricsHandler},
		{name: "get_availability", method: "POST", pattern: split(availBase + "/availability-records/actions/get-availability"), scopes: read, handle: s.getAvailability},
		{name: "batch_update", method: "POST", pattern: split(availBase + "/availability-records/actions/batch-update"), scopes: write, handle: s.batchUpdate},
		{name: "get_deltas", method: "POST", pattern: split(availBase + "/availability-records/actions/get-deltas"), scopes: read, handle: s.getDeltas},
		{name: "record_put", method: "PUT", pattern: split(availBase + "/locations/{location}/availability-records/skus/{sku}/{requestId}"), scopes: write, handle: s.recordPut},
		{name: "record_patch", method: "PATCH", pattern: split(availBase + "/locations/{location}/availability-records/skus/{sku}/{requestId}"), scopes: write, handle: s.recordPatch},
		{name: "record_delete", method: "DELETE", pattern: split(availBase + "/locations/{location}/availability-records/skus/{sku}/{requestId}"), scopes: write, handle: s.recordDelete},
		{name: "reservation_put", method: "PUT", pattern: split(resvBase + "/reservation-documents/{id}"), scopes: resv, handle: s.reservationPut},
		{name: "reservation_patch", method: "PATCH", pattern: split(resvBase + "/reservation-documents/{id}"), scopes: resv, handle: s.reservationPatch},
		{name: "reservation_get", method: "GET", pattern: split(resvBase + "/reservation-documents/{id}"), scopes: []string{auth.ScopeReservations, auth.ScopeReservationsRW}, handle: s.reservationGet},
		{name: "transfers", method: "POST", pattern: split(resvBase + "/transfers"), scopes: resv, handle: s.transfers},
		{name: "releases", method: "POST", pattern: split(resvBase + "/releases"), scopes: resv, handle: s.releases},
		{name: "fulfillments", method: "POST", pattern: split(resvBase + "/fulfillments"), scopes: resv, handle: s.fulfillments},
		{name: "graph_put", method: "PUT", pattern: split(adminBase + "/location-graph"), scopes: admin, handle: s.graphPut},
		{name: "graph_get", method: "GET", pattern: split(adminBase + "/location-graph"), scopes: admin, handle: s.graphGet},
		{name: "invariants", method: "GET", pattern: split(adminBase + "/invariants"), scopes: admin, handle: s.invariants},
	}
	if s.cfg.AdminPage != nil {
		rs = append(rs, route{name: "admin_page", method: "GET", pattern: split("/admin"), handle: func(ctx *fasthttp.RequestCtx, _ params) error {
			s.cfg.AdminPage(ctx)
			return nil
		}})
	}
	return append(rs, s.impexRoutes()...)
}

func split(p string) []string { return strings.Split(strings.Trim(p, "/"), "/") }

// match finds the route for method and path; methodOK reports that the path
// exists with another method.
func (s *Server) match(method, path string) (*route, params, bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	pathFound := false
	for i := range s.routes {
		r := &s.routes[i]
		p, ok := matchPattern(r.pattern, segs)
		if !ok {
			continue
		}
		if r.method == method {
			return r, p, true
		}
		pathFound = true
	}
	return nil, params{}, pathFound
}

func matchPattern(pattern, segs []string) (params, bool) {
	var p params
	if len(pattern) != len(segs) {
		return p, false
	}
	for i, pat := range pattern {
		if !strings.HasPrefix(pat, "{") {
			if pat != segs[i] {
				return p, false
			}
			continue
		}
		v, err := url.PathUnescape(segs[i])
		if err != nil || v == "" {
			return p, false
		}
		switch pat {
		case "{org}":
			p.org = v
		case "{location}":
			p.location = v
		case "{sku}":
			p.sku = v
		case "{requestId}":
			p.requestID = v
		default:
			p.id = v
		}
	}
	return p, true
}
