package cache

import "time"

// stateKind is a stream's state as lists report it.
type stateKind uint8

const (
	stWaitingGraph  stateKind = iota // the graph was never fetched
	stNotMapped                      // Location Type N/A: no stream
	stWaitingWindow                  // waiting to join the combined stream at 02:00
	stImporting                      // full import running
	stStreaming                      // following get-deltas
	stError                          // the last call failed; retrying
	numStates
)

var stateNames = [numStates]string{"waiting for graph", "not mapped", "waiting for import window",
	"importing", "streaming", "error"}

// stateLabels are the values of the stream-state metric's label.
var stateLabels = [numStates]string{"waiting_graph", "not_mapped", "waiting_window", "importing", "streaming", "error"}

func (i *listInfo) stateText() string {
	if i.state == stError {
		return "error: " + i.detail
	}
	return stateNames[i.state]
}

// ListStatus is the cache status of one inventory list, as the admin page
// and GET /admin/api/oci/status show it. Plain data.
type ListStatus struct {
	ID           string
	LocationType LocationType
	Site         bool // assigned to a site
	// ItemsCached is the number of the list's records in the cache now:
	// exact, never more than ristretto holds (rejected and evicted records
	// are not counted, tombstones and stale values neither).
	ItemsCached int64
	// LastCacheUpdate is when the last change was applied or the last full
	// import completed; zero if never.
	LastCacheUpdate time.Time
	// State is the stream's state in words: "waiting for graph", "not
	// mapped", "waiting for import window", "importing", "streaming" or
	// "error: …".
	State string
	// Lag is how long ago the stream last confirmed it was caught up with
	// the core; -1 if it never was.
	Lag time.Duration
	// Imported reports whether the list's first full import has completed
	// (since it was last mapped).
	Imported bool
	// Stream names the list's stream ("group/<id>", "site/<id>",
	// "combined"); empty when it has none.
	Stream string
	// ImportDuration and ImportRecords describe the last full import.
	ImportDuration time.Duration
	ImportRecords  int64
	// Rejected, Evicted and Lost count the list's ristretto rejections,
	// evictions and Sets dropped after every retry.
	Rejected, Evicted, Lost int64

	kind stateKind
}

// Mapped reports whether the list is in the core's graph (not N/A).
func (s ListStatus) Mapped() bool { return s.LocationType != TypeNA }

// LagMs is Lag in milliseconds (-1 if never caught up).
func (s ListStatus) LagMs() int64 {
	if s.Lag < 0 {
		return -1
	}
	return s.Lag.Milliseconds()
}

// Status reports every list, in configuration order. Safe for concurrent
// use; it waits for a list's write batch in progress (a few milliseconds at
// most) so that ItemsCached counts no pending write.
func (c *Cache) Status() []ListStatus {
	t := c.lists.Load()
	now := c.cfg.Now()
	out := make([]ListStatus, len(t.lists))
	for i, l := range t.lists {
		out[i] = l.status(now)
	}
	return out
}

// Imported reports whether the graph is known and every mapped list has
// completed its first full import (what Omnichannel Inventory mode
// requires; whether unmapped lists are acceptable is the caller's call).
func (c *Cache) Imported() bool {
	if !c.graphKnown.Load() {
		return false
	}
	for _, l := range c.lists.Load().lists {
		if l.mapped() && !l.snapshot().imported {
			return false
		}
	}
	return true
}

func (l *listState) status(now time.Time) ListStatus {
	i := l.snapshot()
	s := ListStatus{
		ID: l.id, LocationType: l.locationType(), Site: l.site, ItemsCached: l.items(),
		LastCacheUpdate: i.lastUpdate, State: i.stateText(), Lag: -1, Imported: i.imported,
		Stream: i.stream, ImportDuration: i.importTime, ImportRecords: i.importRecords,
		Rejected: l.rejected.Load(), Evicted: l.evicted.Load(), Lost: l.lost.Load(), kind: i.state,
	}
	if !i.caughtUp.IsZero() {
		s.Lag = max(0, now.Sub(i.caughtUp))
	}
	return s
}

// items is the live count with no write of the list pending.
func (l *listState) items() int64 {
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	return l.count.total()
}
