package ocapi

import (
	"encoding/json"
	"slices"
	"time"

	"ociedge/proxy/inventory"
)

// recordDoc is the OCAPI product_inventory_record document. There is no
// catalog at the edge, so product_name is never set.
type recordDoc struct {
	V                 string             `json:"_v,omitempty"`
	Type              string             `json:"_type"`
	Allocation        *allocationDoc     `json:"allocation,omitempty"`
	ATS               inventory.Quantity `json:"ats"`
	CreationDate      string             `json:"creation_date,omitempty"`
	InStockDate       string             `json:"in_stock_date,omitempty"`
	InventoryListID   string             `json:"inventory_list_id"`
	InventoryTurnover inventory.Quantity `json:"inventory_turnover"`
	LastModified      string             `json:"last_modified,omitempty"`
	Link              string             `json:"link"`
	PerpetualFlag     bool               `json:"perpetual_flag"`
	PreorderAlloc     inventory.Quantity `json:"pre_order_back_order_allocation"`
	PreorderHandling  string             `json:"pre_order_back_order_handling"`
	ProductID         string             `json:"product_id"`
	QuantityOnOrder   inventory.Quantity `json:"quantity_on_order"`
	StockLevel        inventory.Quantity `json:"stock_level"`
	// custom holds the c_ attributes, written after the fixed fields.
	custom map[string][]string
}

type allocationDoc struct {
	Type      string             `json:"_type"`
	Amount    inventory.Quantity `json:"amount"`
	ResetDate string             `json:"reset_date,omitempty"`
}

const ocapiTime = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(ocapiTime)
}

// newRecordDoc renders a document; ATS and stock level of a perpetual
// record show as 999999 (Quantity's JSON cap), as the storefront does.
func newRecordDoc(d inventory.Document, link string) recordDoc {
	doc := recordDoc{Type: "product_inventory_record", ATS: d.ATS, CreationDate: formatTime(d.Created),
		InStockDate: formatTime(d.InStockDate), InventoryListID: d.ListID, InventoryTurnover: d.Turnover,
		LastModified: formatTime(d.LastModified), Link: link, PerpetualFlag: d.Perpetual,
		PreorderAlloc: d.PreorderBackorderAllocation, PreorderHandling: d.Handling.String(),
		ProductID: d.ProductID, QuantityOnOrder: d.OnOrder, StockLevel: d.StockLevel, custom: d.Custom}
	if d.AllocationSet {
		doc.Allocation = &allocationDoc{Type: "product_inventory_record_allocation", Amount: d.Allocation,
			ResetDate: formatTime(d.AllocationResetDate)}
	}
	return doc
}

// plainRecordDoc is recordDoc without its MarshalJSON method.
type plainRecordDoc recordDoc

// MarshalJSON writes the fixed fields, then c_<id> for each custom
// attribute (a string, or an array when it has several values).
func (d recordDoc) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(plainRecordDoc(d))
	if err != nil || len(d.custom) == 0 {
		return b, err
	}
	b = b[:len(b)-1]
	keys := make([]string, 0, len(d.custom))
	for k := range d.custom {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		var v any = d.custom[k]
		if vals := d.custom[k]; len(vals) == 1 {
			v = vals[0]
		}
		kb, _ := json.Marshal("c_" + k)
		vb, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		b = append(append(append(append(b, ','), kb...), ':'), vb...)
	}
	return append(b, '}'), nil
}
