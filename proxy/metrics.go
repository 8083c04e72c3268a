package proxy

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"

	"ociedge/modes"
)

// edgeMetrics are the edge's own HTTP and mode metrics; the cache and the
// orders service register theirs. Labels never carry a sku, order, basket
// or reservation id.
type edgeMetrics struct {
	requests *prometheus.CounterVec
	seconds  *prometheus.HistogramVec
	// hot are pre-bound for the availability route's 200s so that its hit
	// path does not allocate.
	hotCount prometheus.Counter
	hotTime  prometheus.Observer
	handler  fasthttp.RequestHandler
}

func newEdgeMetrics(reg *prometheus.Registry, e *Edge) *edgeMetrics {
	m := &edgeMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ociedge_http_requests_total", Help: "HTTP requests by route, method class and status.",
		}, []string{"route", "status"}),
		seconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ociedge_http_request_seconds", Help: "HTTP request latency by route.",
			Buckets: prometheus.ExponentialBuckets(0.00002, 2, 18),
		}, []string{"route"}),
	}
	mode := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "ociedge_inventory_mode", Help: "1 for the current inventory mode, 0 for the others.",
	}, []string{"mode"})
	reg.MustRegister(m.requests, m.seconds, modeCollector{mode, e})
	m.hotCount = m.requests.WithLabelValues(routeAvailability, "200")
	m.hotTime = m.seconds.WithLabelValues(routeAvailability)
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
	m.seconds.WithLabelValues(route).Observe(d.Seconds())
}

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
