// Package client is the Go client of an OCI core's HTTP API (reference
// oci-api.md §3–§5 and the core's admin API): availability reads and
// deltas, batch updates, reservations, availability exports and imports,
// and the location graph. The edge, the demo, the bench and tests use it.
//
// One Client holds one sized fasthttp connection pool and one bearer token
// that it fetches lazily and refreshes ahead of expiry. Every call takes a
// context and obeys its deadline as well as a per-attempt timeout.
// Idempotent calls are retried with jittered backoff, honouring Retry-After.
//
// Errors: every non-2xx answer is an *APIError whose Unwrap is an
// equivalent *oci.Error, so oci.ErrorCode works on it; transport failures,
// 5xx and 429 answers also satisfy errors.Is(err, ErrUnavailable).
package client

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
	"go.uber.org/zap"
)

// ErrClosed is returned by calls made after Close.
var ErrClosed = errors.New("client: closed")

// Client talks to one OCI core tenant. It is safe for concurrent use; its
// zero value is not usable (call New).
type Client struct {
	cfg    Config
	log    *zap.Logger
	hc     *fasthttp.HostClient
	prefix string // scheme://host[/prefix]
	paths  paths
	tokens *tokenSource
	stats  counters

	root   context.Context // cancelled by Close; bounds background work
	cancel context.CancelFunc
	wg     sync.WaitGroup // background goroutines (token fetches)

	rngMu sync.Mutex // guards rng
	rng   *rand.Rand
}

// paths are the API bases of the tenant, each ending before its resources.
type paths struct {
	avail, resv, impex, admin string
}

// New validates cfg and builds a client. It does not contact the core.
func New(cfg Config) (*Client, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	addr, tls, prefix, err := cfg.baseURL()
	if err != nil {
		return nil, err
	}
	org := "/organizations/" + url.PathEscape(cfg.Tenant)
	c := &Client{cfg: cfg, log: cfg.Logger, prefix: prefix,
		paths: paths{avail: "/inventory/availability/v1" + org, resv: "/inventory/reservation/v1" + org,
			impex: "/inventory/impex/v1" + org, admin: "/inventory/admin/v1" + org},
		rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
	}
	c.root, c.cancel = context.WithCancel(context.Background())
	c.hc = &fasthttp.HostClient{
		Addr:                      addr,
		IsTLS:                     tls,
		Name:                      "ociedge-client",
		MaxConns:                  cfg.MaxConns,
		MaxConnWaitTimeout:        cfg.MaxConnWait,
		MaxIdemponentCallAttempts: 1, // retries are ours: they know which calls are idempotent
		MaxIdleConnDuration:       30 * time.Second,
		ReadTimeout:               cfg.TransferTimeout, // each call sets a tighter deadline
		WriteTimeout:              cfg.TransferTimeout,
		MaxResponseBodySize:       cfg.MaxResponseBytes,
		ReadBufferSize:            16 << 10,
		DisablePathNormalizing:    true, // paths are escaped here, segment by segment
	}
	c.tokens = newTokenSource(c)
	return c, nil
}

// Close stops background work (a token fetch in flight), waits for it and
// closes idle connections. Calls made afterwards fail with ErrClosed.
func (c *Client) Close() {
	c.cancel()
	c.wg.Wait()
	c.hc.CloseIdleConnections()
}

// Tenant returns the tenant group id the client talks to.
func (c *Client) Tenant() string { return c.cfg.Tenant }

// Stats are the client's counters since New. The proxy exports them as
// metrics.
type Stats struct {
	Calls        uint64 // API calls made (a retried call counts once)
	Attempts     uint64 // HTTP requests sent, retries included
	Retries      uint64 // attempts after the first
	Unavailable  uint64 // calls that failed with ErrUnavailable
	NoFreeConns  uint64 // attempts refused for want of a pooled connection
	TokenFetches uint64 // token endpoint calls
	Unauthorized uint64 // 401 answers (each triggers one token refresh)
}

type counters struct {
	calls, attempts, retries, unavailable, noFreeConns, tokenFetches, unauthorized atomic.Uint64
}

// Stats returns a snapshot of the counters.
func (c *Client) Stats() Stats {
	s := &c.stats
	return Stats{Calls: s.calls.Load(), Attempts: s.attempts.Load(), Retries: s.retries.Load(),
		Unavailable: s.unavailable.Load(), NoFreeConns: s.noFreeConns.Load(),
		TokenFetches: s.tokenFetches.Load(), Unauthorized: s.unauthorized.Load()}
}

// jitter returns a uniform draw from [d/2, d).
func (c *Client) jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	c.rngMu.Lock()
	defer c.rngMu.Unlock()
	return d/2 + time.Duration(c.rng.Int64N(int64(d-d/2)))
}

// wait blocks for d, or until ctx is done or the client closes.
func (c *Client) wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	select {
	case <-c.cfg.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-c.root.Done():
		return ErrClosed
	}
}

// deadline is the earlier of now+timeout and ctx's deadline; byCtx says
// that it is ctx's.
func deadline(ctx context.Context, timeout time.Duration) (d time.Time, byCtx bool) {
	d = time.Now().Add(timeout)
	if cd, ok := ctx.Deadline(); ok && cd.Before(d) {
		return cd, true
	}
	return d, false
}
