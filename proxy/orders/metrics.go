package orders

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the service's Prometheus collectors. Create them with
// NewMetrics and register Collectors where the edge exports metrics; a nil
// *Metrics is valid and records nothing. No label carries a basket, order,
// product or reservation id.
type Metrics struct {
	// Orders counts order events: created, refused (creation failed for
	// lack of inventory), placed (created -> new or completed), completed
	// (new -> completed), reopened (completed -> new), failed, auto_failed,
	// cancelled, undo_failed, undo_cancelled, rolled_back.
	Orders *prometheus.CounterVec
	// Reservations counts reservation operations by system (OCI, B2C), op
	// (basket, order, release) and outcome (ok, unavailable, unreachable,
	// error).
	Reservations *prometheus.CounterVec
	// CoreCalls is the latency of calls to the core by op (reserve,
	// update, cancel, get).
	CoreCalls *prometheus.HistogramVec
	// CoreErrors counts failed core calls by op and kind (unavailable,
	// circuit_open).
	CoreErrors *prometheus.CounterVec
	// Circuit is the circuit breaker's state: 0 closed, 1 half-open, 2 open.
	Circuit prometheus.Gauge
	// PendingWork counts orders whose reservation work is waiting for the
	// job (a release the core could not take yet).
	PendingWork prometheus.Gauge
	// BasketsExpired counts baskets deleted at the end of their lifetime.
	BasketsExpired prometheus.Counter
}

// NewMetrics creates the collectors.
func NewMetrics() *Metrics {
	return &Metrics{
		Orders: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ociedge_orders_total",
			Help: "Order events: created, refused, placed, completed, reopened, failed, auto_failed, cancelled, undo_failed, undo_cancelled, rolled_back.",
		}, []string{"event"}),
		Reservations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ociedge_reservations_total",
			Help: "Reservation operations by system (OCI, B2C), op (basket, order, release) and outcome.",
		}, []string{"system", "op", "outcome"}),
		CoreCalls: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "ociedge_core_call_seconds",
			Help:    "Latency of reservation calls to the OCI core by op.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16),
		}, []string{"op"}),
		CoreErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ociedge_core_call_errors_total",
			Help: "Reservation calls to the OCI core that got no answer, by op and kind (unavailable, circuit_open).",
		}, []string{"op", "kind"}),
		Circuit: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "ociedge_core_circuit_state",
			Help: "Circuit breaker in front of the core: 0 closed, 1 half-open, 2 open.",
		}),
		PendingWork: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "ociedge_orders_pending_reservation_work",
			Help: "Orders whose reservation is waiting to be released or rolled back by the job.",
		}),
		BasketsExpired: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "ociedge_baskets_expired_total",
			Help: "Baskets deleted because they were not modified for their site's basket lifetime (their reservations released).",
		}),
	}
}

// Collectors returns every collector, to register.
func (m *Metrics) Collectors() []prometheus.Collector {
	return []prometheus.Collector{m.Orders, m.Reservations, m.CoreCalls, m.CoreErrors, m.Circuit, m.PendingWork, m.BasketsExpired}
}

func (m *Metrics) basketsExpired(n int) {
	if m != nil {
		m.BasketsExpired.Add(float64(n))
	}
}

func (m *Metrics) order(event string) {
	if m != nil {
		m.Orders.WithLabelValues(event).Inc()
	}
}

func (m *Metrics) reservation(sys System, op, outcome string) {
	if m != nil {
		m.Reservations.WithLabelValues(string(sys), op, outcome).Inc()
	}
}

func (m *Metrics) coreCall(op string, d time.Duration) {
	if m != nil {
		m.CoreCalls.WithLabelValues(op).Observe(d.Seconds())
	}
}

func (m *Metrics) coreError(op, kind string) {
	if m != nil {
		m.CoreErrors.WithLabelValues(op, kind).Inc()
	}
}

func (m *Metrics) circuit(s CircuitState) {
	if m != nil {
		m.Circuit.Set(float64(s))
	}
}

func (m *Metrics) pending(n int) {
	if m != nil {
		m.PendingWork.Set(float64(n))
	}
}

// outcomeOf names the outcome of a reservation operation for the metric.
func outcomeOf(err error) string {
	switch ErrorCode(err) {
	case "":
		return "ok"
	case EUNAVAILABLE:
		return "unavailable"
	case EUNREACHABLE:
		return "unreachable"
	}
	return "error"
}
