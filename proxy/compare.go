package proxy

import (
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/cache"
	"ociedge/oci"
	"ociedge/proxy/inventory"
)

// Comparison is one list's view of a sku for the activation step "verify
// that availability data in B2C Commerce matches the data in Omnichannel
// Inventory": the cached OCI values beside the edge's own record.
type Comparison struct {
	List     string   `json:"list"`
	Cache    string   `json:"cache"` // hit, miss, stale, tombstone
	OCI      *ociView `json:"oci,omitempty"`
	OCIAsB2C *b2cView `json:"ociAsB2C,omitempty"`
	Internal *b2cView `json:"internal,omitempty"`
	Match    *bool    `json:"match,omitempty"` // ATS and stock level agree
}

type ociView struct {
	OnHand, Reserved, SafetyStock, ATF, ATO, Futures oci.Qty
	EarliestFuture, EffectiveDate                    *time.Time `json:",omitempty"`
}

type b2cView struct {
	Allocation                  string     `json:"allocation"`
	AllocationResetDate         *time.Time `json:"allocationResetDate,omitempty"`
	Turnover                    string     `json:"turnover"`
	PreorderBackorderAllocation string     `json:"preorderBackorderAllocation"`
	Handling                    string     `json:"preorderBackorderHandling"`
	InStockDate                 *time.Time `json:"inStockDate,omitempty"`
	Perpetual                   bool       `json:"perpetual"`
	ATS                         string     `json:"ats"`
	StockLevel                  string     `json:"stockLevel"`
}

func (e *Edge) compareHandler(ctx *fasthttp.RequestCtx) {
	sku := string(ctx.QueryArgs().Peek("sku"))
	if sku == "" || len(sku) > maxProductIDLen {
		e.scapiError(ctx, fasthttp.StatusBadRequest, "validation", "The query parameter 'sku' is required (1 to 100 characters).")
		return
	}
	writeJSONValue(ctx, fasthttp.StatusOK, map[string]any{"sku": sku, "lists": e.Compare(sku)})
}

// Compare returns every configured list's view of a sku.
func (e *Edge) Compare(sku string) []Comparison {
	var out []Comparison
	for _, l := range e.app.InventoryLists {
		c := Comparison{List: l.ID, Cache: "miss"}
		if id, ok := e.cache.ListID(l.ID); ok {
			v, st := e.cache.LookupString(id, sku)
			c.Cache = st.String()
			if st == cache.Hit || st == cache.Stale {
				c.OCI = newOCIView(v)
				doc := inventory.FromOCI(l.ID, sku, ociValues(v))
				c.OCIAsB2C = newB2CView(doc)
			}
		}
		if r, err := e.inv.Get(l.ID, sku); err == nil {
			c.Internal = newB2CView(r.Document())
		}
		if c.OCIAsB2C != nil && c.Internal != nil {
			m := c.OCIAsB2C.ATS == c.Internal.ATS && c.OCIAsB2C.StockLevel == c.Internal.StockLevel
			c.Match = &m
		}
		out = append(out, c)
	}
	return out
}

func newOCIView(v cache.Value) *ociView {
	o := &ociView{OnHand: v.OnHand, Reserved: v.Reserved, SafetyStock: v.SafetyStock, ATF: v.ATF, ATO: v.ATO, Futures: v.Futures}
	if t := v.InStockDate(); !t.IsZero() {
		o.EarliestFuture = &t
	}
	if t := v.EffectiveDate(); !t.IsZero() {
		o.EffectiveDate = &t
	}
	return o
}

func newB2CView(d inventory.Document) *b2cView {
	v := &b2cView{Allocation: d.Allocation.String(), Turnover: d.Turnover.String(),
		PreorderBackorderAllocation: d.PreorderBackorderAllocation.String(), Handling: d.Handling.String(),
		Perpetual: d.Perpetual, ATS: d.ATS.Cap(inventory.StorefrontCap).String(), StockLevel: d.StockLevel.Cap(inventory.StorefrontCap).String()}
	if !d.AllocationResetDate.IsZero() {
		t := d.AllocationResetDate
		v.AllocationResetDate = &t
	}
	if !d.InStockDate.IsZero() {
		t := d.InStockDate
		v.InStockDate = &t
	}
	return v
}
