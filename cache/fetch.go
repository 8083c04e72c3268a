package cache

import (
	"context"
	"errors"
	"fmt"
	"time"

	"ociedge/oci"
)

// Errors of Fetch. None of them means "not available": the caller answers
// 503 or serves stale data.
var (
	ErrUnknownList = errors.New("cache: unknown inventory list")
	ErrNotMapped   = errors.New("cache: the inventory list is not in the core's location graph")
	ErrMissTimeout = errors.New("cache: the core did not answer within the miss wait")
	ErrClosed      = errors.New("cache: closed")
)

// awaitGraph returns once the streams have fetched the location graph at
// least once: nil, or ErrMissTimeout when ctx ends first, or ErrClosed when
// the cache closes.
func (c *Cache) awaitGraph(ctx context.Context) error {
	if c.graphKnown.Load() {
		return nil
	}
	select {
	case <-c.graphReady:
		return nil
	case <-ctx.Done():
		return ErrMissTimeout
	case <-c.ctx.Done():
		return ErrClosed
	}
}

// Fetch asks the core for skus of list that missed the cache (Omnichannel
// Inventory mode only; the caller decides), stores the answers, and returns
// them in the order of skus. One get-availability request per key is in
// flight at a time: callers asking for a key meanwhile wait for the same
// answer. The skus a call leads are asked together, at most
// oci.MaxCombinations per request. The request runs on its own context
// (FillTimeout); Fetch waits at most MissWait or until ctx is done, and
// then returns an error, never a guess. A value fetched here never replaces
// a stream value. Safe for concurrent use.
func (c *Cache) Fetch(ctx context.Context, list ListID, skus []string) ([]Value, error) {
	l := c.lists.Load().get(list)
	if l == nil {
		return nil, ErrUnknownList
	}
	if !l.mapped() {
		// Just started, the streams may not have learned the graph yet:
		// wait for it (within the caller's bounded wait) rather than call
		// a list unmapped that is not.
		if err := c.awaitGraph(ctx); err != nil {
			return nil, err
		}
	}
	if !l.mapped() {
		c.m.fallback("not_mapped")
		return nil, fmt.Errorf("%w: %s", ErrNotMapped, l.id)
	}
	fls := make([]*flight, len(skus))
	var lead []string
	var leadFlights []*flight
	for i, sku := range skus {
		f, leader := c.flights.join(flightKey(list, sku))
		fls[i] = f
		if leader {
			lead, leadFlights = append(lead, sku), append(leadFlights, f)
		} else {
			c.m.fallback("joined")
		}
	}
	if len(lead) > 0 && !c.goFill(l, lead, leadFlights) {
		c.failFlights(l.idx, lead, leadFlights, ErrClosed)
	}
	return c.awaitFlights(ctx, fls)
}

func flightKey(list ListID, sku string) string { return string(appendKey(nil, list, sku)) }

// goFill runs the fetch of the led skus in a goroutine the cache owns;
// false once the cache is closed.
func (c *Cache) goFill(l *listState, skus []string, fls []*flight) bool {
	c.lifeMu.Lock()
	defer c.lifeMu.Unlock()
	if c.closed {
		return false
	}
	c.fills.Add(1)
	go func() {
		defer c.fills.Done()
		c.fill(l, skus, fls)
	}()
	return true
}

func (c *Cache) fill(l *listState, skus []string, fls []*flight) {
	ctx, cancel := context.WithTimeout(c.ctx, c.cfg.FillTimeout)
	defer cancel()
	for start := 0; start < len(skus); start += oci.MaxCombinations {
		end := min(start+oci.MaxCombinations, len(skus))
		vals, err := c.fetchChunk(ctx, l, skus[start:end])
		if err != nil {
			c.failFlights(l.idx, skus[start:end], fls[start:end], err)
			continue
		}
		for i := start; i < end; i++ {
			c.flights.finish(flightKey(l.idx, skus[i]), fls[i], vals[i-start], nil)
		}
	}
}

func (c *Cache) failFlights(list ListID, skus []string, fls []*flight, err error) {
	for i, f := range fls {
		c.flights.finish(flightKey(list, skus[i]), f, Value{}, err)
	}
}

// fetchChunk asks the core for up to MaxCombinations skus and stores the
// answers.
func (c *Cache) fetchChunk(ctx context.Context, l *listState, skus []string) ([]Value, error) {
	q := &oci.AvailabilityQuery{SKUs: skus}
	group := l.locationType() == TypeGroup
	if group {
		q.Groups = []string{l.id}
	} else {
		q.Locations = []string{l.id}
	}
	a, err := c.core.GetAvailability(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("cannot fetch %d skus of %s from the core: %w", len(skus), l.id, err)
	}
	places := a.Locations
	if group {
		places = a.Groups
	}
	vals := answerValues(places, l.id, skus)
	c.storeFallbacks(l, skus, vals)
	return vals, nil
}

// answerValues picks the place's records out of an answer, in sku order. A
// sku the answer leaves out has no record (the core answers unknown skus
// with zeros).
func answerValues(places []oci.PlaceValues, id string, skus []string) []Value {
	recs := make(map[string]*oci.Values, len(skus))
	for _, p := range places {
		if p.ID != id {
			continue
		}
		for i := range p.Records {
			recs[p.Records[i].SKU] = &p.Records[i]
		}
	}
	out := make([]Value, len(skus))
	for i, sku := range skus {
		if v := recs[sku]; v != nil {
			out[i] = valueOf(v)
		} else {
			out[i] = tombstone()
		}
	}
	return out
}

// storeFallbacks caches fetched values (version 0) unless a current stream
// value is there, which is newer by definition; vals then get that value.
func (c *Cache) storeFallbacks(l *listState, skus []string, vals []Value) {
	b := c.store.begin(l)
	defer b.end()
	gen, floor := l.writeGen.Load(), l.floor.Load()
	for i, sku := range skus {
		if cur, ok := b.get(sku); ok && cur.version > 0 && cur.gen >= floor {
			vals[i] = cur
			continue
		}
		vals[i].gen, vals[i].version, vals[i].list = gen, 0, l.idx
		b.put(sku, vals[i])
	}
}

// awaitFlights waits for every flight, at most MissWait.
func (c *Cache) awaitFlights(ctx context.Context, fls []*flight) ([]Value, error) {
	timer := time.NewTimer(c.cfg.MissWait)
	defer timer.Stop()
	out := make([]Value, len(fls))
	for i, f := range fls {
		select {
		case <-f.done:
		case <-timer.C:
			c.m.fallback("timeout")
			return nil, ErrMissTimeout
		case <-ctx.Done():
			c.m.fallback("canceled")
			return nil, ctx.Err()
		}
		if f.err != nil {
			c.m.fallback("error")
			return nil, f.err
		}
		out[i] = f.val
	}
	c.m.fallback("ok")
	return out, nil
}
