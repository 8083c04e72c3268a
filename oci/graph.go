package oci

import (
	"fmt"
	"sort"
)

// Location is an inventory source (a warehouse or a store) identified by its
// External Reference. Type, Name and Address are descriptive only.
type Location struct {
	ID      string            `json:"id"`
	Type    string            `json:"type,omitempty"`
	Name    string            `json:"name,omitempty"`
	Address map[string]string `json:"address,omitempty"`
}

// Group is a location group: a named set of at least one location. Its
// quantities are sums over its members.
type Group struct {
	ID        string   `json:"id"`
	Locations []string `json:"locations"`
}

// Graph is the whole location graph: locations, groups and, implicitly, the
// assignments of locations to groups. A location may be in any number of
// groups or in none. It is a plain value; Core hands out copies.
type Graph struct {
	Locations []Location `json:"locations"`
	Groups    []Group    `json:"groups"`
}

// MaxGraphPlaces bounds the number of locations plus groups in one graph.
const MaxGraphPlaces = 100_000

// Validate checks the graph rules: External References well formed and
// unique across locations and groups, every group non-empty and made of
// known locations listed once.
func (g *Graph) Validate() error {
	if len(g.Locations)+len(g.Groups) > MaxGraphPlaces {
		return errorf(InvalidRequest, "the graph has more than %d locations and groups", MaxGraphPlaces)
	}
	seen := make(map[string]string, len(g.Locations)+len(g.Groups))
	for i, l := range g.Locations {
		param := fmt.Sprintf("locations[%d].id", i)
		if err := ValidatePlaceID(param, l.ID); err != nil {
			return err
		}
		if _, dup := seen[l.ID]; dup {
			return &Error{Code: DuplicateLocationID, Parameter: param, Location: l.ID,
				Message: fmt.Sprintf("location '%s' is defined twice", l.ID)}
		}
		seen[l.ID] = "location"
	}
	for i, gr := range g.Groups {
		if err := validateGroup(i, gr, seen); err != nil {
			return err
		}
		seen[gr.ID] = "group"
	}
	return nil
}

func validateGroup(i int, gr Group, seen map[string]string) error {
	param := fmt.Sprintf("groups[%d].id", i)
	if err := ValidatePlaceID(param, gr.ID); err != nil {
		return err
	}
	if kind, dup := seen[gr.ID]; dup {
		return &Error{Code: DuplicateGroupID, Parameter: param, Group: gr.ID,
			Message: fmt.Sprintf("group id '%s' is already used by a %s", gr.ID, kind)}
	}
	if len(gr.Locations) == 0 {
		return &Error{Code: GroupMustNotBeEmpty, Parameter: param, Group: gr.ID,
			Message: fmt.Sprintf("group '%s' must include at least one location", gr.ID)}
	}
	members := make(map[string]bool, len(gr.Locations))
	for j, l := range gr.Locations {
		mparam := fmt.Sprintf("groups[%d].locations[%d]", i, j)
		if seen[l] != "location" {
			e := noLocation(l)
			e.Parameter = mparam
			return e
		}
		if members[l] {
			return &Error{Code: DuplicateLocationID, Parameter: mparam, Location: l, Group: gr.ID,
				Message: fmt.Sprintf("location '%s' is listed twice in group '%s'", l, gr.ID)}
		}
		members[l] = true
	}
	return nil
}

// clone returns a deep copy.
func (g Graph) clone() Graph {
	out := Graph{Locations: make([]Location, len(g.Locations)), Groups: make([]Group, len(g.Groups))}
	for i, l := range g.Locations {
		out.Locations[i] = l
		if l.Address != nil {
			out.Locations[i].Address = make(map[string]string, len(l.Address))
			for k, v := range l.Address {
				out.Locations[i].Address[k] = v
			}
		}
	}
	for i, gr := range g.Groups {
		out.Groups[i] = Group{ID: gr.ID, Locations: append([]string(nil), gr.Locations...)}
	}
	return out
}

// graphIndex is the graph resolved to interned place indices, built once per
// graph version and never mutated (read under the core's lock).
type graphIndex struct {
	graph     Graph
	epoch     uint64
	kind      map[placeIdx]PlaceType
	members   map[placeIdx][]placeIdx // group -> its locations
	groupsOf  map[placeIdx][]placeIdx // location -> the groups it is in
	shareRank map[placeIdx]int        // location -> number of groups it is in
}

func newGraphIndex(g Graph, epoch uint64, in *interner) *graphIndex {
	gi := &graphIndex{
		graph: g, epoch: epoch,
		kind:      make(map[placeIdx]PlaceType),
		members:   make(map[placeIdx][]placeIdx),
		groupsOf:  make(map[placeIdx][]placeIdx),
		shareRank: make(map[placeIdx]int),
	}
	for _, l := range g.Locations {
		gi.kind[in.place(l.ID)] = PlaceLocation
	}
	for _, gr := range g.Groups {
		gp := in.place(gr.ID)
		gi.kind[gp] = PlaceGroup
		for _, l := range gr.Locations {
			lp := in.place(l)
			gi.members[gp] = append(gi.members[gp], lp)
			gi.groupsOf[lp] = append(gi.groupsOf[lp], gp)
			gi.shareRank[lp]++
		}
	}
	for gp := range gi.members {
		m := gi.members[gp]
		sort.Slice(m, func(i, j int) bool { return m[i] < m[j] })
	}
	return gi
}

// resolve returns the interned index of a place that exists in the graph,
// or the documented LocationDoesNotExist / GroupDoesNotExist error.
func (gi *graphIndex) resolve(in *interner, p Place) (placeIdx, error) {
	idx, ok := in.lookup(p.ID)
	if ok && gi.kind[idx] == p.Type {
		return idx, nil
	}
	if p.Type == PlaceGroup {
		return 0, noGroup(p.ID)
	}
	return 0, noLocation(p.ID)
}

// related returns the groups whose values can change when something at
// place p changes: for a location, the groups it is in; for a group, the
// groups sharing a location with it (their promises compete).
func (gi *graphIndex) related(p placeIdx) []placeIdx {
	if gi.kind[p] == PlaceLocation {
		return gi.groupsOf[p]
	}
	var out []placeIdx
	for _, l := range gi.members[p] {
		for _, g := range gi.groupsOf[l] {
			if g != p && !containsPlace(out, g) {
				out = append(out, g)
			}
		}
	}
	return out
}

func containsPlace(s []placeIdx, p placeIdx) bool {
	for _, x := range s {
		if x == p {
			return true
		}
	}
	return false
}
