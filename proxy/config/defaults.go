package config

import "time"

// The defaults of every field that has one. Identity and secret fields
// (organizationId, core.tenantGroupId, core.clientId, core.clientSecret,
// admin.token) and sites have none: a guessed value would serve the wrong
// organization, talk to the wrong tenant or leave the admin API open.
const (
	DefaultCoreURL            = "http://127.0.0.1:8081"
	DefaultCoreTimeout        = 2 * time.Second
	DefaultCoreRetries        = 2
	DefaultBreakerFailures    = 5
	DefaultBreakerOpenFor     = 5 * time.Second
	DefaultReservation        = 10 * time.Minute
	DefaultCacheMaxRecords    = 2_000_000
	CountersPerRecord         = 2 // cache.numCounters = CountersPerRecord × maxRecords
	DefaultCacheMissWait      = 2 * time.Second
	DefaultStreamPollInterval = 25 * time.Millisecond
	DefaultGraphPollInterval  = 5 * time.Second
)

// The limits Validate enforces.
const (
	MaxReservation   = 240 * time.Minute  // B2C's basket limit; the core's 14400 expirationSeconds
	MaxBasketLife    = 7 * 24 * time.Hour // B2C keeps no guest basket longer; also the default
	MinBasketLife    = time.Minute
	MaxCacheRecords  = 100_000_000 // B2C's cache limit
	MaxRetentionDays = 365         // B2C's Inventory Record Retention range is 0..365
	MaxCoreRetries   = 10
)

// Default returns a Config holding every default: what Parse starts from
// before it reads a file. It is not valid on its own, because the required
// fields are empty. Cache.NumCounters is 0, which means 2 × MaxRecords
// (see Cache.Counters).
func Default() *Config {
	return &Config{
		Core: Core{
			URL:     DefaultCoreURL,
			Timeout: DefaultCoreTimeout,
			Retries: DefaultCoreRetries,
			Breaker: Breaker{Failures: DefaultBreakerFailures, OpenFor: DefaultBreakerOpenFor},
		},
		BasketReservation: BasketReservation{
			DefaultMinutes: Minutes(DefaultReservation),
			MaxMinutes:     Minutes(MaxReservation),
		},
		Cache: Cache{MaxRecords: DefaultCacheMaxRecords, MissWait: DefaultCacheMissWait},
		Streams: Streams{
			PollInterval:      DefaultStreamPollInterval,
			GraphPollInterval: DefaultGraphPollInterval,
		},
	}
}

// Counters returns the ristretto counter count to use: NumCounters, or
// 2 × MaxRecords when NumCounters is 0.
func (c Cache) Counters() int64 {
	if c.NumCounters == 0 {
		return CountersPerRecord * c.MaxRecords
	}
	return c.NumCounters
}

// BasketLife is the site's basket lifetime: BasketLifetime, or 7 days
// when it is not set.
func (s Site) BasketLife() time.Duration {
	if s.BasketLifetime == 0 {
		return MaxBasketLife
	}
	return s.BasketLifetime.Duration()
}
