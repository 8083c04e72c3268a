package impex

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"ociedge/internal/kv"
	"ociedge/oci"
)

const crashChildEnv = "IMPEX_CRASH_CHILD"

// killAfterApply kills its own process with SIGKILL right after the
// core made the at-th batch durable, before the import could checkpoint it:
// the worst moment for a crash.
type killAfterApply struct {
	*oci.Core
	n, at int
}

func (k *killAfterApply) ApplyImportAsync(us []oci.RecordUpdate) ([]oci.ImportResult, func() error, error) {
	res, wait, err := k.Core.ApplyImportAsync(us)
	if err != nil {
		return res, wait, err
	}
	if k.n++; k.n == k.at {
		wait() // durable, and killed before the import can checkpoint it
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	}
	return res, wait, err
}

// crashChild imports the file named in spec ("dir|file|killAt") and
// prints the import's progress until it is killed: by the parent, or by
// itself after batch killAt if that is not 0.
func crashChild(spec string) {
	parts := strings.Split(spec, "|")
	dir, file := parts[0], parts[1]
	var killAt int
	fmt.Sscan(parts[2], &killAt)
	fail := func(err error) {
		fmt.Println("error", err)
		os.Exit(1)
	}
	st, err := kv.OpenPebble(filepath.Join(dir, "store"), kv.PebbleConfig{})
	if err != nil {
		fail(err)
	}
	clock := newClock()
	c, err := oci.Open(oci.Config{Store: st, Now: clock.Now})
	if err != nil {
		fail(err)
	}
	var core Core = c
	if killAt > 0 {
		core = &killAfterApply{Core: c, at: killAt}
	}
	svc, err := New(Config{Core: core, Store: st, Dir: filepath.Join(dir, "files"), Now: clock.Now, MaxFileBytes: 1 << 30})
	if err != nil {
		fail(err)
	}
	links, err := svc.Initiate(org, InitiateImport{FileName: "big.json"})
	if err != nil {
		fail(err)
	}
	f, err := os.Open(file)
	if err != nil {
		fail(err)
	}
	if _, err := svc.Upload(org, links.ImportID, f); err != nil {
		fail(err)
	}
	fmt.Println("id", links.ImportID)
	for { // a progress reporter, polling: the parent decides when to kill
		s, err := svc.ImportStatus(org, links.ImportID)
		if err != nil {
			fail(err)
		}
		fmt.Println("progress", s.Import.RecordsReadCount, s.Status)
		time.Sleep(time.Millisecond)
	}
}

// crashFile writes an import of n distinct (location, sku) records, then
// a newer update of every tenth of them; it returns the final values.
func crashFile(t *testing.T, path string, n int) (map[string]oci.Qty, int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	want := map[string]oci.Qty{}
	locs := []string{"Warehouse-A", "Warehouse-B", "wickenburg", "prescott", "surprise"}
	key := func(i int) (string, string) { return locs[i%len(locs)], fmt.Sprintf("sku-%06d", i/len(locs)) }
	total := 0
	for i := range n {
		loc, sku := key(i)
		fmt.Fprintf(w, `{"recordId":"c1-%d","locationId":"%s","sku":"%s","onHand":%d.5,"safetyStockCount":1,"effectiveDate":"2020-04-01T00:00:00Z","futures":[{"quantity":2,"expectedDate":"2020-06-01T00:00:00Z"}]}`+"\n", i, loc, sku, i%1000)
		want[loc+"/"+sku] = q(float64(i%1000) + 0.5)
		total++
	}
	for i := 0; i < n; i += 10 {
		loc, sku := key(i)
		fmt.Fprintf(w, `{"recordId":"c2-%d","locationId":"%s","sku":"%s","onHand":%d,"effectiveDate":"2020-04-02T00:00:00Z"}`+"\n", i, loc, sku, 5000+i%7)
		want[loc+"/"+sku] = q(float64(5000 + i%7))
		total++
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return want, total
}

// TestKill9DuringImport: an import killed mid-file resumes on restart and
// completes; every record ends with the right values, none is applied
// twice, and processed + skipped counts every line exactly once. The kill
// comes from the parent once a quarter of the file was read, or from the
// child itself right after the core made a batch durable and before the
// import checkpointed it: the batches since the last checkpoint are read
// again and skipped whole.
func TestKill9DuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	t.Run("by the parent", func(t *testing.T) { testKill9(t, 0) })
	t.Run("after a durable batch", func(t *testing.T) { testKill9(t, 11) })
}

func testKill9(t *testing.T, killAt int) {
	e := newEnv(t)
	e.close()
	file := filepath.Join(e.dir, "big.ndjson")
	want, total := crashFile(t, file, 60_000)
	id, killedAt := runCrashChild(t, e.dir, file, killAt, int64(total)/4)

	e.open()
	st := e.wait(id)
	e.svc.mu.Lock()
	resumes := e.svc.jobs[id].Import.Resumes
	e.svc.mu.Unlock()
	im := st.Import
	t.Logf("killed after %d of %d lines read; after resume: read %d processed %d skipped %d",
		killedAt, total, im.RecordsReadCount, im.RecordsProcessedCount, im.RecordsSkippedCount)
	if st.Status != StatusCompleted || resumes != 1 || im.RecordsReadCount != int64(total) ||
		im.RecordsProcessedCount+im.RecordsSkippedCount != int64(total) {
		t.Fatalf("status %s, resumes %d, %+v; want every one of %d lines read and counted once", st.Status, resumes, im, total)
	}
	// The batches applied since the last checkpoint are read again and skipped.
	if want := int64((killAt-1)%checkpointEvery+1) * DefaultBatchRecords; killAt > 0 && im.RecordsSkippedCount != want {
		t.Errorf("%d records skipped, want the %d of the batches applied but not checkpointed", im.RecordsSkippedCount, want)
	}
	if im.RecordsSkippedCount > (checkpointEvery+1)*DefaultBatchRecords {
		t.Errorf("%d records skipped: more than the batches in flight at the kill", im.RecordsSkippedCount)
	}
	got := e.allValues()
	if len(got) != len(want) {
		t.Fatalf("%d records, want %d", len(got), len(want))
	}
	for k, v := range want {
		if g := got[k]; g.OnHand != v || g.SafetyStock != q(1) || g.FuturesTotal() != q(2) {
			t.Fatalf("%s = onHand %s safety %s futures %s; want onHand %s safety 1 futures 2", k, g.OnHand, g.SafetyStock, g.FuturesTotal(), v)
		}
	}
}

// runCrashChild starts the child and returns the import id and how many
// lines it had read when it died: killed by the parent once it read
// killWhen lines (killAt 0), or by itself.
func runCrashChild(t *testing.T, dir, file string, killAt int, killWhen int64) (string, int64) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s|%s|%d", crashChildEnv, dir, file, killAt))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	id, read := "", int64(0)
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "id":
			id = f[1]
			continue
		case len(f) == 3 && f[0] == "progress":
			fmt.Sscan(f[1], &read)
			if f[2] != string(StatusRunning) && f[2] != string(StatusPending) {
				t.Fatalf("the import ended (%s) before the kill; make the file larger", f[2])
			}
			if killAt > 0 || read < killWhen {
				continue
			}
		default:
			t.Fatalf("child: %s", sc.Text())
		}
		break
	}
	if killAt == 0 {
		if err := cmd.Process.Kill(); err != nil { // SIGKILL: no chance to flush
			t.Fatal(err)
		}
	}
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the child was not killed by SIGKILL: %v", err)
	}
	if id == "" {
		t.Fatal("the child never started the import")
	}
	return id, read
}
