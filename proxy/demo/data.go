package demo

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"ociedge/oci"
)

// The demo's location graph: two warehouses behind the online group, and
// three stores for buy online, pick up in store.
var demoGraph = oci.Graph{
	Locations: []oci.Location{
		{ID: "wh-east", Type: "Warehouse", Name: "East warehouse"},
		{ID: "wh-west", Type: "Warehouse", Name: "West warehouse"},
		{ID: "store-phoenix", Type: "Store", Name: "Phoenix store"},
		{ID: "store-austin", Type: "Store", Name: "Austin store"},
		{ID: "store-seattle", Type: "Store", Name: "Seattle store"},
	},
	Groups: []oci.Group{{ID: "online-us", Locations: []string{"wh-east", "wh-west"}}},
}

var stores = []string{"store-phoenix", "store-austin", "store-seattle"}

// SKU names the demo's i-th sku (1-based).
func SKU(i int) string { return fmt.Sprintf("sku-%06d", i) }

// writeImport writes the demo's availability import: every sku at both
// warehouses, every third sku at each store, some with safety stock and
// futures. Seeded, so every run loads the same numbers.
func writeImport(w io.Writer, skus int, now time.Time) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	rng := rand.New(rand.NewPCG(42, 7))
	eff := now.Add(-time.Hour).UTC().Format(time.RFC3339)
	n := 0
	line := func(loc string, i int, onHand, safety int, future bool) {
		n++
		fmt.Fprintf(bw, `{"recordId":"demo-%d","locationId":%q,"sku":%q,"onHand":%d,"safetyStockCount":%d,"effectiveDate":%q`,
			n, loc, SKU(i), onHand, safety, eff)
		if future {
			fmt.Fprintf(bw, `,"futures":[{"quantity":%d,"expectedDate":%q}]`, 5+rng.IntN(20),
				now.Add(time.Duration(7+rng.IntN(30))*24*time.Hour).UTC().Format(time.RFC3339))
		}
		bw.WriteString("}\n")
	}
	for i := 1; i <= skus; i++ {
		for _, wh := range []string{"wh-east", "wh-west"} {
			line(wh, i, rng.IntN(200), rng.IntN(3), rng.IntN(10) == 0)
		}
		for k, s := range stores {
			if i%3 == k {
				line(s, i, rng.IntN(12), 0, false)
			}
		}
	}
	return bw.Flush()
}
