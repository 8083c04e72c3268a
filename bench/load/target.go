package load

import (
	"errors"
	"io"
	"net"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/valyala/fasthttp"
)

// TargetConfig describes one server to send calls to.
type TargetConfig struct {
	// URL is the base URL, e.g. http://127.0.0.1:8080. Only its scheme and
	// host are used; calls carry their own paths.
	URL string
	// AllowRemote permits a non-loopback host.
	AllowRemote bool
	// Conns bounds the open connections. Zero means 256. Size it to the
	// workers that share the target, so that a worker never waits for one.
	Conns int
	// Timeout bounds each call (write, wait and read). Zero means 5s.
	Timeout time.Duration
	// ConnWait is how long a call may wait for a free connection before it
	// fails with OutcomeNoFreeConns. Zero means 100ms.
	ConnWait time.Duration
}

// A Target is one shared, sized fasthttp client for one server. It is safe
// for concurrent use. Nothing from a fasthttp Request or Response outlives a
// call: bodies are handed to Call.Parse and released.
type Target struct {
	hc           *fasthttp.HostClient
	lean         *lean // plain calls over http; nil for https
	host         string
	timeout      time.Duration
	noFreeConns  atomic.Int64
	staleRetries atomic.Int64
}

// NewTarget checks cfg (loopback unless AllowRemote) and builds the client.
// It does not connect.
func NewTarget(cfg TargetConfig) (*Target, error) {
	scheme, addr, err := CheckURL(cfg.URL, cfg.AllowRemote)
	if err != nil {
		return nil, err
	}
	if cfg.Conns == 0 {
		cfg.Conns = 256
	}
	if cfg.Conns < 0 || cfg.Conns > 4*MaxWorkers {
		return nil, errors.New("load: TargetConfig.Conns out of range")
	}
	cfg.Timeout = orDuration(cfg.Timeout, 5*time.Second)
	hc := &fasthttp.HostClient{
		Addr:     addr,
		IsTLS:    scheme == "https",
		MaxConns: cfg.Conns,
		// Each call is bounded by DoTimeout alone: a HostClient read and
		// write timeout as well would read the clock and reset the
		// connection's deadlines twice more per call.
		MaxConnWaitTimeout:        orDuration(cfg.ConnWait, 100*time.Millisecond),
		MaxIdemponentCallAttempts: 2, // see retryStale: no other retry
		NoDefaultUserAgentHeader:  true,
		// The harness builds well-formed paths and canonical header names:
		// normalizing them again is CPU taken from the server.
		DisableHeaderNamesNormalizing: true,
		DisablePathNormalizing:        true,
		Name:                          "ocibench",
	}
	t := &Target{hc: hc, host: addr, timeout: cfg.Timeout}
	if !hc.IsTLS {
		t.lean = newLean(addr, cfg.Conns, cfg.Timeout, hc.MaxConnWaitTimeout)
	}
	hc.RetryIfErr = t.retryStale
	return t, nil
}

// retryStale allows one retry, and only of a call that failed because the
// server had closed the kept-alive connection before the call reached it
// (what every HTTP client retries); any other failure is the measurement.
func (t *Target) retryStale(_ *fasthttp.Request, attempts int, err error) (resetTimeout, retry bool) {
	if attempts == 1 && (errors.Is(err, io.EOF) || errors.Is(err, fasthttp.ErrConnectionClosed) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET)) {
		t.staleRetries.Add(1)
		return false, true
	}
	return false, false
}

// StaleRetries returns how many calls were sent again because the server
// had closed an idle connection under them.
func (t *Target) StaleRetries() int64 { return t.staleRetries.Load() }

// Host returns the host:port calls go to.
func (t *Target) Host() string { return t.host }

// NoFreeConns returns how many calls failed for want of a free connection.
func (t *Target) NoFreeConns() int64 { return t.noFreeConns.Load() }

// Close drops the idle connections.
func (t *Target) Close() {
	t.hc.CloseIdleConnections()
	if t.lean != nil {
		t.lean.closeIdle()
	}
}

// do sends c, starting at now, and returns its status and outcome label:
// through the lean client (see lean) unless it streams its body or the
// target is https.
func (t *Target) do(c *Call, now time.Time) (int, string, error) {
	if t.lean != nil && c.BodyStream == nil {
		status, out, err := t.lean.do(c, now, func() { t.staleRetries.Add(1) })
		if err != nil {
			out = classify(err)
			if out == OutcomeNoFreeConns {
				t.noFreeConns.Add(1)
			}
			return 0, out, err
		}
		if out == "" {
			out = StatusClass(status)
		}
		return status, out, nil
	}
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	t.fill(req, c)
	err := t.hc.DoTimeout(req, resp, orDuration(c.Timeout, t.timeout))
	if err != nil {
		out := classify(err)
		if out == OutcomeNoFreeConns {
			t.noFreeConns.Add(1)
		}
		return 0, out, err
	}
	status := resp.StatusCode()
	out := ""
	if c.Parse != nil {
		out = c.Parse(status, resp.Body())
	}
	if out == "" {
		out = StatusClass(status)
	}
	return status, out, nil
}

func (t *Target) fill(req *fasthttp.Request, c *Call) {
	req.SetRequestURI(c.URI)
	req.Header.SetHost(t.host)
	if c.Method != "" {
		req.Header.SetMethod(c.Method)
	}
	if c.ContentType != "" {
		req.Header.SetContentType(c.ContentType)
	}
	if c.Auth != "" {
		req.Header.Set(fasthttp.HeaderAuthorization, c.Auth)
	}
	if c.BodyStream != nil {
		req.SetBodyStream(c.BodyStream, c.BodySize)
	} else if c.Body != nil {
		req.SetBodyRaw(c.Body)
	}
}

// classify names a transport error.
func classify(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, fasthttp.ErrNoFreeConns), errors.Is(err, errNoFreeConns):
		return OutcomeNoFreeConns
	case errors.Is(err, fasthttp.ErrTimeout), errors.Is(err, fasthttp.ErrDialTimeout), errors.Is(err, errTimeout),
		errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return OutcomeTimeout
	default:
		return OutcomeConnError
	}
}

// Send makes one call without recording it: for setup and checks around a
// run (a token, the core's numbers before and after a flash sale).
func (t *Target) Send(c *Call) Reply {
	status, outcome, err := t.do(c, time.Now())
	return Reply{Status: status, Outcome: outcome, Err: err}
}
