package inventory

import "time"

// Future is an expected restock in OCI.
type Future struct {
	Quantity     Quantity
	ExpectedDate time.Time
}

// OCIValues are the OCI availability values of one (list, sku) as the cache
// holds them; the cache package converts its entries to this shape.
type OCIValues struct {
	OnHand, SafetyStock, Reserved Quantity
	ATF, ATO                      Quantity
	Futures                       []Future
	EffectiveDate                 time.Time // zero: none
}

// Document is a record as the B2C record document shows it: the stored (or
// mapped) fields plus the derived ATS and stock level.
type Document struct {
	Record
	ATS, StockLevel Quantity // Infinite when perpetual
	// FromOCI is true when the values are OCI cache values in B2C terms.
	FromOCI bool
}

// Document returns the record with its derived values.
func (r *Record) Document() Document {
	return Document{Record: *r, ATS: r.ATS(), StockLevel: r.StockLevel()}
}

// FromOCI maps OCI values to the B2C record document, as B2C shows a record
// in Omnichannel Inventory mode (reference §3.2, §3.3):
//
//	allocation                  = onHand − safetyStock (clamped at 0)
//	allocationResetDate         = effectiveDate
//	preorderBackorderAllocation = Σ futures
//	inStockDate                 = the earliest future's expected date
//	handling                    = backorder iff there is a future, else none
//	perpetual                   = false
//	turnover                    = reserved
//	onOrder                     = 0
//	ats                         = ATO, stockLevel = ATF
//
// Allocation is on hand minus safety stock although the Script API says
// "corresponds to the On Hand quantity" (reference §8.1): the help's
// terminology table, its 10 − 2 = 8 example and the troubleshooting page all
// say "minus safety stock", and only that reading makes the classic formulas
// over the mapped record reproduce ATF and ATO. Safety stock is never shown
// to B2C, so subtracting it here is what a merchant sees in Business Manager.
func FromOCI(listID, productID string, v OCIValues) Document {
	r := Record{
		ListID:              listID,
		ProductID:           productID,
		AllocationSet:       true,
		Allocation:          clamp0(v.OnHand - v.SafetyStock),
		AllocationResetDate: v.EffectiveDate,
		Turnover:            v.Reserved,
	}
	for _, f := range v.Futures {
		r.PreorderBackorderAllocation += f.Quantity
		if r.InStockDate.IsZero() || f.ExpectedDate.Before(r.InStockDate) {
			r.InStockDate = f.ExpectedDate
		}
	}
	if len(v.Futures) > 0 {
		r.Handling = HandlingBackorder
	}
	return Document{Record: r, ATS: v.ATO, StockLevel: v.ATF, FromOCI: true}
}
