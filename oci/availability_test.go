package oci

import (
	"testing"
	"time"
)

var arizona = Graph{
	Locations: []Location{{ID: "surprise"}, {ID: "wickenburg"}, {ID: "flagstaff"}},
	Groups:    []Group{{ID: "arizona", Locations: []string{"surprise", "wickenburg"}}},
}

// TestWorkedExample_GetAllLocationsResponse is reference §2.3: the RAML
// example's numbers for two locations and their group.
func TestWorkedExample_GetAllLocationsResponse(t *testing.T) {
	tc := mustOpen(t)
	tc.mustGraph(arizona)
	next := tc.clock.Now().Add(30 * 24 * time.Hour)
	tc.mustSet("surprise", "sku123", 27, 10, Future{q(10.25), next})
	tc.mustSet("wickenburg", "sku123", 50, 20, Future{q(10.25), next})

	a, err := tc.GetAvailability(&AvailabilityQuery{SKU: "sku123", Group: "arizona"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]Qty{"surprise": {q(17), q(27.25)}, "wickenburg": {q(30), q(40.25)}}
	if len(a.Locations) != 2 {
		t.Fatalf("{sku, group} must list the group's members, got %d locations", len(a.Locations))
	}
	for _, pv := range a.Locations {
		v := pv.Records[0]
		if w := want[pv.ID]; v.ATF != w[0] || v.ATO != w[1] {
			t.Errorf("%s: atf %s ato %s; want %s %s", pv.ID, v.ATF, v.ATO, w[0], w[1])
		}
	}
	g := a.Groups[0].Records[0]
	if g.OnHand != q(77) || g.SafetyStock != q(30) || g.ATF != q(47) || g.ATO != q(67.5) {
		t.Errorf("arizona = onHand %s safety %s atf %s ato %s; want 77 30 47 67.5", g.OnHand, g.SafetyStock, g.ATF, g.ATO)
	}
	if len(g.Futures) != 1 || g.Futures[0].Quantity != q(20.5) {
		t.Errorf("futures with the same expectedDate must merge into one 20.5, got %+v", g.Futures)
	}
}

func TestGetAvailability_Shapes(t *testing.T) {
	tc := mustOpen(t)
	tc.mustGraph(arizona)
	tc.mustSet("flagstaff", "s1", 4, 0)
	a, err := tc.GetAvailability(&AvailabilityQuery{SKU: "s1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Locations) != 1 || a.Locations[0].ID != "flagstaff" || a.Locations[0].Records[0].ATO != q(4) {
		t.Errorf("{sku} alone must list only ungrouped locations: %+v", a.Locations)
	}
	a, err = tc.GetAvailability(&AvailabilityQuery{SKUs: []string{"s1", "nope"}, Locations: []string{"flagstaff"}, Groups: []string{"arizona"}})
	if err != nil {
		t.Fatal(err)
	}
	if r := a.Locations[0].Records[1]; r.SKU != "nope" || r.Exists || r.ATO != 0 {
		t.Errorf("unknown sku must come back with zeros, got %+v", r)
	}
	if len(a.Groups) != 1 || len(a.Groups[0].Records) != 2 {
		t.Errorf("groups answer: %+v", a.Groups)
	}
}

func TestClampAtZero(t *testing.T) {
	tc := mustOpen(t)
	tc.mustGraph(arizona)
	tc.mustSet("flagstaff", "s1", 3, 5)
	if v := tc.values(PlaceLocation, "flagstaff", "s1"); v.ATF != 0 || v.ATO != 0 {
		t.Errorf("safety stock above onHand must clamp at 0, got atf %s ato %s", v.ATF, v.ATO)
	}
}

func TestGetAvailability_BadInput(t *testing.T) {
	tc := mustOpen(t)
	tc.mustGraph(arizona)
	skus := make([]string, 51)
	for i := range skus {
		skus[i] = "s" + Qty(i).String()
	}
	for name, c := range map[string]struct {
		q    AvailabilityQuery
		code Code
	}{
		"too many combinations": {AvailabilityQuery{SKUs: skus, Locations: []string{"surprise", "wickenburg"}}, InvalidRequestParameter},
		"unknown location":      {AvailabilityQuery{SKUs: []string{"a"}, Locations: []string{"mars"}}, LocationDoesNotExist},
		"unknown group":         {AvailabilityQuery{SKU: "a", Group: "mars"}, GroupDoesNotExist},
		"location as group":     {AvailabilityQuery{SKUs: []string{"a"}, Groups: []string{"surprise"}}, GroupDoesNotExist},
		"sku and skus":          {AvailabilityQuery{SKU: "a", SKUs: []string{"b"}, Locations: []string{"surprise"}}, InvalidRequestParameter},
		"group without sku":     {AvailabilityQuery{Group: "arizona"}, InvalidRequestParameter},
		"empty":                 {AvailabilityQuery{}, InvalidRequestParameter},
		"skus without places":   {AvailabilityQuery{SKUs: []string{"a"}}, InvalidRequestParameter},
		"duplicate sku":         {AvailabilityQuery{SKUs: []string{"a", "a"}, Locations: []string{"surprise"}}, DuplicateSku},
		"bad sku":               {AvailabilityQuery{SKUs: []string{"a/b"}, Locations: []string{"surprise"}}, InvalidRequestParameter},
		"bad place id":          {AvailabilityQuery{SKUs: []string{"a"}, Locations: []string{"x"}}, InvalidRequestParameter},
	} {
		if _, err := tc.GetAvailability(&c.q); codeOf(err) != c.code {
			t.Errorf("%s: got %v, want %s", name, err, c.code)
		}
	}
}
