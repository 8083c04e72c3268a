package oci

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// TestNoOversellUnderConcurrency: 250 concurrent reservers of one unit each
// against ATO 50 get exactly 50 units, at a group and at a location.
func TestNoOversellUnderConcurrency(t *testing.T) {
	for _, place := range []Place{Grp("GA"), Loc("L3")} {
		t.Run(place.Type.String(), func(t *testing.T) {
			tc := mustOpen(t)
			tc.mustGraph(shared)
			tc.mustSet("L1", "hot", 20, 0)
			tc.mustSet("L2", "hot", 30, 0)
			tc.mustSet("L3", "hot", 50, 0)
			// B holds 20 first, so A's 50 needs the flow check: B must
			// come from L3, leaving L1+L2 = 50 for A.
			if place.Type == PlaceGroup {
				tc.mustReserve(reserveAt("b-first", PlaceGroup, "GB", "hot", 20))
				tc.mustSet("L3", "hot", 20, 0)
			}
			var ok atomic.Int64
			var wg sync.WaitGroup
			for i := range 250 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					req := reserveAt(fmt.Sprintf("buyer-%d", i), place.Type, place.ID, "hot", 1)
					req.AllowPartial = no()
					res, err := tc.Reserve(req)
					if err != nil {
						t.Error(err)
						return
					}
					if res.Success {
						ok.Add(1)
					}
				}()
			}
			wg.Wait()
			if ok.Load() != 50 {
				t.Fatalf("%d reservations succeeded, want exactly 50", ok.Load())
			}
			v := tc.values(place.Type, place.ID, "hot")
			if v.ATO != 0 {
				t.Errorf("ATO after the sale = %s, want 0", v.ATO)
			}
			tc.mustHealthy()
		})
	}
}
