package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestBadInput: every endpoint answers bad input with a 4xx problem that
// names the rule, and nothing changes.
func TestBadInput(t *testing.T) {
	h := start(t)
	h.setup()
	many := func(n int, f func(i int) string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = f(i)
		}
		return strings.Join(parts, ",")
	}
	ga := avail("/availability-records/actions/get-availability")
	bu := avail("/availability-records/actions/batch-update")
	cases := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"malformed json", "POST", ga, `{"sku":`, 400, "InvalidRequest"},
		{"empty body", "POST", ga, ``, 400, "InvalidRequest"},
		{"wrong type", "POST", ga, `{"skus":"a","locations":["wh-a"]}`, 400, "InvalidRequestParameter"},
		{"trailing data", "POST", ga, `{"sku":"a"}{}`, 400, "InvalidRequest"},
		{"too many combinations", "POST", ga, `{"skus":[` + many(51, func(i int) string { return fmt.Sprintf(`"s%d"`, i) }) + `],"locations":["wh-a","wh-b"]}`, 400, "InvalidRequestParameter"},
		{"unknown location", "POST", ga, `{"skus":["a"],"locations":["mars"]}`, 400, "LocationDoesNotExist"},
		{"unknown group", "POST", ga, `{"sku":"a","group":"mars"}`, 400, "GroupDoesNotExist"},
		{"negative onHand", "POST", bu, `{"records":[{"id":"x","location":"wh-a","sku":"sku-1","onHand":-1}]}`, 400, "InvalidRequestParameter"},
		{"4-decimal onHand", "POST", bu, `{"records":[{"id":"x","location":"wh-a","sku":"sku-1","onHand":1.0001}]}`, 400, "InvalidRequestParameter"},
		{"string onHand", "POST", bu, `{"records":[{"id":"x","location":"wh-a","sku":"sku-1","onHand":"5"}]}`, 400, "InvalidRequestParameter"},
		{"bad date", "POST", bu, `{"records":[{"id":"x","location":"wh-a","sku":"sku-1","effectiveDate":"yesterday"}]}`, 400, "InvalidRequestParameter"},
		{"zero future", "POST", bu, `{"records":[{"id":"x","location":"wh-a","sku":"sku-1","futureStock":[{"quantity":0,"expectedDate":"2030-01-01T00:00:00Z"}]}]}`, 400, "PositiveQuantityRequired"},
		{"101 records", "POST", bu, `{"records":[` + many(101, func(i int) string { return fmt.Sprintf(`{"id":"%d","location":"wh-a","sku":"sku-1"}`, i) }) + `]}`, 400, "InvalidRequestParameter"},
		{"batch unknown location", "POST", bu, `{"records":[{"id":"x","location":"mars","sku":"sku-1","onHand":1}]}`, 400, "LocationDoesNotExist"},
		{"deltas without token", "POST", avail("/availability-records/actions/get-deltas"), `{}`, 400, "MissingParameter"},
		{"deltas forged token", "POST", avail("/availability-records/actions/get-deltas"), `{"deltaToken":"eyJmb28iOjF9"}`, 400, "InvalidRequestParameter"},
		{"reserve zero", "PUT", resv("/reservation-documents/r1"), `{"locations":[{"id":"wh-a","reservations":[{"sku":"sku-1","quantity":0}]}]}`, 400, "PositiveQuantityRequired"},
		{"reserve 4 decimals", "PUT", resv("/reservation-documents/r1"), `{"locations":[{"id":"wh-a","reservations":[{"sku":"sku-1","quantity":0.0005}]}]}`, 400, "InvalidRequestParameter"},
		{"reserve nothing", "PUT", resv("/reservation-documents/r1"), `{}`, 400, "InvalidRequest"},
		{"reserve unknown group", "PUT", resv("/reservation-documents/r1"), `{"groups":[{"id":"mars","reservations":[{"sku":"sku-1","quantity":1}]}]}`, 400, "GroupDoesNotExist"},
		{"reserve dup sku", "PUT", resv("/reservation-documents/r1"), `{"locations":[{"id":"wh-a","reservations":[{"sku":"sku-1","quantity":1},{"sku":"sku-1","quantity":1}]}]}`, 400, "DuplicateSku"},
		{"reserve bad expiry", "PUT", resv("/reservation-documents/r1"), `{"expirationSeconds":14401,"locations":[{"id":"wh-a","reservations":[{"sku":"sku-1","quantity":1}]}]}`, 400, "InvalidRequestParameter"},
		{"cancel unknown", "PATCH", resv("/reservation-documents/nope"), `{"status":"CANCELLED"}`, 404, "EntityNotFound"},
		{"patch bad status", "PATCH", resv("/reservation-documents/nope"), `{"status":"OPEN"}`, 400, "InvalidRequestParameter"},
		{"group to group", "POST", resv("/transfers"), `{"records":[{"id":"t","from":{"group":"online"},"to":{"group":"online"},"sku":"sku-1","quantity":1}]}`, 400, "InvalidRequestParameter"},
		{"release both places", "POST", resv("/releases"), `{"records":[{"id":"r","location":"wh-a","group":"online","sku":"sku-1","quantity":1}]}`, 400, "InvalidRequestParameter"},
		{"release no place", "POST", resv("/releases"), `{"records":[{"id":"r","sku":"sku-1","quantity":1}]}`, 400, "InvalidRequest"},
		{"fulfill no quantity", "POST", resv("/fulfillments"), `{"records":[{"id":"f","location":"wh-a","sku":"sku-1"}]}`, 400, "MissingParameter"},
		{"fulfill unknown reservation", "POST", resv("/fulfillments"), `{"records":[{"id":"f","location":"wh-a","sku":"sku-1","quantity":1,"reservationId":"nope"}]}`, 409, "InvalidRequestParameter"},
		{"graph group empty", "PUT", admin("/location-graph"), `{"locations":["wh-a"],"groups":[{"id":"g1","locations":[]}]}`, 400, "GroupMustNotBeEmpty"},
		{"wrong content type", "POST", ga, `sku=a`, 415, "UnsupportedMediaType"},
		{"unknown route", "GET", avail("/nothing"), ``, 404, "ResourceNotFound"},
		{"wrong method", "GET", ga, ``, 405, "MethodNotAllowed"},
	}
	for _, c := range cases {
		ct := "application/json"
		if c.name == "wrong content type" {
			ct = "application/x-www-form-urlencoded"
		}
		r := h.do(c.method, c.path, h.token, ct, []byte(c.body))
		if r.status != c.status {
			t.Errorf("%s: status %d, want %d: %s", c.name, r.status, c.status, r.body)
			continue
		}
		if m := r.json(t); m["errorCode"] != c.code {
			t.Errorf("%s: errorCode %v, want %s: %s", c.name, m["errorCode"], c.code, r.body)
		}
		if r.header["Content-Type"] != "application/problem+json" {
			t.Errorf("%s: content type %q", c.name, r.header["Content-Type"])
		}
	}
	big := `{"sku":"` + strings.Repeat("a", 5<<20) + `"}`
	if r := h.call("POST", ga, big); r.status != 413 {
		t.Errorf("oversize body: %d", r.status)
	}
	r := h.mustStatus(h.call("POST", ga, `{"skus":["sku-1"],"locations":["wh-a"]}`), 200)
	rec := r.json(t)["locations"].([]any)[0].(map[string]any)["records"].([]any)[0].(map[string]any)
	if num(rec["onHand"]) != "10" || num(rec["reserved"]) != "0" {
		t.Errorf("bad input must change nothing: %v", rec)
	}
}
