package oci

import (
	"bytes"
	"encoding/json"
	"fmt"

	"go.uber.org/zap"
)

// Graph returns a copy of the current location graph and its epoch (the
// number of times it was replaced).
func (c *Core) Graph() (Graph, uint64) {
	var g Graph
	var epoch uint64
	_ = c.read(func() { g, epoch = c.graph.graph.clone(), c.graph.epoch })
	return g, epoch
}

// GraphChanging reports whether a location-graph replace is being applied.
func (c *Core) GraphChanging() bool { return c.graphChanging.Load() }

// ReplaceGraph validates g and replaces the whole location graph atomically.
// It refuses a graph that removes a place still holding reservations or
// that would leave open group promises unkeepable. Records at removed
// locations are deleted; every group whose membership changed gets a change
// for each of its skus, so delta readers see the new aggregates.
func (c *Core) ReplaceGraph(g Graph) error {
	if err := g.Validate(); err != nil {
		return err
	}
	g = g.clone()
	c.graphChanging.Store(true)
	defer c.graphChanging.Store(false)
	return c.write(func(tx *txn) error {
		if sameGraph(g, c.graph.graph) {
			return nil // the same graph again (a restart with --graph): nothing changes, no re-imports
		}
		next := newGraphIndex(g, c.graph.epoch+1, &c.in)
		if err := c.checkGraphChange(next); err != nil {
			return err
		}
		c.applyGraphChange(tx, next)
		c.graph = next
		c.persistGraph(&tx.batch)
		c.log.Info("location graph replaced", zap.Uint64("epoch", next.epoch),
			zap.Int("locations", len(g.Locations)), zap.Int("groups", len(g.Groups)))
		return nil
	})
}

// checkGraphChange refuses a change that would orphan or break reservations.
func (c *Core) checkGraphChange(next *graphIndex) error {
	for _, s := range c.skus.list {
		for p, q := range s.queues {
			if !q.empty() && next.kind[p] != c.graph.kind[p] {
				return errorf(InvalidRequest, "%s '%s' still holds reservations of sku '%s'; release them before removing it",
					c.graph.kind[p], c.in.name(p), clip(s.name))
			}
		}
		if !s.hasGroupHolds() {
			continue
		}
		before, after := newSKUFlow(c.graph, s), newSKUFlow(next, s)
		worse := after.base < before.base
		before.done()
		after.done()
		if worse {
			return errorf(InvalidRequest, "the new graph cannot keep the open group reservations of sku '%s'", clip(s.name))
		}
	}
	return nil
}

func (c *Core) applyGraphChange(tx *txn, next *graphIndex) {
	changed := c.changedGroups(next)
	for _, s := range c.skus.list {
		kept := s.locs[:0]
		for _, r := range s.locs {
			if next.kind[r.place] == PlaceLocation {
				kept = append(kept, r)
				continue
			}
			tx.touchRecord(s, r.place) // no record there any more: persisted as a delete
		}
		clear(s.locs[len(kept):])
		s.locs = kept
		for g, members := range changed {
			if skuAtAny(s, members) {
				tx.touchGroup(s, g)
			}
		}
	}
}

// changedGroups returns each group whose member set differs between the
// current graph and next, with the union of its old and new members.
func (c *Core) changedGroups(next *graphIndex) map[placeIdx][]placeIdx {
	out := map[placeIdx][]placeIdx{}
	for g, old := range c.graph.members {
		if nw := next.members[g]; fmt.Sprint(nw) != fmt.Sprint(old) {
			out[g] = append(append([]placeIdx(nil), old...), nw...)
		}
	}
	for g, nw := range next.members {
		if _, ok := c.graph.members[g]; !ok {
			out[g] = nw
		}
	}
	return out
}

func skuAtAny(s *skuState, locs []placeIdx) bool {
	for _, l := range locs {
		if s.loc(l) != nil {
			return true
		}
	}
	return false
}

// sameGraph compares two graphs by their JSON form, so that an empty list
// and a missing one are the same.
func sameGraph(a, b Graph) bool {
	ja, _ := json.Marshal(a.clone())
	jb, _ := json.Marshal(b.clone())
	return bytes.Equal(ja, jb)
}
