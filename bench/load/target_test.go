package load

import (
	"net"
	"strings"
	"testing"
	"time"

	"ociedge/bench/internal/benchtest"
)

func TestCheckURL(t *testing.T) {
	for _, c := range []struct {
		url    string
		remote bool
		ok     bool
		addr   string
	}{
		{"http://127.0.0.1:8080", false, true, "127.0.0.1:8080"},
		{"http://127.1.2.3:80/x", false, true, "127.1.2.3:80"},
		{"http://localhost:9", false, true, "localhost:9"},
		{"http://[::1]:8080", false, true, "[::1]:8080"},
		{"https://localhost", false, true, "localhost:443"},
		{"http://example.com:8080", false, false, ""},
		{"http://10.0.0.1:8080", false, false, ""},
		{"http://0.0.0.0:8080", false, false, ""},
		{"http://localhost.example.com", false, false, ""},
		{"http://example.com:8080", true, true, "example.com:8080"},
		{"ftp://127.0.0.1", false, false, ""},
		{"127.0.0.1:8080", false, false, ""},
	} {
		_, addr, err := CheckURL(c.url, c.remote)
		if (err == nil) != c.ok || addr != c.addr {
			t.Errorf("CheckURL(%q, %v) = %q, %v", c.url, c.remote, addr, err)
		}
	}
	_, _, err := CheckURL("http://example.com", false)
	if err == nil || !strings.Contains(err.Error(), "--allow-remote") {
		t.Fatalf("refusal does not say how to allow it: %v", err)
	}
	if _, err := NewTarget(TargetConfig{URL: "http://192.0.2.1:80"}); err == nil {
		t.Fatal("NewTarget accepted a remote target")
	}
}

func TestTransportOutcomes(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedURL := "http://" + ln.Addr().String()
	ln.Close()
	slow := benchtest.MustServe(t, benchtest.Slow(300*time.Millisecond))

	s := NewRecorder().Session()
	if r := s.Do(MustTarget(t, closedURL, 1), &Call{Route: "x", URI: "/"}); r.Outcome != OutcomeConnError {
		t.Errorf("closed port: %+v", r)
	}
	short, err := NewTarget(TargetConfig{URL: slow.URL, Timeout: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer short.Close()
	if r := s.Do(short, &Call{Route: "x", URI: "/"}); r.Outcome != OutcomeTimeout {
		t.Errorf("slow server: %+v", r)
	}
}

// With one connection and no wait for it, a second concurrent call fails
// with OutcomeNoFreeConns, and the target counts it.
func TestNoFreeConnsCounted(t *testing.T) {
	srv := benchtest.MustServe(t, benchtest.Slow(100*time.Millisecond))
	tg, err := NewTarget(TargetConfig{URL: srv.URL, Conns: 1, ConnWait: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	res := MustRun(t, Config{Rate: 1000, MaxOps: 5, Workers: 5, Duration: time.Minute}, getSource(tg))
	if n := countOutcome(res, OutcomeNoFreeConns); n < 1 || n != tg.NoFreeConns() {
		t.Fatalf("no-free-conns rows %d, target count %d", n, tg.NoFreeConns())
	}
}
