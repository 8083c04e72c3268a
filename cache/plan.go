package cache

import (
	"slices"
	"strings"

	"ociedge/oci"
)

// The kinds of stream (reference §2.2), also the label of the full-import
// metrics.
const (
	kindGroup    = "group"    // one per list backed by a location group
	kindSite     = "site"     // one per site-assigned list backed by a location
	kindCombined = "combined" // every other location list
)

// streamSpec is what a stream imports and follows. Two specs with the same
// key are the same stream; a changed key means the stream must restart with
// a full import (its group's members changed, or lists joined or left it).
type streamSpec struct {
	name   string // as the status page shows it: "group/online", "site/wh-a", "combined"
	kind   string
	places oci.PlaceType
	ids    []string // list ids = place ids, sorted
	key    string
}

func newSpec(kind string, places oci.PlaceType, ids []string, members []string) streamSpec {
	name := kind
	if kind != kindCombined {
		name = kind + "/" + ids[0]
	}
	key := name + "|" + strings.Join(ids, ",") + "|" + strings.Join(members, ",")
	return streamSpec{name: name, kind: kind, places: places, ids: ids, key: key}
}

// graphView is the location graph as the planner needs it.
type graphView struct {
	locations map[string]bool
	groups    map[string][]string // group -> sorted member locations
}

func newGraphView(g *oci.Graph) graphView {
	v := graphView{locations: make(map[string]bool, len(g.Locations)), groups: make(map[string][]string, len(g.Groups))}
	for _, l := range g.Locations {
		v.locations[l.ID] = true
	}
	for _, gr := range g.Groups {
		v.groups[gr.ID] = slices.Sorted(slices.Values(gr.Locations))
	}
	return v
}

// locationType of an inventory list id.
func (v graphView) locationType(id string) LocationType {
	if _, ok := v.groups[id]; ok {
		return TypeGroup
	}
	if v.locations[id] {
		return TypeLocation
	}
	return TypeNA
}

// plan groups the lists into streams as B2C does: a dedicated stream per
// group-backed list and per site-assigned location list, one combined
// stream for the other location lists. N/A lists get none. types holds each
// list's Location Type, in list order.
func plan(lists []*listState, g graphView) (specs []streamSpec, types []LocationType) {
	types = make([]LocationType, len(lists))
	var combined []string
	for i, l := range lists {
		types[i] = g.locationType(l.id)
		switch {
		case types[i] == TypeGroup:
			specs = append(specs, newSpec(kindGroup, oci.PlaceGroup, []string{l.id}, g.groups[l.id]))
		case types[i] == TypeLocation && l.site:
			specs = append(specs, newSpec(kindSite, oci.PlaceLocation, []string{l.id}, nil))
		case types[i] == TypeLocation:
			combined = append(combined, l.id)
		}
	}
	if len(combined) > 0 {
		slices.Sort(combined)
		specs = append(specs, newSpec(kindCombined, oci.PlaceLocation, combined, nil))
	}
	return specs, types
}
