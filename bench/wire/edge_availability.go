package wire

import (
	"bytes"
	"encoding/json"
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
	// An empty answer is short: look at no more than its first bytes (a
	// 24-sku answer is kilobytes, and the load tool's CPU is the server's
	// loss on a small machine).
	head := body[:min(len(body), 96)]
	if bytes.Contains(head, []byte(`"total":0`)) || bytes.Contains(head, []byte(`"data":[]`)) {
		return "empty"
	}
	return "ok"
}

// SampleAvailabilityAnswer is a typical 1-sku answer, the size of the
// baseline server's fixed body when the target's own answer is not known.
const SampleAvailabilityAnswer = `{"limit":1,"total":1,"data":[{"id":"sku-000001","inventories":[` +
	`{"id":"online-us","ats":42,"stockLevel":40,"orderable":true,"backorderable":true,` +
	`"preorderable":false,"inStockDate":"2026-02-01T00:00:00Z"}]}]}`

// ShopperAvailability is the part of a Shopper Availability answer the
// harness reads.
type ShopperAvailability struct {
	Data []struct {
		ID          string `json:"id"`
		Inventories []struct {
			ID         string  `json:"id"`
			ATS        float64 `json:"ats"`
			StockLevel float64 `json:"stockLevel"`
		} `json:"inventories"`
	} `json:"data"`
}

// ParseShopperAvailability reads a Shopper Availability answer.
func ParseShopperAvailability(body []byte) (ShopperAvailability, error) {
	var a ShopperAvailability
	err := json.Unmarshal(body, &a)
	return a, err
}

// ATS returns product's ats at inventory list (the first list when list is
// ""), and whether the answer has it.
func (a ShopperAvailability) ATS(product, list string) (int64, bool) {
	for _, d := range a.Data {
		if d.ID != product {
			continue
		}
		for _, inv := range d.Inventories {
			if list == "" || inv.ID == list {
				return int64(inv.ATS), true
			}
		}
	}
	return 0, false
}
