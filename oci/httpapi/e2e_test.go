package httpapi_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"mime/multipart"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"ociedge/internal/clocktest"
	"ociedge/oci/node"
)

func impex(p string) string { return "/inventory/impex/v1/organizations/" + tenant + p }

// importFile runs the documented import: initiate, multipart upload to the
// uploadLink, poll the status until it ends.
func (h *harness) importFile(name string, data []byte, gz bool) map[string]any {
	h.t.Helper()
	req := map[string]any{"fileName": name}
	if gz {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write(data)
		w.Close()
		data = b.Bytes()
		req["fileEncoding"] = "GZIP"
	}
	links := h.mustStatus(h.call("POST", impex("/availability-records/imports"), req), 200).json(h.t)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("fileUpload", name)
	fw.Write(data)
	mw.Close()
	up := h.do("POST", links["uploadLink"].(string), h.token, mw.FormDataContentType(), body.Bytes())
	h.mustStatus(up, 200)
	return h.pollStatus(links["importStatusLink"].(string))
}

func (h *harness) pollStatus(link string) map[string]any {
	h.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		st := h.mustStatus(h.call("GET", link, nil), 200).json(h.t)
		switch st["status"] {
		case "COMPLETED", "FAILED":
			return st
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("job still %v at %s", st["status"], link)
		}
		time.Sleep(5 * time.Millisecond) // polling a remote job, as a client must
	}
}

// exportGroups runs an availability export and returns its lines.
func (h *harness) exportGroups(groups ...string) []map[string]any {
	h.t.Helper()
	links := h.mustStatus(h.call("POST", impex("/availability-records/exports"), map[string]any{"objects": map[string]any{"groups": groups}}), 200).json(h.t)
	st := h.pollStatus(links["exportStatusLink"].(string))
	if st["status"] != "COMPLETED" {
		h.t.Fatalf("export: %v", st)
	}
	file := h.mustStatus(h.call("GET", st["download"].(map[string]any)["downloadLink"].(string), nil), 200)
	var lines []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(file.body))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			h.t.Fatalf("export line %q: %v", sc.Text(), err)
		}
		lines = append(lines, m)
	}
	return lines
}

func record(t *testing.T, r response, kind, place string) map[string]any {
	t.Helper()
	for _, p := range r.json(t)[kind].([]any) {
		if pm := p.(map[string]any); pm["id"] == place {
			return pm["records"].([]any)[0].(map[string]any)
		}
	}
	t.Fatalf("%s %s not in %s", kind, place, r.body)
	return nil
}

// TestEndToEnd walks the documented life of the system over real HTTP:
// token → location graph → import the implementation guide's example files
// (both layouts, one gzipped) → status COMPLETED → get-availability shows
// the formula values → reserve at a group → transfer to a location →
// fulfill → cancel another → export with delta token → get-deltas returns
// exactly the later changes.
func TestEndToEnd(t *testing.T) {
	h := start(t, func(c *node.Config) {
		// Before the guide's example dates, so its futures are in the future.
		c.Now = clocktest.New(time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC)).Now
	})
	h.mustStatus(h.call("PUT", admin("/location-graph"), `{"locations":["Warehouse-A","Warehouse-B","Warehouse-C"],
	  "groups":[{"id":"online","locations":["Warehouse-A","Warehouse-C"]}]}`), 200)

	for _, f := range []struct {
		file string
		gz   bool
		read float64
	}{{"seed-highperf.ndjson", false, 5}, {"seed-legacy.ndjson", true, 3}} {
		data, err := os.ReadFile("testdata/" + f.file)
		if err != nil {
			t.Fatal(err)
		}
		st := h.importFile(f.file, data, f.gz)
		imp := st["import"].(map[string]any)
		if st["status"] != "COMPLETED" || imp["recordsReadCount"] != f.read || imp["recordsProcessedCount"] != f.read {
			t.Fatalf("%s: %v", f.file, st)
		}
		res := h.mustStatus(h.call("GET", imp["fullResults"].(map[string]any)["href"].(string), nil), 200)
		if !strings.HasPrefix(string(res.body), `{"status":"COMPLETED_WITHOUT_ERRORS"}`) {
			t.Errorf("%s result file: %s", f.file, res.body)
		}
	}

	ga := avail("/availability-records/actions/get-availability")
	r := h.mustStatus(h.call("POST", ga, `{"sku":"sku1","group":"online"}`), 200)
	for place, want := range map[string][2]string{"Warehouse-A": {"30", "40.25"}, "Warehouse-C": {"17", "27.25"}} {
		rec := record(t, r, "locations", place)
		if num(rec["atf"]) != want[0] || num(rec["ato"]) != want[1] {
			t.Errorf("%s: atf %v ato %v, want %v", place, rec["atf"], rec["ato"], want)
		}
	}
	g := record(t, r, "groups", "online")
	if num(g["onHand"]) != "77" || num(g["safetyStockCount"]) != "30" || num(g["atf"]) != "47" || num(g["ato"]) != "67.5" {
		t.Errorf("online: %v", g)
	}
	if fs := g["futures"].([]any); len(fs) != 1 || num(fs[0].(map[string]any)["quantity"]) != "20.5" {
		t.Errorf("group futures merge by date: %v", g["futures"])
	}
	b := record(t, h.mustStatus(h.call("POST", ga, `{"skus":["sku1","12389156"],"locations":["Warehouse-B","Warehouse-A"]}`), 200), "locations", "Warehouse-B")
	if num(b["onHand"]) != "10" || num(b["ato"]) != "11" {
		t.Errorf("Warehouse-B sku1 from the high-performance layout: %v", b)
	}

	lines := h.exportGroups("online")
	if lines[0]["groupId"] != "online" {
		t.Errorf("export starts with the place header: %v", lines[0])
	}
	token, _ := lines[len(lines)-1]["deltaToken"].(string)
	if token == "" {
		t.Fatalf("export must end with a deltaToken line: %v", lines[len(lines)-1])
	}

	h.mustStatus(h.call("PUT", resv("/reservation-documents/order-1"), `{"allowPartialReservations":false,
	  "groups":[{"id":"online","reservations":[{"sku":"sku1","quantity":5}]}]}`), 200)
	h.mustStatus(h.call("POST", resv("/transfers"), `{"records":[{"id":"t-1","from":{"group":"online"},"to":{"location":"Warehouse-A"},"sku":"sku1","quantity":5}]}`), 204)
	h.mustStatus(h.call("POST", resv("/fulfillments"), `{"records":[{"id":"f-1","location":"Warehouse-A","sku":"sku1","quantity":2}]}`), 204)
	h.mustStatus(h.call("PUT", resv("/reservation-documents/order-2"), `{"locations":[{"id":"Warehouse-C","reservations":[{"sku":"sku2","quantity":1}]}]}`), 200)
	h.mustStatus(h.call("PATCH", resv("/reservation-documents/order-2"), `{"status":"CANCELLED"}`), 204)

	d := h.mustStatus(h.call("POST", avail("/availability-records/actions/get-deltas"), map[string]string{"deltaToken": token}), 200).json(t)
	var got []string
	var sku1 map[string]any
	for _, rec := range d["records"].([]any) {
		m := rec.(map[string]any)
		got = append(got, m["id"].(string)+"/"+m["sku"].(string)+"/"+m["deltaType"].(string))
		if m["sku"] == "sku1" {
			sku1 = m
		}
	}
	sort.Strings(got)
	if strings.Join(got, " ") != "online/sku1/Change online/sku2/Change" || d["shouldQueryAgain"] != false {
		t.Fatalf("deltas after the export: %v (shouldQueryAgain %v)", got, d["shouldQueryAgain"])
	}
	if num(sku1["onHand"]) != "75" || num(sku1["reserved"]) != "3" || num(sku1["atf"]) != "42" {
		t.Errorf("online/sku1 after reserve 5, transfer, fulfill 2: %v", sku1)
	}
	again := h.mustStatus(h.call("POST", avail("/availability-records/actions/get-deltas"), map[string]any{"deltaToken": d["nextDeltaToken"]}), 200).json(t)
	if len(again["records"].([]any)) != 0 {
		t.Errorf("nothing changed since: %v", again)
	}
	if inv := h.mustStatus(h.call("GET", admin("/invariants"), nil), 200).json(t); inv["ok"] != true {
		t.Errorf("invariants: %v", inv)
	}
}
