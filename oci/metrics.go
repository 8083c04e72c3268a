package oci

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the core's Prometheus collectors. Create them with NewMetrics
// and register them where the process exports metrics; a nil *Metrics is
// valid and records nothing. No label carries a sku, place or reservation id.
type Metrics struct {
	Reservations      *prometheus.CounterVec // by outcome
	ReservationOps    *prometheus.CounterVec // transfers/releases/fulfillments/cancels by op and outcome
	ExpiredTotal      prometheus.Counter
	ImportRecords     *prometheus.CounterVec // by outcome: applied, skipped, failed
	RecordUpdates     *prometheus.CounterVec // batch-update and single-record writes by outcome
	CommitSeconds     prometheus.Histogram
	CommitOps         prometheus.Histogram
	ChangeSeq         prometheus.GaugeFunc
	OpenReservations  prometheus.GaugeFunc
	DeltaReads        *prometheus.CounterVec // by outcome: ok, expired
	DeltaRecords      prometheus.Counter
	InvariantFailures prometheus.Gauge
}

// NewMetrics creates the collectors; seq and open report the change-log
// sequence and the number of open reservation documents when scraped.
func NewMetrics(seq, open func() float64) *Metrics {
	return &Metrics{
		Reservations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ocicore_reservations_total",
			Help: "Reservation document requests by outcome (reserved, partial, insufficient, replayed, invalid, conflict).",
		}, []string{"outcome"}),
		ReservationOps: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ocicore_reservation_operations_total",
			Help: "Transfer, release, fulfillment and cancel records by operation and outcome.",
		}, []string{"op", "outcome"}),
		ExpiredTotal: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "ocicore_reservations_expired_total",
			Help: "Reservation documents released because their expirationSeconds passed.",
		}),
		ImportRecords: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ocicore_import_records_total",
			Help: "Availability import records by outcome (applied, skipped, failed).",
		}, []string{"outcome"}),
		RecordUpdates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ocicore_record_updates_total",
			Help: "Availability record writes (batch-update and single location-sku) by outcome.",
		}, []string{"outcome"}),
		CommitSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "ocicore_store_commit_seconds",
			Help:    "Time to write and fsync one commit group.",
			Buckets: prometheus.ExponentialBuckets(0.00005, 2, 16),
		}),
		CommitOps: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "ocicore_store_commit_operations",
			Help:    "Operations made durable by one commit group (group commit size).",
			Buckets: prometheus.ExponentialBuckets(1, 2, 12),
		}),
		ChangeSeq: prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "ocicore_change_sequence",
			Help: "The latest availability change-log sequence number (delta tokens count from it).",
		}, seq),
		OpenReservations: prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "ocicore_open_reservations",
			Help: "Reservation documents currently open.",
		}, open),
		DeltaReads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ocicore_delta_reads_total",
			Help: "get-deltas calls by outcome (ok, expired, invalid).",
		}, []string{"outcome"}),
		DeltaRecords: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "ocicore_delta_records_total",
			Help: "Change and Delete records returned by get-deltas.",
		}),
		InvariantFailures: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "ocicore_invariant_violations",
			Help: "Violations found by the last invariant check (0 is healthy).",
		}),
	}
}

// Collectors returns every collector, for registration.
func (m *Metrics) Collectors() []prometheus.Collector {
	return []prometheus.Collector{m.Reservations, m.ReservationOps, m.ExpiredTotal, m.ImportRecords,
		m.RecordUpdates, m.CommitSeconds, m.CommitOps, m.ChangeSeq, m.OpenReservations, m.DeltaReads,
		m.DeltaRecords, m.InvariantFailures}
}

func (m *Metrics) observeCommit(d time.Duration, ops int) {
	if m == nil {
		return
	}
	m.CommitSeconds.Observe(d.Seconds())
	m.CommitOps.Observe(float64(ops))
}

func (m *Metrics) reservation(outcome string) {
	if m != nil {
		m.Reservations.WithLabelValues(outcome).Inc()
	}
}

func (m *Metrics) reservationOp(op, outcome string, n int) {
	if m != nil && n > 0 {
		m.ReservationOps.WithLabelValues(op, outcome).Add(float64(n))
	}
}

func (m *Metrics) expired(n int) {
	if m != nil && n > 0 {
		m.ExpiredTotal.Add(float64(n))
	}
}

func (m *Metrics) importRecords(outcome string, n int) {
	if m != nil && n > 0 {
		m.ImportRecords.WithLabelValues(outcome).Add(float64(n))
	}
}

func (m *Metrics) recordUpdates(outcome string, n int) {
	if m != nil && n > 0 {
		m.RecordUpdates.WithLabelValues(outcome).Add(float64(n))
	}
}

func (m *Metrics) deltaRead(outcome string, records int) {
	if m == nil {
		return
	}
	m.DeltaReads.WithLabelValues(outcome).Inc()
	m.DeltaRecords.Add(float64(records))
}
