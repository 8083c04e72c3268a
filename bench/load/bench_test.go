package load

import (
	"testing"
	"time"

	"ociedge/bench/internal/benchtest"
)

// The load tool's own cost per request matters on a 2-core machine: every
// microsecond it spends is one the server under test does not get, and the
// cross-check with wrk (DESIGN §6, BENCHMARKS.md) only agrees when the
// harness stays close to wrk's ~5 µs of CPU per request.

// BenchmarkSessionDo is one recorded call through a Target to a loopback
// fasthttp server (in this process: server CPU included), one at a time.
//
//	go test -run '^$' -bench SessionDo -benchmem ./bench/load/
func BenchmarkSessionDo(b *testing.B) {
	srv := benchtest.MustServe(b, benchtest.OK)
	t := MustTarget(b, srv.URL, 1)
	rec := NewRecorder()
	c := &Call{Route: "get", URI: "/product/x?siteId=RefArch&productIds=sku-000001"}
	b.ReportAllocs()
	for b.Loop() {
		now := time.Now()
		s := rec.newSession(now, now, true, false)
		if rep := s.Do(t, c); !rep.OK() {
			b.Fatal(rep)
		}
		s.finish()
	}
}

// BenchmarkClosedRun is the closed model's whole loop — draw, call, record
// — with 8 workers against a loopback server in this process.
func BenchmarkClosedRun(b *testing.B) {
	srv := benchtest.MustServe(b, benchtest.OK)
	t := MustTarget(b, srv.URL, 8)
	b.ReportAllocs()
	b.ResetTimer()
	res := MustRun(b, Config{Closed: true, Workers: 8, Duration: time.Hour, MaxOps: int64(b.N)}, getSource(t))
	b.StopTimer()
	if res.Completed != int64(b.N) {
		b.Fatalf("%d of %d ops completed", res.Completed, b.N)
	}
}

// BenchmarkRecord is the recording of one call's sample.
func BenchmarkRecord(b *testing.B) {
	rec := NewRecorder()
	sh := rec.shard()
	k := Key{Route: "get", Outcome: "ok"}
	b.ReportAllocs()
	for b.Loop() {
		sh.record(k, 180*time.Microsecond, 150*time.Microsecond, false)
	}
}
