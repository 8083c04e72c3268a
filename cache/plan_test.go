package cache

import (
	"reflect"
	"testing"
	"time"

	"ociedge/oci"
)

var testGraph = oci.Graph{
	Locations: []oci.Location{{ID: "wh-a"}, {ID: "wh-b"}, {ID: "store-1"}, {ID: "store-2"}},
	Groups:    []oci.Group{{ID: "online", Locations: []string{"wh-b", "wh-a"}}},
}

func TestPlanLocationTypesAndStreams(t *testing.T) {
	lists := newListTable([]List{
		{ID: "online", Site: true}, {ID: "wh-a", Site: true}, {ID: "wh-b"},
		{ID: "store-2"}, {ID: "store-1"}, {ID: "ghost", Site: true},
	}).lists
	specs, types := plan(lists, newGraphView(&testGraph))

	wantTypes := []LocationType{TypeGroup, TypeLocation, TypeLocation, TypeLocation, TypeLocation, TypeNA}
	if !reflect.DeepEqual(types, wantTypes) {
		t.Errorf("types = %v, want %v", types, wantTypes)
	}
	type got struct {
		name, kind string
		places     oci.PlaceType
		ids        []string
	}
	var gotSpecs []got
	for _, s := range specs {
		gotSpecs = append(gotSpecs, got{s.name, s.kind, s.places, s.ids})
	}
	want := []got{
		{"group/online", kindGroup, oci.PlaceGroup, []string{"online"}},
		{"site/wh-a", kindSite, oci.PlaceLocation, []string{"wh-a"}},
		{"combined", kindCombined, oci.PlaceLocation, []string{"store-1", "store-2", "wh-b"}},
	}
	if !reflect.DeepEqual(gotSpecs, want) {
		t.Errorf("streams = %+v\nwant %+v", gotSpecs, want)
	}
}

func TestPlanKeyChangesWithGroupMembers(t *testing.T) {
	lists := newListTable([]List{{ID: "online"}}).lists
	before, _ := plan(lists, newGraphView(&testGraph))
	g := testGraph
	g.Groups = []oci.Group{{ID: "online", Locations: []string{"wh-a", "wh-b", "store-1"}}}
	after, _ := plan(lists, newGraphView(&g))
	if before[0].key == after[0].key {
		t.Error("a group stream's key must change when its members change")
	}
	reordered := testGraph
	reordered.Groups = []oci.Group{{ID: "online", Locations: []string{"wh-a", "wh-b"}}}
	same, _ := plan(lists, newGraphView(&reordered))
	if before[0].key != same[0].key {
		t.Error("member order must not change the key")
	}
}

func TestCombinedGateWindow(t *testing.T) {
	at := func(day, h, m int) time.Time { return time.Date(2026, 3, day, h, m, 0, 0, time.UTC) }
	g := combinedGate{enabled: true, tz: time.UTC}
	steps := []struct {
		now          time.Time
		want         []string
		ids, waiting []string
	}{
		{at(1, 12, 0), []string{"a"}, nil, []string{"a"}},                // outside the window: waits
		{at(2, 1, 30), []string{"a", "b"}, nil, []string{"a", "b"}},      // b is first seen after the cutoff
		{at(2, 2, 5), []string{"a", "b"}, []string{"a"}, []string{"b"}},  // a joins at 02:00, b waits a night
		{at(2, 2, 30), []string{"a", "b"}, []string{"a"}, []string{"b"}}, // still waiting
		{at(3, 2, 0), []string{"a", "b"}, []string{"a", "b"}, nil},       // the next night
		{at(3, 12, 0), []string{"b"}, []string{"b"}, nil},                // leaving is immediate
	}
	for i, s := range steps {
		ids, waiting := g.admit(s.want, s.now)
		if !reflect.DeepEqual(ids, s.ids) || !reflect.DeepEqual(waiting, s.waiting) {
			t.Errorf("step %d at %s: ids %v waiting %v, want %v %v", i, s.now, ids, waiting, s.ids, s.waiting)
		}
	}
	off := combinedGate{tz: time.UTC}
	if ids, waiting := off.admit([]string{"a"}, at(1, 12, 0)); len(ids) != 1 || waiting != nil {
		t.Errorf("window off: ids %v waiting %v", ids, waiting)
	}
}
