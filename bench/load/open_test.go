package load

import (
	"testing"
	"time"

	"ociedge/bench/internal/benchtest"
)

// The open model sends exactly the ops whose intended time falls in the
// window: rate × duration of them.
func TestOpenSendsIntendedCount(t *testing.T) {
	srv := benchtest.MustServe(t, benchtest.OK)
	res := MustRun(t, Config{Rate: 200, Duration: 250 * time.Millisecond, Workers: 8, DropAfter: time.Second},
		getSource(MustTarget(t, srv.URL, 8)))
	if srv.Hits() != 50 || res.Scheduled != 50 || res.Completed != 50 || res.Dropped != 0 {
		t.Fatalf("hits %d scheduled %d completed %d dropped %d; want 50, 50, 50, 0",
			srv.Hits(), res.Scheduled, res.Completed, res.Dropped)
	}
	if got := countOutcome(res, "2xx"); got != 50 {
		t.Fatalf("2xx samples = %d, want 50", got)
	}
}

func TestOpenStopsAtMaxOps(t *testing.T) {
	srv := benchtest.MustServe(t, benchtest.OK)
	res := MustRun(t, Config{Rate: 2000, Duration: time.Minute, MaxOps: 40, DropAfter: time.Second},
		getSource(MustTarget(t, srv.URL, 0)))
	if srv.Hits() != 40 || res.Completed != 40 {
		t.Fatalf("hits %d completed %d, want 40", srv.Hits(), res.Completed)
	}
}

func TestOpenStopsWhenContextEnds(t *testing.T) {
	srv := benchtest.MustServe(t, benchtest.OK)
	ctx, cancel := contextWithCancel(t)
	tg := MustTarget(t, srv.URL, 4)
	src := SourceFunc(func(i int64) Op {
		if i == 10 {
			cancel()
		}
		return getOp{tg, "get", "/"}
	})
	res, err := Run(ctx, Config{Rate: 1000, Duration: time.Minute}, src, NewRecorder())
	if err != nil {
		t.Fatal(err)
	}
	if res.Scheduled > 12 {
		t.Fatalf("scheduled %d ops after cancel at op 10", res.Scheduled)
	}
}

// Latency runs from the intended send time: when a one-worker pool falls
// behind a slow server, latency grows with the backlog while service time
// stays the server's. Measured from the actual send, both would be equal.
func TestLatencyIsFromIntendedTime(t *testing.T) {
	const service = 10 * time.Millisecond
	srv := benchtest.MustServe(t, benchtest.Slow(service))
	res := MustRun(t, Config{Rate: 500, MaxOps: 30, Workers: 1, DropAfter: time.Minute, Duration: time.Minute},
		getSource(MustTarget(t, srv.URL, 1)))
	rows := res.Find("get")
	if len(rows) != 1 || rows[0].Count != 30 {
		t.Fatalf("rows %+v, want one row of 30", rows)
	}
	lat, svc := rows[0].Latency, rows[0].Service
	// Op i is intended at 2ms·i but starts near 10ms·i: the last ones wait
	// ~230ms, far more than any one service time.
	if lat.Max < 4*svc.P99 || lat.P50 < 2*svc.P50 || svc.P50 < service {
		t.Fatalf("latency %v vs service %v: coordinated omission not corrected", lat, svc)
	}
	if res.Late < 25 {
		t.Fatalf("late = %d, want nearly every op late", res.Late)
	}
}

// An op that finds no free worker by its drop deadline is dropped and
// counted, and the schedule goes on without it.
func TestDroppedWhenWorkersExhausted(t *testing.T) {
	srv := benchtest.MustServe(t, benchtest.Slow(300*time.Millisecond))
	res := MustRun(t, Config{Rate: 1000, MaxOps: 50, Workers: 2, DropAfter: 5 * time.Millisecond, Duration: time.Minute},
		getSource(MustTarget(t, srv.URL, 2)))
	if res.Scheduled != 50 || res.Started+res.Dropped != 50 {
		t.Fatalf("scheduled %d started %d dropped %d; want 50 = started + dropped", res.Scheduled, res.Started, res.Dropped)
	}
	if res.Dropped < 40 || countOutcome(res, OutcomeDropped) != res.Dropped {
		t.Fatalf("dropped %d (rows %d), want ≥ 40 counted in rows too", res.Dropped, countOutcome(res, OutcomeDropped))
	}
}

// An op that waits for a worker past LateAfter but within DropAfter is sent
// late, and counted as late, not dropped.
func TestLateCounted(t *testing.T) {
	srv := benchtest.MustServe(t, benchtest.Slow(20*time.Millisecond))
	res := MustRun(t, Config{Rate: 200, MaxOps: 10, Workers: 1, LateAfter: 2 * time.Millisecond, DropAfter: time.Minute, Duration: time.Minute},
		getSource(MustTarget(t, srv.URL, 1)))
	if res.Started != 10 || res.Dropped != 0 || res.Late < 8 {
		t.Fatalf("started %d dropped %d late %d; want 10, 0, ≥ 8", res.Started, res.Dropped, res.Late)
	}
	var rowLate int64
	for _, r := range res.Rows {
		rowLate += r.Late
	}
	if rowLate != res.Late {
		t.Fatalf("late in rows %d != run late %d", rowLate, res.Late)
	}
}

func TestWarmupExcluded(t *testing.T) {
	srv := benchtest.MustServe(t, benchtest.OK)
	res := MustRun(t, Config{Rate: 200, Warmup: 100 * time.Millisecond, Duration: 100 * time.Millisecond, DropAfter: time.Second},
		getSource(MustTarget(t, srv.URL, 0)))
	if srv.Hits() != 40 || res.WarmupOps != 20 || res.Scheduled != 20 || countOutcome(res, "2xx") != 20 {
		t.Fatalf("hits %d warm-up %d scheduled %d recorded %d; want 40, 20, 20, 20",
			srv.Hits(), res.WarmupOps, res.Scheduled, countOutcome(res, "2xx"))
	}
}
