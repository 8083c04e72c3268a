package sdk_test

import (
	"strings"
	"testing"
)

// TestSDKErrorShapes: the SDK throws on every error, and each error body is
// the ErrorResponse (title, type, detail) with the media type that the
// API's OAS declares: application/problem+json for Shopper Availability,
// Shopper Baskets v2 and Shopper Orders v1, application/json for Orders v1
// (orders-oas-v1-public.yaml, the 400, 404 and 409 answers of
// GET /orders/{orderNo} and PUT /orders/{orderNo}/status).
//
// KNOWN MISMATCH, reported to the edge's owner and not fixed yet: the edge
// answers Orders v1 errors with application/problem+json, so the three
// Orders rows fail until it does.
func TestSDKErrorShapes(t *testing.T) {
	w := newWorld(t)
	s := startSDK(w)
	const problemJSON, plainJSON = "application/problem+json", "application/json"
	for _, c := range []struct {
		name          string
		r             result
		status        int
		slug, ctype   string
		detailContain string
	}{
		{"availability: unknown list",
			s.call("ShopperAvailability", "getAvailability", params{"productIds": []string{"sku-1"}, "inventoryIds": []string{"nope"}}, nil),
			400, "validation", problemJSON, "nope"},
		{"baskets: unknown basket",
			s.call("ShopperBasketsV2", "getBasket", params{"basketId": "nope"}, nil),
			404, "basket-not-found", problemJSON, "nope"},
		{"shopper orders: no basketId",
			s.call("ShopperOrders", "createOrder", nil, map[string]any{}),
			400, "bad-request", problemJSON, "basketId"},
		{"shopper orders: unknown order",
			s.call("ShopperOrders", "getOrder", params{"orderNo": "nope"}, nil),
			404, "order-not-found", problemJSON, "nope"},
		{"orders: unknown order",
			s.call("Orders", "getOrder", params{"orderNo": "nope"}, nil),
			404, "order-not-found", plainJSON, "nope"},
		{"orders: status of an unknown order",
			s.call("Orders", "updateOrderStatus", params{"orderNo": "nope"}, map[string]any{"status": "new"}),
			404, "order-not-found", plainJSON, "nope"},
		{"orders: unknown status",
			s.call("Orders", "updateOrderStatus", params{"orderNo": "nope"}, map[string]any{"status": "shipped"}),
			400, "bad-request", plainJSON, "status"},
	} {
		p := c.r.problem()
		mt, _, _ := strings.Cut(c.r.ContentType, ";")
		if c.r.OK || c.r.Status != c.status || p.Type != problemType+c.slug || p.Title == "" ||
			!strings.Contains(p.Detail, c.detailContain) {
			t.Errorf("%s: want the SDK to throw %d %s, got ok=%v %d %s", c.name, c.status, c.slug, c.r.OK, c.r.Status, c.r.Body)
		}
		if strings.TrimSpace(mt) != c.ctype {
			t.Errorf("%s: Content-Type %q, the OAS declares %s", c.name, c.r.ContentType, c.ctype)
		}
	}
}
