package cache

import (
	"time"

	"ociedge/oci"
)

// Value is what the cache holds for one (inventory list, sku): the numbers
// a storefront needs, as fixed-size integers with no pointers, so that a
// million of them are one flat allocation the garbage collector never
// scans. It does not hold the sku. The zero Value is "no record".
//
// Values are plain data, safe to copy and to share.
type Value struct {
	OnHand      oci.Qty
	Reserved    oci.Qty
	SafetyStock oci.Qty
	ATF         oci.Qty // max(0, onHand − reserved − safety stock)
	ATO         oci.Qty // max(0, onHand + Σfutures − reserved − safety stock)
	Futures     oci.Qty // Σ futures[].quantity (B2C's backorder allocation)
	// InStock is the earliest future's expectedDate and Effective the
	// effectiveDate, in unix seconds (0: none). Seconds in 32 bits keep
	// the value at 72 bytes; they last until 2106.
	InStock   uint32
	Effective uint32

	version uint64 // stream write order; 0 = fetched on a miss (fallback)
	gen     uint32 // the list's full-import generation it was written in
	list    ListID // the list it belongs to (evictions are attributed by it)
	// Exists is the core's "exists": onHand, safety stock or futures were
	// set. A record can exist only through its reservations (false here).
	Exists   bool
	noRecord bool // the core has no record: a Delete delta, or an unknown sku
}

// NoRecord reports whether the core has no record of the sku at the list's
// place (it was deleted, or never created). The storefront then applies
// the list's default-in-stock flag.
func (v Value) NoRecord() bool { return v.noRecord }

// Backorderable reports whether any future quantity is expected.
func (v Value) Backorderable() bool { return v.Futures > 0 }

// EffectiveDate is the record's effectiveDate, zero when unknown.
func (v Value) EffectiveDate() time.Time { return unixTime(v.Effective) }

// InStockDate is the earliest future's expectedDate, zero when none.
func (v Value) InStockDate() time.Time { return unixTime(v.InStock) }

// live reports whether the value counts as a cached record (Items Cached).
// A record exists or holds reservations (valueOf makes anything else "no
// record"), so a zero Value — which ristretto hands to a callback for a key
// it no longer stores — never counts.
func (v *Value) live() bool { return !v.noRecord && (v.Exists || v.Reserved != 0) }

// valueOf converts the core's values of one sku at one place. A sku without
// a record and without reservations is "no record", as the core's own
// Delete deltas say.
func valueOf(v *oci.Values) Value {
	out := Value{
		OnHand: v.OnHand, Reserved: v.Reserved, SafetyStock: v.SafetyStock,
		ATF: v.ATF, ATO: v.ATO, Futures: v.FuturesTotal(), Exists: v.Exists,
		noRecord: !v.Exists && v.Reserved == 0,
	}
	out.Effective = unixSeconds(v.EffectiveDate)
	for _, f := range v.Futures {
		if s := unixSeconds(f.ExpectedDate); out.InStock == 0 || s < out.InStock {
			out.InStock = s
		}
	}
	return out
}

// tombstone is the value of a record the core deleted.
func tombstone() Value { return Value{noRecord: true} }

// unixSeconds is t in unix seconds, 0 for the zero time (and for times
// outside 1970–2106, which the core does not produce).
func unixSeconds(t time.Time) uint32 {
	s := t.Unix()
	if t.IsZero() || s <= 0 || s > 1<<32-1 {
		return 0
	}
	return uint32(s)
}

func unixTime(s uint32) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(int64(s), 0).UTC()
}

// valueSize is what one Value costs in ristretto's store, 72 bytes; a test
// keeps it from growing by accident.
const valueSize = 72
