package orders

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"ociedge/internal/kv"
	"ociedge/modes"
	"ociedge/oci"
	"ociedge/proxy/config"
	"ociedge/proxy/inventory"
)

// Config configures a Service. KV, Edge and Mode are required; every other
// zero field means the documented default.
type Config struct {
	// KV is the durable store, shared with other components of the edge.
	// The Service does not close it.
	KV kv.Store
	// Prefix namespaces every key. "" means "orders/".
	Prefix string
	// Edge is the edge's configuration: sites (inventory list,
	// failNonPlacedOrdersAfter), stores, inventory lists, basket
	// reservation bounds, and the core's timeout, retries and breaker.
	Edge *config.Config
	// Mode returns the current inventory mode; reservations go to the core
	// exactly when Mode().ReservationsAtCore().
	Mode func() modes.Mode
	// Place returns the location or group of the core's graph behind an
	// inventory list. Needed in Omnichannel Inventory mode; nil there makes
	// every reservation fail with EUNREACHABLE.
	Place func(listID string) (oci.Place, bool)
	// Core is the OCI core's reservation API. Needed in Omnichannel
	// Inventory mode and to release reservations made there.
	Core Core
	// Inventory is the edge's own B2C inventory. Needed in the other modes
	// and to release reservations made there.
	Inventory *inventory.Store
	// Transient reports whether a core error says nothing about the request
	// (unreachable, timeout, 5xx, 429), so that the call is retried with the
	// same id and counts against the circuit breaker. nil means
	// DefaultTransient; the edge passes client.Retryable or'ed with it.
	Transient func(error) bool
	// Now is the clock (creation dates, expiry, auto-fail, breaker).
	// nil means time.Now.
	Now func() time.Time
	// Logger receives one line per state change. nil discards.
	Logger *zap.Logger
	// Metrics, if set, records the service's metrics.
	Metrics *Metrics
	// JobInterval is how often the background job settles pending work and
	// auto-fails orders. 0 means 10s; negative means no background job (the
	// caller runs RunJobs).
	JobInterval time.Duration
	// RetryBackoff is the pause before the first retry of a core call; it
	// doubles with each retry. 0 means 20ms.
	RetryBackoff time.Duration
	// MaxItems caps the product items of a basket. 0 means 100.
	MaxItems int
	// CoreMaxLines is the most lines the core takes in one request. 0
	// means 100 (the core's default MaxReservationLines).
	CoreMaxLines int
	// MaxBodyBytes bounds a request body. 0 means 64 KiB.
	MaxBodyBytes int
	// FirstOrderNo is the first order number. 0 means 1001 ("00001001").
	FirstOrderNo int64
	// OrderNoBlock is how many order numbers are reserved by one durable
	// write; after a restart numbering continues after the last block, so
	// there may be a gap. 0 means 100.
	OrderNoBlock int64
	// IDPrefix starts every reservation id, so that edges sharing a core
	// tenant never collide. "" means Edge.OrganizationID. 1-40 of
	// A-Z a-z 0-9 _ -.
	IDPrefix string
	// NewID returns a new basket or item id, 1-64 of A-Z a-z 0-9 _ -. nil
	// means 26 random hex digits (the SCAPI shape).
	NewID func() string
}

const (
	defaultPrefix       = "orders/"
	defaultJobInterval  = 10 * time.Second
	defaultRetryBackoff = 20 * time.Millisecond
	defaultMaxItems     = 100
	defaultCoreMaxLines = 100
	defaultMaxBody      = 64 << 10
	defaultFirstOrderNo = 1001
	defaultOrderNoBlock = 100
	maxIDPrefix         = 40
)

func (c *Config) withDefaults() (Config, error) {
	out := *c
	switch {
	case out.KV == nil:
		return out, errors.New("orders: Config.KV is required")
	case out.Edge == nil:
		return out, errors.New("orders: Config.Edge is required")
	case out.Mode == nil:
		return out, errors.New("orders: Config.Mode is required")
	}
	if out.Now == nil {
		out.Now = time.Now
	}
	if out.Logger == nil {
		out.Logger = zap.NewNop()
	}
	if out.Transient == nil {
		out.Transient = DefaultTransient
	}
	if out.NewID == nil {
		out.NewID = randomID
	}
	setDefault(&out.Prefix, defaultPrefix)
	setDefault(&out.JobInterval, defaultJobInterval)
	setDefault(&out.RetryBackoff, defaultRetryBackoff)
	setDefault(&out.MaxItems, defaultMaxItems)
	setDefault(&out.CoreMaxLines, defaultCoreMaxLines)
	setDefault(&out.MaxBodyBytes, defaultMaxBody)
	setDefault(&out.FirstOrderNo, defaultFirstOrderNo)
	setDefault(&out.OrderNoBlock, defaultOrderNoBlock)
	setDefault(&out.IDPrefix, out.Edge.OrganizationID)
	return out, out.validate()
}

func (c *Config) validate() error {
	switch {
	case c.MaxItems < 1:
		return fmt.Errorf("orders: Config.MaxItems must be positive, got %d", c.MaxItems)
	case c.CoreMaxLines < 1:
		return fmt.Errorf("orders: Config.CoreMaxLines must be positive, got %d", c.CoreMaxLines)
	case c.MaxBodyBytes < 1:
		return fmt.Errorf("orders: Config.MaxBodyBytes must be positive, got %d", c.MaxBodyBytes)
	case c.FirstOrderNo < 1:
		return fmt.Errorf("orders: Config.FirstOrderNo must be positive, got %d", c.FirstOrderNo)
	case c.OrderNoBlock < 1:
		return fmt.Errorf("orders: Config.OrderNoBlock must be positive, got %d", c.OrderNoBlock)
	case c.RetryBackoff < 0:
		return fmt.Errorf("orders: Config.RetryBackoff must not be negative, got %s", c.RetryBackoff)
	}
	if len(c.IDPrefix) < 1 || len(c.IDPrefix) > maxIDPrefix || !isToken(c.IDPrefix) {
		return fmt.Errorf("orders: Config.IDPrefix %q must be 1-%d of A-Z a-z 0-9 _ -", c.IDPrefix, maxIDPrefix)
	}
	return nil
}

func setDefault[T comparable](p *T, v T) {
	var zero T
	if *p == zero {
		*p = v
	}
}

func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// DefaultTransient reports whether a core error is a failure of the call
// rather than an answer: an error without an OCI code (oci.ErrorCode gives
// Unknown: transport failures, timeouts), StoreUnavailable, a 429, or a
// context deadline.
func DefaultTransient(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return true
	}
	switch oci.ErrorCode(err) {
	case oci.Unknown, oci.StoreUnavailable, "TooManyRequests":
		return true
	}
	return false
}

// siteInfo is what the service needs of one site.
type siteInfo struct {
	id       string
	list     string
	autoFail time.Duration // 0: never
	lifetime time.Duration // basket lifetime
}

// edgeIndex is the parts of the edge configuration read per request.
type edgeIndex struct {
	sites      map[string]siteInfo
	lists      map[string]bool
	defaultMin time.Duration
	maxMin     time.Duration
}

// basketLifetime is the lifetime of the site's baskets; a site no longer
// configured gets B2C's longest.
func (ix edgeIndex) basketLifetime(site string) time.Duration {
	if si, ok := ix.sites[site]; ok {
		return si.lifetime
	}
	return config.MaxBasketLife
}

func newEdgeIndex(cfg *config.Config) edgeIndex {
	ix := edgeIndex{sites: map[string]siteInfo{}, lists: map[string]bool{},
		defaultMin: cfg.BasketReservation.DefaultMinutes.Duration(),
		maxMin:     cfg.BasketReservation.MaxMinutes.Duration()}
	for _, s := range cfg.Sites {
		ix.sites[s.ID] = siteInfo{id: s.ID, list: s.InventoryList, autoFail: s.FailNonPlacedOrdersAfter.Duration(),
			lifetime: s.BasketLife()}
	}
	for _, l := range cfg.InventoryLists {
		ix.lists[l.ID] = true
	}
	if ix.defaultMin <= 0 {
		ix.defaultMin = config.DefaultReservation
	}
	if ix.maxMin <= 0 || ix.maxMin > config.MaxReservation {
		ix.maxMin = config.MaxReservation
	}
	return ix
}
