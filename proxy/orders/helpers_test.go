package orders

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/internal/clocktest"
	"ociedge/internal/kv"
	"ociedge/modes"
	"ociedge/oci"
	"ociedge/proxy/config"
	"ociedge/proxy/inventory"
	"ociedge/proxy/orders/coretest"
)

const (
	testOrg  = "f_ecom_zzzz_001"
	testSite = "RefArch"
)

// edgeYAML is the edge configuration of the tests: the site ships from the
// group "online" (wh-a, wh-b), the store "phoenix" is a location, "dis" is
// a default-in-stock list.
const edgeYAML = `
organizationId: f_ecom_zzzz_001
core:
  tenantGroupId: tenant1
  clientId: dev
  clientSecret: dev-secret
  timeout: 250ms
  retries: 2
  breaker:
    failures: 3
    openFor: 5s
admin:
  token: t
sites:
  - id: RefArch
    inventoryList: online
    failNonPlacedOrdersAfter: 30m
  - id: NoAutoFail
    inventoryList: online
stores:
  - id: store-phoenix
    inventoryList: phoenix
inventoryLists:
  - id: online
  - id: phoenix
  - id: dis
    defaultInStock: true
`

var testGraph = oci.Graph{
	Locations: []oci.Location{{ID: "wh-a"}, {ID: "wh-b"}, {ID: "phoenix"}, {ID: "dis"}},
	Groups:    []oci.Group{{ID: "online", Locations: []string{"wh-a", "wh-b"}}},
}

func testPlace(list string) (oci.Place, bool) {
	switch list {
	case "online":
		return oci.Grp("online"), true
	case "phoenix", "dis":
		return oci.Loc(list), true
	}
	return oci.Place{}, false
}

// fakeClock is a clock the test moves by hand.
type fakeClock = clocktest.Clock

func newClock() *fakeClock { return clocktest.New(clocktest.Noon) }

// modeVar is a mode the test switches.
type modeVar struct{ v atomic.Uint32 }

func (m *modeVar) Get() modes.Mode  { return modes.Mode(m.v.Load()) }
func (m *modeVar) Set(x modes.Mode) { m.v.Store(uint32(x)) }
func (m *modeVar) writable() error {
	if m.Get().LegacyWritesAllowed() {
		return nil
	}
	return inventory.ErrReadOnly()
}

// fixture is a core, the edge's inventory and the orders service with its
// HTTP handler on an in-memory listener.
type fixture struct {
	tb     testing.TB
	clock  *fakeClock
	mode   *modeVar
	edge   *config.Config
	core   *oci.Core
	faulty *coretest.Faulty
	kv     kv.Store
	inv    *inventory.Store
	svc    *Service
	h      *Handler
	client *fasthttp.Client
	opts   fixtureOpts
}

type fixtureOpts struct {
	mode    modes.Mode
	edgeDir string // "" : in-memory edge store
	coreDir string // "" : in-memory core store
	cfg     func(*Config)
}

func parseEdge() (*config.Config, error) {
	return config.Parse([]byte(edgeYAML), func(string) string { return "" })
}

func mustEdgeConfig(tb testing.TB) *config.Config {
	tb.Helper()
	c, err := parseEdge()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func newFixture(tb testing.TB, o fixtureOpts) *fixture {
	tb.Helper()
	f := &fixture{tb: tb, clock: newClock(), mode: &modeVar{}, edge: mustEdgeConfig(tb), opts: o}
	f.mode.Set(o.mode)
	f.openCore()
	f.openEdge()
	f.serve()
	tb.Cleanup(f.close)
	return f
}

func openStore(tb testing.TB, dir string) kv.Store {
	tb.Helper()
	if dir == "" {
		return kv.NewMem()
	}
	st, err := kv.OpenPebble(dir, kv.PebbleConfig{})
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

func (f *fixture) openCore() {
	st := openStore(f.tb, f.opts.coreDir)
	c, err := oci.Open(oci.Config{Store: st, Now: f.clock.Now, SweepInterval: time.Hour})
	if err != nil {
		f.tb.Fatal(err)
	}
	f.core = c
	f.tb.Cleanup(func() { c.Close(); st.Close() })
	if g, _ := c.Graph(); len(g.Locations) == 0 {
		if err := c.ReplaceGraph(testGraph); err != nil {
			f.tb.Fatal(err)
		}
	}
	f.faulty = &coretest.Faulty{Inner: coretest.Local{Core: c}}
}

// openEdge opens the edge store, its inventory and the service.
func (f *fixture) openEdge() {
	f.kv = openStore(f.tb, f.opts.edgeDir)
	inv, err := inventory.Open(inventory.Config{KV: f.kv, Now: f.clock.Now, Writable: f.mode.writable})
	if err != nil {
		f.tb.Fatal(err)
	}
	f.inv = inv
	for _, l := range []struct {
		id  string
		dis bool
	}{{"online", false}, {"phoenix", false}, {"dis", true}} {
		dis := l.dis
		if _, _, err := inv.PutList(inventory.ListChange{ID: l.id, DefaultInStock: &dis}); err != nil {
			f.tb.Fatal(err)
		}
	}
	cfg := Config{KV: f.kv, Edge: f.edge, Mode: f.mode.Get, Place: testPlace, Core: f.faulty,
		Inventory: inv, Now: f.clock.Now, JobInterval: -1, RetryBackoff: time.Millisecond}
	if f.opts.cfg != nil {
		f.opts.cfg(&cfg)
	}
	svc, err := Open(cfg)
	if err != nil {
		f.tb.Fatal(err)
	}
	f.svc, f.h = svc, NewHandler(svc)
}

func (f *fixture) closeEdge() {
	f.svc.Close()
	f.inv.Close()
	f.kv.Close()
}

// reopenEdge closes and reopens the edge (service, inventory, store) on
// the same directory, as after a restart; the core keeps running.
func (f *fixture) reopenEdge() {
	f.tb.Helper()
	if f.opts.edgeDir == "" {
		f.tb.Fatal("BUG: reopenEdge needs an edge directory")
	}
	f.closeEdge()
	f.openEdge()
}

func (f *fixture) close() { f.closeEdge() }

// stock sets onHand of sku at a core location (units).
func (f *fixture) stock(loc, sku string, units int64) {
	f.tb.Helper()
	u := oci.RecordUpdate{ID: fmt.Sprintf("set-%s-%s-%d-%d", loc, sku, units, time.Now().UnixNano()),
		Location: loc, SKU: sku, OnHand: oci.Value(oci.Qty(units) * oci.Unit)}
	if errs, err := f.core.BatchUpdate([]oci.RecordUpdate{u}); err != nil || len(errs) > 0 {
		f.tb.Fatalf("stock %s/%s: %v %v", loc, sku, err, errs)
	}
}

// allocate sets the B2C allocation of sku in a list (units).
func (f *fixture) allocate(list, sku string, units int64) {
	f.tb.Helper()
	q := inventory.Units(units)
	m := f.mode.Get()
	f.mode.Set(modes.CommercePlatform) // records are read-only in OCI mode
	defer f.mode.Set(m)
	if _, _, err := f.inv.PutRecord(list, inventory.RecordChange{ProductID: sku, Allocation: &q}); err != nil {
		f.tb.Fatalf("allocate %s/%s: %v", list, sku, err)
	}
}

// ato returns the core's ATO of sku at a place (units).
func (f *fixture) ato(p oci.Place, sku string) int64 {
	return int64(f.values(p, sku).ATO / oci.Unit)
}

func (f *fixture) values(p oci.Place, sku string) oci.Values {
	f.tb.Helper()
	q := &oci.AvailabilityQuery{SKUs: []string{sku}}
	if p.Type == oci.PlaceGroup {
		q.Groups = []string{p.ID}
	} else {
		q.Locations = []string{p.ID}
	}
	a, err := f.core.GetAvailability(q)
	if err != nil {
		f.tb.Fatal(err)
	}
	if p.Type == oci.PlaceGroup {
		return a.Groups[0].Records[0]
	}
	return a.Locations[0].Records[0]
}

// mustHealthy checks the core's invariants and that nothing is overcommitted.
func (f *fixture) mustHealthy() {
	f.tb.Helper()
	if v := f.core.CheckInvariants(); len(v) > 0 {
		f.tb.Fatalf("core invariants broken: %+v", v)
	}
	if o := f.core.Overcommitted(); len(o) > 0 {
		f.tb.Fatalf("core overcommitted: %+v", o)
	}
}

// record returns the B2C record of sku in a list.
func (f *fixture) record(list, sku string) inventory.Record {
	f.tb.Helper()
	r, err := f.inv.Get(list, sku)
	if err != nil {
		f.tb.Fatal(err)
	}
	return r
}

// mustBasket creates a basket through the service.
func (f *fixture) mustBasket(items ...ItemInput) *Basket {
	f.tb.Helper()
	b, err := f.svc.CreateBasket(testSite, items)
	if err != nil {
		f.tb.Fatal(err)
	}
	return b
}

func item(sku string, q int64) ItemInput { return ItemInput{ProductID: sku, Quantity: q} }

func bopis(sku string, q int64, list string) ItemInput {
	return ItemInput{ProductID: sku, Quantity: q, InventoryID: list}
}

// mustOrder creates an order from a basket through the service.
func (f *fixture) mustOrder(basketID string) *Order {
	f.tb.Helper()
	o, err := f.svc.CreateOrder(context.Background(), testSite, basketID)
	if err != nil {
		f.tb.Fatalf("create order: %v", err)
	}
	return o
}

func (f *fixture) mustReserve(basketID string, opt ReserveOptions) *Basket {
	f.tb.Helper()
	b, _, err := f.svc.ReserveBasket(context.Background(), testSite, basketID, opt)
	if err != nil {
		f.tb.Fatalf("reserve basket: %v", err)
	}
	return b
}

// heldBy returns the units a core document holds (0 if it is not open).
func (f *fixture) heldBy(docID string) int64 {
	v, ok := f.core.Reservation(docID)
	if !ok || v.State != oci.StateOpen {
		return 0
	}
	var t oci.Qty
	for _, ps := range [][]oci.PlaceHolding{v.Locations, v.Groups} {
		for _, p := range ps {
			for _, it := range p.Items {
				t += it.Quantity
			}
		}
	}
	return int64(t / oci.Unit)
}

func (f *fixture) order(no string) *Order {
	f.tb.Helper()
	o, err := f.svc.Order(testSite, no)
	if err != nil {
		f.tb.Fatal(err)
	}
	return o
}

func decodeJSON(tb testing.TB, b []byte, v any) {
	tb.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		tb.Fatalf("decode %s: %v", b, err)
	}
}
