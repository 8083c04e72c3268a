package baseline

import (
	"io"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
	"go.uber.org/goleak"

	"ociedge/bench/internal/benchtest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, benchtest.LeakOptions()...)
}

func TestServerAnswersFixedBody(t *testing.T) {
	body := FixedBody(200)
	if len(body) != 200 || body[0] != '{' || body[199] != '}' {
		t.Fatalf("FixedBody(200) = %d bytes %q", len(body), body)
	}
	s, err := StartServer(body)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	status, got, err := fasthttp.Get(nil, s.URL()+"/anything")
	if err != nil || status != 200 || string(got) != string(body) {
		t.Fatalf("GET = %d %q %v", status, got, err)
	}
}

func TestFsyncCountsSyncs(t *testing.T) {
	res, err := Fsync(t.Context(), FsyncConfig{Dir: t.TempDir(), MaxSyncs: 20})
	if err != nil {
		t.Fatal(err)
	}
	if res.Syncs != 20 || res.Rate <= 0 || res.P50 <= 0 || res.Max < res.P50 {
		t.Fatalf("%+v", res)
	}
}

func TestDecodeNDJSON(t *testing.T) {
	file := strings.Repeat(`{"recordId":"r","locationId":"wh-a","sku":"s","onHand":1,"effectiveDate":"2026-01-01T00:00:00Z"}`+"\n", 100)
	res, err := DecodeNDJSON(strings.NewReader(file))
	if err != nil || res.Records != 100 {
		t.Fatalf("%+v %v", res, err)
	}
	if _, err := DecodeNDJSON(strings.NewReader("{\nnot json\n")); err == nil {
		t.Fatal("bad line accepted")
	}
}

// ServeChild answers the fixed body on the URL it prints and stops when its
// input ends.
func TestServeChild(t *testing.T) {
	pr, pw := io.Pipe()
	out := &lineWriter{line: make(chan string, 1)}
	done := make(chan error, 1)
	go func() { done <- ServeChild([]string{"100"}, pr, out) }()
	url := <-out.line
	status, body, err := fasthttp.Get(nil, url+"/x")
	if err != nil || status != 200 || len(body) != 100 {
		t.Fatalf("GET %s = %d, %d bytes, %v", url, status, len(body), err)
	}
	pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := ServeChild([]string{"x"}, pr, out); err == nil {
		t.Fatal("bad size accepted")
	}
}

type lineWriter struct{ line chan string }

func (w *lineWriter) Write(b []byte) (int, error) {
	w.line <- strings.TrimSpace(string(b))
	return len(b), nil
}

func TestRistrettoMemory(t *testing.T) {
	res, err := RistrettoMemory(20_000)
	if err != nil || res.Entries != 20_000 || res.HeapPerEntry < 72 {
		t.Fatalf("%+v %v", res, err)
	}
}
