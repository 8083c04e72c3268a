package node_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"ociedge/oci"
	"ociedge/oci/client"
)

// The graph change under test removes the doomed locations D0..D7 and all
// their records, and shrinks group GD to K3, while reservations go on at
// the kept places.
const doomed, doomedSKUs = 8, 1500

// graphWith returns K1..K3 (in group GK) plus the doomed locations if
// withDoomed, and group GD of the given members.
func graphWith(withDoomed bool, gd ...string) oci.Graph {
	g := oci.Graph{Locations: []oci.Location{{ID: "K1"}, {ID: "K2"}, {ID: "K3"}},
		Groups: []oci.Group{{ID: "GK", Locations: []string{"K1", "K2", "K3"}}}}
	if withDoomed {
		for d := range doomed {
			g.Locations = append(g.Locations, oci.Location{ID: fmt.Sprint("D", d)})
		}
	}
	return oci.Graph{Locations: g.Locations, Groups: append(g.Groups, oci.Group{ID: "GD", Locations: gd})}
}

func doomedIDs() []string {
	ids := make([]string, doomed)
	for d := range ids {
		ids[d] = fmt.Sprint("D", d)
	}
	return ids
}

var (
	graphA = graphWith(true, doomedIDs()...)               // the start
	graphB = graphWith(true, append(doomedIDs(), "K3")...) // the old graph of the killed change
	graphC = graphWith(false, "K3")                        // the new one: the doomed places gone
	kRecs  = 3 * len(burstSKUs)                            // records at K1..K3
	dRecs  = doomed * doomedSKUs                           // records at the doomed places
)

// graphKey is a graph as a comparable string: ids and members sorted.
func graphKey(g oci.Graph) string {
	var ls, gs []string
	for _, l := range g.Locations {
		ls = append(ls, l.ID)
	}
	for _, gr := range g.Groups {
		m := slices.Clone(gr.Locations)
		slices.Sort(m)
		gs = append(gs, gr.ID+"="+strings.Join(m, ","))
	}
	slices.Sort(ls)
	slices.Sort(gs)
	return strings.Join(ls, ",") + " | " + strings.Join(gs, " ")
}

// importDoomed gives every doomed location its own records; round makes
// the recordIds new, so that a re-import after a removal is applied.
func importDoomed(t *testing.T, c *client.Client, round int) {
	t.Helper()
	var b bytes.Buffer
	for s := range doomedSKUs {
		for d := range doomed {
			fmt.Fprintf(&b, `{"recordId":"d%d-%d-%d","locationId":"D%d","sku":"d-%d","onHand":5,"effectiveDate":"2026-01-01T00:00:00Z"}`+"\n", round, d, s, d, s)
		}
	}
	st, err := c.Import(bg(), &b, client.ImportOptions{})
	if err != nil || st.RecordsProcessed != int64(dRecs) {
		t.Fatalf("import of the doomed records: %+v %v", st, err)
	}
}

// recordCount is the number of availability records the core holds, from
// its admin page's data.
func recordCount(t *testing.T, base string) int {
	t.Helper()
	var d struct {
		Stats struct {
			Records int `json:"records"`
		} `json:"stats"`
	}
	if st := getJSON(t, base, "/admin?view=data", &d); st != 200 {
		t.Fatalf("admin data: status %d", st)
	}
	return d.Stats.Records
}

// TestKill9Process_DuringGraphChange: SIGKILL of the core process while a
// location-graph replace (removing places with thousands of records) is in
// flight, with reservations going on: after the restart the graph is
// wholly the old one with the removed places' records, or wholly the new
// one without them — the new one whenever the change was acknowledged —
// every acknowledged reservation is kept and the invariants hold. The three
// rounds kill at seeded moments in the first, the second and the third
// half of the time the change takes.
func TestKill9Process_DuringGraphChange(t *testing.T) {
	if testing.Short() {
		t.Skip("starts core processes")
	}
	rng := rand.New(rand.NewPCG(13, 1))
	dir := t.TempDir()
	p := startCore(t, dir)
	c := p.client(t, true)
	stock(t, c, graphA, []string{"K1", "K2", "K3"}, burstSKUs, 100000)
	importDoomed(t, c, 0)
	took := timedChange(t, c)
	for round := range 3 {
		// a seeded moment in the round's half of the change's duration:
		// early, late, or when the answer is due
		delay := time.Duration((float64(round) + rng.Float64()) / 2 * float64(took))
		p = killDuringGraphChange(t, p, dir, round, delay)
		if err := p.client(t, true).PutGraph(bg(), graphB); err != nil {
			t.Fatal(err)
		}
		if recordCount(t, p.url) != kRecs+dRecs {
			importDoomed(t, p.client(t, true), round+2)
		}
	}
}

// timedChange measures the change under test once, from B to C, and sets
// up B with the doomed records again.
func timedChange(t *testing.T, c *client.Client) time.Duration {
	t.Helper()
	if err := c.PutGraph(bg(), graphB); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := c.PutGraph(bg(), graphC); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	if err := c.PutGraph(bg(), graphB); err != nil {
		t.Fatal(err)
	}
	importDoomed(t, c, 1)
	t.Logf("the change takes %v unloaded", took)
	return took
}

// killDuringGraphChange replaces graph B by C on p while reserving, kills
// p after delay (or at once when the change is acknowledged first),
// restarts it and checks the outcome.
func killDuringGraphChange(t *testing.T, p *coreProc, dir string, round int, delay time.Duration) *coreProc {
	t.Helper()
	b := newBurst()
	places := []oci.Place{oci.Grp("GK"), oci.Loc("K1"), oci.Loc("K2"), oci.Loc("K3")}
	wg := b.run(p.client(t, false), uint64(round), fmt.Sprint("g", round), 8, places, burstSKUs)
	awaitCond(t, "reservations to flow", 30*time.Second, func() bool { return b.n.Load() >= 20 })
	acked := make(chan error, 1)
	go func() { acked <- p.client(t, false).PutGraph(bg(), graphC) }()
	var err error = fmt.Errorf("no answer before the kill")
	select {
	case err = <-acked:
	case <-time.After(delay):
	}
	p.Kill()
	b.stop.Store(true)
	wg.Wait()

	p = startCore(t, dir)
	c := p.client(t, true)
	g, _, gerr := c.Graph(bg())
	if gerr != nil {
		t.Fatal(gerr)
	}
	records := recordCount(t, p.url)
	switch key := graphKey(g); {
	case key == graphKey(graphC) && records == kRecs:
		t.Logf("round %d, killed after %v: the new graph (change acknowledged: %v)", round, delay, err == nil)
	case key == graphKey(graphB) && records == kRecs+dRecs && err != nil:
		t.Logf("round %d, killed after %v: the old graph", round, delay)
	default:
		t.Fatalf("round %d: graph %s with %d records after the restart (change answered: %v); want the old graph with %d records, or the new one with %d",
			round, key, records, err, kRecs+dRecs, kRecs)
	}
	b.check(t, c)
	mustInvariants(t, p.url)
	return p
}
