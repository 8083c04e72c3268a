package baseline

import (
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
