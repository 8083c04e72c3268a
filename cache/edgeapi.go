package cache

import (
	"context"
	"time"

	"ociedge/oci"
)

// Place returns the core's place behind an inventory list — its location
// or group, as the location graph last said — or false when the list is
// unknown or not in the graph. Orders reserve there.
func (c *Cache) Place(listID string) (oci.Place, bool) {
	set := c.lists.Load()
	idx, ok := set.byID[listID]
	if !ok {
		return oci.Place{}, false
	}
	switch set.get(idx).locationType() {
	case TypeLocation:
		return oci.Loc(listID), true
	case TypeGroup:
		return oci.Grp(listID), true
	}
	return oci.Place{}, false
}

// PlaceWait is Place, except right after the cache started: until the
// streams have fetched the location graph once, an unmapped list may just
// not be known yet, so it waits for the graph (at most wait) and asks
// again. A caller about to refuse a reservation because the list is not
// in the graph uses it, rather than turn a restart into 503s.
func (c *Cache) PlaceWait(listID string, wait time.Duration) (oci.Place, bool) {
	if p, ok := c.Place(listID); ok || c.graphKnown.Load() {
		return p, ok
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	_ = c.awaitGraph(ctx) // whatever ended the wait, the graph decides
	return c.Place(listID)
}

// Lag is how long ago the list's stream last confirmed it was caught up
// with the core (0 before its first import): the age of what the cache
// shows for it.
func (c *Cache) Lag(list ListID) time.Duration { return c.LagAt(list, c.cfg.Now()) }

// LagAt is Lag as of now (a caller that already read the clock).
func (c *Cache) LagAt(list ListID, now time.Time) time.Duration {
	l := c.lists.Load().get(list)
	if l == nil {
		return 0
	}
	l.mu.Lock()
	at := l.info.caughtUp
	l.mu.Unlock()
	if at.IsZero() {
		return 0
	}
	return max(0, now.Sub(at))
}
