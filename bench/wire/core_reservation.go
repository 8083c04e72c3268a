package wire

import (
	"bytes"
	"encoding/json"
)

// OCI Inventory Reservation, served by the core (reference/oci-api.md §4):
//
//	PUT   /inventory/reservation/v1/organizations/{tenant}/reservation-documents/{reservationId}
//	      {"allowPartialReservations":false,"groups":[{"id","reservations":[{"sku","quantity"}]}]}
//	      → 200 {"success",…,"groups":[{"id","details":[…],"errors":[{"sku","errorCode"}]}]}
//	PATCH same path {"status":"CANCELLED"} → 204
const reservationBase = "/inventory/reservation/v1/organizations/"

// Line is one reservation line.
type Line struct {
	Sku      string  `json:"sku"`
	Quantity float64 `json:"quantity"`
}

type placeLines struct {
	ID           string `json:"id"`
	Reservations []Line `json:"reservations"`
}

func reservationURI(tenant, id string) string {
	return reservationBase + seg(tenant) + "/reservation-documents/" + seg(id)
}

// Reserve creates reservation document id for lines at p.
func Reserve(tenant, id string, p Place, lines []Line, allowPartial bool) Request {
	body := struct {
		AllowPartial bool         `json:"allowPartialReservations"`
		Groups       []placeLines `json:"groups,omitempty"`
		Locations    []placeLines `json:"locations,omitempty"`
	}{AllowPartial: allowPartial}
	pl := []placeLines{{ID: p.ID, Reservations: lines}}
	if p.Group {
		body.Groups = pl
	} else {
		body.Locations = pl
	}
	return jsonRequest("PUT", reservationURI(tenant, id), body)
}

// CancelReservation cancels document id.
func CancelReservation(tenant, id string) Request {
	return jsonRequest("PATCH", reservationURI(tenant, id), struct {
		Status string `json:"status"`
	}{"CANCELLED"})
}

// Domain outcomes of a reservation.
const (
	OutcomeInsufficient = "insufficient"
	OutcomeConflict     = "conflict"
	OutcomeRejected     = "rejected"
)

// ReservationOutcome labels a reservation answer: "reserved" (200, success),
// "insufficient" (200, an InsufficientQuantity line error), "rejected" (200,
// not successful otherwise), "conflict" (409), or "".
func ReservationOutcome(status int, body []byte) string {
	switch status {
	case 200:
		if bytes.Contains(body, []byte(`"success":true`)) {
			return OutcomeReserved
		}
		return reservationFailure(body)
	case 409:
		return OutcomeConflict
	}
	return ""
}

func reservationFailure(body []byte) string {
	var v struct {
		Success bool `json:"success"`
	}
	if json.Unmarshal(body, &v) == nil && v.Success {
		return OutcomeReserved
	}
	if bytes.Contains(body, []byte("InsufficientQuantity")) {
		return OutcomeInsufficient
	}
	return OutcomeRejected
}
