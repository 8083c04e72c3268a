package inventory

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"
)

// keyspace builds the store keys (see the package doc for the layout).
type keyspace struct{ prefix string }

func (k keyspace) list(id string) []byte { return []byte(k.prefix + "l/" + id) }

func (k keyspace) record(list, product string) []byte {
	return []byte(k.prefix + "r/" + list + "\x00" + product)
}

func (k keyspace) usage(list, product string) []byte {
	return []byte(k.prefix + "u/" + list + "\x00" + product)
}

func (k keyspace) listRecords(list string) []byte { return []byte(k.prefix + "r/" + list + "\x00") }
func (k keyspace) listUsage(list string) []byte   { return []byte(k.prefix + "u/" + list + "\x00") }
func (k keyspace) reservation(id string) []byte   { return []byte(k.prefix + "o/" + id) }
func (k keyspace) hold(id string) []byte          { return []byte(k.prefix + "h/" + id) }

// listDoc is the stored form of a List.
type listDoc struct {
	ID             string    `json:"id"`
	Description    string    `json:"description,omitempty"`
	DefaultInStock bool      `json:"defaultInStock,omitempty"`
	BundleOnly     bool      `json:"useBundleInventoryOnly,omitempty"`
	OnOrder        bool      `json:"onOrderEnabled,omitempty"`
	Created        time.Time `json:"created"`
	Modified       time.Time `json:"modified"`
}

func encodeList(l *List) []byte {
	return mustJSON(listDoc{l.ID, l.Description, l.DefaultInStock, l.UseBundleInventoryOnly,
		l.OnOrderEnabled, l.Created, l.LastModified})
}

func decodeList(b []byte) (*List, error) {
	var d listDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, err
	}
	return &List{d.ID, d.Description, d.DefaultInStock, d.BundleOnly, d.OnOrder, d.Created, d.Modified}, nil
}

// recordDoc is the stored form of a Record; quantities in thousandths.
type recordDoc struct {
	List        string              `json:"list"`
	Product     string              `json:"product"`
	Allocation  *int64              `json:"allocation,omitempty"`
	ResetDate   *time.Time          `json:"resetDate,omitempty"`
	Turnover    int64               `json:"turnover,omitempty"`
	OnOrder     int64               `json:"onOrder,omitempty"`
	Perpetual   bool                `json:"perpetual,omitempty"`
	Handling    Handling            `json:"handling,omitempty"`
	PBOA        int64               `json:"pboa,omitempty"`
	InStockDate *time.Time          `json:"inStockDate,omitempty"`
	Created     time.Time           `json:"created"`
	Modified    time.Time           `json:"modified"`
	Custom      map[string][]string `json:"custom,omitempty"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func encodeRecord(r *Record) []byte {
	d := recordDoc{List: r.ListID, Product: r.ProductID, ResetDate: optTime(r.AllocationResetDate),
		Turnover: int64(r.Turnover), OnOrder: int64(r.OnOrder), Perpetual: r.Perpetual, Handling: r.Handling,
		PBOA: int64(r.PreorderBackorderAllocation), InStockDate: optTime(r.InStockDate),
		Created: r.Created, Modified: r.LastModified, Custom: r.Custom}
	if r.AllocationSet {
		a := int64(r.Allocation)
		d.Allocation = &a
	}
	return mustJSON(d)
}

func decodeRecord(b []byte) (*Record, error) {
	var d recordDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, err
	}
	r := &Record{ListID: d.List, ProductID: d.Product, Turnover: Quantity(d.Turnover),
		OnOrder: Quantity(d.OnOrder), Perpetual: d.Perpetual, Handling: d.Handling,
		PreorderBackorderAllocation: Quantity(d.PBOA), Created: d.Created, LastModified: d.Modified, Custom: d.Custom}
	if d.Allocation != nil {
		r.AllocationSet, r.Allocation = true, Quantity(*d.Allocation)
	}
	if d.ResetDate != nil {
		r.AllocationResetDate = *d.ResetDate
	}
	if d.InStockDate != nil {
		r.InStockDate = *d.InStockDate
	}
	if r.Handling > HandlingBackorder {
		return nil, fmt.Errorf("unknown handling %d", r.Handling)
	}
	return r, nil
}

func encodeUsage(unix int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(unix)) }

func decodeUsage(b []byte) (int64, error) {
	if len(b) != 8 {
		return 0, fmt.Errorf("usage value has %d bytes, want 8", len(b))
	}
	return int64(binary.BigEndian.Uint64(b)), nil
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("BUG: cannot encode " + fmt.Sprintf("%T", v) + ": " + err.Error())
	}
	return b
}
