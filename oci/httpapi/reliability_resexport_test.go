package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestReservationsExport_WireShape: the reservations export (reference
// §5.5, I-R1..4) answers the documented links, and its file has one
// document a line with an epoch-millisecond reservationTime and a detail
// per place and sku with one "Reserved" action; deleting it removes it.
func TestReservationsExport_WireShape(t *testing.T) {
	h := start(t)
	h.setup()
	doc := `{"externalRefId":"order-1","groups":[{"id":"online","reservations":[{"sku":"sku-1","quantity":2}]}]}`
	h.mustStatus(h.call("PUT", resv("/reservation-documents/r-1"), doc), 200)
	links := h.mustStatus(h.call("POST", impex("/reservations/exports"), `{"status":"open","fromDate":"2026-01-01T00:00:00Z"}`), 200).json(t)
	id := links["exportId"].(string)
	if want := impex("/reservations/exports/" + id + "/status"); links["exportStatusLink"] != want {
		t.Fatalf("exportStatusLink %v, want %s", links["exportStatusLink"], want)
	}
	st := h.pollStatus(links["exportStatusLink"].(string))
	if st["status"] != "COMPLETED" || num(st["export"].(map[string]any)["recordsExportedCount"]) != "1" {
		t.Fatalf("status %v", st)
	}
	file := h.mustStatus(h.call("GET", st["download"].(map[string]any)["downloadLink"].(string), nil), 200)
	ms := h.clock.Now().UnixMilli()
	want := fmt.Sprintf(`{"reservationId":"r-1","externalRefId":"order-1","reservationTime":%d,"reservationState":"OPEN",`+
		`"reservationDetails":[{"group":"online","sku":"sku-1","quantity":2,"reservationDetailActions":[`+
		`{"requestId":"r-1","externalRefId":"order-1","quantity":2,"action":"Reserved","group":"online","timestamp":"%d"}]}]}`+"\n", ms, ms)
	if string(file.body) != want {
		t.Fatalf("file:\n%s\nwant:\n%s", file.body, want)
	}
	var m map[string]any
	if err := json.Unmarshal(file.body, &m); err != nil {
		t.Fatalf("the line is not JSON: %v", err)
	}
	h.mustStatus(h.call("DELETE", impex("/reservations/exports/"+id), nil), 204)
	h.mustStatus(h.call("GET", links["exportStatusLink"].(string), nil), 404)
}

// TestReservationsExport_BadRequests: every bad body is a 400 naming the
// field, and the read scope may not start an export.
func TestReservationsExport_BadRequests(t *testing.T) {
	h := start(t)
	for _, c := range []struct{ body, code, param string }{
		{`{"fromDate":"2026-01-01T00:00:00Z"}`, "MissingParameter", "status"},
		{`{"status":"pending","fromDate":"2026-01-01T00:00:00Z"}`, "InvalidRequestParameter", "status"},
		{`{"status":"open"}`, "MissingParameter", "fromDate"},
		{`{"status":"open","fromDate":"yesterday"}`, "InvalidRequestParameter", "fromDate"},
		{`{"status":"open","fromDate":"1700-01-01T00:00:00Z"}`, "InvalidRequestParameter", "fromDate"},
		{`{"status":"closed","fromDate":"2026-01-02T00:00:00Z","toDate":"2026-01-01T00:00:00Z"}`, "InvalidRequestParameter", "toDate"},
		{`{"status":1,"fromDate":"2026-01-01T00:00:00Z"}`, "InvalidRequestParameter", "status"},
		{`{"status":"open",`, "InvalidRequest", ""},
	} {
		r := h.call("POST", impex("/reservations/exports"), c.body)
		p := r.json(t)
		if r.status != 400 || p["errorCode"] != c.code || (c.param != "" && p["parameterName"] != c.param) {
			t.Errorf("%s: %d %s; want 400 %s naming %q", c.body, r.status, r.body, c.code, c.param)
		}
	}
	read := h.mustToken("dev", "secret", "SALESFORCE_COMMERCE_API:"+tenant+" sfcc.inventory.impex-inventory")
	body := []byte(`{"status":"open","fromDate":"2026-01-01T00:00:00Z"}`)
	if r := h.do("POST", impex("/reservations/exports"), read, "application/json", body); r.status != 403 {
		t.Fatalf("read scope may start an export: %d %s", r.status, r.body)
	}
	if r := h.do("GET", impex("/reservations/exports/nope/status"), read, "", nil); r.status != 404 || !strings.Contains(string(r.body), "EntityNotFound") {
		t.Fatalf("status of an unknown export with the read scope: %d %s", r.status, r.body)
	}
}
