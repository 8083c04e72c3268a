package inventory

import (
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"ociedge/internal/kv"
)

// Config configures a Store. Only KV is required; every other zero value is
// a documented default.
type Config struct {
	// KV is the durable store. The Store does not close it.
	KV kv.Store
	// Prefix namespaces every key, so that the edge can share one store with
	// other components. "" means "inv/".
	Prefix string
	// Now is the clock. nil means time.Now.
	Now func() time.Time
	// Logger receives one line per notable event. nil means no logging.
	Logger *zap.Logger
	// Writable returns a non-nil error when record writes are refused (the
	// edge returns ErrReadOnly() in Omnichannel Inventory mode). It is called
	// on every write, so it must be cheap. nil means always writable.
	Writable func() error
	// LockStripes is the number of lock stripes that records, reservations
	// and holds hash to. 0 means 256; 1 means one store-wide writer mutex.
	// At most 65536.
	LockStripes int
	// UsageResolution is how stale a record's in-memory last-use time may
	// get before a storefront read refreshes it. 0 means one minute.
	UsageResolution time.Duration
}

const (
	defaultPrefix  = "inv/"
	defaultStripes = 256
	maxStripes     = 1 << 16
)

func (c *Config) withDefaults() (Config, error) {
	out := *c
	if out.KV == nil {
		return out, errors.New("inventory: Config.KV is required")
	}
	if out.Prefix == "" {
		out.Prefix = defaultPrefix
	}
	if out.Now == nil {
		out.Now = time.Now
	}
	if out.Logger == nil {
		out.Logger = zap.NewNop()
	}
	if out.Writable == nil {
		out.Writable = func() error { return nil }
	}
	if out.LockStripes == 0 {
		out.LockStripes = defaultStripes
	}
	if out.LockStripes < 0 || out.LockStripes > maxStripes {
		return out, fmt.Errorf("inventory: Config.LockStripes must be 1..%d, got %d", maxStripes, out.LockStripes)
	}
	if out.UsageResolution <= 0 {
		out.UsageResolution = time.Minute
	}
	return out, nil
}
