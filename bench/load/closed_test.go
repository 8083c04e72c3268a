package load

import (
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/bench/internal/benchtest"
)

func TestClosedStopsAtMaxOps(t *testing.T) {
	srv := benchtest.MustServe(t, benchtest.OK)
	res := MustRun(t, Config{Closed: true, Workers: 4, MaxOps: 100, Duration: time.Minute},
		getSource(MustTarget(t, srv.URL, 4)))
	if srv.Hits() != 100 || res.Completed != 100 || res.Scheduled != 100 {
		t.Fatalf("hits %d completed %d scheduled %d, want 100", srv.Hits(), res.Completed, res.Scheduled)
	}
}

func TestClosedStopsAtDuration(t *testing.T) {
	srv := benchtest.MustServe(t, benchtest.Slow(time.Millisecond))
	res := MustRun(t, Config{Closed: true, Workers: 2, Warmup: 20 * time.Millisecond, Duration: 100 * time.Millisecond},
		getSource(MustTarget(t, srv.URL, 2)))
	if res.Completed == 0 || res.WarmupOps == 0 || srv.Hits() != res.Completed+res.WarmupOps {
		t.Fatalf("completed %d warm-up %d hits %d", res.Completed, res.WarmupOps, srv.Hits())
	}
	if res.Window > 10*time.Second {
		t.Fatalf("window %v: the run did not stop at its duration", res.Window)
	}
}

// The same source sends the same requests in the same order with one
// connection.
func TestClosedKeepsSourceOrder(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := benchtest.MustServe(t, func(ctx *fasthttp.RequestCtx) {
		mu.Lock()
		got = append(got, string(ctx.RequestURI()))
		mu.Unlock()
		benchtest.OK(ctx)
	})
	tg := MustTarget(t, srv.URL, 1)
	src := SourceFunc(func(i int64) Op { return getOp{tg, "get", "/" + string(rune('a'+i%26))} })
	MustRun(t, Config{Closed: true, Workers: 1, MaxOps: 30, Duration: time.Minute}, src)
	mu.Lock()
	defer mu.Unlock()
	for i, uri := range got {
		if want := "/" + string(rune('a'+i%26)); uri != want {
			t.Fatalf("request %d = %s, want %s", i, uri, want)
		}
	}
	if len(got) != 30 {
		t.Fatalf("%d requests, want 30", len(got))
	}
}
