package oci

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// hallFeasible is an independent oracle for "can every demand be served":
// by Hall's theorem a bipartite supply/demand problem is feasible exactly
// when every set of demands fits in the capacity of the locations it may
// draw from.
func hallFeasible(demand []Qty, reach [][]int, capacity []Qty) bool {
	n := len(demand)
	for set := 1; set < 1<<n; set++ {
		var need, have Qty
		seen := map[int]bool{}
		for i := range n {
			if set&(1<<i) == 0 {
				continue
			}
			need += demand[i]
			for _, l := range reach[i] {
				if !seen[l] {
					seen[l] = true
					have += capacity[l]
				}
			}
		}
		if need > have {
			return false
		}
	}
	return true
}

// TestFlowMatchesHallOracle: on random small graphs, a reservation is
// accepted exactly when some assignment of every promise to locations fits
// (never refuses a feasible one, never accepts an infeasible one), and a
// partial reservation gets exactly the largest feasible quantity.
func TestFlowMatchesHallOracle(t *testing.T) {
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 99))
		nl := 2 + rng.IntN(3)
		g := Graph{}
		for i := range nl {
			g.Locations = append(g.Locations, Location{ID: fmt.Sprintf("L%d", i)})
		}
		for i := range 1 + rng.IntN(3) {
			gr := Group{ID: fmt.Sprintf("G%d", i)}
			for j := range nl {
				if rng.IntN(2) == 0 || (j == nl-1 && len(gr.Locations) == 0) {
					gr.Locations = append(gr.Locations, fmt.Sprintf("L%d", j))
				}
			}
			g.Groups = append(g.Groups, gr)
		}
		tc := mustOpen(t)
		tc.mustGraph(g)
		caps := make([]Qty, nl)
		for i := range nl {
			caps[i] = Qty(rng.IntN(7)) * Unit
			tc.mustSet(g.Locations[i].ID, "sku", caps[i].Units(), 0)
		}
		checkAgainstOracle(t, tc, g, caps, rng, seed)
	}
}

func checkAgainstOracle(t *testing.T, tc *testCore, g Graph, caps []Qty, rng *rand.Rand, seed uint64) {
	t.Helper()
	held := map[string]Qty{} // place id -> held
	for step := range 12 {
		var place Place
		if rng.IntN(2) == 0 {
			place = Grp(g.Groups[rng.IntN(len(g.Groups))].ID)
		} else {
			place = Loc(g.Locations[rng.IntN(len(g.Locations))].ID)
		}
		want := Qty(1+rng.IntN(5)) * Unit
		best := maxFeasible(g, caps, held, place)
		req := reserveAt(fmt.Sprintf("r%d", step), place.Type, place.ID, "sku", want.Units())
		partial := rng.IntN(2) == 0
		if !partial {
			req.AllowPartial = no()
		}
		got := reservedQty(tc.mustReserve(req))
		expect := want
		if best < want {
			expect = 0
			if partial {
				expect = best
			}
		}
		if got != expect {
			t.Fatalf("seed %d step %d: %s %s (partial %v): reserved %s, oracle %s (max feasible %s); graph %+v caps %v held %v",
				seed, step, place, want, partial, got, expect, best, g, caps, held)
		}
		held[place.ID] += got
		if v := tc.values(place.Type, place.ID, "sku"); place.Type == PlaceGroup && v.ATO != maxFeasible(g, caps, held, place) {
			t.Fatalf("seed %d step %d: group %s reports ATO %s, oracle %s", seed, step, place.ID, v.ATO, maxFeasible(g, caps, held, place))
		}
	}
	tc.mustHealthy()
}

// maxFeasible is the largest extra quantity at place the oracle accepts.
func maxFeasible(g Graph, caps []Qty, held map[string]Qty, place Place) Qty {
	locIdx := map[string]int{}
	for i, l := range g.Locations {
		locIdx[l.ID] = i
	}
	var demand []Qty
	var reach [][]int
	add := func(id string, q Qty, members []string) {
		var r []int
		for _, m := range members {
			r = append(r, locIdx[m])
		}
		demand, reach = append(demand, q), append(reach, r)
	}
	for _, gr := range g.Groups {
		add(gr.ID, held[gr.ID], gr.Locations)
	}
	for _, l := range g.Locations {
		add(l.ID, held[l.ID], []string{l.ID})
	}
	target := 0
	for i, gr := range g.Groups {
		if gr.ID == place.ID {
			target = i
		}
	}
	for i, l := range g.Locations {
		if l.ID == place.ID {
			target = len(g.Groups) + i
		}
	}
	best := Qty(0)
	for q := Unit; q <= 40*Unit; q += Unit {
		demand[target] += q
		ok := hallFeasible(demand, reach, caps)
		demand[target] -= q
		if !ok {
			break
		}
		best = q
	}
	return best
}
