package proxy

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"

	"ociedge/internal/logs"
	"ociedge/modes"
	"ociedge/oci/client"
)

// edgeMetrics are the edge's own HTTP and mode metrics; the cache and the
// orders service register theirs. Labels never carry a sku, order, basket
// or reservation id.
type edgeMetrics struct {
	requests *prometheus.CounterVec
	seconds  *prometheus.HistogramVec
	logins   *prometheus.CounterVec
	// hot are pre-bound for the availability route's 200s so that its hit
	// path does not allocate.
	hotCount prometheus.Counter
	hotTime  prometheus.Observer
	handler  fasthttp.RequestHandler
	// loginLog throttles the log lines of refused admin logins.
	loginLog *logs.Throttle
}

func newEdgeMetrics(reg *prometheus.Registry, e *Edge) *edgeMetrics {
	m := &edgeMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ociedge_http_requests_total", Help: "HTTP requests by route, method class and status.",
		}, []string{"route", "status"}),
		seconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ociedge_http_request_seconds", Help: "HTTP request latency by route and status class (2xx, 3xx, 4xx, 5xx).",
			Buckets: prometheus.ExponentialBuckets(0.00002, 2, 18),
		}, []string{"route", "class"}),
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ociedge_admin_logins_total", Help: "Admin page logins by outcome (ok, refused, bad_request).",
		}, []string{"outcome"}),
		loginLog: logs.NewThrottle(e.now, time.Minute),
	}
	mode := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "ociedge_inventory_mode", Help: "1 for the current inventory mode, 0 for the others.",
	}, []string{"mode"})
	reg.MustRegister(m.requests, m.seconds, m.logins, modeCollector{mode, e}, newOpsCollector(e))
	m.hotCount = m.requests.WithLabelValues(routeAvailability, "200")
	m.hotTime = m.seconds.WithLabelValues(routeAvailability, "2xx")
	m.handler = fasthttpadaptor.NewFastHTTPHandler(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	return m
}

func (m *edgeMetrics) observe(route string, status int, d time.Duration) {
	if route == routeAvailability && status == 200 {
		m.hotCount.Inc()
		m.hotTime.Observe(d.Seconds())
		return
	}
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.seconds.WithLabelValues(route, statusClass(status)).Observe(d.Seconds())
}

// statusClass is "2xx" for 200..299 and so on.
func statusClass(status int) string {
	if status < 100 || status > 599 {
		return "other"
	}
	return string(rune('0'+status/100)) + "xx"
}

func (m *edgeMetrics) login(outcome string) { m.logins.WithLabelValues(outcome).Inc() }

func (e *Edge) serveMetrics(ctx *fasthttp.RequestCtx) { e.metrics.handler(ctx) }

// modeCollector reports the current mode when scraped.
type modeCollector struct {
	g *prometheus.GaugeVec
	e *Edge
}

func (c modeCollector) Describe(ch chan<- *prometheus.Desc) { c.g.Describe(ch) }

func (c modeCollector) Collect(ch chan<- prometheus.Metric) {
	cur := c.e.mode.Mode()
	for _, m := range modes.All() {
		v := 0.0
		if m == cur {
			v = 1
		}
		c.g.WithLabelValues(m.String()).Set(v)
	}
	c.g.Collect(ch)
}

// opsCollector reports, when scraped, what the edge knows only by asking
// its parts: readiness, whether the cache streams run, and the core
// client's call counters (client.Stats; the latency and errors of
// reservation calls are the orders service's ociedge_core_call_*).
type opsCollector struct {
	e                                        *Edge
	ready, streams                           *prometheus.Desc
	calls, attempts, retries, errors, tokens *prometheus.Desc
}

func newOpsCollector(e *Edge) *opsCollector {
	return &opsCollector{e: e,
		ready:    prometheus.NewDesc("ociedge_ready", "1 when /readyz answers ready, else 0.", nil, nil),
		streams:  prometheus.NewDesc("ociedge_cache_streams_running", "1 once the cache streams were started (they keep running after a deactivation).", nil, nil),
		calls:    prometheus.NewDesc("ociedge_core_client_calls_total", "Calls to the OCI core by the edge's client (a retried call counts once).", nil, nil),
		attempts: prometheus.NewDesc("ociedge_core_client_attempts_total", "HTTP requests sent to the OCI core, retries included.", nil, nil),
		retries:  prometheus.NewDesc("ociedge_core_client_retries_total", "Attempts after a call's first.", nil, nil),
		errors:   prometheus.NewDesc("ociedge_core_client_errors_total", "Core client failures by kind (unavailable: a call that got no answer; no_free_conns; unauthorized: a 401 that refreshed the token).", []string{"kind"}, nil),
		tokens:   prometheus.NewDesc("ociedge_core_client_token_fetches_total", "Token endpoint calls by the core client.", nil, nil),
	}
}

// coreStats is what *client.Client offers beyond the Core interface.
type coreStats interface{ Stats() client.Stats }

// Describe implements prometheus.Collector.
func (c *opsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.ready, c.streams, c.calls, c.attempts, c.retries, c.errors, c.tokens} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *opsCollector) Collect(ch chan<- prometheus.Metric) {
	gauge := func(d *prometheus.Desc, ok bool) {
		v := 0.0
		if ok {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v)
	}
	gauge(c.ready, len(c.e.notReady()) == 0)
	gauge(c.streams, c.e.streams.Load())
	cs, ok := c.e.core.(coreStats)
	if !ok {
		return
	}
	s := cs.Stats()
	counter := func(d *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	counter(c.calls, s.Calls)
	counter(c.attempts, s.Attempts)
	counter(c.retries, s.Retries)
	counter(c.errors, s.Unavailable, "unavailable")
	counter(c.errors, s.NoFreeConns, "no_free_conns")
	counter(c.errors, s.Unauthorized, "unauthorized")
	counter(c.tokens, s.TokenFetches)
}
