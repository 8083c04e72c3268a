package httpapi_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// fuzzRoute is a core route that takes a JSON body. %d in path becomes a
// fresh number per request, so that each PUT names a new document or
// request id.
type fuzzRoute struct {
	method, path string
	seed         string // a body the route accepts; TOKEN stands for a delta token
}

func (r fuzzRoute) pathFor(n int) string { return strings.Replace(r.path, "%d", strconv.Itoa(n), 1) }

func (fc *fuzzCore) seedFor(r fuzzRoute) []byte {
	return []byte(strings.ReplaceAll(r.seed, "TOKEN", fc.deltaToken))
}

var fuzzRoutes = []fuzzRoute{
	{"POST", avail("/availability-records/actions/get-availability"), `{"skus":["sku-1"],"locations":["wh-a","store-1"]}`},
	{"POST", avail("/availability-records/actions/get-availability"), `{"sku":"sku-1","group":"online"}`},
	{"POST", avail("/availability-records/actions/batch-update"), `{"records":[{"id":"b%d","location":"wh-b","sku":"sku-2","onHand":4.5,"safetyStockCount":1,"effectiveDate":"2026-02-01T00:00:00Z","futureStock":[{"quantity":2,"expectedDate":"2026-04-01T00:00:00Z"}]}]}`},
	{"POST", avail("/availability-records/actions/get-deltas"), `{"deltaToken":"TOKEN"}`},
	{"PUT", avail("/locations/wh-a/availability-records/skus/sku-3/p%d"), `{"onHand":7,"safetyStockCount":0,"effectiveDate":"2026-02-01T00:00:00Z"}`},
	{"PATCH", avail("/locations/wh-a/availability-records/skus/sku-1/q%d"), `{"safetyStockCount":2,"futureStock":null}`},
	{"PUT", resv("/reservation-documents/fz-%d"), `{"externalRefId":"o1","expirationSeconds":600,"allowPartialReservations":false,"groups":[{"id":"online","reservations":[{"sku":"sku-1","quantity":1}]}],"locations":[{"id":"store-1","allOrNothingReservations":[{"id":"a1","reservations":[{"sku":"sku-1","quantity":1}]}]}]}`},
	{"PATCH", resv("/reservation-documents/doc-1"), `{"groups":[{"id":"online","reservations":[{"sku":"sku-1","quantity":1}]}]}`},
	{"PATCH", resv("/reservation-documents/doc-2"), `{"status":"CANCELLED"}`},
	{"POST", resv("/transfers"), `{"allOrNothingTransferId":"t1","records":[{"id":"t1","from":{"group":"online"},"to":{"location":"wh-a"},"sku":"sku-1","quantity":1,"reservationId":"doc-1"}]}`},
	{"POST", resv("/releases"), `{"records":[{"id":"r%d","location":"wh-a","sku":"sku-1","quantity":1,"reservationId":"doc-2"}]}`},
	{"POST", resv("/fulfillments"), `{"records":[{"id":"f%d","location":"wh-a","sku":"sku-1","quantity":1,"fulfillmentTime":"2026-03-01T11:00:00Z"}]}`},
	{"PUT", admin("/location-graph"), `{"locations":["wh-a",{"id":"wh-b","type":"Warehouse","address":{"city":"x"}},"store-1","new"],"groups":[{"id":"online","locations":["wh-a","wh-b"]}]}`},
	{"POST", impex("/availability-records/imports"), `{"fileName":"a.json","fileEncoding":"GZIP","fileHash":"0000000000000000000000000000000000000000000000000000000000000000","fileHashType":"SHA-256","linkDuration":5}`},
	{"POST", impex("/availability-records/exports"), `{"objects":{"groups":["online"]}}`},
	{"POST", impex("/reservations/exports"), `{"status":"open","fromDate":"2026-01-01T00:00:00Z","toDate":"2026-03-02T00:00:00Z"}`},
}

// FuzzRouteBodies feeds any bytes as the JSON body of every core route that
// takes one, through the real handler (auth, routing, decoding, validation,
// the domain): nothing panics, nothing answers 5xx, and a 4xx changes
// nothing — no change-log entry, record, document, graph or impex job.
func FuzzRouteBodies(f *testing.F) {
	fc := newFuzzCore(f)
	for i, r := range fuzzRoutes {
		seed := fc.seedFor(r)
		f.Add(uint8(i), seed)
		f.Add(uint8(i), seed[:len(seed)/2])
	}
	for _, bad := range []string{``, `null`, `[]`, `{}`, `{"records":null}`, `"x"`, `{"a":1}{}`, `{"skus":[1e999]}`,
		`{"records":[{"id":"x","location":"wh-a","sku":"sku-1","onHand":-0.0001}]}`,
		`{"locations":[{"id":"wh-a","reservations":[{"sku":"sku-1","quantity":99999999999999999}]}]}`} {
		f.Add(uint8(len(bad)), []byte(bad))
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		r := fuzzRoutes[int(which)%len(fuzzRoutes)]
		path := r.pathFor(fc.n)
		before := fc.state()
		status, answer := fc.do(r.method, path, "application/json", "Bearer "+fc.token, body)
		switch {
		case status >= 500 || status < 200:
			t.Fatalf("%s %s %q: %d %s", r.method, path, body, status, answer)
		case status >= 400 && fc.state() != before:
			t.Fatalf("%s %s %q answered %d %s but changed the state:\n%s\n%s", r.method, path, body, status, answer, before, fc.state())
		case status >= 400 && !json.Valid(answer):
			t.Fatalf("%s %s: %d with a body that is not JSON: %q", r.method, path, status, answer)
		}
	})
}

// TestFuzzRouteSeeds: each route's seed is accepted, so that the fuzzer
// starts from the paths that change state.
func TestFuzzRouteSeeds(t *testing.T) {
	fc := newFuzzCore(t)
	for _, r := range fuzzRoutes {
		path := r.pathFor(fc.n)
		if status, answer := fc.do(r.method, path, "application/json", "Bearer "+fc.token, fc.seedFor(r)); status >= 300 {
			t.Errorf("%s %s: %d %s", r.method, path, status, answer)
		}
	}
}
