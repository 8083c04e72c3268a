package impex

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"ociedge/oci"
)

var oneRecord = lines(`{"recordId":"z1","locationId":"surprise","sku":"z","onHand":4,"effectiveDate":"2020-04-01T00:00:00Z"}`)

func gzipped(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

func TestUpload_Gzip(t *testing.T) {
	e := newEnv(t, withConfig(func(c *Config) { c.MaxDecompressedBytes = 4096 }))
	for _, tc := range []struct {
		name     string
		declared bool
		body     []byte
		status   Status
		problem  string
	}{
		{"declared and compressed", true, gzipped(oneRecord), StatusCompleted, ""},
		{"compressed but not declared", false, gzipped(oneRecord), StatusFailed, msgGzipUndeclared},
		{"declared but not compressed", true, []byte(oneRecord), StatusFailed, msgGzipMissing},
		{"corrupt stream", true, gzipped(oneRecord)[:20], StatusFailed, "File is not a valid GZIP stream"},
		{"bomb", true, gzipped(oneRecord + strings.Repeat(" ", 8000)), StatusFailed, "larger than 4096 bytes once decompressed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := InitiateImport{}
			if tc.declared {
				req.FileEncoding = "GZIP"
			}
			id := e.initiate(req)
			if _, err := e.svc.Upload(org, id, bytes.NewReader(tc.body)); err != nil {
				t.Fatal(err)
			}
			st := e.wait(id)
			if st.Status != tc.status {
				t.Fatalf("status %s, want %s: %+v", st.Status, tc.status, st)
			}
			if tc.problem == "" {
				if v := e.values("surprise", "z"); v.OnHand != q(4) || st.Validation.Status != "COMPLETED" {
					t.Errorf("not applied: %+v %+v", v, st.Validation)
				}
				return
			}
			if st.Validation.Status != "FAILED" || len(st.Validation.Errors) != 1 || !strings.Contains(st.Validation.Errors[0], tc.problem) {
				t.Errorf("validation %+v, want %q", st.Validation, tc.problem)
			}
			if status, fails := e.results(id); status != ResultFailed || len(fails) != 0 {
				t.Errorf("results %s %+v", status, fails)
			}
			if st.Import.RecordsReadCount != 0 {
				t.Errorf("a refused file was read: %+v", st.Import)
			}
			if _, err := e.svc.Upload(org, id, strings.NewReader(oneRecord)); codeOf(err) != oci.FileAlreadyReceived {
				t.Errorf("second upload: %v", err)
			}
		})
	}
}

func TestUpload_Hash(t *testing.T) {
	e := newEnv(t)
	sum := sha256.Sum256([]byte(oneRecord))
	ok := e.initiate(InitiateImport{FileHash: strings.ToUpper(hex.EncodeToString(sum[:]))})
	e.svc.Upload(org, ok, strings.NewReader(oneRecord))
	if st := e.wait(ok); st.Status != StatusCompleted {
		t.Errorf("matching hash: %+v", st)
	}
	bad := e.initiate(InitiateImport{FileHash: strings.Repeat("ab", 32), FileHashType: "SHA-256"})
	e.svc.Upload(org, bad, strings.NewReader(oneRecord))
	if st := e.wait(bad); st.Status != StatusFailed || !strings.Contains(st.Validation.Errors[0], "does not match the declared fileHash") {
		t.Errorf("wrong hash: %+v", st)
	}
}

// A file over the limit, and a stream that breaks off, are refused whole;
// the link stays valid and a good upload then works.
func TestUpload_TooLargeOrInterruptedLeavesTheLinkUsable(t *testing.T) {
	e := newEnv(t, withConfig(func(c *Config) { c.MaxFileBytes = 200 }))
	id := e.initiate(InitiateImport{})
	_, err := e.svc.Upload(org, id, strings.NewReader(oneRecord+strings.Repeat(" ", 200)))
	if codeOf(err) != FileTooLarge {
		t.Fatalf("oversize upload: %v", err)
	}
	broken := io.MultiReader(strings.NewReader(oneRecord[:50]), errReader{io.ErrUnexpectedEOF})
	_, err = e.svc.Upload(org, id, broken)
	if codeOf(err) != oci.InvalidRequest || !errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), "interrupted after 50 bytes") {
		t.Fatalf("interrupted upload: %v", err)
	}
	if st, _ := e.svc.ImportStatus(org, id); st.Status != StatusWaiting {
		t.Fatalf("after refused uploads the import is %s", st.Status)
	}
	if ids := e.svc.ListImports(org, true); len(ids) != 1 || ids[0] != id {
		t.Fatalf("available imports %v", ids)
	}
	if v := e.values("surprise", "z"); v.Exists {
		t.Fatalf("part of a refused file was applied: %+v", v)
	}
	if files, _ := os.ReadDir(e.svc.cfg.Dir); len(files) != 0 {
		t.Errorf("refused uploads left files: %v", files)
	}
	res, err := e.svc.Upload(org, id, strings.NewReader(oneRecord))
	if err != nil || res.ImportID != id {
		t.Fatal(res, err)
	}
	if st := e.wait(id); st.Status != StatusCompleted || st.Import.RecordsProcessedCount != 1 {
		t.Fatalf("%+v", st)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestUpload_LinkLifecycle(t *testing.T) {
	e := newEnv(t)
	ten := 10
	id := e.initiate(InitiateImport{LinkDuration: &ten})
	if _, err := e.svc.Upload(org, "nope", strings.NewReader(oneRecord)); codeOf(err) != oci.EntityNotFound {
		t.Errorf("unknown link: %v", err)
	}
	if _, err := e.svc.Upload("other-org", id, strings.NewReader(oneRecord)); codeOf(err) != oci.EntityNotFound {
		t.Errorf("another organization's link: %v", err)
	}
	e.clock.Advance(10 * time.Minute)
	if _, err := e.svc.Upload(org, id, strings.NewReader(oneRecord)); codeOf(err) != oci.ExpiredUploadLink {
		t.Errorf("expired link: %v", err)
	}
	if st, _ := e.svc.ImportStatus(org, id); st.Status != StatusExpired {
		t.Errorf("status %s, want EXPIRED", st.Status)
	}
	if _, _, err := e.svc.ImportResults(org, id); codeOf(err) != oci.ExpiredUploadLink {
		t.Errorf("results of an expired import: %v", err)
	}
	live := e.initiate(InitiateImport{})
	if ids := e.svc.ListImports(org, true); len(ids) != 1 || ids[0] != live {
		t.Errorf("available: %v, want [%s]", ids, live)
	}
	if ids := e.svc.ListImports(org, false); len(ids) != 2 || ids[0] != id {
		t.Errorf("all: %v", ids)
	}
	if _, err := e.svc.Upload(org, live, strings.NewReader(oneRecord)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Upload(org, live, strings.NewReader(oneRecord)); codeOf(err) != oci.FileAlreadyReceived {
		t.Errorf("second upload: %v", err)
	}
	e.wait(live)
	if ids := e.svc.ListImports(org, true); len(ids) != 0 {
		t.Errorf("available after upload: %v", ids)
	}
	if ids := e.svc.ListImports("other-org", false); len(ids) != 0 {
		t.Errorf("another organization sees %v", ids)
	}
}

func TestInitiate_Validation(t *testing.T) {
	e := newEnv(t)
	zero, big := 0, 61
	for _, tc := range []struct {
		req   InitiateImport
		param string
	}{
		{InitiateImport{}, "fileName"},
		{InitiateImport{FileName: "f", FileFormat: "CSV"}, "fileFormat"},
		{InitiateImport{FileName: "f", FileEncoding: "ZIP"}, "fileEncoding"},
		{InitiateImport{FileName: "f", FileHashType: "MD5"}, "fileHashType"},
		{InitiateImport{FileName: "f", FileHash: "abc"}, "fileHash"},
		{InitiateImport{FileName: "f", FileHash: strings.Repeat("a", 64), FileHashType: "SHA-512"}, "fileHash"},
		{InitiateImport{FileName: "f", LinkDuration: &zero}, "linkDuration"},
		{InitiateImport{FileName: "f", LinkDuration: &big}, "linkDuration"},
	} {
		_, err := e.svc.Initiate(org, tc.req)
		var oe *oci.Error
		if !errors.As(err, &oe) || oe.Code != oci.InvalidRequestParameter || oe.Parameter != tc.param {
			t.Errorf("%+v: %v, want InvalidRequestParameter on %s", tc.req, err, tc.param)
		}
	}
	links, err := e.svc.Initiate(org, InitiateImport{FileName: "f.json.gz", FileFormat: "json", FileEncoding: "gzip"})
	if err != nil {
		t.Fatal(err)
	}
	base := "/inventory/impex/v1/organizations/tenant1/availability-records/imports/"
	if links.ImportStatusLink != base+links.ImportID+"/status" || links.UploadLink != base+"uploadlink/"+links.ImportID ||
		links.UploadMethod != "POST" || !links.UploadLinkExpiration.Equal(e.clock.Now().Add(time.Hour)) {
		t.Errorf("links %+v", links)
	}
}

func TestImport_RunningImportCannotBeDeletedOrRead(t *testing.T) {
	var g *gatedCore
	e := newEnv(t, withGate(&g))
	g.hold.Store(true)
	id := e.initiate(InitiateImport{})
	if _, err := e.svc.Upload(org, id, strings.NewReader(oneRecord)); err != nil {
		t.Fatal(err)
	}
	<-g.entered
	if err := e.svc.DeleteImport(org, id); codeOf(err) != oci.ImportInProgress {
		t.Errorf("delete while running: %v", err)
	}
	if _, _, err := e.svc.ImportResults(org, id); codeOf(err) != oci.ImportInProgress {
		t.Errorf("results while running: %v", err)
	}
	if st, _ := e.svc.ImportStatus(org, id); st.Status != StatusRunning || st.Import.FullResults != nil || st.Import.StartTimeUTC == nil {
		t.Errorf("status while running: %+v", st)
	}
	g.hold.Store(false)
	close(g.release)
	e.wait(id)
	if err := e.svc.DeleteImport(org, id); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ImportStatus(org, id); codeOf(err) != oci.EntityNotFound {
		t.Errorf("status after delete: %v", err)
	}
	if err := e.svc.DeleteImport(org, id); codeOf(err) != oci.EntityNotFound {
		t.Errorf("second delete: %v", err)
	}
	if files, _ := os.ReadDir(e.svc.cfg.Dir); len(files) != 0 {
		t.Errorf("delete left files: %v", files)
	}
}

// No import is accepted or started while the location graph changes.
func TestImport_WaitsForGraphChanges(t *testing.T) {
	var g *gatedCore
	e := newEnv(t, withGate(&g))
	id := e.initiate(InitiateImport{})
	g.changing.Store(true)
	if _, err := e.svc.Upload(org, id, strings.NewReader(oneRecord)); codeOf(err) != oci.ImportInProgress {
		t.Fatalf("upload during a graph change: %v", err)
	}
	g.changing.Store(false)
	g.hold.Store(true) // holds the import at its first batch
	if _, err := e.svc.Upload(org, id, strings.NewReader(oneRecord)); err != nil {
		t.Fatal(err)
	}
	<-g.entered
	g.hold.Store(false)
	close(g.release)
	if st := e.wait(id); st.Status != StatusCompleted {
		t.Fatalf("%+v", st)
	}
}

func TestImport_ResultsExpireAndJobsAreForgotten(t *testing.T) {
	e := newEnv(t)
	id, _ := e.mustImport(oneRecord)
	waiting := e.initiate(InitiateImport{})
	e.clock.Advance(24*time.Hour + time.Second)
	e.svc.sweep()
	if _, _, err := e.svc.ImportResults(org, id); codeOf(err) != oci.ExpiredResultLink {
		t.Errorf("results after ResultTTL: %v", err)
	}
	if st, err := e.svc.ImportStatus(org, id); err != nil || st.Status != StatusCompleted {
		t.Errorf("status after ResultTTL: %+v %v", st, err)
	}
	if files, _ := os.ReadDir(e.svc.cfg.Dir); len(files) != 0 {
		t.Errorf("expired files kept: %v", files)
	}
	e.clock.Advance(7 * 24 * time.Hour)
	e.svc.sweep()
	for _, x := range []string{id, waiting} {
		if _, err := e.svc.ImportStatus(org, x); codeOf(err) != oci.EntityNotFound {
			t.Errorf("%s after JobRetention: %v", x, err)
		}
	}
	e.reopen()
	if ids := e.svc.ListImports(org, false); len(ids) != 0 {
		t.Errorf("forgotten jobs came back: %v", ids)
	}
}

// Close stops an import between batches; the next New resumes it from its
// checkpoint and the counts come out exact, compressed or not.
func TestImport_ResumesAfterClose(t *testing.T) {
	for _, gz := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "gzip"}[gz], func(t *testing.T) { testResume(t, gz) })
	}
}

func testResume(t *testing.T, gz bool) {
	var g *gatedCore
	e := newEnv(t, withGate(&g), withConfig(func(c *Config) { c.BatchRecords = 10 }))
	var ls []string
	for i := range 95 {
		ls = append(ls, `{"recordId":"r`+itoa(i)+`","locationId":"surprise","sku":"s`+itoa(i)+`","onHand":1,"effectiveDate":"2020-04-01T00:00:00Z"}`)
	}
	ls = append(ls, `not json`)
	body, req := []byte(lines(ls...)), InitiateImport{}
	if gz {
		body, req.FileEncoding = gzipped(string(body)), "GZIP"
	}
	id := e.initiate(req)
	g.hold.Store(true)
	if _, err := e.svc.Upload(org, id, bytes.NewReader(body)); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		<-g.entered
		g.release <- struct{}{}
	}
	<-g.entered
	e.svc.signalStop()
	g.hold.Store(false)
	close(g.release) // the fourth batch applies; the run stops after it
	e.svc.Close()
	if _, err := e.svc.Wait(context.Background(), id); !errors.Is(err, ErrClosed) {
		t.Fatalf("Wait after Close: %v", err)
	}
	e.svc.mu.Lock()
	cp := e.svc.jobs[id].Import.Checkpoint
	e.svc.mu.Unlock()
	if cp.Lines != 40 || cp.Counts.Processed != 40 {
		t.Fatalf("checkpoint at Close: %+v", cp)
	}
	e.reopen()
	st := e.wait(id)
	e.svc.mu.Lock()
	resumes := e.svc.jobs[id].Import.Resumes
	e.svc.mu.Unlock()
	if resumes != 1 || st.Status != StatusCompleted || st.Import.RecordsReadCount != 96 ||
		st.Import.RecordsProcessedCount != 95 || st.Import.RecordsSkippedCount != 0 {
		t.Fatalf("resumes %d, %+v", resumes, st.Import)
	}
	if status, fails := e.results(id); status != ResultPartialFailures || len(fails) != 1 || fails[0].Line != 96 {
		t.Fatalf("results %s %+v", status, fails)
	}
}

func itoa(i int) string { return string(appendInt(nil, i)) }

func appendInt(b []byte, i int) []byte {
	if i >= 10 {
		b = appendInt(b, i/10)
	}
	return append(b, byte('0'+i%10))
}
