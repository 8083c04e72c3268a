package inventory

import (
	"testing"
	"time"
)

func TestFormulas(t *testing.T) {
	tests := []struct {
		name       string
		r          Record
		ats, stock Quantity
	}{
		{"allocation only", Record{AllocationSet: true, Allocation: Units(10)}, Units(10), Units(10)},
		{"turnover", Record{AllocationSet: true, Allocation: Units(10), Turnover: Units(3)}, Units(7), Units(7)},
		{"on order", Record{AllocationSet: true, Allocation: Units(10), Turnover: Units(3), OnOrder: Units(2)}, Units(5), Units(5)},
		{"oversold clamps at 0", Record{AllocationSet: true, Allocation: Units(2), Turnover: Units(5)}, 0, 0},
		{"negative turnover raises", Record{AllocationSet: true, Allocation: Units(2), Turnover: Units(-1)}, Units(3), Units(3)},
		{"backorder counts pboa", Record{AllocationSet: true, Allocation: Units(10), Turnover: Units(3),
			Handling: HandlingBackorder, PreorderBackorderAllocation: Units(5)}, Units(12), Units(7)},
		{"preorder counts pboa", Record{AllocationSet: true, Allocation: Units(0),
			Handling: HandlingPreorder, PreorderBackorderAllocation: Units(5)}, Units(5), 0},
		{"handling none ignores pboa", Record{AllocationSet: true, Allocation: Units(10),
			PreorderBackorderAllocation: Units(5)}, Units(10), Units(10)},
		{"turnover eats into pboa", Record{AllocationSet: true, Allocation: Units(4), Turnover: Units(6),
			Handling: HandlingBackorder, PreorderBackorderAllocation: Units(5)}, Units(3), 0},
		{"decimals", Record{AllocationSet: true, Allocation: q("2.5"), Turnover: q("0.75")}, q("1.75"), q("1.75")},
		{"perpetual", Record{Perpetual: true, AllocationSet: true, Allocation: Units(1), Turnover: Units(9)}, Infinite, Infinite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.ATS(); got != tt.ats {
				t.Errorf("ATS = %s, want %s", got, tt.ats)
			}
			if got := tt.r.StockLevel(); got != tt.stock {
				t.Errorf("StockLevel = %s, want %s", got, tt.stock)
			}
		})
	}
}

func TestAvailabilityRules(t *testing.T) {
	stocked := &List{ID: "l", DefaultInStock: true}
	plain := &List{ID: "l"}
	rec := &Record{AllocationSet: true, Allocation: Units(5), Turnover: Units(2),
		Handling: HandlingBackorder, PreorderBackorderAllocation: Units(4)} // stock 3, ATS 7
	tests := []struct {
		name              string
		list              *List
		r                 *Record
		q                 Quantity
		inStock, orderble bool
		levels            Levels
	}{
		{"no record, default in stock", stocked, nil, Units(100), true, true, Levels{InStock: Units(100)}},
		{"no record, not default in stock", plain, nil, Units(1), false, false, Levels{NotAvailable: Unit}},
		{"no allocation, not perpetual", plain, &Record{}, Units(1), false, false, Levels{NotAvailable: Unit}},
		{"no allocation, perpetual", plain, &Record{Perpetual: true}, Units(9), true, true, Levels{InStock: Units(9)}},
		{"within stock", plain, rec, Units(3), true, true, Levels{InStock: Units(3)}},
		{"into backorder", plain, rec, Units(5), false, true, Levels{InStock: Units(3), Backorder: Units(2)}},
		{"beyond ATS", plain, rec, Units(9), false, false, Levels{InStock: Units(3), Backorder: Units(4), NotAvailable: Units(2)}},
		{"q 0 counts as 1", plain, &Record{AllocationSet: true}, 0, false, false, Levels{NotAvailable: Unit}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsInStock(tt.list, tt.r, tt.q); got != tt.inStock {
				t.Errorf("IsInStock = %v", got)
			}
			if got := IsOrderable(tt.list, tt.r, tt.q); got != tt.orderble {
				t.Errorf("IsOrderable = %v", got)
			}
			if got := LevelsOf(tt.list, tt.r, tt.q); got != tt.levels {
				t.Errorf("LevelsOf = %+v, want %+v", got, tt.levels)
			}
		})
	}
}

func TestPreorderLevels(t *testing.T) {
	r := &Record{AllocationSet: true, Allocation: Units(1), Handling: HandlingPreorder, PreorderBackorderAllocation: Units(2)}
	got := LevelsOf(&List{}, r, Units(4))
	want := Levels{InStock: Unit, Preorder: Units(2), NotAvailable: Unit}
	if got != want {
		t.Errorf("LevelsOf = %+v, want %+v", got, want)
	}
	if !r.Preorderable() || r.Backorderable() {
		t.Error("preorder handling flags wrong")
	}
}

func TestAvailabilityRatio(t *testing.T) {
	r := &Record{AllocationSet: true, Allocation: Units(100), Turnover: Units(30)}
	if got := AvailabilityRatio(&List{}, r); got != 0.7 {
		t.Errorf("ratio = %v, want 0.7", got)
	}
	if got := AvailabilityRatio(&List{DefaultInStock: true}, nil); got != 1 {
		t.Errorf("default in stock ratio = %v", got)
	}
	if got := AvailabilityRatio(&List{}, &Record{Perpetual: true}); got != 1 {
		t.Errorf("perpetual ratio = %v", got)
	}
}

// TestFromOCIWorkedExample is reference §3.2: On Hand 10, futures 2, safety
// stock 1, reserved 5 → ATF/stock level 4, ATO/ATS 6.
func TestFromOCIWorkedExample(t *testing.T) {
	d1 := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	d0 := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	eff := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	v := OCIValues{OnHand: Units(10), SafetyStock: Units(1), Reserved: Units(5), ATF: Units(4), ATO: Units(6),
		Futures: []Future{{Units(1), d1}, {Units(1), d0}}, EffectiveDate: eff}
	d := FromOCI("online", "sku-1", v)
	want := Record{ListID: "online", ProductID: "sku-1", AllocationSet: true, Allocation: Units(9),
		AllocationResetDate: eff, Turnover: Units(5), Handling: HandlingBackorder,
		PreorderBackorderAllocation: Units(2), InStockDate: d0}
	if d.Record.Custom != nil || d.Record.ListID != want.ListID || d.Allocation != want.Allocation ||
		!d.AllocationResetDate.Equal(eff) || d.Turnover != want.Turnover || d.Handling != want.Handling ||
		d.PreorderBackorderAllocation != want.PreorderBackorderAllocation || !d.InStockDate.Equal(d0) ||
		d.Perpetual || d.OnOrder != 0 {
		t.Errorf("FromOCI = %+v, want %+v", d.Record, want)
	}
	if d.StockLevel != Units(4) || d.ATS != Units(6) || !d.FromOCI {
		t.Errorf("stock level %s ats %s, want 4 and 6", d.StockLevel, d.ATS)
	}
	// The classic formulas over the mapped record reproduce ATF and ATO.
	if d.Record.StockLevel() != v.ATF || d.Record.ATS() != v.ATO {
		t.Errorf("classic formulas give %s/%s, want ATF %s ATO %s", d.Record.StockLevel(), d.Record.ATS(), v.ATF, v.ATO)
	}
}

func TestFromOCIWithoutFutures(t *testing.T) {
	d := FromOCI("l", "p", OCIValues{OnHand: Units(1), SafetyStock: Units(3), ATF: 0, ATO: 0})
	if d.Handling != HandlingNone || !d.InStockDate.IsZero() || d.PreorderBackorderAllocation != 0 {
		t.Errorf("no futures should map to handling none: %+v", d.Record)
	}
	if d.Allocation != 0 {
		t.Errorf("safety stock above on hand: allocation %s, want 0", d.Allocation)
	}
}
