package cache

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the cache's Prometheus collectors. Create them with
// NewMetrics, pass them in Config.Metrics and register Collectors() where
// the process exports metrics; a nil *Metrics records nothing. Labels carry
// list ids (few), never a sku.
type Metrics struct {
	Lookups       *prometheus.CounterVec   // by result: hit, miss, stale, tombstone
	Fallbacks     *prometheus.CounterVec   // by outcome: ok, joined, error, timeout, canceled, not_mapped
	SetsDropped   prometheus.Counter       // Sets ristretto dropped (each is retried)
	SetsLost      prometheus.Counter       // Sets still dropped after every retry
	SetsRejected  prometheus.Counter       // inserts the admission policy refused
	Evictions     prometheus.Counter       // values evicted to make room
	DeltaRecords  prometheus.Counter       // Change and Delete records applied
	ImportSeconds *prometheus.HistogramVec // full-import duration by stream kind
	Imports       *prometheus.CounterVec   // full imports by stream kind and outcome (ok, error)
	// Lists reports per list, at scrape time, from the cache that uses
	// these metrics: items cached, last cache update, stream lag, state.
	Lists *ListCollector

	lookups [len(statusNames)]prometheus.Counter
}

// NewMetrics creates the collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		Lookups: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ociedge_cache_lookups_total",
			Help: "Cache lookups by result (hit, miss, stale, tombstone).",
		}, []string{"result"}),
		Fallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ociedge_cache_fallbacks_total",
			Help: "Miss fallbacks to the core's get-availability by outcome (ok, joined, error, timeout, canceled, not_mapped).",
		}, []string{"outcome"}),
		SetsDropped:  counter("ociedge_cache_sets_dropped_total", "ristretto Sets dropped because its set buffer was full (retried after it drains)."),
		SetsLost:     counter("ociedge_cache_sets_lost_total", "ristretto Sets still dropped after every retry (the key misses until fetched)."),
		SetsRejected: counter("ociedge_cache_sets_rejected_total", "Inserts refused by ristretto's admission policy."),
		Evictions:    counter("ociedge_cache_evictions_total", "Cached values evicted by ristretto to make room."),
		DeltaRecords: counter("ociedge_cache_delta_records_total", "get-deltas Change and Delete records applied to the cache."),
		ImportSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "ociedge_cache_full_import_duration_seconds",
			Help:    "Duration of completed full imports by stream kind (group, site, combined).",
			Buckets: prometheus.ExponentialBuckets(0.01, 2, 14),
		}, []string{"kind"}),
		Imports: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ociedge_cache_full_imports_total",
			Help: "Full imports by stream kind and outcome (ok, error).",
		}, []string{"kind", "outcome"}),
		Lists: newListCollector(),
	}
	for i, name := range statusNames {
		m.lookups[i] = m.Lookups.WithLabelValues(name)
	}
	return m
}

func counter(name, help string) prometheus.Counter {
	return prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
}

// Collectors returns every collector, for registration.
func (m *Metrics) Collectors() []prometheus.Collector {
	return []prometheus.Collector{m.Lookups, m.Fallbacks, m.SetsDropped, m.SetsLost, m.SetsRejected,
		m.Evictions, m.DeltaRecords, m.ImportSeconds, m.Imports, m.Lists}
}

func (m *Metrics) lookup(s Status) {
	if m != nil {
		m.lookups[s].Inc()
	}
}

func (m *Metrics) fallback(outcome string) {
	if m != nil {
		m.Fallbacks.WithLabelValues(outcome).Inc()
	}
}

func (m *Metrics) dropped() {
	if m != nil {
		m.SetsDropped.Inc()
	}
}

func (m *Metrics) lost() {
	if m != nil {
		m.SetsLost.Inc()
	}
}

func (m *Metrics) rejected() {
	if m != nil {
		m.SetsRejected.Inc()
	}
}

func (m *Metrics) evicted() {
	if m != nil {
		m.Evictions.Inc()
	}
}

func (m *Metrics) deltas(n int) {
	if m != nil && n > 0 {
		m.DeltaRecords.Add(float64(n))
	}
}

func (m *Metrics) fullImport(kind string, seconds float64, err error) {
	if m == nil {
		return
	}
	if err != nil {
		m.Imports.WithLabelValues(kind, "error").Inc()
		return
	}
	m.Imports.WithLabelValues(kind, "ok").Inc()
	m.ImportSeconds.WithLabelValues(kind).Observe(seconds)
}

func (m *Metrics) attach(src func() []ListStatus) {
	if m != nil {
		m.Lists.src.Store(&src)
	}
}

// ListCollector reports the per-list gauges from the attached cache's
// Status when scraped, so they are never out of date.
type ListCollector struct {
	src                           atomic.Pointer[func() []ListStatus]
	items, updated, lag, streamSt *prometheus.Desc
}

func newListCollector() *ListCollector {
	return &ListCollector{
		items:    prometheus.NewDesc("ociedge_cache_items", "Records cached per inventory list (Items Cached).", []string{"list"}, nil),
		updated:  prometheus.NewDesc("ociedge_cache_last_update_seconds", "Unix time of the list's last applied change or completed import (Last Cache Update).", []string{"list"}, nil),
		lag:      prometheus.NewDesc("ociedge_cache_stream_lag_seconds", "Seconds since the list's stream last confirmed it was caught up with the core.", []string{"list"}, nil),
		streamSt: prometheus.NewDesc("ociedge_cache_stream_state", "1 for the list's current stream state, 0 for the others.", []string{"list", "state"}, nil),
	}
}

// Describe implements prometheus.Collector.
func (lc *ListCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- lc.items
	ch <- lc.updated
	ch <- lc.lag
	ch <- lc.streamSt
}

// Collect implements prometheus.Collector.
func (lc *ListCollector) Collect(ch chan<- prometheus.Metric) {
	src := lc.src.Load()
	if src == nil {
		return
	}
	for _, s := range (*src)() {
		ch <- prometheus.MustNewConstMetric(lc.items, prometheus.GaugeValue, float64(s.ItemsCached), s.ID)
		if !s.LastCacheUpdate.IsZero() {
			ch <- prometheus.MustNewConstMetric(lc.updated, prometheus.GaugeValue, float64(s.LastCacheUpdate.UnixNano())/1e9, s.ID)
		}
		if s.Lag >= 0 {
			ch <- prometheus.MustNewConstMetric(lc.lag, prometheus.GaugeValue, s.Lag.Seconds(), s.ID)
		}
		for k, label := range stateLabels {
			v := 0.0
			if stateKind(k) == s.kind {
				v = 1
			}
			ch <- prometheus.MustNewConstMetric(lc.streamSt, prometheus.GaugeValue, v, s.ID, label)
		}
	}
}
