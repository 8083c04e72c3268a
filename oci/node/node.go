// Package node assembles a whole OCI core process — store, domain, impex,
// auth and HTTP server — from one Config, so that cmd/ocicore, the edge's
// demo and tests start the same thing.
package node

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"go.uber.org/zap"

	"ociedge/internal/kv"
	"ociedge/oci"
	"ociedge/oci/adminui"
	"ociedge/oci/auth"
	"ociedge/oci/httpapi"
	"ociedge/oci/impex"
)

// Config configures a Node. DataDir is required.
type Config struct {
	// Addr to listen on. Default 127.0.0.1:8081; ":0" picks a free port.
	Addr string
	// DataDir holds the store and job files.
	DataDir string
	// GraphFile, if set, is loaded as the location graph at start.
	GraphFile string
	// DevClient "id:secret" creates (or keeps) a client with every scope.
	DevClient string
	// Tenant is the tenant group id served. Default tenant1.
	Tenant string
	// Logger defaults to a no-op logger.
	Logger *zap.Logger
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Core and Limits tune the domain and the rate limits.
	Core   oci.Config
	Limits httpapi.Limits
	// Listener, if set, is used instead of listening on Addr.
	Listener net.Listener
}

// Node is a running core. Close stops it.
type Node struct {
	cfg    Config
	log    *zap.Logger
	store  *kv.Pebble
	Core   *oci.Core
	Auth   *auth.Authority
	Impex  *impex.Service
	Server *httpapi.Server
	ln     net.Listener
	done   chan error
	// DevSecret is set when Open created a development client itself.
	DevSecret string
}

// Open starts the core: opens the store, loads the state, applies the graph
// file and starts serving.
func Open(cfg Config) (*Node, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("node: DataDir is required")
	}
	setDefaults(&cfg)
	n := &Node{cfg: cfg, log: cfg.Logger, done: make(chan error, 1)}
	if err := n.open(); err != nil {
		n.closeStore()
		return nil, err
	}
	go func() { n.done <- n.Server.Serve(n.ln) }()
	n.log.Info("ocicore serving", zap.String("url", n.URL()), zap.String("tenant", cfg.Tenant), zap.String("data", cfg.DataDir))
	return n, nil
}

func setDefaults(cfg *Config) {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:8081"
	}
	if cfg.Tenant == "" {
		cfg.Tenant = "tenant1"
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
}

func (n *Node) open() error {
	cfg := n.cfg
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return err
	}
	st, err := kv.OpenPebble(filepath.Join(cfg.DataDir, "store"), kv.PebbleConfig{Logger: cfg.Logger.Named("pebble")})
	if err != nil {
		return err
	}
	n.store = st
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	cc := cfg.Core
	cc.Store, cc.Now, cc.Logger = st, cfg.Now, cfg.Logger.Named("core")
	var core *oci.Core
	cc.Metrics = oci.NewMetrics(func() float64 { return float64(core.Seq()) }, func() float64 { return float64(core.OpenReservations()) })
	reg.MustRegister(cc.Metrics.Collectors()...)
	if core, err = oci.Open(cc); err != nil {
		return err
	}
	n.Core = core
	if err := n.openAuth(); err != nil {
		return err
	}
	if cfg.GraphFile != "" {
		if err := n.loadGraph(cfg.GraphFile); err != nil {
			return err
		}
	}
	im := impex.NewMetrics()
	reg.MustRegister(im.Collectors()...)
	if n.Impex, err = impex.New(impex.Config{Core: core, Store: st, Dir: filepath.Join(cfg.DataDir, "impex"),
		Now: cfg.Now, Logger: cfg.Logger.Named("impex"), Metrics: im}); err != nil {
		return err
	}
	if n.Server, err = httpapi.New(httpapi.Config{Core: core, Auth: n.Auth, Impex: n.Impex, Logger: cfg.Logger.Named("http"),
		Now: cfg.Now, Registry: reg, Limits: cfg.Limits,
		AdminPage: adminui.Handler(adminui.Config{Core: core, Impex: n.Impex, Auth: n.Auth, Now: cfg.Now})}); err != nil {
		return err
	}
	n.ln = cfg.Listener
	if n.ln == nil {
		n.ln, err = net.Listen("tcp", cfg.Addr)
	}
	return err
}

func (n *Node) openAuth() error {
	a, err := auth.New(auth.Config{Store: n.store, Tenants: []string{n.cfg.Tenant}, Now: n.cfg.Now})
	if err != nil {
		return err
	}
	n.Auth = a
	if n.cfg.DevClient != "" {
		id, secret, ok := strings.Cut(n.cfg.DevClient, ":")
		if !ok {
			return fmt.Errorf("--dev-client must be ID:SECRET, got %q", n.cfg.DevClient)
		}
		return a.EnsureClient(auth.Client{ID: id, Secret: secret, Scopes: auth.AllScopes})
	}
	if a.Clients() == 0 {
		n.DevSecret = auth.NewSecret()
		if err := a.EnsureClient(auth.Client{ID: "dev", Secret: n.DevSecret, Scopes: auth.AllScopes}); err != nil {
			return err
		}
		n.log.Warn("created a development client with every inventory scope", zap.String("client", "dev:"+n.DevSecret))
	}
	return nil
}

func (n *Node) loadGraph(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	g, err := httpapi.ParseGraph(b)
	if err != nil {
		return fmt.Errorf("graph file %s: %w", path, err)
	}
	if err := n.Core.ReplaceGraph(g); err != nil {
		return fmt.Errorf("graph file %s: %w", path, err)
	}
	return nil
}

// URL is the base URL the node serves on.
func (n *Node) URL() string { return "http://" + n.ln.Addr().String() }

// Done delivers the server's exit error.
func (n *Node) Done() <-chan error { return n.done }

// Close shuts the server down gracefully and closes the core and the store.
func (n *Node) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := n.Server.Shutdown(ctx)
	n.ln.Close() // Serve may not have registered ln when Shutdown ran: it returns either way
	n.closeStore()
	return err
}

func (n *Node) closeStore() {
	if n.Impex != nil {
		n.Impex.Close()
	}
	if n.Core != nil {
		n.Core.Close()
	}
	if n.store != nil {
		n.store.Close()
	}
}
