package wire

import (
	"bytes"
	"encoding/json"
	"net/url"
)

// Baskets and orders, served by the edge, SCAPI-shaped (DESIGN §3.4; specs:
// reference/specs/scapi-oas/shopper-baskets-oas-v2-public.yaml,
// shopper-orders-oas-v1-public.yaml, orders-oas-v1-public.yaml). The edge's
// issue fixes the details; adjust here when it lands.
const (
	basketsPath     = "/checkout/shopper-baskets/v2/organizations/" // + {org}/baskets
	shopperOrders   = "/checkout/shopper-orders/v1/organizations/"  // + {org}/orders
	ordersAdminPath = "/checkout/orders/v1/organizations/"          // + {org}/orders/{orderNo}/status
)

// Item is one basket line.
type Item struct {
	ProductID string `json:"productId"`
	Quantity  int    `json:"quantity"`
	// InventoryID ties the line to a store's inventory list (BOPIS).
	InventoryID string `json:"inventoryId,omitempty"`
}

func siteQuery(site string) string { return "?siteId=" + url.QueryEscape(site) }

// CreateBasket: POST …/baskets?siteId= {"productItems":[…]} → 200 {"basketId",…}.
func CreateBasket(org, site string, items []Item) Request {
	body := struct {
		ProductItems []Item `json:"productItems"`
	}{items}
	return jsonRequest("POST", basketsPath+seg(org)+"/baskets"+siteQuery(site), body)
}

// ReserveBasket: POST …/baskets/{basketId}/actions/reserve-inventory
// {"minutes":N} (an ociedge extension: reserve the basket's inventory).
func ReserveBasket(org, site, basketID string, minutes int) Request {
	body := struct {
		Minutes int `json:"minutes"`
	}{minutes}
	uri := basketsPath + seg(org) + "/baskets/" + seg(basketID) + "/actions/reserve-inventory" + siteQuery(site)
	return jsonRequest("POST", uri, body)
}

// CreateOrder: POST /checkout/shopper-orders/v1/organizations/{org}/orders
// {"basketId"} → 200 {"orderNo","status":"created",…}; 400 "product item is
// not available"; 503 when the core is down.
func CreateOrder(org, site, basketID string) Request {
	body := struct {
		BasketID string `json:"basketId"`
	}{basketID}
	return jsonRequest("POST", shopperOrders+seg(org)+"/orders"+siteQuery(site), body)
}

// SetOrderStatus: PUT /checkout/orders/v1/organizations/{org}/orders/{orderNo}/status
// {"status":"new"} to place, {"status":"failed"} to fail.
func SetOrderStatus(org, site, orderNo, status string) Request {
	body := struct {
		Status string `json:"status"`
	}{status}
	return jsonRequest("PUT", ordersAdminPath+seg(org)+"/orders/"+seg(orderNo)+"/status"+siteQuery(site), body)
}

// BasketID reads basketId from a basket answer ("" if absent).
func BasketID(body []byte) string {
	var v struct {
		BasketID string `json:"basketId"`
	}
	_ = json.Unmarshal(body, &v)
	return v.BasketID
}

// OrderNo reads orderNo from an order answer ("" if absent).
func OrderNo(body []byte) string {
	var v struct {
		OrderNo string `json:"orderNo"`
	}
	_ = json.Unmarshal(body, &v)
	return v.OrderNo
}

// Domain outcomes of checkout calls.
const (
	OutcomeCreated      = "created"
	OutcomeReserved     = "reserved"
	OutcomeNotAvailable = "not-available"
	OutcomeCoreDown     = "core-down"
)

// OrderOutcome labels an order-creation answer: "created", "not-available"
// (400 "product item is not available"), "core-down" (503), or "".
func OrderOutcome(status int, body []byte) string {
	return checkoutOutcome(status, body, OutcomeCreated)
}

// ReserveOutcome labels a basket-reservation answer like OrderOutcome, with
// "reserved" for success.
func ReserveOutcome(status int, body []byte) string {
	return checkoutOutcome(status, body, OutcomeReserved)
}

func checkoutOutcome(status int, body []byte, ok string) string {
	switch {
	case status >= 200 && status < 300:
		return ok
	case status == 503:
		return OutcomeCoreDown
	case status >= 400 && status < 500 && notAvailable(body):
		return OutcomeNotAvailable
	}
	return ""
}

func notAvailable(body []byte) bool {
	b := bytes.ToLower(body)
	return bytes.Contains(b, []byte("not available")) || bytes.Contains(b, []byte("insufficient"))
}
