package proxy_test

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"ociedge/oci"
)

// bigRecords is how many records the core holds for the big list.
const bigRecords = 200_000

// importConfig is baseConfig with a cache that holds the big list.
var importConfig = strings.Replace(baseConfig, "maxRecords: 100000", "maxRecords: 400000", 1)

// importBig imports bigRecords records at wh-a (so the group online-us has
// as many). It applies them to the core's domain in batches, as the impex
// job does with an uploaded file, without the file: the edge's full import
// is under test here, and parsing 200k lines under the race detector would
// take most of the test's time.
func importBig(t *testing.T, core reliableCore) {
	t.Helper()
	eff := oci.Value(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	const batch = 5000
	for from := 0; from < bigRecords; from += batch {
		us := make([]oci.RecordUpdate, 0, batch)
		for i := from; i < from+batch; i++ {
			id := "big-" + strconv.Itoa(i)
			us = append(us, oci.RecordUpdate{ID: id, Location: "wh-a", SKU: id, OnHand: oci.Value(oci.Qty(i%50+1) * oci.Unit),
				EffectiveDate: eff})
		}
		res, err := core.node.Core.ApplyImport(us)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Outcome != oci.ImportApplied {
				t.Fatalf("import: %+v", r)
			}
		}
	}
}

// TestReliabilityKill9EdgeDuringFullImport: the core holds 200k records of
// the site's list; the edge process is SIGKILLed while its stream's full
// import of that list is part way (a seeded number of records cached),
// and started again on the same data directory. The streams resume by
// themselves, the import completes, the edge reaches Omnichannel Inventory
// mode, orders work, the cache converges and reconciliation finds nothing.
func TestReliabilityKill9EdgeDuringFullImport(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an edge process")
	}
	rng := rand.New(rand.NewPCG(2026, 200))
	killAt := int64(bigRecords/10 + rng.IntN(bigRecords/2))
	core := startCore(t)
	putGraph(t, core, graphWithAustin)
	start := time.Now()
	importBig(t, core)
	t.Logf("%d records imported at the core in %s", bigRecords, time.Since(start))
	setCoreStock(t, core, "wh-b", "sku-0", 100)

	dir := edgeDir(t, importConfig, core.node.URL())
	p := startEdgeProc(t, dir)
	e := remote{t: t, url: p.url}
	if r := e.setMode("OCI_CACHE_ENABLED"); r.status != 200 {
		t.Fatalf("mode: %d %s", r.status, r.body)
	}
	start = time.Now()
	var seen map[string]any
	eventually(t, 60*time.Second, "the full import part way", func() bool {
		seen = e.listStatus("online-us")
		if seen["imported"] == true {
			t.Fatalf("the full import completed before the kill: %v", seen)
		}
		return seen["itemsCached"].(float64) >= float64(killAt)
	})
	p.Kill()
	t.Logf("killed %s into the import, with %v of %d records cached (%v)", time.Since(start), seen["itemsCached"], bigRecords, seen["state"])

	p = startEdgeProc(t, dir)
	e = remote{t: t, url: p.url}
	start = time.Now()
	eventually(t, 60*time.Second, "the full import after the restart", func() bool { return e.listStatus("online-us")["imported"] == true })
	t.Logf("full import after the restart: %s", time.Since(start))
	e.toOCIMode(30 * time.Second)
	for range 3 {
		if r, err := e.checkout("sku-0", 2); err != nil || r.status != 200 {
			t.Fatalf("checkout: %v %d %s", err, r.status, r.body)
		}
	}
	rep := e.mustConverged()
	e.mustClean(10 * time.Second)
	core.mustInvariants(t)
	if got := e.listStatus("online-us")["itemsCached"].(float64); got != bigRecords+1 {
		t.Errorf("online-us caches %v records, want %d", got, bigRecords+1)
	}
	t.Logf("check-cache: %v records checked", rep["checked"])
}
