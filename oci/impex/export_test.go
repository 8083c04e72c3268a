package impex

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"ociedge/oci"
)

// exportFile downloads a completed availability export and splits it into
// its JSON lines.
func (e *env) exportLines(id string) []map[string]any {
	e.tb.Helper()
	rc, size, err := e.svc.ExportFile(org, id)
	if err != nil {
		e.tb.Fatal(err)
	}
	defer rc.Close()
	body, _ := io.ReadAll(rc)
	if int64(len(body)) != size {
		e.tb.Fatalf("%d bytes, size %d", len(body), size)
	}
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			e.tb.Fatalf("%s: %v", sc.Bytes(), err)
		}
		out = append(out, m)
	}
	return out
}

func (e *env) mustExport(objs ExportObjects) (string, *ExportStatus) {
	e.tb.Helper()
	links, err := e.svc.InitiateExport(org, objs)
	if err != nil {
		e.tb.Fatal(err)
	}
	if _, err := e.svc.Wait(t0ctx(), links.ExportID); err != nil {
		e.tb.Fatal(err)
	}
	st, err := e.svc.ExportStatus(org, links.ExportID)
	if err != nil {
		e.tb.Fatal(err)
	}
	return links.ExportID, st
}

func TestExport_LocationsFileAndDeltaToken(t *testing.T) {
	e := newEnv(t)
	e.mustImport(lines(
		`{"recordId":"e1","locationId":"wickenburg","sku":"a\"b","onHand":10.25,"safetyStockCount":0.001,"effectiveDate":"2020-04-08T14:05:22.790896-07:00","futures":[{"quantity":1.5,"expectedDate":"2020-05-01T00:00:00Z"}]}`,
		`{"recordId":"e2","locationId":"prescott","sku":"b","onHand":3,"effectiveDate":"2020-04-01T00:00:00Z"}`,
	))
	id, st := e.mustExport(ExportObjects{Locations: []string{"wickenburg", "prescott", "surprise"}})
	if st.Status != StatusCompleted || st.Export.RecordsExportedCount != 2 || st.Export.RecordsProcessedCount != 2 ||
		strings.Join(st.Export.Locations, ",") != "wickenburg,prescott,surprise" || st.Download == nil ||
		st.Download.DownloadLink != "/inventory/impex/v1/organizations/tenant1/availability-records/exports/"+id+"/file-content" {
		t.Fatalf("status %+v", st)
	}
	got := e.exportLines(id)
	want := []string{
		`{"locationId":"wickenburg"}`,
		`{"atf":"10.249","ato":"11.749","effectiveDate":"2020-04-08T21:05:22.790896Z","futures":[{"expectedDate":"2020-05-01T00:00:00Z","quantity":"1.5"}],"onHand":"10.25","reserved":"0","safetyStockCount":"0.001","sku":"a\"b"}`,
		`{"locationId":"prescott"}`,
		`{"atf":"3","ato":"3","effectiveDate":"2020-04-01T00:00:00Z","futures":[],"onHand":"3","reserved":"0","safetyStockCount":"0","sku":"b"}`,
		`{"locationId":"surprise"}`,
	}
	if len(got) != len(want)+1 {
		t.Fatalf("%d lines: %v", len(got), got)
	}
	for i, w := range want {
		if g := canonical(t, got[i]); g != w {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, g, w)
		}
	}
	token, _ := got[len(got)-1]["deltaToken"].(string)
	d, err := e.core.Deltas(token)
	if err != nil || len(d.Records) != 0 {
		t.Fatalf("deltas right after the export: %+v %v", d, err)
	}
	if _, err := e.core.BatchUpdate([]oci.RecordUpdate{{ID: "x1", Location: "prescott", SKU: "b", OnHand: oci.Value(q(7))}}); err != nil {
		t.Fatal(err)
	}
	d, err = e.core.Deltas(token)
	if err != nil || len(d.Records) != 1 || d.Records[0].Place != "prescott" || d.Records[0].OnHand != q(7) {
		t.Fatalf("deltas after a change: %+v %v", d, err)
	}
}

// canonical re-marshals a decoded line with sorted keys and numbers as strings.
func canonical(t *testing.T, m map[string]any) string {
	t.Helper()
	var fix func(v any) any
	fix = func(v any) any {
		switch x := v.(type) {
		case json.Number:
			return x.String()
		case []any:
			for i := range x {
				x[i] = fix(x[i])
			}
		case map[string]any:
			for k := range x {
				x[k] = fix(x[k])
			}
		}
		return v
	}
	b, err := json.Marshal(fix(m))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestExport_GroupLinesCarryGroupFields(t *testing.T) {
	e := newEnv(t)
	e.mustImport(lines(
		`{"recordId":"g1","locationId":"wickenburg","sku":"s","onHand":5,"effectiveDate":"2020-04-01T00:00:00Z"}`,
		`{"recordId":"g2","locationId":"surprise","sku":"s","onHand":2.5,"safetyStockCount":0.5,"effectiveDate":"2020-04-02T00:00:00Z"}`,
	))
	res, err := e.core.Reserve(&oci.ReserveRequest{ReservationID: "res1",
		Groups: []oci.PlaceLines{{ID: "arizona", Lines: []oci.Line{{SKU: "s", Quantity: q(1.25)}}}}})
	if err != nil || !res.Success {
		t.Fatal(res, err)
	}
	id, st := e.mustExport(ExportObjects{Groups: []string{"arizona"}})
	if strings.Join(st.Export.Groups, ",") != "arizona" || st.Export.Locations != nil {
		t.Fatalf("status %+v", st.Export)
	}
	got := e.exportLines(id)
	if len(got) != 3 || canonical(t, got[0]) != `{"groupId":"arizona"}` {
		t.Fatalf("%v", got)
	}
	want := `{"atf":"5.75","ato":"5.75","effectiveDate":"2020-04-02T00:00:00Z","futures":[],"groupReserved":"1.25","onHand":"7.5","reserved":"1.25","safetyStockCount":"0.5","sharedGroupReserved":"0","sku":"s"}`
	if g := canonical(t, got[1]); g != want {
		t.Errorf("\n got %s\nwant %s", g, want)
	}
	if _, ok := got[2]["deltaToken"]; !ok {
		t.Errorf("last line %v", got[2])
	}
}

func TestExport_RequestValidation(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		objs  ExportObjects
		code  oci.Code
		place string
		msg   string
	}{
		{ExportObjects{Groups: []string{"arizona"}, Locations: []string{"surprise"}}, oci.InvalidRequestParameter, "", "Locations and Groups not allowed in the same request."},
		{ExportObjects{}, oci.InvalidRequestParameter, "", "must list at least one place"},
		{ExportObjects{Locations: []string{"surprise", "mars"}}, oci.LocationDoesNotExist, "mars", "No location exists with ID 'mars'"},
		{ExportObjects{Groups: []string{"texas"}}, oci.GroupDoesNotExist, "texas", "No group exists with ID 'texas'"},
		{ExportObjects{Groups: []string{"surprise"}}, oci.GroupDoesNotExist, "surprise", ""},
		{ExportObjects{Locations: []string{"surprise", "surprise"}}, oci.InvalidRequestParameter, "", "listed twice"},
		{ExportObjects{Locations: []string{"a/b"}}, oci.InvalidRequestParameter, "", "may contain only"},
	} {
		_, err := e.svc.InitiateExport(org, tc.objs)
		var oe *oci.Error
		if !errors.As(err, &oe) || oe.Code != tc.code || oe.Location+oe.Group != tc.place || !strings.Contains(oe.Message, tc.msg) {
			t.Errorf("%+v: %v", tc.objs, err)
		}
	}
}

func TestExport_DownloadLifecycle(t *testing.T) {
	var g *gatedCore
	e := newEnv(t, withGate(&g))
	g.hold.Store(true)
	links, err := e.svc.InitiateExport(org, ExportObjects{Locations: []string{"surprise"}})
	if err != nil {
		t.Fatal(err)
	}
	id := links.ExportID
	<-g.entered
	if _, _, err := e.svc.ExportFile(org, id); codeOf(err) != oci.ExportInProcess {
		t.Errorf("download while running: %v", err)
	}
	if err := e.svc.DeleteExport(org, id); codeOf(err) != oci.ExportInProcess {
		t.Errorf("delete while running: %v", err)
	}
	if st, _ := e.svc.ExportStatus(org, id); st.Status != StatusRunning || st.Download != nil {
		t.Errorf("status while running: %+v", st)
	}
	g.hold.Store(false)
	close(g.release)
	e.svc.Wait(t0ctx(), id)
	if _, err := e.svc.GraphExportStatus(org, id); codeOf(err) != oci.EntityNotFound {
		t.Errorf("an availability export is not a graph export: %v", err)
	}
	rc, _, err := e.svc.ExportFile(org, id)
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
	e.clock.Advance(24 * time.Hour)
	if _, _, err := e.svc.ExportFile(org, id); codeOf(err) != oci.ExpiredResultLink {
		t.Errorf("download after the link expired: %v", err)
	}
	if err := e.svc.DeleteExport(org, id); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{e.svc.DeleteExport(org, id), second(e.svc.ExportStatus(org, id))} {
		if codeOf(err) != oci.EntityNotFound {
			t.Errorf("after delete: %v", err)
		}
	}
}

// An export interrupted by Close starts over when the service reopens.
func TestExport_RestartsAfterClose(t *testing.T) {
	var g *gatedCore
	e := newEnv(t, withGate(&g))
	g.hold.Store(true)
	links, _ := e.svc.InitiateExport(org, ExportObjects{Locations: []string{"surprise"}})
	<-g.entered
	e.svc.signalStop()
	g.hold.Store(false)
	close(g.release)
	e.reopen()
	if st, _ := e.svc.Wait(t0ctx(), links.ExportID); st != StatusCompleted {
		t.Fatalf("status %s", st)
	}
}

func TestGraphExport(t *testing.T) {
	e := newEnv(t)
	links, err := e.svc.InitiateGraphExport(org)
	if err != nil {
		t.Fatal(err)
	}
	if links.ExportStatusLink != "/inventory/impex/v1/organizations/tenant1/location-graph/exports/"+links.ExportID+"/status" {
		t.Errorf("link %s", links.ExportStatusLink)
	}
	e.svc.Wait(t0ctx(), links.ExportID)
	st, _ := e.svc.GraphExportStatus(org, links.ExportID)
	rc, size, err := e.svc.GraphExportFile(org, links.ExportID)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(rc)
	rc.Close()
	want := `{"locations":["Warehouse-A","Warehouse-B","wickenburg","prescott","surprise"],"groups":[{"id":"arizona","locations":["wickenburg","prescott","surprise"]},{"id":"warehouses","locations":["Warehouse-A","Warehouse-B"]}]}`
	if string(body) != want {
		t.Errorf("file\n got %s\nwant %s", body, want)
	}
	sum := sha256.Sum256(body)
	if st.Status != StatusCompleted || st.Export.RecordsExportedCount != 7 || st.Validation == nil ||
		st.Validation.FileSize != size || st.Validation.FileHash != hex.EncodeToString(sum[:]) || st.Validation.FileHashType != "SHA-256" ||
		st.Download.DownloadLink != "/inventory/impex/v1/organizations/tenant1/location-graph/exports/"+links.ExportID+"/file-content" {
		t.Errorf("status %+v %+v", st, st.Validation)
	}
	if err := e.svc.DeleteGraphExport(org, links.ExportID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.GraphExportFile(org, links.ExportID); codeOf(err) != oci.EntityNotFound {
		t.Errorf("after delete: %v", err)
	}
}

// The status objects marshal to the documented field names.
func TestStatusJSON(t *testing.T) {
	e := newEnv(t)
	id, _ := e.mustImport(oneRecord)
	st, _ := e.svc.ImportStatus(org, id)
	b, _ := json.Marshal(st)
	for _, f := range []string{`"importId"`, `"status":"COMPLETED"`, `"validation":{"status":"COMPLETED","errors":[]}`,
		`"upload":{"fileName":"inventory.json"}`, `"startTimeUTC"`, `"endTimeUTC"`, `"recordsProcessedCount":1`,
		`"recordsReadCount":1`, `"recordsSkippedCount":0`, `"fullResults":{"href":"/inventory/impex/v1/organizations/tenant1/availability-records/imports/` + id + `/file-content","exportResultExpirationUTC"`} {
		if !bytes.Contains(b, []byte(f)) {
			t.Errorf("import status lacks %s: %s", f, b)
		}
	}
	xid, xst := e.mustExport(ExportObjects{Groups: []string{"arizona"}})
	b, _ = json.Marshal(xst)
	for _, f := range []string{`"id":"` + xid + `"`, `"export":{"startTimeUTC"`, `"recordsProcessedCount":1`, `"recordsExportedCount":1`,
		`"groups":["arizona"]`, `"download":{"downloadLink"`, `"downloadLinkExpirationUTC"`} {
		if !bytes.Contains(b, []byte(f)) {
			t.Errorf("export status lacks %s: %s", f, b)
		}
	}
}

func second[T any](_ T, err error) error { return err }
