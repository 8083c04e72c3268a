package impex

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the impex service's Prometheus collectors. Create them with
// NewMetrics and register Collectors where the process exports metrics; a
// nil *Metrics is valid and records nothing. Labels carry only the job kind
// and status. Import records per second are the rate of the core's
// ocicore_import_records_total.
type Metrics struct {
	Jobs          *prometheus.CounterVec   // jobs by kind and status reached (created, completed, failed, expired)
	Running       *prometheus.GaugeVec     // jobs running now, by kind
	JobSeconds    *prometheus.HistogramVec // run time of finished jobs, by kind
	UploadBytes   prometheus.Counter       // import file bytes received
	LineFailures  prometheus.Counter       // import lines refused before reaching the core (syntax, types, layout)
	ExportRecords prometheus.Counter       // record lines written to availability export files
}

// NewMetrics creates the collectors.
func NewMetrics() *Metrics {
	return &Metrics{
		Jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ocicore_impex_jobs_total",
			Help: "Impex jobs by kind (import, export, graph-export) and the status they reached.",
		}, []string{"kind", "status"}),
		Running: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "ocicore_impex_jobs_running",
			Help: "Impex jobs running now, by kind.",
		}, []string{"kind"}),
		JobSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "ocicore_impex_job_seconds",
			Help:    "Run time of finished impex jobs, by kind.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 12),
		}, []string{"kind"}),
		UploadBytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "ocicore_impex_upload_bytes_total",
			Help: "Import file bytes received (as sent, compressed or not).",
		}),
		LineFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "ocicore_impex_import_line_failures_total",
			Help: "Import lines refused before they reached the core (JSON syntax, field types, layout).",
		}),
		ExportRecords: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "ocicore_impex_export_records_total",
			Help: "Record lines written to availability export files.",
		}),
	}
}

// Collectors returns every collector, for registration.
func (m *Metrics) Collectors() []prometheus.Collector {
	return []prometheus.Collector{m.Jobs, m.Running, m.JobSeconds, m.UploadBytes, m.LineFailures, m.ExportRecords}
}

func (m *Metrics) job(k Kind, s Status) {
	if m != nil {
		m.Jobs.WithLabelValues(string(k), lower(s)).Inc()
	}
}

func (m *Metrics) running(k Kind, delta float64) {
	if m != nil {
		m.Running.WithLabelValues(string(k)).Add(delta)
	}
}

func (m *Metrics) ran(k Kind, d time.Duration) {
	if m != nil {
		m.JobSeconds.WithLabelValues(string(k)).Observe(d.Seconds())
	}
}

func (m *Metrics) uploaded(n int64) {
	if m != nil && n > 0 {
		m.UploadBytes.Add(float64(n))
	}
}

func (m *Metrics) lineFailures(n int) {
	if m != nil && n > 0 {
		m.LineFailures.Add(float64(n))
	}
}

func (m *Metrics) exported(n int) {
	if m != nil && n > 0 {
		m.ExportRecords.Add(float64(n))
	}
}

func lower(s Status) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
