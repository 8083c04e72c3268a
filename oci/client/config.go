package client

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"go.uber.org/zap"
)

// The inventory scopes the client asks for (reference oci-api.md §1.2, in
// their Account Manager form). They mirror oci/auth without importing it, so
// that the edge does not link the core's store.
const (
	ScopeAvailability     = "sfcc.inventory.availability"
	ScopeAvailabilityRW   = "sfcc.inventory.availability.rw"
	ScopeReservations     = "sfcc.inventory.reservations"
	ScopeReservationsRW   = "sfcc.inventory.reservations.rw"
	ScopeImpexInventory   = "sfcc.inventory.impex-inventory"
	ScopeImpexInventoryRW = "sfcc.inventory.impex-inventory.rw"
	ScopeImpexGraphs      = "sfcc.inventory.impex-graphs"
	ScopeAdmin            = "sfcc.inventory.admin.rw"
)

// DefaultScopes is every scope the edge uses: availability reads and writes,
// reservations, availability imports and exports, the location-graph export
// and the core's admin API (the graph with its epoch, invariants).
var DefaultScopes = []string{ScopeAvailability, ScopeAvailabilityRW, ScopeReservations, ScopeReservationsRW,
	ScopeImpexInventory, ScopeImpexInventoryRW, ScopeImpexGraphs, ScopeAdmin}

// Config configures a Client. BaseURL, ClientID and ClientSecret are
// required; every other zero field means the default documented beside it.
type Config struct {
	// BaseURL is the core's URL, e.g. http://127.0.0.1:8081 (http or https;
	// a path prefix is kept).
	BaseURL string
	// Tenant is the tenant group id used as {organizationId} in every path
	// and in the token's SALESFORCE_COMMERCE_API:<tenant> scope.
	// Default tenant1.
	Tenant string
	// ClientID and ClientSecret authenticate to the token endpoint
	// (client_credentials, HTTP Basic).
	ClientID     string
	ClientSecret string
	// Scopes asked for with every token. Default DefaultScopes.
	Scopes []string

	// Timeout bounds each attempt of a JSON call (connect, send, answer).
	// The call's context bounds the whole call, retries included.
	// Default 2s.
	Timeout time.Duration
	// TransferTimeout bounds each file transfer (export download, import
	// upload and result download). Default 10 minutes.
	TransferTimeout time.Duration
	// MaxConns is the size of the connection pool to the core. Default 256.
	MaxConns int
	// MaxConnWait is how long a call waits for a free connection before it
	// fails with fasthttp.ErrNoFreeConns (counted in Stats). Default 250ms.
	MaxConnWait time.Duration
	// MaxResponseBytes bounds a JSON answer. Default 64 MiB.
	MaxResponseBytes int
	// MaxLineBytes bounds one line of a downloaded file. Default 1 MiB.
	MaxLineBytes int

	// Retries is how many times an idempotent call is retried after a
	// retryable failure (ErrUnavailable). Default 2; negative means never.
	Retries int
	// RetryBackoff is the first backoff; each retry doubles it, with jitter
	// (a uniform draw from [d/2, d)). Default 25ms.
	RetryBackoff time.Duration
	// MaxRetryAfter caps how long the client honours a Retry-After header
	// (429, 503); a longer one ends the call at once. Default 5s.
	MaxRetryAfter time.Duration
	// PollInterval is the first wait between status polls of an import or
	// export job; it grows by half each time up to 1s. Default 20ms.
	PollInterval time.Duration
	// ExportBatch is how many records an Export hands to its callback at
	// once. Default 1024.
	ExportBatch int
	// Seed seeds the backoff jitter. Default 1.
	Seed uint64

	// Now is the clock (token lifetimes, Retry-After dates). Default time.Now.
	Now func() time.Time
	// After waits for a backoff or poll interval. Default time.After. Tests
	// pass one that advances a fake clock.
	After func(time.Duration) <-chan time.Time
	// Logger receives token, retry and job events. Default: discard.
	Logger *zap.Logger
}

func (cfg *Config) setDefaults() error {
	switch {
	case cfg.BaseURL == "":
		return errors.New("client: Config.BaseURL is required")
	case cfg.ClientID == "" || cfg.ClientSecret == "":
		return errors.New("client: Config.ClientID and Config.ClientSecret are required")
	}
	if cfg.Tenant == "" {
		cfg.Tenant = "tenant1"
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = DefaultScopes
	}
	setDefault(&cfg.Timeout, 2*time.Second)
	setDefault(&cfg.TransferTimeout, 10*time.Minute)
	setDefault(&cfg.MaxConns, 256)
	setDefault(&cfg.MaxConnWait, 250*time.Millisecond)
	setDefault(&cfg.MaxResponseBytes, 64<<20)
	setDefault(&cfg.MaxLineBytes, 1<<20)
	setDefault(&cfg.Retries, 2)
	setDefault(&cfg.RetryBackoff, 25*time.Millisecond)
	setDefault(&cfg.MaxRetryAfter, 5*time.Second)
	setDefault(&cfg.PollInterval, 20*time.Millisecond)
	setDefault(&cfg.ExportBatch, 1024)
	setDefault(&cfg.Seed, 1)
	if cfg.Retries < 0 {
		cfg.Retries = 0
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.After == nil {
		cfg.After = time.After
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	return cfg.validate()
}

func (cfg *Config) validate() error {
	for _, f := range []struct {
		name string
		ok   bool
	}{
		{"Tenant", !strings.ContainsAny(cfg.Tenant, "/?# ")},
		{"Timeout", cfg.Timeout > 0},
		{"TransferTimeout", cfg.TransferTimeout > 0},
		{"MaxConns", cfg.MaxConns > 0},
		{"MaxConnWait", cfg.MaxConnWait > 0},
		{"MaxResponseBytes", cfg.MaxResponseBytes > 0},
		{"MaxLineBytes", cfg.MaxLineBytes >= 1<<10},
		{"RetryBackoff", cfg.RetryBackoff > 0},
		{"MaxRetryAfter", cfg.MaxRetryAfter >= 0},
		{"PollInterval", cfg.PollInterval > 0},
		{"ExportBatch", cfg.ExportBatch > 0 && cfg.ExportBatch <= 1<<20},
	} {
		if !f.ok {
			return fmt.Errorf("client: Config.%s is out of range", f.name)
		}
	}
	return nil
}

// baseURL splits the configured URL into the host the connection pool dials,
// whether it uses TLS, and the prefix every request URI starts with.
func (cfg *Config) baseURL() (addr string, tls bool, prefix string, err error) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", false, "", fmt.Errorf("client: Config.BaseURL %q must be an http(s) URL with a host", cfg.BaseURL)
	}
	tls = u.Scheme == "https"
	addr = u.Host
	if u.Port() == "" {
		addr += map[bool]string{true: ":443", false: ":80"}[tls]
	}
	return addr, tls, u.Scheme + "://" + u.Host + strings.TrimSuffix(u.EscapedPath(), "/"), nil
}

func setDefault[T comparable](p *T, v T) {
	var zero T
	if *p == zero {
		*p = v
	}
}
