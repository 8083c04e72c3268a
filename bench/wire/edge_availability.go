package wire

import (
	"bytes"
	"strings"
)

// Shopper Availability, served by the edge (DESIGN §3.4; spec:
// reference/specs/scapi-oas/shopper-availability-oas-v1-public.yaml):
//
//	GET /product/shopper-availability/v1/organizations/{organizationId}/availability
//	    ?siteId=RefArch&productIds=a,b,c[&inventoryIds=x,y]
//	→ 200 {limit, total, data:[{id, inventories:[{id, ats, stockLevel, orderable,
//	       backorderable, preorderable, inStockDate}]}]}
const availabilityPrefix = "/product/shopper-availability/v1/organizations/"

// Availability builds a lookup of skus (1–24) at the site's default list, or
// at inventoryIDs (0–5) when given.
func Availability(org, site string, skus, inventoryIDs []string) Request {
	var b strings.Builder
	b.Grow(len(availabilityPrefix) + 64 + 12*len(skus))
	b.WriteString(availabilityPrefix)
	b.WriteString(seg(org))
	b.WriteString("/availability?siteId=")
	b.WriteString(queryList([]string{site}))
	b.WriteString("&productIds=")
	b.WriteString(queryList(skus))
	if len(inventoryIDs) > 0 {
		b.WriteString("&inventoryIds=")
		b.WriteString(queryList(inventoryIDs))
	}
	return Request{Method: "GET", URI: b.String()}
}

// AvailabilityOutcome labels a lookup's answer: "ok" for a 200 with data,
// "empty" for a 200 without any (the skus are unknown to the edge: check the
// sku format), "" (the status class) otherwise.
func AvailabilityOutcome(status int, body []byte) string {
	if status != 200 {
		return ""
	}
	if bytes.Contains(body, []byte(`"total":0`)) || bytes.Contains(body, []byte(`"data":[]`)) {
		return "empty"
	}
	return "ok"
}

// SampleAvailabilityAnswer is a typical 1-sku answer, the size of the
// baseline server's fixed body when the target's own answer is not known.
const SampleAvailabilityAnswer = `{"limit":1,"total":1,"data":[{"id":"sku-000001","inventories":[` +
	`{"id":"online-us","ats":42,"stockLevel":40,"orderable":true,"backorderable":true,` +
	`"preorderable":false,"inStockDate":"2026-02-01T00:00:00Z"}]}]}`
