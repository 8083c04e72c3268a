package proxy_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// prometheusPath is Debian's Prometheus server; .ci/run installs it.
const prometheusPath = "/usr/bin/prometheus"

// promServer is a real Prometheus scraping loopback targets every second,
// with its config and TSDB in temp dirs; it is killed and waited for in
// t.Cleanup.
type promServer struct {
	t   testing.TB
	url string
	cmd *exec.Cmd
	out *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.b.Len() > 256<<10 {
		return len(p), nil
	}
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startPrometheus scrapes each job's host:port target.
func startPrometheus(t testing.TB, jobs map[string]string) *promServer {
	t.Helper()
	if _, err := os.Stat(prometheusPath); err != nil {
		t.Fatalf("prometheus is required at %s for the scrape test: .ci/run installs it (apt-get install prometheus): %v", prometheusPath, err)
	}
	dir := t.TempDir()
	var cfg strings.Builder
	cfg.WriteString("global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\n  evaluation_interval: 1s\nscrape_configs:\n")
	for job, target := range jobs {
		fmt.Fprintf(&cfg, "  - job_name: %s\n    static_configs:\n      - targets: [%q]\n", job, target)
	}
	cfgPath := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := freeLoopbackAddr(t)
	p := &promServer{t: t, url: "http://" + addr, out: &syncBuffer{}}
	p.cmd = exec.Command(prometheusPath, "--config.file="+cfgPath, "--storage.tsdb.path="+filepath.Join(dir, "tsdb"),
		"--web.listen-address="+addr, "--log.level=warn")
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("cannot start prometheus: %v", err)
	}
	exited := make(chan struct{})
	go func() {
		p.cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("prometheus output (tail): %s", tail(p.out.String(), 3000))
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		if st, _, err := httpGet(p.url + "/-/ready"); err == nil && st == 200 {
			return p
		}
		select {
		case <-exited:
			t.Fatalf("prometheus exited: %s", tail(p.out.String(), 3000))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("prometheus not ready: %s", tail(p.out.String(), 3000))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// freeLoopbackAddr picks a free port by listening on :0 and closing.
func freeLoopbackAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// promResult is an instant query's answer.
type promResult struct {
	Status    string
	ErrorType string
	Error     string
	Data      struct {
		ResultType string
		Result     []struct {
			Metric map[string]string
			Value  [2]any
		}
	}
}

// query runs an instant PromQL query.
func (p *promServer) query(q string) (promResult, error) {
	var r promResult
	st, body, err := httpGet(p.url + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return r, fmt.Errorf("%d %s", st, body)
	}
	if r.Status != "success" {
		return r, fmt.Errorf("%s: %s", r.ErrorType, r.Error)
	}
	return r, nil
}

// scalar returns the single value of a query that yields one series, or
// false when there is none yet.
func (p *promServer) scalar(q string) (float64, bool) {
	r, err := p.query(q)
	if err != nil || len(r.Data.Result) != 1 {
		return 0, false
	}
	s, _ := r.Data.Result[0].Value[1].(string)
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// awaitValue waits until q yields want.
func (p *promServer) awaitValue(q string, want float64) {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		v, ok := p.scalar(q)
		if ok && v == want {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("PromQL %s = %v (%v), want %g", q, v, ok, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestOpsPrometheusScrapesEdgeAndCore runs Debian's Prometheus against a
// real edge and core on loopback, drives an activation and orders, and
// reads items cached per list and the reservation outcomes back with
// PromQL; every dashboard query parses and runs.
func TestOpsPrometheusScrapesEdgeAndCore(t *testing.T) {
	w := newWorld(t, baseConfig)
	w.graph(graphWithAustin)
	w.stock("wh-a", 10, "sku-1", "sku-2", "sku-3", "sku-4")
	w.stock("wh-b", 5, "sku-1")
	w.stock("phoenix", 3, "sku-1", "sku-2")
	w.stock("austin", 1, "sku-9")
	p := startPrometheus(t, map[string]string{
		"ociedge": strings.TrimPrefix(w.edge.URL(), "http://"),
		"ocicore": strings.TrimPrefix(w.core.URL(), "http://"),
	})
	p.awaitValue(`sum(up)`, 2)

	w.activate("online-us", "phoenix", "austin")
	for range 3 {
		w.orderNo("sku-1", 2)
	}
	if r := w.order("sku-2", 999); r.status != 400 {
		t.Fatalf("an order beyond stock: %d %s", r.status, r.body)
	}

	p.awaitValue(`ociedge_cache_items{job="ociedge",list="online-us"}`, 4)
	p.awaitValue(`ociedge_cache_items{job="ociedge",list="phoenix"}`, 2)
	p.awaitValue(`ociedge_cache_items{job="ociedge",list="austin"}`, 1)
	p.awaitValue(`sum(ociedge_reservations_total{job="ociedge",system="OCI",op="order",outcome="ok"})`, 3)
	p.awaitValue(`sum(ociedge_reservations_total{job="ociedge",system="OCI",op="order",outcome="unavailable"})`, 1)
	p.awaitValue(`sum(ocicore_reservations_total{job="ocicore",outcome="reserved"})`, 3)
	p.awaitValue(`ociedge_inventory_mode{job="ociedge",mode="OMNICHANNEL_INVENTORY"}`, 1)

	for _, expr := range dashboardExprs(t) {
		if _, err := p.query(strings.ReplaceAll(expr, "$instance", ".*")); err != nil {
			t.Errorf("dashboard query %q: %v", expr, err)
		}
	}
}
