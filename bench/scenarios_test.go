package bench

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"ociedge/bench/load"
	"ociedge/bench/proc"
)

// Every change written at the core is seen at the edge, and its visibility
// latency is at least the edge's lag.
func TestFreshness(t *testing.T) {
	core, coreURL := serveCore(t)
	edge, edgeURL := serveEdge(t, core)
	edge.lag = 20 * time.Millisecond
	cfg := quick(t, "freshness", edgeURL)
	cfg.Core = coreURL
	cfg.Load = load.Config{Rate: 200, Duration: 300 * time.Millisecond, Workers: 8}
	rep := MustRun(t, cfg)
	f := rep.Freshness
	if f == nil || f.Changes == 0 || f.Seen != f.Changes || f.NotSeen != 0 || f.List != "store-seattle" {
		t.Fatalf("freshness %+v", f)
	}
	if f.Visible.P50 < edge.lag || f.Visible.P99 > time.Second {
		t.Fatalf("visible %+v, lag %v", f.Visible, edge.lag)
	}
	h := headline(t, rep, headFreshness)
	if h.Goal == nil || *h.Goal != 100 || !h.Lower || h.Value < 20 || rep.Failed() {
		t.Fatalf("headline %+v, checks %+v", h, rep.Checks)
	}
}

// A change the edge never shows is counted as not seen, and fails the run.
func TestFreshnessNotSeen(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the 5s visibility timeout")
	}
	core, coreURL := serveCore(t)
	edge, edgeURL := serveEdge(t, core)
	edge.lag = time.Hour
	cfg := quick(t, "freshness", edgeURL)
	cfg.Core = coreURL
	cfg.Load = load.Config{Rate: 50, Duration: 100 * time.Millisecond, Workers: 4}
	rep := MustRun(t, cfg)
	if rep.Freshness.Seen != 0 || rep.Freshness.NotSeen == 0 || !rep.Failed() {
		t.Fatalf("freshness %+v", rep.Freshness)
	}
}

// Fill switches the mode, waits for the list and reports its import time
// and, with the edge's pid, its RSS per record.
func TestFill(t *testing.T) {
	edge, url := serveEdge(t, nil)
	edge.fillTook, edge.fillItems = 150*time.Millisecond, 1000
	cfg := quick(t, "fill", url)
	cfg.AdminToken, cfg.Records, cfg.FillList = "admin-1", 1000, "bulk"
	if runtime.GOOS == "linux" {
		cfg.Procs.EdgePID = os.Getpid()
	}
	rep := MustRun(t, cfg)
	f := rep.Fill
	if f == nil || f.Items != 1000 || f.Wall < edge.fillTook || f.Import != edge.fillTook || len(f.Lists) != 1 {
		t.Fatalf("fill %+v", f)
	}
	if h := headline(t, rep, headFill); h.Value < 0.15 || h.Value > 5 || !h.Met() || !strings.Contains(h.Note, "150ms") {
		t.Fatalf("headline %+v", h)
	}
	headline(t, rep, headFillRate)
	if _, ok := rep.baseline(baseRistretto + " RSS"); !ok {
		t.Fatalf("baselines %+v", rep.Baselines)
	}
	// A second fill finds the edge out of COMMERCE_PLATFORM and refuses.
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Run(t.Context()); err == nil || !strings.Contains(err.Error(), "COMMERCE_PLATFORM") {
		t.Fatalf("err = %v", err)
	}
}

// fakeWrk writes a script that prints wrk's output with the given rate.
func fakeWrk(t *testing.T, rate string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "wrk")
	out := "Running 1s test @ x\n  2 threads and 2 connections\n  Latency Distribution\n     50%  100.00us\n     99%    1.50ms\n" +
		"  1000 requests in 1.00s, 1.00MB read\nRequests/sec:   " + rate + "\nTransfer/sec:      1.00MB\n"
	if err := os.WriteFile(path, []byte("#!/bin/sh\ncat <<'EOF'\n"+out+"EOF\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestParseWrk(t *testing.T) {
	out := `Running 2s test @ http://127.0.0.1:1/x
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   700.11us    1.05ms  12.21ms   89.55%
    Req/Sec    76.75k     6.07k   88.27k    65.00%
  Latency Distribution
     50%  323.00us
     75%    0.86ms
     90%    1.81ms
     99%    4.97ms
  305964 requests in 2.01s, 90.64MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec: 152505.72
Transfer/sec:     45.18MB
`
	r, err := parseWrk(out)
	if err != nil || r.Requests != 305964 || r.Rate != 152505.72 || r.P99 != 4970*time.Microsecond ||
		r.Elapsed != 2010*time.Millisecond || r.SocketErrors != 3 || r.Non2xx != 7 {
		t.Fatalf("%+v %v", r, err)
	}
	if _, err := parseWrk("wrk: connection refused\n"); err == nil {
		t.Fatal("garbage accepted")
	}
}

// The cross-check compares the harness's rate with wrk's and fails when
// they differ by more than 15% either way.
func TestCrosscheck(t *testing.T) {
	_, url := serveEdge(t, nil)
	cfg := quick(t, "crosscheck", url)
	cfg.Load = load.Config{Closed: true, Workers: 2, Duration: 200 * time.Millisecond}
	cfg.Wrk = fakeWrk(t, "1.0") // far below any loopback harness rate
	rep := MustRun(t, cfg)
	h := headline(t, rep, headCross)
	if h.BaselineValue != 1 || h.Ratio < 2 || !rep.Failed() || len(rep.Wrk) != 1 || rep.Wrk[0].Requests != 1000 {
		t.Fatalf("headline %+v, checks %+v, wrk %+v", h, rep.Checks, rep.Wrk)
	}
	for _, c := range []struct {
		ratio float64
		want  bool
	}{{1, true}, {0.86, true}, {1.14, true}, {0.84, false}, {1.16, false}, {0, false}} {
		if got := crossAgree(c.ratio); got != c.want {
			t.Errorf("crossAgree(%v) = %v", c.ratio, got)
		}
	}
}

// Outage stops the "core" (a child process standing in for it), restarts
// it with --core-cmd, rewrites the pid file, and measures the recovery.
func TestOutage(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc and signals")
	}
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "core.pid")
	oldPID, err := proc.StartDetached([]string{"sleep", "30"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := proc.WritePIDFile(pidFile, oldPID); err != nil {
		t.Fatal(err)
	}
	var current atomic.Int64
	current.Store(int64(oldPID))
	core, coreURL := serveCore(t)
	edge, edgeURL := serveEdge(t, core)
	edge.coreDown = func() bool {
		pid, err := proc.ReadPIDFile(pidFile)
		return err != nil || !proc.Alive(pid)
	}
	cfg := quick(t, "outage", edgeURL)
	cfg.Core = coreURL
	cfg.Load = load.Config{Rate: 200, Duration: 800 * time.Millisecond, Workers: 8}
	cfg.Procs = Procs{CorePIDFile: pidFile, CoreCmd: []string{"sleep", "30"}}
	rep := MustRun(t, cfg)
	newPID, err := proc.ReadPIDFile(pidFile)
	if err != nil || newPID == oldPID || !proc.Alive(newPID) || proc.Alive(oldPID) {
		t.Fatalf("pid %d → %d (%v)", oldPID, newPID, err)
	}
	t.Cleanup(func() { _ = proc.Stop(t.Context(), newPID, 9, 5*time.Second) })
	o := rep.Outage
	if o == nil || o.OldPID != oldPID || o.NewPID != newPID || o.Stopped <= 0 || o.Restarted <= o.Stopped ||
		o.Recovered < o.Restarted {
		t.Fatalf("outage %+v", o)
	}
	if rep.Failed() {
		t.Fatalf("checks %+v", rep.Checks)
	}
	headline(t, rep, headRecovery)
	if h := headline(t, rep, headOutageOrders); h.Value != 100 {
		t.Fatalf("headline %+v", h)
	}
}

func TestOutageNeedsProcessControl(t *testing.T) {
	_, coreURL := serveCore(t)
	_, edgeURL := serveEdge(t, nil)
	cfg := quick(t, "outage", edgeURL)
	cfg.Core = coreURL
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Run(t.Context()); err == nil || !strings.Contains(err.Error(), "--core-cmd") {
		t.Fatalf("err = %v", err)
	}
}
