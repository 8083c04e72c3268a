package oci

import (
	"time"
)

// ReservationState is the life-cycle state of a reservation document.
type ReservationState string

// Reservation document states. A document is OPEN from creation; it ends
// CANCELLED (PATCH cancel), EXPIRED (its expirationSeconds passed) or CLOSED
// (everything it held was fulfilled or released).
const (
	StateOpen      ReservationState = "OPEN"
	StateCancelled ReservationState = "CANCELLED"
	StateExpired   ReservationState = "EXPIRED"
	StateClosed    ReservationState = "CLOSED"
)

// MaxExpirationSeconds is the longest temporary reservation (4 hours).
const MaxExpirationSeconds = 14400

// Line is one sku and quantity in a reservation request.
type Line struct {
	SKU      string `json:"sku"`
	Quantity Qty    `json:"quantity"`
}

// AllOrNothing is a set of lines at one location that are reserved together
// or not at all.
type AllOrNothing struct {
	ID    string `json:"id"`
	Lines []Line `json:"reservations"`
}

// PlaceLines is the lines requested at one location or group.
type PlaceLines struct {
	ID           string         `json:"id"`
	Lines        []Line         `json:"reservations,omitempty"`
	AllOrNothing []AllOrNothing `json:"allOrNothingReservations,omitempty"`
}

// ReserveRequest is a PUT /reservation-documents/{reservationId} body.
type ReserveRequest struct {
	ReservationID     string       `json:"-"`
	ExternalRefID     string       `json:"externalRefId,omitempty"`
	ExpirationSeconds *int         `json:"expirationSeconds,omitempty"` // nil: never expires
	AllowPartial      *bool        `json:"allowPartialReservations,omitempty"`
	FulfillOnly       bool         `json:"fulfillOnly,omitempty"`
	ReservationTime   *time.Time   `json:"reservationTime,omitempty"`
	Locations         []PlaceLines `json:"locations,omitempty"`
	Groups            []PlaceLines `json:"groups,omitempty"`
}

func (r *ReserveRequest) allowPartial() bool { return r.AllowPartial == nil || *r.AllowPartial }

// LineError is a line that could not be (fully) reserved.
type LineError struct {
	SKU       string `json:"sku"`
	ErrorCode Code   `json:"errorCode"`
}

// PlaceResult is what was reserved at one place.
type PlaceResult struct {
	ID      string      `json:"id"`
	Details []Line      `json:"details"`
	Errors  []LineError `json:"errors,omitempty"`
}

// ReserveResult is the 200 answer to a reservation request. The same request
// replayed gets the same result.
type ReserveResult struct {
	ReservationTime time.Time     `json:"reservationTime"`
	ExpirationTime  *time.Time    `json:"expirationTime,omitempty"`
	Success         bool          `json:"success"`
	Groups          []PlaceResult `json:"groups,omitempty"`
	Locations       []PlaceResult `json:"locations,omitempty"`
}

// reservation is a document in memory. Guarded by the core's state lock.
type reservation struct {
	id            string
	seq           uint64 // creation order: FIFO among holds
	externalRefID string
	state         ReservationState
	reserved      time.Time // reservationTime
	expires       time.Time // zero: never
	finished      time.Time // when it left OPEN
	fulfillOnly   bool
	hash          requestHash
	result        *ReserveResult
	holds         []*hold
	heapIdx       int // position in the expiry heap, -1 if absent
}

// holdAt returns the document's hold of s at place p, if any.
func (r *reservation) holdAt(kind PlaceType, p placeIdx, s *skuState) *hold {
	for _, h := range r.holds {
		if h.kind == kind && h.place == p && h.sku == s {
			return h
		}
	}
	return nil
}

// heldTotal is everything the document still holds.
func (r *reservation) heldTotal() Qty {
	var t Qty
	for _, h := range r.holds {
		t += h.qty
	}
	return t
}

// ReservationView is a read-only copy of a reservation document.
type ReservationView struct {
	ReservationID   string           `json:"reservationId"`
	ExternalRefID   string           `json:"externalRefId,omitempty"`
	State           ReservationState `json:"state"`
	ReservationTime time.Time        `json:"reservationTime"`
	ExpirationTime  *time.Time       `json:"expirationTime,omitempty"`
	Groups          []PlaceHolding   `json:"groups,omitempty"`
	Locations       []PlaceHolding   `json:"locations,omitempty"`
}

// PlaceHolding is what a document holds at one place now.
type PlaceHolding struct {
	ID    string `json:"id"`
	Items []Line `json:"items"`
}

// OpenReservations counts the documents that are OPEN.
func (c *Core) OpenReservations() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.docs) - len(c.finishedQ)
}
