package node_test

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"ociedge/oci"
	"ociedge/oci/client"
)

var importGraph = oci.Graph{Locations: []oci.Location{{ID: "W0"}, {ID: "W1"}, {ID: "W2"}, {ID: "W3"}}}

var importPlaces = []string{"W0", "W1", "W2", "W3"}

// importLine i sets sku-(i/4) at W(i%4) to an onHand derived from i, so
// that a file's lines are grouped by sku and every line has its own record.
func importLine(i int) string {
	return fmt.Sprintf(`{"recordId":"rec-%d","locationId":"W%d","sku":"sku-%d","onHand":%d,"effectiveDate":"2026-01-01T00:00:00Z"}`+"\n",
		i, i%4, i/4, onHandOf(i))
}

func onHandOf(i int) int { return i%97 + 1 }

// importFile returns the lines [from, to) as a file.
func importFile(from, to int) []byte {
	var b bytes.Buffer
	for i := from; i < to; i++ {
		b.WriteString(importLine(i))
	}
	return b.Bytes()
}

// importJob is what the status route says of an import.
type importJob struct {
	ID     string `json:"importId"`
	Status string `json:"status"`
	Import struct {
		Processed int64 `json:"recordsProcessedCount"`
		Read      int64 `json:"recordsReadCount"`
		Skipped   int64 `json:"recordsSkippedCount"`
	} `json:"import"`
}

const importsPath = "/inventory/impex/v1/organizations/" + tenant + "/availability-records/imports"

func importStatus(t *testing.T, base, id string) importJob {
	t.Helper()
	var st importJob
	getJSON(t, base, importsPath+"/"+id+"/status", &st)
	return st
}

// onlyImport returns the id of the one import the core lists, or "".
func onlyImport(t *testing.T, base string) string {
	t.Helper()
	var l struct{ Imports []string }
	getJSON(t, base, importsPath, &l)
	if len(l.Imports) > 1 {
		t.Fatalf("more than one import: %v", l.Imports)
	}
	if len(l.Imports) == 0 {
		return ""
	}
	return l.Imports[0]
}

// checkRecords exports every location and checks that exactly lines
// [0, n) are there with their values.
func checkRecords(t *testing.T, c *client.Client, n int) {
	t.Helper()
	got := 0
	_, err := c.Export(bg(), oci.PlaceLocation, importPlaces, func(place string, vs []oci.Values) error {
		for _, v := range vs {
			var i int
			fmt.Sscanf(v.SKU, "sku-%d", &i)
			i = 4*i + int(place[1]-'0')
			if i >= n || v.OnHand != oci.Qty(1000*onHandOf(i)) {
				return fmt.Errorf("%s/%s has onHand %s; line %d of %d says %d", place, v.SKU, v.OnHand, i, n, onHandOf(i))
			}
			got++
		}
		return nil
	})
	if err != nil || got != n {
		t.Fatalf("export: %d records, want %d: %v", got, n, err)
	}
}

// TestKill9Process_DuringImport: SIGKILL of the core process in the middle
// of applying an import: the restarted core resumes the import to
// COMPLETED by itself, with every line applied once and right; sending the
// same file again skips every line. An import whose upload was cut by the
// kill applies nothing, and re-sending that file skips exactly the lines
// applied before and applies the rest.
func TestKill9Process_DuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("starts core processes")
	}
	const n1, n2 = 20000, 4000
	rng := rand.New(rand.NewPCG(12, 1))
	dir := t.TempDir()
	p := startCore(t, dir)
	if err := p.client(t, true).PutGraph(bg(), importGraph); err != nil {
		t.Fatal(err)
	}
	id := killDuringApply(t, p, importFile(0, n1), int64(n1/10+rng.IntN(n1/2)))

	p = startCore(t, dir)
	c := p.client(t, true)
	var st importJob
	awaitCond(t, "the interrupted import to resume and complete", 60*time.Second, func() bool {
		st = importStatus(t, p.url, id)
		return st.Status == "COMPLETED" || st.Status == "FAILED"
	})
	if st.Status != "COMPLETED" || st.Import.Read != n1 || st.Import.Processed+st.Import.Skipped != n1 {
		t.Fatalf("resumed import: %+v; want COMPLETED with %d lines read, processed or skipped", st, n1)
	}
	checkRecords(t, c, n1)
	again, err := c.Import(bg(), bytes.NewReader(importFile(0, n1)), client.ImportOptions{})
	if err != nil || again.RecordsSkipped != n1 || again.RecordsProcessed != 0 {
		t.Fatalf("the same file again: %+v %v; want all %d lines skipped", again, err, n1)
	}

	p = killDuringUpload(t, p, dir, importFile(0, n1+n2))
	c = p.client(t, true)
	checkRecords(t, c, n1)
	rest, err := c.Import(bg(), bytes.NewReader(importFile(0, n1+n2)), client.ImportOptions{})
	if err != nil || rest.RecordsSkipped != n1 || rest.RecordsProcessed != n2 {
		t.Fatalf("the cut file again: %+v %v; want %d skipped and %d applied", rest, err, n1, n2)
	}
	checkRecords(t, c, n1+n2)
	mustInvariants(t, p.url)
	t.Logf("the resumed import ended with %d processed and %d skipped (applied before the kill, after the last checkpoint)",
		st.Import.Processed, st.Import.Skipped)
}

// killDuringApply imports file on p and kills p once at least killAt
// records were processed, and returns the import's id.
func killDuringApply(t *testing.T, p *coreProc, file []byte, killAt int64) string {
	t.Helper()
	go p.client(t, false).Import(bg(), bytes.NewReader(file), client.ImportOptions{}) // ends with the process
	var id string
	awaitCond(t, "the import to be listed", 30*time.Second, func() bool { id = onlyImport(t, p.url); return id != "" })
	var st importJob
	awaitCond(t, fmt.Sprintf("%d records processed", killAt), 60*time.Second, func() bool {
		st = importStatus(t, p.url, id)
		return st.Import.Processed >= killAt || st.Status == "COMPLETED" || st.Status == "FAILED"
	})
	p.Kill()
	if st.Status != "RUNNING" {
		t.Logf("the import was %s before the kill: the resume is not exercised", st.Status)
	}
	t.Logf("killed with %d of %d records processed", st.Import.Processed, bytes.Count(file, []byte("\n")))
	return id
}

// killDuringUpload starts importing file on p, kills p when half the file
// was sent, and returns the restarted core.
func killDuringUpload(t *testing.T, p *coreProc, dir string, file []byte) *coreProc {
	t.Helper()
	r := &cutReader{data: file, at: len(file) / 2, reached: make(chan struct{}), resume: make(chan struct{})}
	done := make(chan error, 1)
	go func() {
		_, err := p.client(t, false).Import(bg(), r, client.ImportOptions{})
		done <- err
	}()
	select {
	case <-r.reached:
	case err := <-done:
		t.Fatalf("the upload ended before it was cut: %v", err)
	}
	p.Kill()
	close(r.resume)
	if err := <-done; err == nil {
		t.Fatal("an import whose core was killed during the upload succeeded")
	}
	return startCore(t, dir)
}

// cutReader yields data up to at, then signals reached and waits for resume
// before it yields the rest.
type cutReader struct {
	data    []byte
	off, at int
	reached chan struct{}
	resume  chan struct{}
}

func (r *cutReader) Read(p []byte) (int, error) {
	if r.off == r.at {
		close(r.reached)
		<-r.resume
		r.at = -1
	}
	if r.off >= len(r.data) {
		return 0, io.EOF
	}
	end := len(r.data)
	if r.at > r.off {
		end = r.at
	}
	n := copy(p, r.data[r.off:end])
	r.off += n
	return n, nil
}
