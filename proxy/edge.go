// Package proxy is the edge: a fasthttp server that storefronts point their
// availability lookups and checkouts at. It assembles the inventory-mode
// state, the edge's own (Commerce Platform) inventory, the OCI cache and its
// streams, baskets and orders, the admin page and API, and metrics, and
// routes requests to them.
package proxy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/valyala/fasthttp"
	"go.uber.org/zap"

	"ociedge/cache"
	"ociedge/internal/kv"
	"ociedge/oci/client"
	"ociedge/proxy/adminui"
	"ociedge/proxy/config"
	"ociedge/proxy/inventory"
	"ociedge/proxy/ocapi"
	"ociedge/proxy/orders"
)

// Core is everything the edge asks of the OCI core: the cache's streams and
// miss fallback, and the reservations of orders. *client.Client implements it.
type Core interface {
	cache.Core
	orders.Core
}

var _ Core = (*client.Client)(nil)

// Config configures an Edge. App and DataDir are required.
type Config struct {
	// App is the validated configuration file (proxy/config).
	App *config.Config
	// DataDir holds the edge's store.
	DataDir string
	// Addr to listen on. Default 127.0.0.1:8080; ":0" picks a free port.
	Addr string
	// Listener, if set, is used instead of listening on Addr.
	Listener net.Listener
	// Core, if set, is used instead of a client built from App.Core (the
	// demo and tests pass one). The Edge does not close it.
	Core Core
	// Logger defaults to a no-op logger.
	Logger *zap.Logger
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// JobInterval is how often background jobs (auto-fail, hold expiry,
	// retention) run. Default 10 s; negative disables them (tests run
	// RunJobs and RunOrderJobs themselves).
	JobInterval time.Duration
	// FS is the file system the store lives on. Nil means the operating
	// system's; tests inject disk faults through it (pebble's vfs/errorfs).
	FS vfs.FS
}

// Edge is a running edge. It is safe for concurrent use; Close stops it.
type Edge struct {
	cfg    Config
	app    *config.Config
	log    *zap.Logger
	now    func() time.Time
	store  *kv.Pebble
	mode   *modeState
	inv    *inventory.Store
	cache  *cache.Cache
	orders *orders.Service
	core   Core
	owned  *client.Client // the client the edge built itself, closed with it

	loggedOut adminui.Ended // admin sessions ended by a logout before their expiry

	ordersH *orders.Handler
	ocapiH  *ocapi.Handler
	reg     *prometheus.Registry
	metrics *edgeMetrics
	lists   atomic.Pointer[listTable] // storefront view of sites and lists
	streams atomic.Bool               // the cache streams were started

	lastRetention time.Time // touched only by the job loop

	srv  *fasthttp.Server
	ln   net.Listener
	done chan error
	stop chan struct{}
	wg   sync.WaitGroup
}

// New opens the edge's store and components and starts listening.
func New(cfg Config) (*Edge, error) {
	if cfg.App == nil || cfg.DataDir == "" {
		return nil, errors.New("proxy: Config.App and Config.DataDir are required")
	}
	setDefaults(&cfg)
	e := &Edge{cfg: cfg, app: cfg.App, log: cfg.Logger, now: cfg.Now, done: make(chan error, 1), stop: make(chan struct{})}
	if err := e.open(); err != nil {
		e.closeParts()
		return nil, err
	}
	e.serve()
	return e, nil
}

func setDefaults(cfg *Config) {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:8080"
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.JobInterval == 0 {
		cfg.JobInterval = 10 * time.Second
	}
}

func (e *Edge) open() error {
	if err := os.MkdirAll(e.cfg.DataDir, 0o755); err != nil {
		return err
	}
	st, err := kv.OpenPebble(filepath.Join(e.cfg.DataDir, "store"), kv.PebbleConfig{Logger: e.log.Named("pebble"), FS: e.cfg.FS})
	if err != nil {
		return err
	}
	e.store = st
	e.reg = prometheus.NewRegistry()
	e.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	e.metrics = newEdgeMetrics(e.reg, e)
	if e.mode, err = openModeState(st, e.log.Named("mode"), e.now); err != nil {
		return err
	}
	steps := []func() error{e.openInventory, e.openCore, e.openCache, e.openOrders, e.openOCAPI, e.buildLists, e.resumeStreams}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return e.listen()
}

func (e *Edge) openCore() error {
	if e.cfg.Core != nil {
		e.core = e.cfg.Core
		return nil
	}
	c := e.app.Core
	// Retries: -1 (none) in the client: the orders service retries
	// reservation calls itself (core.retries, same ids, behind its circuit
	// breaker) and the cache streams have their own retry and re-import
	// rules; retrying in both layers would multiply the attempts.
	cl, err := client.New(client.Config{BaseURL: c.URL, Tenant: c.TenantGroupID, ClientID: c.ClientID,
		ClientSecret: string(c.ClientSecret), Timeout: c.Timeout, Retries: -1, Now: e.now,
		Logger: e.log.Named("core-client")})
	if err != nil {
		return fmt.Errorf("core client: %w", err)
	}
	e.core, e.owned = cl, cl
	return nil
}

func (e *Edge) listen() error {
	ln := e.cfg.Listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", e.cfg.Addr); err != nil {
			return err
		}
	}
	e.ln = ln
	e.srv = &fasthttp.Server{
		Handler:                      e.handle,
		Name:                         "ociedge",
		ReadTimeout:                  60 * time.Second,
		WriteTimeout:                 60 * time.Second,
		IdleTimeout:                  120 * time.Second,
		MaxRequestBodySize:           1 << 20,
		StreamRequestBody:            true, // the XML import streams; other routes read with limits
		DisablePreParseMultipartForm: true,
		NoDefaultServerHeader:        true,
		NoDefaultDate:                true,
		CloseOnShutdown:              true,
		Logger:                       fasthttpLogger{e.log},
	}
	return nil
}

func (e *Edge) serve() {
	go func() { e.done <- e.srv.Serve(e.ln) }()
	if e.cfg.JobInterval > 0 {
		e.wg.Add(1)
		go e.jobLoop()
	}
	e.log.Info("ociedge serving", zap.String("url", e.URL()), zap.Stringer("mode", e.mode.Mode()),
		zap.String("organizationId", e.app.OrganizationID))
}

// URL is the base URL the edge serves on.
func (e *Edge) URL() string { return "http://" + e.ln.Addr().String() }

// Done delivers the server's exit error.
func (e *Edge) Done() <-chan error { return e.done }

// Close stops serving, waits for the open requests and background jobs, and
// closes every component and the store.
func (e *Edge) Close() error {
	select {
	case <-e.stop:
		return nil
	default:
	}
	close(e.stop)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var err error
	if e.srv != nil {
		err = e.srv.ShutdownWithContext(ctx)
		e.ln.Close() // Serve may not have registered ln when Shutdown ran: it returns either way
	}
	e.wg.Wait()
	e.closeParts()
	return err
}

func (e *Edge) closeParts() {
	if e.orders != nil {
		e.orders.Close()
	}
	if e.cache != nil {
		e.cache.Close()
	}
	if e.inv != nil {
		e.inv.Close()
	}
	if e.owned != nil {
		e.owned.Close()
	}
	if e.store != nil {
		e.store.Close()
	}
}

type fasthttpLogger struct{ l *zap.Logger }

func (f fasthttpLogger) Printf(format string, args ...any) { f.l.Debug(fmt.Sprintf(format, args...)) }

// Handler is the edge's request handler (for in-memory listeners and
// benchmarks that skip the network).
func (e *Edge) Handler() fasthttp.RequestHandler { return e.handle }
