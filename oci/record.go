package oci

import (
	"sort"
	"time"
)

// Future is a quantity expected to arrive at a location on a date.
type Future struct {
	Quantity     Qty       `json:"quantity"`
	ExpectedDate time.Time `json:"expectedDate"`
}

// Values are the availability numbers of one sku at one place, as the API
// reports them. For a location they come straight from its record; for a
// group they are sums over the members plus the group's reservations.
type Values struct {
	SKU            string
	OnHand         Qty
	SafetyStock    Qty
	Reserved       Qty
	ATF            Qty
	ATO            Qty
	EffectiveDate  time.Time // zero when unknown
	Futures        []Future  // sorted by expectedDate
	GroupReserved  Qty       // groups only: reservations held at the group itself
	SharedReserved Qty       // groups only: what other groups' promises take from its locations
	Exists         bool      // a record exists (false: zero values for an unknown sku)
}

// FuturesTotal is Σ futures[].quantity.
func (v *Values) FuturesTotal() Qty {
	var t Qty
	for _, f := range v.Futures {
		t += f.Quantity
	}
	return t
}

// locRecord is what the core stores per (location, sku). Reserved is not
// stored: it is the sum of the open holds at the location, kept alongside
// for speed (see skuState).
type locRecord struct {
	place     placeIdx
	exists    bool // onHand/safety/futures were set and not deleted
	onHand    Qty
	safety    Qty
	effective int64 // unix nanoseconds; 0 = none
	futures   []Future
	reserved  Qty // Σ open holds at this location (derived, never persisted)
}

func (r *locRecord) futuresTotal() Qty {
	var t Qty
	for _, f := range r.futures {
		t += f.Quantity
	}
	return t
}

// onHandFree is what is left of onHand after safety stock and location
// reservations: the location's ATF before clamping.
func (r *locRecord) onHandFree() Qty { return r.onHand - r.safety - r.reserved }

// atf and ato are the documented formulas, clamped at 0 (reference §2.3).
func (r *locRecord) atf() Qty { return maxQty(0, r.onHandFree()) }
func (r *locRecord) ato() Qty { return maxQty(0, r.onHandFree()+r.futuresTotal()) }

func (r *locRecord) values(sku string) Values {
	v := Values{
		SKU: sku, OnHand: r.onHand, SafetyStock: r.safety, Reserved: r.reserved,
		ATF: r.atf(), ATO: r.ato(), Futures: append([]Future(nil), r.futures...),
		Exists: r.exists,
	}
	if r.effective != 0 {
		v.EffectiveDate = time.Unix(0, r.effective).UTC()
	}
	return v
}

// empty reports whether the record can be dropped: nothing set, nothing held.
func (r *locRecord) empty() bool { return !r.exists && r.reserved == 0 }

// mergeFutures adds src into dst, summing quantities with the same
// expectedDate, and keeps dst sorted by date (group futures, reference §2.3).
func mergeFutures(dst []Future, src []Future) []Future {
	for _, f := range src {
		i := sort.Search(len(dst), func(i int) bool { return !dst[i].ExpectedDate.Before(f.ExpectedDate) })
		if i < len(dst) && dst[i].ExpectedDate.Equal(f.ExpectedDate) {
			dst[i].Quantity += f.Quantity
			continue
		}
		dst = append(dst, Future{})
		copy(dst[i+1:], dst[i:])
		dst[i] = f
	}
	return dst
}

func sortFutures(fs []Future) {
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].ExpectedDate.Before(fs[j].ExpectedDate) })
}

func unixTime(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns).UTC()
}
