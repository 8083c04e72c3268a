package cache

import (
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"ociedge/oci"
)

// The defaults of Config's zero fields.
const (
	DefaultMaxRecords        = 2_000_000
	CountersPerRecord        = 2 // NumCounters = CountersPerRecord × MaxRecords (see Config.NumCounters)
	DefaultBufferItems       = 64
	DefaultSetRetries        = 8
	DefaultMissWait          = 2 * time.Second
	DefaultFillTimeout       = 5 * time.Second
	DefaultPollInterval      = 25 * time.Millisecond
	DefaultGraphPollInterval = 5 * time.Second
	DefaultRetryMin          = 100 * time.Millisecond
	DefaultRetryMax          = 30 * time.Second
	DefaultDeltaRetries      = 3
	DefaultLogEvery          = 30 * time.Second
)

// MaxLists bounds the inventory lists one cache serves (a list index is 16
// bits in every key). B2C's own quota is 3,000.
const MaxLists = 1<<16 - 1

// List is an inventory list to cache. Its ID is the External Reference of a
// location or location group in the core's graph.
type List struct {
	// ID is 2–128 of A-Z a-z 0-9 _ -, unique.
	ID string
	// Site says the list is assigned to a site. A site-assigned list backed
	// by a location gets a dedicated stream; other location lists share the
	// combined stream. (Group-backed lists always get their own.)
	Site bool
}

// Config configures a Cache. Every zero field means the documented
// default; New validates the rest and names the field at fault.
type Config struct {
	// Core is the OCI core the streams and the miss fallback talk to. Required.
	Core Core
	// Lists are the inventory lists to cache, in the order Status reports them.
	Lists []List
	// MaxRecords is how many (list, sku) records ristretto may hold (its
	// MaxCost, at cost 1 per record). Default 2,000,000.
	MaxRecords int64
	// NumCounters is ristretto's admission counter count, at least
	// MaxRecords. Default 2 × MaxRecords: the cache is sized to hold every
	// record, so admission rarely decides anything, and a small sketch
	// stays in the CPU caches (ristretto's 10× advice is for caches smaller
	// than their working set).
	NumCounters int64
	// BufferItems is ristretto's Get buffer size. Default 64.
	BufferItems int64
	// SetRetries is how often a Set that ristretto dropped (full set
	// buffer) is retried after waiting for the buffer to drain. Default 8.
	SetRetries int
	// MissWait bounds how long Fetch waits for the core. Default 2s.
	MissWait time.Duration
	// FillTimeout bounds one get-availability call made for Fetch; it runs
	// on its own context, not its first caller's. Default 5s.
	FillTimeout time.Duration
	// PollInterval is the pause between get-deltas calls once a stream has
	// caught up. Default 25ms.
	PollInterval time.Duration
	// GraphPollInterval is how often the location graph is fetched to
	// notice changes. Default 5s.
	GraphPollInterval time.Duration
	// RetryMin and RetryMax bound the backoff after a failed call: it
	// doubles from RetryMin up to RetryMax. Defaults 100ms and 30s.
	RetryMin, RetryMax time.Duration
	// DeltaRetries is how many consecutive get-deltas failures a stream
	// retries with the same token before it re-runs its full import.
	// Default 3.
	DeltaRetries int
	// CombinedStreamWindow runs the combined stream's full import only
	// between 02:00 and 03:00 in TimeZone, taking lists that joined before
	// 01:00, as B2C does. Default false: imports run at once.
	CombinedStreamWindow bool
	// TimeZone is the instance time of the window. Default time.Local.
	TimeZone *time.Location
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Logger receives one line per stream state change. Default: discard.
	Logger *zap.Logger
	// Metrics, if set, records the cache's metrics; New attaches the
	// per-list gauges to this cache.
	Metrics *Metrics
	// LogEvery is the shortest interval between two log lines of one noisy
	// error; the lines in between are counted. Default 30s.
	LogEvery time.Duration
}

func (cfg *Config) setDefaults() error {
	if err := cfg.validate(); err != nil {
		return err
	}
	setDefault(&cfg.MaxRecords, DefaultMaxRecords)
	setDefault(&cfg.NumCounters, CountersPerRecord*cfg.MaxRecords)
	setDefault(&cfg.BufferItems, DefaultBufferItems)
	setDefault(&cfg.SetRetries, DefaultSetRetries)
	setDefault(&cfg.MissWait, DefaultMissWait)
	setDefault(&cfg.FillTimeout, DefaultFillTimeout)
	setDefault(&cfg.PollInterval, DefaultPollInterval)
	setDefault(&cfg.GraphPollInterval, DefaultGraphPollInterval)
	setDefault(&cfg.RetryMin, DefaultRetryMin)
	setDefault(&cfg.RetryMax, max(DefaultRetryMax, cfg.RetryMin))
	setDefault(&cfg.DeltaRetries, DefaultDeltaRetries)
	setDefault(&cfg.LogEvery, DefaultLogEvery)
	if cfg.TimeZone == nil {
		cfg.TimeZone = time.Local
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	return nil
}

func (cfg *Config) validate() error {
	if cfg.Core == nil {
		return errors.New("cache: Config.Core is required")
	}
	if err := validateLists(cfg.Lists); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    int64
	}{
		{"MaxRecords", cfg.MaxRecords}, {"NumCounters", cfg.NumCounters}, {"BufferItems", cfg.BufferItems},
		{"SetRetries", int64(cfg.SetRetries)}, {"MissWait", int64(cfg.MissWait)},
		{"FillTimeout", int64(cfg.FillTimeout)}, {"PollInterval", int64(cfg.PollInterval)},
		{"GraphPollInterval", int64(cfg.GraphPollInterval)}, {"RetryMin", int64(cfg.RetryMin)},
		{"RetryMax", int64(cfg.RetryMax)}, {"DeltaRetries", int64(cfg.DeltaRetries)}, {"LogEvery", int64(cfg.LogEvery)},
	} {
		if f.v < 0 {
			return fmt.Errorf("cache: Config.%s must not be negative", f.name)
		}
	}
	if cfg.NumCounters != 0 && cfg.NumCounters < max(cfg.MaxRecords, 1) {
		return errors.New("cache: Config.NumCounters must be at least MaxRecords")
	}
	return nil
}

func validateLists(lists []List) error {
	if len(lists) > MaxLists {
		return fmt.Errorf("cache: Config.Lists has %d lists, more than %d", len(lists), MaxLists)
	}
	seen := make(map[string]bool, len(lists))
	for i, l := range lists {
		if err := oci.ValidatePlaceID("id", l.ID); err != nil {
			return fmt.Errorf("cache: Config.Lists[%d].ID: %w", i, err)
		}
		if seen[l.ID] {
			return fmt.Errorf("cache: Config.Lists[%d].ID %q is listed twice", i, l.ID)
		}
		seen[l.ID] = true
	}
	return nil
}

func setDefault[T comparable](p *T, v T) {
	var zero T
	if *p == zero {
		*p = v
	}
}
