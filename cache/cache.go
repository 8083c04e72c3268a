package cache

import (
	"context"
	"ociedge/internal/logs"
	"sync"
	"sync/atomic"

	"go.uber.org/zap"
)

// Cache is the edge's availability cache and the streams that fill it from
// the core. Create it with New, begin the streams with Start, and Close it
// to stop every goroutine it owns. Lookup, Fetch and Status are safe for
// concurrent use, before Start and after Close (a closed cache misses), but
// not during Close: stop serving lookups first.
type Cache struct {
	cfg   Config
	core  Core
	log   *zap.Logger
	m     *Metrics
	logs  *logs.Throttle
	store *store

	lists      atomic.Pointer[listTable] // immutable; read per lookup
	flights    flights
	graphKnown atomic.Bool   // the graph was fetched at least once
	graphReady chan struct{} // closed when graphKnown becomes true
	graphOnce  sync.Once     // closes graphReady

	// ctx is cancelled by Close: streams and fills stop.
	ctx    context.Context
	cancel context.CancelFunc

	lifeMu  sync.Mutex // guards started, closed, supDone and fills.Add
	started bool
	closed  bool
	supDone chan struct{}  // closed when the supervisor has stopped every stream
	fills   sync.WaitGroup // Fetch's fill goroutines
}

// New validates cfg and creates the cache (empty, streams not started).
func New(cfg Config) (*Cache, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	c := &Cache{cfg: cfg, core: cfg.Core, log: cfg.Logger, m: cfg.Metrics, logs: logs.NewThrottle(cfg.Now, cfg.LogEvery),
		graphReady: make(chan struct{})}
	c.lists.Store(newListTable(cfg.Lists))
	st, err := newStore(&c.cfg, &c.lists)
	if err != nil {
		return nil, err
	}
	c.store = st
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.m.attach(c.Status)
	return c, nil
}

// Start begins fetching the graph and running the streams. It returns at
// once; calling it again, or after Close, does nothing. The streams keep
// running until Close, whatever the inventory mode.
func (c *Cache) Start() {
	c.lifeMu.Lock()
	defer c.lifeMu.Unlock()
	if c.started || c.closed {
		return
	}
	c.started = true
	c.supDone = make(chan struct{})
	sv := newSupervisor(c)
	go func() {
		defer close(c.supDone)
		sv.run(c.ctx)
	}()
}

// Close stops the streams and pending fetches, waits for every goroutine
// the cache started, and releases ristretto. It is idempotent.
func (c *Cache) Close() error {
	c.lifeMu.Lock()
	if c.closed {
		c.lifeMu.Unlock()
		return nil
	}
	c.closed = true
	done := c.supDone
	c.lifeMu.Unlock()
	c.cancel()
	if done != nil {
		<-done
	}
	c.fills.Wait()
	c.store.close()
	return nil
}
