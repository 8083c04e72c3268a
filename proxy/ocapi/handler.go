// Package ocapi serves the edge's B2C inventory over the OCAPI Data API
// routes B2C exposes for product inventory records, plus the admin route of
// the B2C inventory-list XML import. It is transport only: every rule lives
// in proxy/inventory.
//
// Routes (Handle answers them and reports false for every other path):
//
//	GET    /s/-/dw/data/v{major}_{minor}/inventory_lists/{id}/product_inventory_records?start&count&select
//	GET    /s/-/dw/data/v{major}_{minor}/inventory_lists/{id}/product_inventory_records/{product_id}
//	PUT    (same)   create or replace: 201 created, 200 replaced
//	PATCH  (same)   update the given fields: 200
//	DELETE (same)   204
//	POST   /admin/api/inventory/import   B2C inventory XML (application/xml or text/xml) → JSON report
//
// Errors of the OCAPI routes are OCAPI faults
// {"_v":"25.6","fault":{"type":…,"message":…,"arguments":{…}}}; errors of the
// admin route are application/problem+json. One table (faults.go) maps error
// codes to statuses. In Omnichannel Inventory mode every record write is
// refused with 409 InventoryRecordReadOnlyException (409 rather than 403:
// the request is well authorised but conflicts with the instance's current
// mode, and succeeds again after a deactivation), and reads show the OCI
// cache values in B2C terms.
//
// Large imports: the fasthttp server must set StreamRequestBody, or it reads
// the whole body into memory (and refuses bodies above its
// MaxRequestBodySize) before the handler runs.
package ocapi

import (
	"bytes"
	"errors"
	"time"

	"github.com/valyala/fasthttp"
	"go.uber.org/zap"

	"ociedge/proxy/inventory"
	"ociedge/proxy/inventory/xmlimport"
)

// OCIReader gives the OCI cache values of a product in an inventory list.
type OCIReader interface {
	Lookup(listID, productID string) (inventory.OCIValues, bool)
}

// OCILister is an OCIReader that can also page the product ids cached for
// a list. Without it, the record collection in OCI mode pages over the
// edge's own record ids and leaves out those the cache does not hold.
type OCILister interface {
	OCIReader
	ProductIDs(listID string, start, count int) (ids []string, total int)
}

// Config configures a Handler. Only Store is required.
type Config struct {
	Store *inventory.Store
	// Importer imports XML; nil means one with xmlimport's defaults.
	Importer *xmlimport.Importer
	// ReadsFromOCI reports whether reads show OCI values (Omnichannel
	// Inventory mode). nil means never. OCI is required when it is set.
	ReadsFromOCI func() bool
	OCI          OCIReader
	// Authorize reports whether a request may proceed; when it returns
	// false the handler answers 401. nil allows every request (the edge
	// wires its admin token check here).
	Authorize func(ctx *fasthttp.RequestCtx) bool
	// Logger gets throttled warnings of refused writes. nil means none.
	Logger *zap.Logger
	// Now is the clock of log throttling. nil means time.Now.
	Now func() time.Time
	// MaxDocumentBytes caps a JSON body. 0 means 1 MiB.
	MaxDocumentBytes int
	// MaxImportBytes caps an XML import body. 0 means 1 GiB.
	MaxImportBytes int64
}

// Handler serves the routes. It is safe for concurrent use.
type Handler struct {
	cfg      Config
	store    *inventory.Store
	importer *xmlimport.Importer
	log      *zap.Logger
	warnings *throttle
}

// New checks cfg and returns a Handler.
func New(cfg Config) (*Handler, error) {
	if cfg.Store == nil {
		return nil, errors.New("ocapi: Config.Store is required")
	}
	if cfg.ReadsFromOCI != nil && cfg.OCI == nil {
		return nil, errors.New("ocapi: Config.OCI is required when Config.ReadsFromOCI is set")
	}
	if cfg.ReadsFromOCI == nil {
		cfg.ReadsFromOCI = func() bool { return false }
	}
	if cfg.Authorize == nil {
		cfg.Authorize = func(*fasthttp.RequestCtx) bool { return true }
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxDocumentBytes <= 0 {
		cfg.MaxDocumentBytes = 1 << 20
	}
	if cfg.MaxImportBytes <= 0 {
		cfg.MaxImportBytes = 1 << 30
	}
	im := cfg.Importer
	if im == nil {
		var err error
		if im, err = xmlimport.New(xmlimport.Config{Store: cfg.Store, Logger: cfg.Logger}); err != nil {
			return nil, err
		}
	}
	return &Handler{cfg: cfg, store: cfg.Store, importer: im, log: cfg.Logger,
		warnings: &throttle{now: cfg.Now, every: 10 * time.Second}}, nil
}

// ImportPath is the admin route of the XML import.
const ImportPath = "/admin/api/inventory/import"

// Handle serves the request if its path is one of the package's routes and
// reports whether it did. Nothing of ctx outlives the call.
func (h *Handler) Handle(ctx *fasthttp.RequestCtx) bool {
	path := ctx.URI().PathOriginal()
	if string(path) == ImportPath {
		h.serveImport(ctx)
		return true
	}
	if !bytes.HasPrefix(path, []byte(dataPrefix)) {
		return false
	}
	rt, ok := parseRoute(string(path))
	if !ok {
		return false
	}
	if !h.cfg.Authorize(ctx) {
		h.fault(ctx, rt, errUnauthorized)
		return true
	}
	if rt.err != nil {
		h.fault(ctx, rt, rt.err)
		return true
	}
	if rt.hasProduct {
		h.serveRecord(ctx, rt)
	} else {
		h.serveCollection(ctx, rt)
	}
	return true
}
