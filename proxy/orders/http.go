package orders

import (
	"context"
	"strings"

	"github.com/valyala/fasthttp"
)

// The route families the Handler serves.
const (
	basketsBase       = "/checkout/shopper-baskets/v2/organizations/"
	shopperOrdersBase = "/checkout/shopper-orders/v1/organizations/"
	ordersBase        = "/checkout/orders/v1/organizations/"
)

// Handler puts a Service on the SCAPI routes (see Handle). It is safe for
// concurrent use and holds nothing of a request after Handle returns.
type Handler struct {
	s   *Service
	org string
}

// NewHandler returns the HTTP adapter of s. The organization id in every
// path must be s's Config.Edge.OrganizationID.
func NewHandler(s *Service) *Handler { return &Handler{s: s, org: s.cfg.Edge.OrganizationID} }

// request is one call as the routes see it; every string is a copy.
type request struct {
	ctx    *fasthttp.RequestCtx
	method string
	segs   []string // path segments after the organization id
	site   string
}

// Handle serves the request if its path belongs to Shopper Baskets v2,
// Shopper Orders v1 or Orders v1 and reports whether it did; false means
// "not my path", for the edge's router to go on.
//
//	POST   …/shopper-baskets/v2/organizations/{org}/baskets                     create (200)
//	GET    …/baskets/{basketId}                                                 get (200)
//	DELETE …/baskets/{basketId}                                                 delete (204)
//	POST   …/baskets/{basketId}/items                                           add items (200)
//	PATCH  …/baskets/{basketId}/items                                           update items (200)
//	PATCH  …/baskets/{basketId}/items/{itemId}                                  update item (200)
//	DELETE …/baskets/{basketId}/items/{itemId}                                  remove item (200)
//	POST   …/baskets/{basketId}/actions/reserve-inventory                       reserve (200; extension)
//	POST   …/shopper-orders/v1/organizations/{org}/orders                       create order (200)
//	GET    …/shopper-orders/v1/organizations/{org}/orders/{orderNo}             get (200)
//	POST   …/shopper-orders/v1/organizations/{org}/orders/{orderNo}/actions/fail fail (204)
//	GET    …/orders/v1/organizations/{org}/orders/{orderNo}                     get (200)
//	PUT    …/orders/v1/organizations/{org}/orders/{orderNo}/status              status (204)
func (h *Handler) Handle(ctx *fasthttp.RequestCtx) bool {
	path := string(ctx.Path())
	var route func(r *request)
	var rest string
	switch {
	case strings.HasPrefix(path, basketsBase):
		route, rest = h.basketRoutes, path[len(basketsBase):]
	case strings.HasPrefix(path, shopperOrdersBase):
		route, rest = h.shopperOrderRoutes, path[len(shopperOrdersBase):]
	case strings.HasPrefix(path, ordersBase):
		route, rest = h.adminOrderRoutes, path[len(ordersBase):]
	default:
		return false
	}
	segs := strings.Split(strings.TrimSuffix(rest, "/"), "/")
	if segs[0] != h.org {
		writeProblem(ctx, errorf(ENOTFOUND, "No organization with ID '%s' is served here.", clip(segs[0])))
		return true
	}
	route(&request{ctx: ctx, method: string(ctx.Method()), segs: segs[1:],
		site: string(ctx.QueryArgs().Peek("siteId"))})
	return true
}

// match reports whether the path segments are pattern ("*" matches one
// non-empty segment).
func (r *request) match(pattern ...string) bool {
	if len(r.segs) != len(pattern) {
		return false
	}
	for i, p := range pattern {
		if r.segs[i] == "" || p != "*" && p != r.segs[i] {
			return false
		}
	}
	return true
}

// methods dispatches on the method; another method gets 405.
func (r *request) methods(handlers map[string]func()) {
	if f, ok := handlers[r.method]; ok {
		f()
		return
	}
	allow := make([]string, 0, len(handlers))
	for m := range handlers {
		allow = append(allow, m)
	}
	r.ctx.Response.Header.Set("Allow", strings.Join(allow, ", "))
	writeProblem(r.ctx, errorf(EMETHOD, "The method %s is not allowed here.", clip(r.method)))
}

func (h *Handler) basketRoutes(r *request) {
	ctx := context.Background()
	switch {
	case r.match("baskets"):
		r.methods(map[string]func(){"POST": func() { h.createBasket(r) }})
	case r.match("baskets", "*"):
		r.methods(map[string]func(){
			"GET":    func() { h.getBasket(r) },
			"DELETE": func() { h.deleteBasket(ctx, r) },
		})
	case r.match("baskets", "*", "items"):
		r.methods(map[string]func(){
			"POST":  func() { h.addItems(r) },
			"PATCH": func() { h.updateItems(r) },
		})
	case r.match("baskets", "*", "items", "*"):
		r.methods(map[string]func(){
			"PATCH":  func() { h.updateItem(r) },
			"DELETE": func() { h.removeItem(r) },
		})
	case r.match("baskets", "*", "actions", "reserve-inventory"):
		r.methods(map[string]func(){"POST": func() { h.reserveBasket(ctx, r) }})
	default:
		writeProblem(r.ctx, errorf(ENOTFOUND, "The edge does not serve this Shopper Baskets resource."))
	}
}

func (h *Handler) shopperOrderRoutes(r *request) {
	ctx := context.Background()
	switch {
	case r.match("orders"):
		r.methods(map[string]func(){"POST": func() { h.createOrder(ctx, r) }})
	case r.match("orders", "*"):
		r.methods(map[string]func(){"GET": func() { h.getOrder(r) }})
	case r.match("orders", "*", "actions", "fail"):
		r.methods(map[string]func(){"POST": func() { h.failOrder(ctx, r) }})
	default:
		writeProblem(r.ctx, errorf(ENOTFOUND, "The edge does not serve this Shopper Orders resource."))
	}
}

func (h *Handler) adminOrderRoutes(r *request) {
	ctx := context.Background()
	switch {
	case r.match("orders", "*"):
		r.methods(map[string]func(){"GET": func() { h.getOrder(r) }})
	case r.match("orders", "*", "status"):
		r.methods(map[string]func(){"PUT": func() { h.setStatus(ctx, r) }})
	default:
		writeProblem(r.ctx, errorf(ENOTFOUND, "The edge does not serve this Orders resource."))
	}
}
