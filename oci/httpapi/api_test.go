package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"ociedge/oci/httpapi"
	"ociedge/oci/node"
)

func TestAvailabilityAndReservationFlow(t *testing.T) {
	h := start(t)
	h.setup()
	r := h.mustStatus(h.call("POST", avail("/availability-records/actions/get-availability"), `{"sku":"sku-1","group":"online"}`), 200)
	m := r.json(t)
	g := m["groups"].([]any)[0].(map[string]any)["records"].([]any)[0].(map[string]any)
	if num(g["onHand"]) != "15.25" || num(g["atf"]) != "14.25" || num(g["ato"]) != "14.25" {
		t.Errorf("group record: %v", g)
	}
	if locs := m["locations"].([]any); len(locs) != 2 {
		t.Errorf("{sku, group} lists the members: %v", locs)
	}

	r = h.mustStatus(h.call("PUT", resv("/reservation-documents/ord-1"), `{"externalRefId":"00001","allowPartialReservations":false,
	  "groups":[{"id":"online","reservations":[{"sku":"sku-1","quantity":4}]}]}`), 200)
	if r.header["Location"] != "/inventory/reservation/v1/organizations/tenant1/reservation-documents/ord-1" {
		t.Errorf("Location header: %q", r.header["Location"])
	}
	if res := r.json(t); res["success"] != true {
		t.Errorf("reservation: %s", r.body)
	}
	h.mustStatus(h.call("POST", resv("/transfers"), `{"records":[{"id":"t1","from":{"group":"online"},"to":{"location":"wh-a"},"sku":"sku-1","quantity":4}]}`), 204)
	h.mustStatus(h.call("POST", resv("/fulfillments"), `{"records":[{"id":"f1","location":"wh-a","sku":"sku-1","quantity":1}]}`), 204)
	r = h.mustStatus(h.call("POST", avail("/availability-records/actions/get-availability"), `{"skus":["sku-1"],"locations":["wh-a"]}`), 200)
	rec := r.json(t)["locations"].([]any)[0].(map[string]any)["records"].([]any)[0].(map[string]any)
	if num(rec["onHand"]) != "9" || num(rec["reserved"]) != "3" || num(rec["atf"]) != "5" {
		t.Errorf("after transfer + fulfill: %v", rec)
	}
	h.mustStatus(h.call("PATCH", resv("/reservation-documents/ord-1"), `{"status":"CANCELLED"}`), 204)
	r = h.mustStatus(h.call("PATCH", resv("/reservation-documents/ord-1"), `{"status":"CANCELLED"}`), 409)
	if r.json(t)["errorCode"] != "ReservationCancelled" {
		t.Errorf("second cancel: %s", r.body)
	}
	r = h.mustStatus(h.call("POST", resv("/releases"), `{"records":[{"id":"r1","location":"wh-a","sku":"sku-1","quantity":1}]}`), 200)
	if e := r.json(t)["errors"].([]any)[0].(map[string]any); e["errorCode"] != "InsufficientQuantity" {
		t.Errorf("release after cancel: %s", r.body)
	}
	r = h.mustStatus(h.call("GET", admin("/invariants"), nil), 200)
	if r.json(t)["ok"] != true {
		t.Errorf("invariants: %s", r.body)
	}
}

func TestAuth(t *testing.T) {
	h := start(t)
	path := avail("/availability-records/actions/get-availability")
	body := []byte(`{"sku":"a"}`)
	if r := h.do("POST", path, "", "application/json", body); r.status != 401 {
		t.Errorf("no token: %d", r.status)
	}
	if r := h.do("POST", path, "garbage.token.here", "application/json", body); r.status != 401 {
		t.Errorf("bad token: %d", r.status)
	}
	onlyResv := h.mustToken("dev", "secret", "SALESFORCE_COMMERCE_API:tenant1 sfcc_inventory_reservations_rw")
	r := h.do("POST", path, onlyResv, "application/json", body)
	if r.status != 403 || r.json(t)["errorCode"] != "TenantNotProvisioned" {
		t.Errorf("under-scoped: %d %s", r.status, r.body)
	}
	r = h.do("POST", strings.Replace(path, tenant, "other", 1), h.token, "application/json", body)
	if r.status != 403 {
		t.Errorf("wrong tenant: %d %s", r.status, r.body)
	}
	if r := h.tokenCall("dev", "wrong", "SALESFORCE_COMMERCE_API:tenant1"); r.status != 401 {
		t.Errorf("wrong secret: %d", r.status)
	}
	if r := h.tokenCall("dev", "secret", "SALESFORCE_COMMERCE_API:nope sfcc.inventory.availability"); r.status != 400 {
		t.Errorf("unknown tenant: %d %s", r.status, r.body)
	}
	underscore := h.mustToken("dev", "secret", "SALESFORCE_COMMERCE_API:tenant1 sfcc_inventory_availability")
	if r := h.do("POST", path, underscore, "application/json", body); r.status != 200 {
		t.Errorf("underscore scope form must work: %d %s", r.status, r.body)
	}
	h.clock.Advance(31 * time.Minute)
	if r := h.do("POST", path, underscore, "application/json", body); r.status != 401 {
		t.Errorf("expired token: %d", r.status)
	}
}

func TestRateLimit(t *testing.T) {
	h := start(t, func(c *node.Config) { c.Limits.API = 3 })
	path := avail("/availability-records/actions/get-availability")
	var last response
	for range 4 {
		last = h.call("POST", path, `{"sku":"a"}`)
	}
	if last.status != 429 || last.header["Retry-After"] == "" || last.header["X-Ratelimit-Limit"] == "" && last.header["X-RateLimit-Limit"] == "" {
		t.Fatalf("4th request at 3/s: %d %v %s", last.status, last.header, last.body)
	}
	h.clock.Advance(time.Second)
	if r := h.call("POST", path, `{"sku":"a"}`); r.status != 200 {
		t.Errorf("after a second the bucket refills: %d", r.status)
	}
}

func TestAppendStringIsJSON(t *testing.T) {
	for _, s := range []string{"plain", "quo\"te", "back\\slash", "ctl\x01\x1f", "bad\xff\xfeutf8", "ünïcödé ✓"} {
		b := httpapi.AppendStringForTest(s)
		var back string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Errorf("%q encodes as invalid JSON %s: %v", s, b, err)
		}
	}
}
