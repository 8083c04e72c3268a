// Package oci is the Omnichannel Inventory domain: the location graph,
// availability records with their ATF/ATO formulas, reservation documents
// with group promises, transfers, releases and fulfillments, the change log
// behind delta tokens, and the invariant checker. It knows nothing of HTTP;
// oci/httpapi puts it on the wire.
//
// State lives in memory for speed and in a kv.Store for durability. Every
// operation applies its change under one lock and then waits until the
// change is fsynced (group commit, see committer); an operation's result is
// returned only once it would survive a kill -9.
package oci

import (
	"crypto/rand"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"ociedge/internal/kv"
)

// Config configures a Core. Only Store is required; every other zero field
// means the documented default.
type Config struct {
	// Store keeps the state durable. Required. The caller closes it after
	// Core.Close.
	Store kv.Store
	// Now is the clock (reservation times, expiry, token ages). Default time.Now.
	Now func() time.Time
	// Logger receives state changes and failures. Default: discard.
	Logger *zap.Logger
	// Metrics, if set, records the core's metrics.
	Metrics *Metrics
	// DeltaTokenTTL is how long a delta token stays valid. Default 23.5 h
	// (reference §3 A3).
	DeltaTokenTTL time.Duration
	// MaxChangeLog is the most change-log events kept in memory; older
	// tokens get 410 ExpiredDeltaLink. Default 50,000,000 (8 bytes each).
	MaxChangeLog int
	// IdempotencyWindow is how long a record `id` / `requestId` is
	// remembered for replay. Default 24 h.
	IdempotencyWindow time.Duration
	// FinishedRetention is how long cancelled, expired and closed
	// reservation documents are kept (for replay and export). Default 7 days.
	FinishedRetention time.Duration
	// ImportDedupWindow is how long an imported recordId is remembered: a
	// record re-sent within it is skipped. Default 7 days.
	ImportDedupWindow time.Duration
	// SweepInterval is how often expired reservations are released in the
	// background (they are also released before every write). Default 1 s.
	SweepInterval time.Duration
	// MaxReservationLines bounds the lines of one reservation request.
	// Default 100 (the Connect API's documented limit).
	MaxReservationLines int
	// MaxDeltaRecords bounds the records of one get-deltas answer; more
	// waiting sets shouldQueryAgain. Default 1000.
	MaxDeltaRecords int
}

func (cfg *Config) setDefaults() error {
	if cfg.Store == nil {
		return errors.New("oci: Config.Store is required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	setDefault(&cfg.DeltaTokenTTL, 23*time.Hour+30*time.Minute)
	setDefault(&cfg.MaxChangeLog, 50_000_000)
	setDefault(&cfg.IdempotencyWindow, 24*time.Hour)
	setDefault(&cfg.FinishedRetention, 7*24*time.Hour)
	setDefault(&cfg.SweepInterval, time.Second)
	setDefault(&cfg.ImportDedupWindow, 7*24*time.Hour)
	setDefault(&cfg.MaxReservationLines, 100)
	setDefault(&cfg.MaxDeltaRecords, 1000)
	return nil
}

func setDefault[T comparable](p *T, v T) {
	var zero T
	if *p == zero {
		*p = v
	}
}

// Core is the OCI core: one tenant's inventory. It is safe for concurrent
// use; Close stops its background sweeper and commit writer.
type Core struct {
	cfg    Config
	log    *zap.Logger
	m      *Metrics
	commit *committer

	// graphChanging is set while a location-graph replace is being applied;
	// imports are refused meanwhile (OCI best practice, reference §5.2).
	graphChanging atomic.Bool
	durableSeq    func() uint64

	mu        sync.RWMutex // guards every field below
	in        interner
	skus      skuTable
	graph     *graphIndex
	docs      map[string]*reservation
	expiry    expiryHeap
	finishedQ []*reservation // documents that left OPEN, oldest first (for purging)
	idem      idemTable
	imported  importDedup
	changes   changeLog
	seq       uint64 // last change-log sequence applied in memory
	docSeq    uint64 // creation counter of reservation documents
	tokenKey  []byte

	stop chan struct{}
	wg   sync.WaitGroup
}

// Open loads the state from cfg.Store and starts the core.
func Open(cfg Config) (*Core, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	c := &Core{
		cfg: cfg, log: cfg.Logger, m: cfg.Metrics,
		in: newInterner(), skus: newSKUTable(), docs: make(map[string]*reservation),
		idem: newIdemTable(), imported: newImportDedup(),
		stop: make(chan struct{}),
	}
	if err := c.load(); err != nil {
		return nil, err
	}
	c.changes = newChangeLog(c.seq, cfg.MaxChangeLog, cfg.DeltaTokenTTL)
	c.commit = newCommitter(cfg.Store, cfg.Metrics, cfg.Now, c.seq)
	c.durableSeq = c.commit.durableSeq.Load
	if len(c.tokenKey) == 0 {
		if err := c.newTokenKey(); err != nil {
			c.commit.close()
			return nil, err
		}
	}
	c.wg.Add(1)
	go c.sweepLoop()
	c.log.Info("core opened", zap.Int("skus", len(c.skus.list)), zap.Int("reservations", len(c.docs)),
		zap.Int("locations", len(c.graph.graph.Locations)), zap.Int("groups", len(c.graph.graph.Groups)),
		zap.Uint64("seq", c.seq))
	return c, nil
}

func (c *Core) newTokenKey() error {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	var b kv.Batch
	b.Set(keyTokenKey, key)
	c.mu.Lock()
	c.tokenKey = key
	g := c.commit.add(&b, c.seq)
	c.mu.Unlock()
	return g.wait()
}

// Close stops the background work and writes what is pending. It does not
// close the store.
func (c *Core) Close() error {
	select {
	case <-c.stop:
		return nil
	default:
	}
	close(c.stop)
	c.wg.Wait()
	c.commit.close()
	return nil
}

func (c *Core) now() time.Time { return c.cfg.Now() }

// write runs fn under the state lock as one transaction and waits until its
// effects are durable. fn must validate before it changes anything: an
// error return means nothing was changed (undo what you did otherwise).
func (c *Core) write(fn func(tx *txn) error) error {
	g, err := c.writeAsync(fn)
	if werr := g.wait(); werr != nil {
		return werr
	}
	return err
}

// writeAsync is write without the wait: it returns the commit group that
// makes fn's effects durable (nil when the store already refuses writes).
func (c *Core) writeAsync(fn func(tx *txn) error) (*commitGroup, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.commit.err(); err != nil {
		return nil, &Error{Code: StoreUnavailable, Err: err,
			Message: "the core's store cannot be written; restart the core once the disk is fixed"}
	}
	c.expireDueLocked(c.now())
	tx := c.newTxn()
	err := fn(tx)
	return tx.finish(), err
}

// read runs fn under the shared state lock and then waits until every change
// fn could have seen is durable, so no reader is shown what a crash could
// take back.
func (c *Core) read(fn func()) error {
	c.mu.RLock()
	fn()
	g := c.commit.tail()
	c.mu.RUnlock()
	if err := g.wait(); err != nil {
		return &Error{Code: StoreUnavailable, Err: err,
			Message: "the core's store failed; it answers no reads until it is restarted, so it never shows a change that was not saved"}
	}
	return nil
}

// Seq returns the latest change-log sequence number applied.
func (c *Core) Seq() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.seq
}

// Healthy reports the store's write failure, if any.
func (c *Core) Healthy() error { return c.commit.err() }
