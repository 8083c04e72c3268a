package wire

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"strings"
	"testing"
)

func TestAvailabilityURI(t *testing.T) {
	r := Availability("f_ecom_zzzz_001", "RefArch", []string{"sku-1", "a b"}, []string{"phoenix"})
	want := "/product/shopper-availability/v1/organizations/f_ecom_zzzz_001/availability?siteId=RefArch&productIds=sku-1,a+b&inventoryIds=phoenix"
	if r.Method != "GET" || r.URI != want {
		t.Fatalf("got %s %s", r.Method, r.URI)
	}
	if got := Availability("o", "s", []string{"x"}, nil).URI; strings.Contains(got, "inventoryIds") {
		t.Fatalf("no lists asked for, got %s", got)
	}
}

func TestOutcomes(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func(int, []byte) string
		code int
		body string
		want string
	}{
		{"lookup ok", AvailabilityOutcome, 200, SampleAvailabilityAnswer, "ok"},
		{"lookup empty", AvailabilityOutcome, 200, `{"limit":0,"total":0,"data":[]}`, "empty"},
		{"lookup 400", AvailabilityOutcome, 400, `{}`, ""},
		{"order created", OrderOutcome, 200, `{"orderNo":"1"}`, OutcomeCreated},
		{"order unavailable", OrderOutcome, 400, `{"title":"Product item is not available"}`, OutcomeNotAvailable},
		{"order core down", OrderOutcome, 503, `{}`, OutcomeCoreDown},
		{"order other 400", OrderOutcome, 400, `{"title":"bad basket"}`, ""},
		{"reserve ok", ReservationOutcome, 200, `{"success":true,"groups":[]}`, OutcomeReserved},
		{"reserve ok spaced", ReservationOutcome, 200, `{"success": true}`, OutcomeReserved},
		{"reserve short", ReservationOutcome, 200, `{"success":false,"groups":[{"id":"g","errors":[{"sku":"s","errorCode":"InsufficientQuantity"}]}]}`, OutcomeInsufficient},
		{"reserve other", ReservationOutcome, 200, `{"success":false}`, OutcomeRejected},
		{"reserve conflict", ReservationOutcome, 409, `{}`, OutcomeConflict},
		{"reserve 400", ReservationOutcome, 400, `{}`, ""},
	} {
		if got := c.f(c.code, []byte(c.body)); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestReserveBody(t *testing.T) {
	r := Reserve("t1", "id-1", Place{Group: true, ID: "online"}, []Line{{Sku: "s1", Quantity: 1}}, false)
	want := `{"allowPartialReservations":false,"groups":[{"id":"online","reservations":[{"sku":"s1","quantity":1}]}]}`
	if r.Method != "PUT" || r.URI != "/inventory/reservation/v1/organizations/t1/reservation-documents/id-1" || string(r.Body) != want {
		t.Fatalf("%s %s %s", r.Method, r.URI, r.Body)
	}
	if c := CancelReservation("t1", "id-1"); c.Method != "PATCH" || string(c.Body) != `{"status":"CANCELLED"}` {
		t.Fatalf("%s %s", c.Method, c.Body)
	}
}

func TestTokenRequest(t *testing.T) {
	r, auth := TokenRequest("dev", "dev-secret", "tenant1")
	form, err := url.ParseQuery(string(r.Body))
	if err != nil || form.Get("grant_type") != "client_credentials" ||
		!strings.HasPrefix(form.Get("scope"), "SALESFORCE_COMMERCE_API:tenant1 sfcc.inventory.availability ") {
		t.Fatalf("form %v %v", form, err)
	}
	if auth != "Basic "+base64.StdEncoding.EncodeToString([]byte("dev:dev-secret")) {
		t.Fatalf("auth %q", auth)
	}
	tok, err := ParseToken([]byte(`{"access_token":"abc","token_type":"Bearer","expires_in":1800}`))
	if err != nil || tok.Bearer != "Bearer abc" || tok.Expires.Minutes() != 30 {
		t.Fatalf("%+v %v", tok, err)
	}
}

// The upload body is a well-formed multipart form whose fileUpload part is
// exactly the file.
func TestUploadBody(t *testing.T) {
	var file []byte
	for i := range 3 {
		file = AppendImportLine(file, ImportRecord{RecordID: "r" + string(rune('0'+i)), LocationID: "wh-a", Sku: "s1", OnHand: 10, EffectiveDate: "2026-01-01T00:00:00Z"})
	}
	for line := range strings.Lines(string(file)) {
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil || v["onHand"] != 10.0 || v["locationId"] != "wh-a" {
			t.Fatalf("line %q: %v %v", line, v, err)
		}
	}
	body, ct, overhead := UploadBody("x.ndjson", strings.NewReader(string(file)))
	all, _ := io.ReadAll(body)
	if len(all) != len(file)+overhead {
		t.Fatalf("body %d bytes, want %d", len(all), len(file)+overhead)
	}
	_, params, err := mime.ParseMediaType(ct)
	if err != nil {
		t.Fatal(err)
	}
	part, err := multipart.NewReader(strings.NewReader(string(all)), params["boundary"]).NextPart()
	if err != nil || part.FormName() != UploadField || part.FileName() != "x.ndjson" {
		t.Fatalf("part %v %v", part, err)
	}
	got, _ := io.ReadAll(part)
	if string(got) != string(file) {
		t.Fatalf("file in the form differs:\n%q\n%q", got, file)
	}
}

func TestImportStatus(t *testing.T) {
	s, err := ParseImportStatus([]byte(`{"importId":"i","status":"COMPLETED","import":{"recordsProcessedCount":5,"recordsReadCount":6,"recordsSkippedCount":1}}`))
	if err != nil || !s.Done() || s.Failed() || s.Import.Processed != 5 || s.Import.Skipped != 1 {
		t.Fatalf("%+v %v", s, err)
	}
	if s, _ := ParseImportStatus([]byte(`{"status":"RUNNING"}`)); s.Done() {
		t.Fatal("RUNNING is not done")
	}
	if PathOf("http://127.0.0.1:1/inventory/x?y=1") != "/inventory/x?y=1" || PathOf("/a/b") != "/a/b" {
		t.Fatal("PathOf")
	}
}

func TestAvailabilityAnswerRecord(t *testing.T) {
	a, err := ParseAvailability([]byte(`{"groups":[{"id":"online","records":[{"sku":"s1","onHand":10,"reserved":3,"atf":7,"ato":7.5}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	r, err := a.Record(Place{Group: true, ID: "online"}, "s1")
	if err != nil || r.Reserved != 3 || r.Ato != 7.5 {
		t.Fatalf("%+v %v", r, err)
	}
	if _, err := a.Record(Place{ID: "online"}, "s1"); err == nil {
		t.Fatal("found a group record as a location")
	}
}
