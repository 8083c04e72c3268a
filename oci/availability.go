package oci

import (
	"fmt"
)

// AvailabilityQuery is a get-availability request. The documented shapes:
//   - {sku, group}: the group and each of its member locations;
//   - {sku}: every location that is in no group;
//   - {skus, locations, groups}: each sku at each listed place, at most
//     MaxCombinations sku×place combinations.
type AvailabilityQuery struct {
	SKU       string   `json:"sku,omitempty"`
	Group     string   `json:"group,omitempty"`
	SKUs      []string `json:"skus,omitempty"`
	Locations []string `json:"locations,omitempty"`
	Groups    []string `json:"groups,omitempty"`
}

// MaxCombinations bounds sku×place combinations in one query (reference §3 A1).
const MaxCombinations = 100

// PlaceValues is the records of one place in an availability answer.
type PlaceValues struct {
	ID      string
	Records []Values
}

// Availability is a get-availability answer.
type Availability struct {
	Locations []PlaceValues
	Groups    []PlaceValues
}

// GetAvailability answers a query with the current values. A sku unknown at
// a known place is reported with zero quantities; an unknown place fails the
// query.
func (c *Core) GetAvailability(q *AvailabilityQuery) (*Availability, error) {
	if err := validateQuery(q); err != nil {
		return nil, err
	}
	var out *Availability
	var qerr error
	if err := c.read(func() { out, qerr = c.answer(q) }); err != nil {
		return nil, err
	}
	return out, qerr
}

func (c *Core) answer(q *AvailabilityQuery) (*Availability, error) {
	switch {
	case q.SKU != "" && q.Group != "":
		g, err := c.graph.resolve(&c.in, Grp(q.Group))
		if err != nil {
			return nil, err
		}
		out := &Availability{Groups: []PlaceValues{{q.Group, []Values{c.placeValues(PlaceGroup, g, q.SKU)}}}}
		for _, l := range c.graph.members[g] {
			out.Locations = append(out.Locations, PlaceValues{c.in.name(l), []Values{c.placeValues(PlaceLocation, l, q.SKU)}})
		}
		return out, nil
	case q.SKU != "":
		out := &Availability{Locations: []PlaceValues{}}
		for _, l := range c.graph.graph.Locations {
			idx, _ := c.in.lookup(l.ID)
			if len(c.graph.groupsOf[idx]) == 0 {
				out.Locations = append(out.Locations, PlaceValues{l.ID, []Values{c.placeValues(PlaceLocation, idx, q.SKU)}})
			}
		}
		return out, nil
	}
	return c.answerLists(q)
}

func (c *Core) answerLists(q *AvailabilityQuery) (*Availability, error) {
	out := &Availability{}
	for _, set := range []struct {
		kind PlaceType
		ids  []string
		dst  *[]PlaceValues
	}{{PlaceLocation, q.Locations, &out.Locations}, {PlaceGroup, q.Groups, &out.Groups}} {
		for _, id := range set.ids {
			idx, err := c.graph.resolve(&c.in, Place{set.kind, id})
			if err != nil {
				return nil, err
			}
			pv := PlaceValues{ID: id, Records: make([]Values, 0, len(q.SKUs))}
			for _, sku := range q.SKUs {
				pv.Records = append(pv.Records, c.placeValues(set.kind, idx, sku))
			}
			*set.dst = append(*set.dst, pv)
		}
	}
	return out, nil
}

// placeValues computes the values of sku at a place. The caller holds the
// state lock (shared is enough).
func (c *Core) placeValues(kind PlaceType, p placeIdx, sku string) Values {
	s := c.skus.get(sku)
	if s == nil {
		return Values{SKU: sku}
	}
	if kind == PlaceGroup {
		return groupValues(c.graph, s, p)
	}
	if r := s.loc(p); r != nil {
		return r.values(sku)
	}
	return Values{SKU: sku}
}

// groupValues sums the member records and adds the group's promises:
// reserved = Σ member reserved + groupReserved + sharedGroupReserved, where
// sharedGroupReserved is what other groups' promises take from this group's
// locations in the assignment that leaves this group the most (which puts
// them in the least shared locations first). ATO and ATF are the largest
// further quantities the group could still reserve (without and with
// fulfillOnly).
func groupValues(gi *graphIndex, s *skuState, g placeIdx) Values {
	v := Values{SKU: s.name}
	var capATO, capATF Qty
	var eff int64
	for _, l := range gi.members[g] {
		r := s.loc(l)
		if r == nil {
			continue
		}
		v.Exists = v.Exists || r.exists
		v.OnHand += r.onHand
		v.SafetyStock += r.safety
		v.Reserved += r.reserved
		v.Futures = mergeFutures(v.Futures, r.futures)
		capATO, capATF = capATO+r.ato(), capATF+r.atf()
		eff = max(eff, r.effective)
	}
	v.EffectiveDate = unixTime(eff)
	v.GroupReserved = s.groupHeld[g]
	v.ATO, v.ATF = capATO, capATF
	if s.hasGroupHolds() {
		v.ATO = extraAt(gi, s, PlaceGroup, g, false)
		v.ATF = extraAt(gi, s, PlaceGroup, g, true)
		v.SharedReserved = maxQty(0, capATO-v.GroupReserved-v.ATO)
	}
	v.Reserved += v.GroupReserved + v.SharedReserved
	v.Exists = v.Exists || v.GroupReserved > 0
	return v
}

func validateQuery(q *AvailabilityQuery) error {
	switch {
	case q.SKU != "" && len(q.SKUs) > 0:
		return paramErrorf("sku", "'sku' and 'skus' cannot be used together")
	case q.SKU != "" && (len(q.Locations) > 0 || len(q.Groups) > 0):
		return paramErrorf("sku", "'sku' is used alone or with 'group'; use 'skus' with 'locations' and 'groups'")
	case q.Group != "" && q.SKU == "":
		return paramErrorf("group", "'group' is used together with 'sku'")
	case q.SKU != "":
		if err := ValidateSKU("sku", q.SKU); err != nil {
			return err
		}
		if q.Group != "" {
			return ValidatePlaceID("group", q.Group)
		}
		return nil
	case len(q.SKUs) == 0:
		return &Error{Code: InvalidRequestParameter, Parameter: "skus", Message: "'sku' or 'skus' is required"}
	case len(q.Locations)+len(q.Groups) == 0:
		return paramErrorf("locations", "'skus' needs at least one of 'locations' or 'groups'")
	}
	if n := len(q.SKUs) * (len(q.Locations) + len(q.Groups)); n > MaxCombinations {
		return paramErrorf("skus", "the total combinations of SKU per location plus SKU per group cannot be more than %d (got %d)", MaxCombinations, n)
	}
	return validateQueryLists(q)
}

func validateQueryLists(q *AvailabilityQuery) error {
	seen := map[string]bool{}
	for i, s := range q.SKUs {
		if err := ValidateSKU(fmt.Sprintf("skus[%d]", i), s); err != nil {
			return err
		}
		if seen[s] {
			return &Error{Code: DuplicateSku, Parameter: fmt.Sprintf("skus[%d]", i), Message: fmt.Sprintf("sku '%s' is listed twice", clip(s))}
		}
		seen[s] = true
	}
	places := map[string]bool{}
	for _, set := range []struct {
		name string
		ids  []string
	}{{"locations", q.Locations}, {"groups", q.Groups}} {
		for i, id := range set.ids {
			p := fmt.Sprintf("%s[%d]", set.name, i)
			if err := ValidatePlaceID(p, id); err != nil {
				return err
			}
			if places[id] {
				return paramErrorf(p, "'%s' is listed twice", id)
			}
			places[id] = true
		}
	}
	return nil
}
