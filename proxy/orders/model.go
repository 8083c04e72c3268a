package orders

import (
	"slices"
	"strings"
	"time"

	"ociedge/oci"
)

// System names where a reservation is held.
type System string

// The two reservation systems.
const (
	SystemNone System = ""
	SystemOCI  System = "OCI" // the OCI core (Omnichannel Inventory mode)
	SystemB2C  System = "B2C" // the edge's own inventory (the other modes)
)

// Status is an order status (SCAPI Order.status).
type Status string

// Order statuses. An order is created by POST /orders, placed by moving it
// to new (or completed), failed only from created, cancelled only from new
// or completed.
const (
	StatusCreated   Status = "created"
	StatusNew       Status = "new"
	StatusCompleted Status = "completed"
	StatusCancelled Status = "cancelled"
	StatusFailed    Status = "failed"
)

// Valid reports whether s is one of the five statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusCreated, StatusNew, StatusCompleted, StatusCancelled, StatusFailed:
		return true
	}
	return false
}

// Item is a basket or order product item.
type Item struct {
	ItemID    string `json:"itemId"`
	ProductID string `json:"productId"`
	Quantity  int64  `json:"quantity"` // whole units, 1..MaxQuantity
	// InventoryID is the store inventory list of a BOPIS item; "" ships
	// from the site's list.
	InventoryID string `json:"inventoryId,omitempty"`
}

// MaxQuantity is the largest quantity of one item (SCAPI: up to 999).
const MaxQuantity = 999

// Line is one reserved (list, product) with its total quantity. In OCI mode
// Place is the location or group of the list at the time of reservation.
type Line struct {
	List      string `json:"list"`
	PlaceType string `json:"placeType,omitempty"` // "location" or "group" (OCI only)
	PlaceID   string `json:"placeId,omitempty"`
	SKU       string `json:"sku"`
	Quantity  int64  `json:"quantity"`
}

// key identifies a line: its list, its place at the core (OCI) and its sku.
func (l Line) key() string { return l.List + "\x00" + l.PlaceType + l.PlaceID + "\x00" + l.SKU }

func (l Line) place() oci.Place {
	if l.PlaceType == "group" {
		return oci.Grp(l.PlaceID)
	}
	return oci.Loc(l.PlaceID)
}

func sortLines(ls []Line) {
	slices.SortFunc(ls, func(a, b Line) int {
		if c := strings.Compare(a.List, b.List); c != 0 {
			return c
		}
		return strings.Compare(a.SKU, b.SKU)
	})
}

// unionLines returns a ∪ b by key, quantities ignored (taken from a, else b).
func unionLines(a, b []Line) []Line {
	seen := make(map[string]bool, len(a)+len(b))
	out := make([]Line, 0, len(a)+len(b))
	for _, set := range [][]Line{a, b} {
		for _, l := range set {
			if !seen[l.key()] {
				seen[l.key()] = true
				out = append(out, l)
			}
		}
	}
	sortLines(out)
	return out
}

// Basket is a shopper's basket. Values handed out are copies.
type Basket struct {
	ID       string    `json:"id"`
	SiteID   string    `json:"siteId"`
	Items    []Item    `json:"items"`
	Created  time.Time `json:"created"`
	Modified time.Time `json:"modified"`
	// Gens counts the reservation documents the basket has used.
	Gens int `json:"gens,omitempty"`
	// Res is the basket's inventory reservation, nil if none.
	Res *BasketRes `json:"res,omitempty"`
}

// BasketRes is a basket reservation (B2C Basket.reserveInventory).
type BasketRes struct {
	System System `json:"system"`
	// DocID is the core's reservation document (OCI).
	DocID string `json:"docId,omitempty"`
	// Lines is what the reservation holds, as last acknowledged.
	Lines []Line `json:"lines"`
	// Touched is every line ever sent for this reservation, so that a
	// replacement can set the ones no longer wanted to 0 (OCI) or release
	// their holds (B2C) even after an answer was lost.
	Touched []Line    `json:"touched,omitempty"`
	Expires time.Time `json:"expires"`
	// PendingPut is a PUT of DocID whose answer was lost; it is replayed
	// before the document is used again, so that it cannot land later.
	PendingPut *putIntent `json:"pendingPut,omitempty"`
}

// putIntent is enough to rebuild a basket document's PUT byte for byte.
type putIntent struct {
	Lines []Line `json:"lines"`
	Secs  int    `json:"secs"`
}

// Live reports whether the reservation has not expired at now.
func (r *BasketRes) Live(now time.Time) bool { return r != nil && now.Before(r.Expires) }

// ResState is where an order's reservation stands.
type ResState string

// Reservation states. reserving and releasing are intents: work that an
// interrupted process leaves to the job.
const (
	ResNone      ResState = ""
	ResReserving ResState = "reserving"
	ResHeld      ResState = "held"
	ResReleasing ResState = "releasing"
	ResReleased  ResState = "released"
)

// Order is an order. Values handed out are copies.
type Order struct {
	No       string    `json:"no"`
	SiteID   string    `json:"siteId"`
	BasketID string    `json:"basketId"`
	Status   Status    `json:"status"`
	Items    []Item    `json:"items"`
	Created  time.Time `json:"created"`
	Modified time.Time `json:"modified"`
	// FailReason says why a failed order failed: "not-available" (its
	// creation found an item unavailable), "refused" (the reservation
	// system refused the request), "interrupted" (its creation was never
	// answered and was rolled back), "auto-fail" or "requested".
	FailReason string   `json:"failReason,omitempty"`
	Res        OrderRes `json:"res"`
}

// OrderRes is an order's reservation.
type OrderRes struct {
	System System   `json:"system,omitempty"`
	Gen    int      `json:"gen,omitempty"`
	State  ResState `json:"state,omitempty"`
	// Target is the status the order takes once a reserving reservation
	// is held; until then Status is what a rollback leaves.
	Target Status `json:"target,omitempty"`
	DocID  string `json:"docId,omitempty"` // OCI
	// FromBasket: DocID is the basket's document, converted by a PATCH;
	// Zero lists the basket lines the PATCH sets to 0.
	FromBasket bool   `json:"fromBasket,omitempty"`
	Zero       []Line `json:"zero,omitempty"`
	// IDs are the B2C reservations, one per list, and Holds the basket
	// holds they convert (list id -> hold id).
	IDs   []string          `json:"ids,omitempty"`
	Holds map[string]string `json:"holds,omitempty"`
	Lines []Line            `json:"lines"`
}

// Open reports whether the reservation may still hold something.
func (r *OrderRes) Open() bool {
	return r.State == ResReserving || r.State == ResHeld || r.State == ResReleasing
}

func (b *Basket) clone() *Basket {
	c := *b
	c.Items = slices.Clone(b.Items)
	if b.Res != nil {
		r := *b.Res
		c.Res = &r
	}
	return &c
}

func (o *Order) clone() *Order {
	c := *o
	c.Items = slices.Clone(o.Items)
	return &c
}
