package oci

import "fmt"

// Violation is one broken invariant found by CheckInvariants.
type Violation struct {
	Rule    string `json:"rule"`
	Place   string `json:"place,omitempty"`
	SKU     string `json:"sku,omitempty"`
	Message string `json:"message"`
}

// CheckInvariants verifies the whole state (peers.md: keep an invariant
// checker from day one):
//   - every held quantity is ≥ 0 and open documents hold only positive lines;
//   - Σ open document holds at each place = that place's reserved count;
//   - no hold belongs to a document that is not OPEN;
//   - group views equal the sums of their members plus group-held
//     reservations.
//
// Whether anything was accepted beyond availability is Overcommitted's job.
func (c *Core) CheckInvariants() []Violation {
	var out []Violation
	_ = c.read(func() { out = c.checkLocked() })
	if c.m != nil {
		c.m.InvariantFailures.Set(float64(len(out)))
	}
	return out
}

func (c *Core) checkLocked() []Violation {
	var out []Violation
	add := func(rule string, p placeIdx, s *skuState, format string, args ...any) {
		v := Violation{Rule: rule, Message: fmt.Sprintf(format, args...)}
		if p != noPlace {
			v.Place = c.in.name(p)
		}
		if s != nil {
			v.SKU = s.name
		}
		out = append(out, v)
	}
	sums := c.sumOpenHolds(add)
	for _, s := range c.skus.list {
		c.checkSKU(s, sums, add)
	}
	return out
}

const noPlace = placeIdx(1<<32 - 1)

type violationFunc func(rule string, p placeIdx, s *skuState, format string, args ...any)

// sumOpenHolds adds up the holds of every open document per (sku, place).
func (c *Core) sumOpenHolds(add violationFunc) map[recKey]Qty {
	sums := map[recKey]Qty{}
	for _, r := range c.docs {
		for _, h := range r.holds {
			if h.qty < 0 {
				add("hold-non-negative", h.place, h.sku, "document %s holds %s", r.id, h.qty)
			}
			if h.qty != 0 && r.state != StateOpen {
				add("hold-open-only", h.place, h.sku, "%s document %s still holds %s", r.state, r.id, h.qty)
			}
			sums[recKey{h.sku, h.place}] += h.qty
		}
	}
	return sums
}

func (c *Core) checkSKU(s *skuState, sums map[recKey]Qty, add violationFunc) {
	for _, r := range s.locs {
		if r.reserved < 0 {
			add("reserved-non-negative", r.place, s, "reserved is %s", r.reserved)
		}
		if got := sums[recKey{s, r.place}]; got != r.reserved {
			add("reserved-equals-holds", r.place, s, "reserved %s but open documents hold %s", r.reserved, got)
		}
		delete(sums, recKey{s, r.place})
		if c.graph.kind[r.place] != PlaceLocation {
			add("record-at-location", r.place, s, "a record exists at a place that is not a location")
		}
	}
	for g, q := range s.groupHeld {
		if got := sums[recKey{s, g}]; got != q || q < 0 {
			add("reserved-equals-holds", g, s, "group holds %s but open documents hold %s", q, got)
		}
		delete(sums, recKey{s, g})
	}
	for k, q := range sums {
		if k.sku == s && q != 0 {
			add("reserved-equals-holds", k.place, s, "open documents hold %s that the place does not count", q)
		}
	}
	c.checkGroups(s, add)
}

// checkGroups recomputes each group view from its members.
func (c *Core) checkGroups(s *skuState, add violationFunc) {
	for g, members := range c.graph.members {
		v := groupValues(c.graph, s, g)
		var onHand, reserved Qty
		for _, l := range members {
			if r := s.loc(l); r != nil {
				onHand += r.onHand
				reserved += r.reserved
			}
		}
		if v.OnHand != onHand || v.Reserved != reserved+v.GroupReserved+v.SharedReserved {
			add("group-equals-members", g, s, "group shows onHand %s reserved %s; members sum to %s and %s",
				v.OnHand, v.Reserved, onHand, reserved)
		}
	}
}

// Overcommitment is a sku whose reservations exceed what its locations can
// supply. The reservation path never accepts beyond availability, so this
// only arises when stock is lowered afterwards (an import or batch-update of
// onHand below what is reserved), which OCI allows.
type Overcommitment struct {
	SKU     string `json:"sku"`
	Place   string `json:"place,omitempty"`
	Message string `json:"message"`
}

// Overcommitted lists skus whose reservations exceed supply: a location
// holding more than onHand + futures − safety stock, or group promises that
// no assignment to member locations can keep. On a store that only ever
// received reservations it is empty: nothing was accepted beyond ATO.
func (c *Core) Overcommitted() []Overcommitment {
	var out []Overcommitment
	_ = c.read(func() {
		for _, s := range c.skus.list {
			out = append(out, c.overcommitted(s)...)
		}
	})
	return out
}

func (c *Core) overcommitted(s *skuState) []Overcommitment {
	var out []Overcommitment
	for _, r := range s.locs {
		if free := r.onHandFree() + r.futuresTotal(); free < 0 {
			out = append(out, Overcommitment{SKU: s.name, Place: c.in.name(r.place),
				Message: fmt.Sprintf("reserved %s exceeds supply by %s", r.reserved, -free)})
		}
	}
	if !s.hasGroupHolds() {
		return out
	}
	var demand Qty
	for _, q := range s.groupHeld {
		demand += q
	}
	f := newSKUFlow(c.graph, s)
	routed := f.base
	f.done()
	if routed < demand {
		out = append(out, Overcommitment{SKU: s.name,
			Message: fmt.Sprintf("group reservations of %s can only be kept for %s", demand, routed)})
	}
	return out
}
