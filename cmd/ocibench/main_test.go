package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"ociedge/bench/baseline"
)

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(t.Context(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestHelpListsScenariosAndFlags(t *testing.T) {
	code, _, help := runCmd(t, "--help")
	if code != exitOK {
		t.Fatalf("--help exit %d", code)
	}
	for _, want := range []string{
		"browse", "checkout", "flashsale", "import", "freshness", "fill", "outage", "crosscheck", "core-availability",
		"core-reserve", "core-import", "baseline", "table", "-edge-pid", "-core-pid-file", "-core-cmd", "-rounds", "-half-max",
		"-admin-token", "-wrk", "-first-sku", "-cpuprofile",
		"-target", "-core", "-client", "-tenant", "-org", "-site", "-rate", "-ramp-to", "-duration", "-warmup",
		"-max-requests", "-connections", "-closed", "-seed", "-skus", "-zipf", "-json", "-allow-remote", "-knee",
	} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

func TestRefusesRemoteTarget(t *testing.T) {
	code, _, errs := runCmd(t, "browse", "--target", "http://example.com:8080")
	if code != exitUsage || !strings.Contains(errs, "--allow-remote") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}

func TestBadUsage(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"nope", "--target", "http://127.0.0.1:1"},
		{"browse", "--target", "http://127.0.0.1:1", "--client", "nocolon"},
		{"browse", "--target", "http://127.0.0.1:1", "--rate", "-5"},
		{"browse", "--no-such-flag"},
		{"browse", "extra", "--target", "http://127.0.0.1:1"},
	} {
		if code, _, _ := runCmd(t, args...); code != exitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, exitUsage)
		}
	}
}

func TestOutageNeedsTheCoreCommand(t *testing.T) {
	code, _, errs := runCmd(t, "outage", "--target", "http://127.0.0.1:1", "--core", "http://127.0.0.1:2", "--core-pid", "12345")
	if code != exitFail || !strings.Contains(errs, "--core-cmd") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}

// The table command writes BENCHMARKS.md from reports; a missing report is
// left out with a message, a bad argument is a usage error.
func TestTable(t *testing.T) {
	dir := t.TempDir()
	report := filepath.Join(dir, "fill.json")
	if err := os.WriteFile(report, []byte(`{"scenario":"fill","config":{"mode":"open","connections":0,"duration":"","warmup":"","seed":1,"runId":"x","skus":1,"skuFormat":"","zipf":0,"lookupSizes":"","lists":"","basketSizes":"","placeShare":0},`+
		`"started":"2026-01-01T00:00:00Z","finished":"2026-01-01T00:00:02Z","headlines":[{"name":"cache fill","unit":"s","value":2,"goal":5,"lower":true}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "BENCHMARKS.md")
	code, _, errs := runCmd(t, "table", "--out", out, "--note", "a note", "fill="+report, "browse-1="+filepath.Join(dir, "missing.json"))
	if code != exitOK || !strings.Contains(errs, "browse-1") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	b, _ := os.ReadFile(out)
	for _, want := range []string{"# Benchmarks", "| 2 s |", "✅ yes", "not measured", "- a note"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("table lacks %q:\n%s", want, b)
		}
	}
	if code, _, _ := runCmd(t, "table", "nolabel"); code != exitUsage {
		t.Fatalf("exit %d for a bad argument", code)
	}
}

// The baseline scenario runs the two baselines and writes a JSON report;
// the scenario may also follow the flags.
func TestBaselineWritesJSON(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	code, out, errs := runCmd(t, "--closed", "--connections", "2", "--warmup", "0s", "--baseline-duration", "100ms",
		"--fsync-dir", dir, "--fsync-duration", "50ms", "--json", path, "--quiet", "baseline")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if !strings.Contains(out, "http-fixed-json") || !strings.Contains(out, "fsync") {
		t.Fatalf("summary:\n%s", out)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Scenario  string
		Baselines []struct {
			Name  string
			Value float64
		}
	}
	if err := json.Unmarshal(b, &rep); err != nil || rep.Scenario != "baseline" || len(rep.Baselines) != 2 || rep.Baselines[0].Value <= 0 {
		t.Fatalf("report %+v, %v", rep, err)
	}
}

func TestMain(m *testing.M) {
	// The baseline server runs as a process of its own: os.Executable() is
	// this test binary, which must then act as ocibench baseline-server.
	if len(os.Args) > 1 && os.Args[1] == baseline.ChildCommand {
		if err := baseline.ServeChild(os.Args[2:], os.Stdin, os.Stdout); err != nil {
			os.Exit(exitFail)
		}
		os.Exit(exitOK)
	}
	goleak.VerifyTestMain(m,
		// fasthttp's cleaners sleep up to their idle duration before they
		// notice a stop; the dialer cache and Date clock are process-wide.
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*HostClient).connsCleaner"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*workerPool).Start.func2"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*TCPDialer).tcpAddrsClean"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.updateServerDate.func1"),
	)
}
