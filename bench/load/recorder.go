package load

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Key identifies one row of a report.
type Key struct {
	Phase   string `json:"phase,omitempty"`
	Route   string `json:"route"`
	Outcome string `json:"outcome"`
}

// maxShards bounds the shards: each holds two ~150 KB histograms per key.
const maxShards = 8

// series is what a Recorder keeps per Key.
type series struct {
	count   int64
	late    int64
	latency *hdrhistogram.Histogram // from the intended send time
	service *hdrhistogram.Histogram // from the actual send time
}

// shard is one lock's worth of series; samples spread over shards by worker.
type shard struct {
	mu  sync.Mutex      // guards m and ops
	m   map[Key]*series // per (phase, route, outcome)
	ops *hdrhistogram.Histogram
}

// A Recorder collects samples into HDR histograms keyed by (phase, route,
// outcome) and counts late, dropped and warm-up ops. It is safe for
// concurrent use; use NewRecorder. Histograms are per shard and merged when
// Rows is called, so recording takes one uncontended lock.
type Recorder struct {
	shards  []shard
	next    atomic.Uint32 // round-robin shard for new sessions
	phase   atomic.Pointer[string]
	counter counters
}

// counters are a run's totals; all atomic.
type counters struct {
	scheduled, started, completed, good atomic.Int64
	late, dropped, warmup               atomic.Int64
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder {
	r := &Recorder{shards: make([]shard, min(runtime.GOMAXPROCS(0), maxShards))}
	for i := range r.shards {
		r.shards[i].m = make(map[Key]*series)
		r.shards[i].ops = newHistogram()
	}
	empty := ""
	r.phase.Store(&empty)
	return r
}

// SetPhase labels the samples of ops that start from now on (for example
// "before", "import", "after"). The empty phase is the default.
func (r *Recorder) SetPhase(p string) { r.phase.Store(&p) }

// Phase returns the current phase label.
func (r *Recorder) Phase() string { return *r.phase.Load() }

func (r *Recorder) shard() *shard {
	return &r.shards[int(r.next.Add(1))%len(r.shards)]
}

// record adds one call sample.
func (sh *shard) record(k Key, latency, service time.Duration, late bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	s := sh.m[k]
	if s == nil {
		s = &series{latency: newHistogram(), service: newHistogram()}
		sh.m[k] = s
	}
	s.count++
	if late {
		s.late++
	}
	recordDuration(s.latency, latency)
	recordDuration(s.service, service)
}

// drop counts one dropped op under its name.
func (r *Recorder) drop(phase, name string) {
	r.counter.dropped.Add(1)
	sh := r.shard()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	k := Key{Phase: phase, Route: name, Outcome: OutcomeDropped}
	s := sh.m[k]
	if s == nil {
		s = &series{}
		sh.m[k] = s
	}
	s.count++
}

func (sh *shard) recordOp(latency time.Duration) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	recordDuration(sh.ops, latency)
}

// merged returns every key's series merged over shards, and the merged
// op-latency histogram.
func (r *Recorder) merged() (map[Key]*series, *hdrhistogram.Histogram) {
	out := make(map[Key]*series)
	ops := newHistogram()
	for i := range r.shards {
		sh := &r.shards[i]
		sh.mu.Lock()
		for k, s := range sh.m {
			out[k] = mergeSeries(out[k], s)
		}
		ops.Merge(sh.ops)
		sh.mu.Unlock()
	}
	return out, ops
}

func mergeSeries(into, s *series) *series {
	if into == nil {
		into = &series{}
	}
	into.count += s.count
	into.late += s.late
	if s.latency != nil {
		if into.latency == nil {
			into.latency, into.service = newHistogram(), newHistogram()
		}
		into.latency.Merge(s.latency)
		into.service.Merge(s.service)
	}
	return into
}

// Rows returns one row per (phase, route, outcome), sorted, with rates over
// window (no rates when window is zero).
func (r *Recorder) Rows(window time.Duration) []Row {
	m, _ := r.merged()
	rows := make([]Row, 0, len(m))
	for k, s := range m {
		rows = append(rows, rowOf(k, s, window))
	}
	slices.SortFunc(rows, func(a, b Row) int {
		return cmp.Or(cmp.Compare(a.Phase, b.Phase), cmp.Compare(a.Route, b.Route), cmp.Compare(a.Outcome, b.Outcome))
	})
	return rows
}

// OpLatency returns the percentiles of whole ops, from intended start to end.
func (r *Recorder) OpLatency() Percentiles {
	_, ops := r.merged()
	return percentilesOf(ops)
}
