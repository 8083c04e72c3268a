package inventory

import (
	"strings"
	"time"
)

// Handling is a record's pre-order/backorder handling.
type Handling uint8

const (
	HandlingNone Handling = iota
	HandlingPreorder
	HandlingBackorder
)

var handlingNames = [...]string{"none", "preorder", "backorder"}

// String returns none, preorder or backorder.
func (h Handling) String() string {
	if int(h) < len(handlingNames) {
		return handlingNames[h]
	}
	return "none"
}

// ParseHandling parses none, preorder or backorder, in any letter case (the
// XSD spells them in lower case, OCAPI's prose in upper case).
func ParseHandling(s string) (Handling, error) {
	for i, n := range handlingNames {
		if strings.EqualFold(s, n) {
			return Handling(i), nil
		}
	}
	return 0, invalid("handling", "must be one of none, preorder, backorder (got %q)", s)
}

// List is an inventory list. Values are immutable snapshots.
type List struct {
	ID                     string
	Description            string
	DefaultInStock         bool
	UseBundleInventoryOnly bool
	OnOrderEnabled         bool
	Created, LastModified  time.Time
}

// Record is a product inventory record with B2C semantics. Values returned
// by the Store are snapshots; Custom must not be modified.
type Record struct {
	ListID, ProductID string
	// AllocationSet is false for a record without allocation: then the
	// perpetual flag alone decides availability.
	AllocationSet       bool
	Allocation          Quantity
	AllocationResetDate time.Time // zero: none
	// Turnover is the sum of transactions since the allocation reset; it may
	// be negative (see the package doc).
	Turnover                    Quantity
	OnOrder                     Quantity // 0 unless the list has on-order inventory enabled
	Perpetual                   bool
	Handling                    Handling
	PreorderBackorderAllocation Quantity
	InStockDate                 time.Time // zero: none
	Created, LastModified       time.Time
	// Custom holds custom attributes: id -> values.
	Custom map[string][]string
}

// futureAllocation is the pre-order/backorder allocation that counts: only
// with preorder or backorder handling.
func (r *Record) futureAllocation() Quantity {
	if r.Handling == HandlingNone {
		return 0
	}
	return r.PreorderBackorderAllocation
}

// ATS is max(0, allocation + preorderBackorderAllocation − turnover − onOrder),
// Infinite for a perpetual record.
func (r *Record) ATS() Quantity {
	if r.Perpetual {
		return Infinite
	}
	return clamp0(r.Allocation + r.futureAllocation() - r.Turnover - r.OnOrder)
}

// StockLevel is max(0, allocation − turnover − onOrder), Infinite for a
// perpetual record.
func (r *Record) StockLevel() Quantity {
	if r.Perpetual {
		return Infinite
	}
	return clamp0(r.Allocation - r.Turnover - r.OnOrder)
}

// AvailableForShipping is max(0, allocation − turnover).
func (r *Record) AvailableForShipping() Quantity {
	if r.Perpetual {
		return Infinite
	}
	return clamp0(r.Allocation - r.Turnover)
}

// Backorderable reports whether the handling is backorder.
func (r *Record) Backorderable() bool { return r.Handling == HandlingBackorder }

// Preorderable reports whether the handling is preorder.
func (r *Record) Preorderable() bool { return r.Handling == HandlingPreorder }
