// Package cachetest provides an in-memory OCI core for tests of the cache
// and of the edge: places and records set by hand, a change log behind
// delta tokens that expire like the real ones, and knobs that make calls
// fail or block. It implements cache.Core (by shape; it does not import
// package cache).
package cachetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"ociedge/oci"
)

// Core is the fake. Set its exported fields before first use; the zero
// value works with the documented defaults. Safe for concurrent use.
type Core struct {
	// Now is the clock deciding token ages. Default time.Now.
	Now func() time.Time
	// TokenTTL is how long a delta token stays valid. Default 23.5 h.
	TokenTTL time.Duration
	// MaxDeltaRecords bounds one get-deltas answer. Default 1000.
	MaxDeltaRecords int
	// ExportBatch is how many records one export callback gets. Default 4096.
	ExportBatch int

	mu     sync.Mutex // guards every field below
	graph  oci.Graph
	epoch  uint64
	kinds  map[string]oci.PlaceType
	recs   map[string]map[string]oci.Values // place -> sku -> values
	log    []change                         // the change with seq i+1 is log[i]
	faults map[string]*fault
	calls  map[string]int
	holds  map[string]chan struct{}
}

// The method names FailNext, Hold and Calls take.
const (
	MethodGraph        = "Graph"
	MethodExport       = "Export"
	MethodDeltas       = "Deltas"
	MethodAvailability = "GetAvailability"
)

type change struct{ place, sku string }

type fault struct {
	n   int
	err error
}

func (c *Core) init() {
	if c.recs == nil {
		c.kinds, c.recs = map[string]oci.PlaceType{}, map[string]map[string]oci.Values{}
		c.faults, c.calls, c.holds = map[string]*fault{}, map[string]int{}, map[string]chan struct{}{}
	}
}

func (c *Core) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// SetGraph replaces the graph. Records at places that are gone are deleted
// (with Delete changes), as the real core does.
func (c *Core) SetGraph(g oci.Graph) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.init()
	c.graph, c.epoch = g, c.epoch+1
	kinds := map[string]oci.PlaceType{}
	for _, l := range g.Locations {
		kinds[l.ID] = oci.PlaceLocation
	}
	for _, gr := range g.Groups {
		kinds[gr.ID] = oci.PlaceGroup
	}
	for place, recs := range c.recs {
		if kinds[place] != c.kinds[place] {
			for sku := range recs {
				c.log = append(c.log, change{place, sku})
			}
			delete(c.recs, place)
		}
	}
	c.kinds = kinds
}

// Put sets the values of v.SKU at place (a location or a group: the fake
// does not aggregate groups) and logs a change.
func (c *Core) Put(place string, v oci.Values) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.init()
	if c.recs[place] == nil {
		c.recs[place] = map[string]oci.Values{}
	}
	c.recs[place][v.SKU] = v
	c.log = append(c.log, change{place, v.SKU})
}

// Delete removes the record of sku at place and logs a change.
func (c *Core) Delete(place, sku string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.init()
	delete(c.recs[place], sku)
	c.log = append(c.log, change{place, sku})
}

// Get returns the values of sku at place, and whether there is a record.
func (c *Core) Get(place, sku string) (oci.Values, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.init()
	v, ok := c.recs[place][sku]
	return v, ok
}

// FailNext makes the next n calls of method fail with err.
func (c *Core) FailNext(method string, n int, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.init()
	c.faults[method] = &fault{n: n, err: err}
}

// Hold makes calls of method block (until their context is done or the
// returned release is called); a fault set with FailNext applies once a
// held call goes on.
func (c *Core) Hold(method string) (release func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.init()
	ch := make(chan struct{})
	c.holds[method] = ch
	var once sync.Once
	return func() {
		once.Do(func() {
			c.mu.Lock()
			if c.holds[method] == ch {
				delete(c.holds, method)
			}
			c.mu.Unlock()
			close(ch)
		})
	}
}

// Calls returns how many times method was called.
func (c *Core) Calls(method string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[method]
}

type unfaultedKey struct{}

// Unfaulted returns a context whose calls the fake neither counts, fails
// nor holds: for a test's own look at the core (e.g. a fresh export to
// compare the cache with) while the cache's calls are being failed.
func Unfaulted(ctx context.Context) context.Context {
	return context.WithValue(ctx, unfaultedKey{}, true)
}

// enter counts a call, waits on a hold, then applies a fault.
func (c *Core) enter(ctx context.Context, method string) error {
	if ctx.Value(unfaultedKey{}) != nil {
		return nil
	}
	c.mu.Lock()
	c.init()
	c.calls[method]++
	hold := c.holds[method]
	c.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if f := c.faults[method]; f != nil && f.n > 0 {
		f.n--
		return f.err
	}
	return ctx.Err()
}

// Graph implements cache.Core.
func (c *Core) Graph(ctx context.Context) (oci.Graph, uint64, error) {
	if err := c.enter(ctx, MethodGraph); err != nil {
		return oci.Graph{}, 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	g := oci.Graph{Locations: slices.Clone(c.graph.Locations), Groups: make([]oci.Group, len(c.graph.Groups))}
	for i, gr := range c.graph.Groups {
		g.Groups[i] = oci.Group{ID: gr.ID, Locations: slices.Clone(gr.Locations)}
	}
	return g, c.epoch, nil
}

// GetAvailability implements cache.Core for the {skus, locations, groups}
// shape: unknown skus get zero values, unknown places fail the query.
func (c *Core) GetAvailability(ctx context.Context, q *oci.AvailabilityQuery) (*oci.Availability, error) {
	if err := c.enter(ctx, MethodAvailability); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := &oci.Availability{}
	for _, set := range []struct {
		kind oci.PlaceType
		ids  []string
		dst  *[]oci.PlaceValues
	}{{oci.PlaceLocation, q.Locations, &out.Locations}, {oci.PlaceGroup, q.Groups, &out.Groups}} {
		for _, id := range set.ids {
			if c.kinds[id] != set.kind {
				return nil, noPlace(set.kind, id)
			}
			pv := oci.PlaceValues{ID: id}
			for _, sku := range q.SKUs {
				pv.Records = append(pv.Records, c.valuesLocked(id, sku))
			}
			*set.dst = append(*set.dst, pv)
		}
	}
	return out, nil
}

func (c *Core) valuesLocked(place, sku string) oci.Values {
	if v, ok := c.recs[place][sku]; ok {
		return v
	}
	return oci.Values{SKU: sku}
}

func noPlace(kind oci.PlaceType, id string) error {
	if kind == oci.PlaceGroup {
		return &oci.Error{Code: oci.GroupDoesNotExist, Group: id, Message: fmt.Sprintf("No group exists with ID '%s'", id)}
	}
	return &oci.Error{Code: oci.LocationDoesNotExist, Location: id, Message: fmt.Sprintf("No location exists with ID '%s'", id)}
}
