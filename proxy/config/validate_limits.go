package config

import "time"

// maxCounters bounds cache.numCounters so that a typo cannot make ristretto
// allocate gigabytes of counters.
const maxCounters = 10 * MaxCacheRecords // users may follow ristretto's 10× advice at the largest size

func (p *problems) reservation(r BasketReservation) {
	def, longest := r.DefaultMinutes.Duration(), r.MaxMinutes.Duration()
	p.reservationLength("basketReservation.maxMinutes", longest)
	p.reservationLength("basketReservation.defaultMinutes", def)
	if def > longest && longest > 0 && def <= MaxReservation {
		p.addf("basketReservation.defaultMinutes", "%s is longer than basketReservation.maxMinutes (%s)", def, longest)
	}
}

// reservationLength checks one reservation duration against what the
// core's expirationSeconds (1..14400, whole seconds) can carry.
func (p *problems) reservationLength(field string, d time.Duration) {
	switch {
	case d < time.Second:
		p.addf(field, "%s must be at least 1s", d)
	case d > MaxReservation:
		p.addf(field, "%s is longer than 240 minutes, the longest basket reservation", d)
	case d%time.Second != 0:
		p.addf(field, "%s must be a whole number of seconds", d)
	}
}

func (p *problems) cache(c Cache) {
	if n := c.MaxRecords; n < 1 || n > MaxCacheRecords {
		p.addf("cache.maxRecords", "%d must be between 1 and %d", n, MaxCacheRecords)
	}
	switch n := c.NumCounters; {
	case n == 0:
	case n < c.MaxRecords:
		p.addf("cache.numCounters", "%d must be at least cache.maxRecords (%d); leave it out for 2 × maxRecords", n, c.MaxRecords)
	case n > maxCounters:
		p.addf("cache.numCounters", "%d must be at most %d", n, int64(maxCounters))
	}
	p.positive("cache.missWait", c.MissWait)
}

func (p *problems) streams(s Streams) {
	p.positive("streams.pollInterval", s.PollInterval)
	p.positive("streams.graphPollInterval", s.GraphPollInterval)
}

func (p *problems) retention(days int) {
	if days < 0 || days > MaxRetentionDays {
		p.addf("inventoryRecordRetentionDays", "%d must be between 0 (never) and %d", days, MaxRetentionDays)
	}
}
