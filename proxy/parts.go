package proxy

import (
	"context"
	"errors"
	"fmt"

	"go.uber.org/zap"

	"ociedge/cache"
	"ociedge/internal/kv"
	"ociedge/oci"
	"ociedge/oci/client"
	"ociedge/proxy/inventory"
	"ociedge/proxy/ocapi"
	"ociedge/proxy/orders"
)

var keyStreams = []byte("edge/streams-started")

// openInventory opens the edge's own inventory and makes sure every
// configured list exists with its default-in-stock flag.
func (e *Edge) openInventory() error {
	inv, err := inventory.Open(inventory.Config{KV: e.store, Now: e.now, Logger: e.log.Named("inventory"),
		Writable: e.legacyWritable})
	if err != nil {
		return err
	}
	e.inv = inv
	for _, l := range e.app.InventoryLists {
		cur, ok := inv.List(l.ID)
		if ok && cur.DefaultInStock == l.DefaultInStock {
			continue
		}
		dis := l.DefaultInStock
		if _, _, err := inv.PutList(inventory.ListChange{ID: l.ID, DefaultInStock: &dis}); err != nil {
			return fmt.Errorf("inventory list %s: %w", l.ID, err)
		}
	}
	return nil
}

// legacyWritable refuses writes to the edge's own records in OCI mode.
func (e *Edge) legacyWritable() error {
	if e.mode.Mode().LegacyWritesAllowed() {
		return nil
	}
	return inventory.ErrReadOnly()
}

func (e *Edge) openCache() error {
	c := e.app.Cache
	site := map[string]bool{}
	for _, id := range e.app.SiteListIDs() {
		site[id] = true
	}
	var lists []cache.List
	for _, l := range e.app.InventoryLists {
		lists = append(lists, cache.List{ID: l.ID, Site: site[l.ID]})
	}
	m := cache.NewMetrics()
	e.reg.MustRegister(m.Collectors()...)
	var core cache.Core = e.core
	if x, ok := e.core.(graphExporter); ok {
		core = graphViaExport{Core: e.core, x: x}
	}
	var err error
	e.cache, err = cache.New(cache.Config{Core: core, Lists: lists, MaxRecords: c.MaxRecords, NumCounters: c.Counters(),
		MissWait: c.MissWait, PollInterval: e.app.Streams.PollInterval, GraphPollInterval: e.app.Streams.GraphPollInterval,
		CombinedStreamWindow: c.CombinedStreamWindow, Now: e.now, Logger: e.log.Named("cache"), Metrics: m})
	return err
}

func (e *Edge) openOrders() error {
	m := orders.NewMetrics()
	e.reg.MustRegister(m.Collectors()...)
	jobs := e.cfg.JobInterval
	if jobs < 0 {
		jobs = -1
	}
	var err error
	e.orders, err = orders.Open(orders.Config{KV: e.store, Edge: e.app, Mode: e.mode.Mode, Place: e.place,
		Core: e.core, Inventory: e.inv, Transient: transient, Now: e.now, Logger: e.log.Named("orders"),
		Metrics: m, JobInterval: jobs})
	if err != nil {
		return err
	}
	e.ordersH = orders.NewHandler(e.orders)
	return nil
}

// graphExporter reads the location graph through the headless
// location-graph export (oci/client does).
type graphExporter interface {
	GraphExport(ctx context.Context) (oci.Graph, uint64, error)
}

// graphViaExport makes the streams learn the graph through the documented
// export (scope impex-graphs) rather than the core's own admin API, so the
// edge runs against any OCI tenant.
type graphViaExport struct {
	cache.Core
	x graphExporter
}

func (g graphViaExport) Graph(ctx context.Context) (oci.Graph, uint64, error) {
	return g.x.GraphExport(ctx)
}

// transient says a core error tells nothing about the request itself.
func transient(err error) bool { return client.Retryable(err) || orders.DefaultTransient(err) }

// place is where the core holds a list's inventory: its location or group.
// place maps an inventory list to its place in the core's graph for a
// reservation. Right after a start, before the streams fetched the graph,
// it waits for it (at most the cache's miss wait) instead of calling a
// mapped list unmapped and answering 503.
func (e *Edge) place(listID string) (oci.Place, bool) {
	return e.cache.PlaceWait(listID, e.app.Cache.MissWait)
}

func (e *Edge) openOCAPI() error {
	var err error
	e.ocapiH, err = ocapi.New(ocapi.Config{Store: e.inv, ReadsFromOCI: func() bool { return e.mode.Mode().AvailabilityFromCache() },
		OCI: ociReader{e}, Authorize: e.adminAuthorized, Logger: e.log.Named("ocapi"), Now: e.now})
	return err
}

// ociReader shows cached OCI values to the OCAPI routes in B2C terms.
type ociReader struct{ e *Edge }

func (r ociReader) Lookup(listID, productID string) (inventory.OCIValues, bool) {
	id, ok := r.e.cache.ListID(listID)
	if !ok {
		return inventory.OCIValues{}, false
	}
	v, st := r.e.cache.LookupString(id, productID)
	if st != cache.Hit {
		return inventory.OCIValues{}, false
	}
	return ociValues(v), true
}

func ociValues(v cache.Value) inventory.OCIValues {
	out := inventory.OCIValues{OnHand: inventory.Quantity(v.OnHand), SafetyStock: inventory.Quantity(v.SafetyStock),
		Reserved: inventory.Quantity(v.Reserved), ATF: inventory.Quantity(v.ATF), ATO: inventory.Quantity(v.ATO),
		EffectiveDate: v.EffectiveDate()}
	if v.Futures > 0 {
		out.Futures = []inventory.Future{{Quantity: inventory.Quantity(v.Futures), ExpectedDate: v.InStockDate()}}
	}
	return out
}

// resumeStreams starts the cache streams if they ever were: once the
// integration was activated they keep running, also after a deactivation,
// so that reactivating is quick (DESIGN §3.2).
func (e *Edge) resumeStreams() error {
	_, started, err := e.store.Get(keyStreams)
	if err != nil {
		return err
	}
	if started || e.mode.Mode().FillsCache() {
		return e.startStreams()
	}
	return nil
}

func (e *Edge) startStreams() error {
	if e.streams.Swap(true) {
		return nil
	}
	var b kv.Batch
	b.Set(keyStreams, []byte{1})
	if err := e.store.Write(&b); err != nil {
		e.streams.Store(false)
		return fmt.Errorf("cannot persist the stream state: %w", err)
	}
	e.cache.Start()
	e.log.Info("cache streams started")
	return nil
}

var errNoCache = errors.New("the OCI cache is not running")

var _ = zap.String
