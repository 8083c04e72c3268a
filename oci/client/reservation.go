package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"

	"ociedge/oci"
)

// Reserve creates reservation document id (reference §4 R1): PUT
// reservation-documents/{id}. It is idempotent by id — the core replays the
// first result for the same body — so it is retried with the same id, and a
// retry after a lost answer never reserves twice. The result lists what was
// reserved, which may be less than asked (allowPartialReservations).
func (c *Client) Reserve(ctx context.Context, id string, req *oci.ReserveRequest) (*oci.ReserveResult, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	var res oci.ReserveResult
	err = c.do(ctx, &call{op: "reserve", method: "PUT", idempotent: true, body: body, path: c.docPath(id),
		ok: func(_ int, b []byte) error { return json.Unmarshal(b, &res) }})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

func (c *Client) docPath(id string) string {
	return c.paths.resv + "/reservation-documents/" + url.PathEscape(id)
}

// UpdateReservation PATCHes document id (reference §4 R2 and the core's
// extension): Cancel sends {"status":"CANCELLED"}; ExternalRefID replaces
// the external reference; SetExpiration sends expirationSeconds (a number
// restarts the expiry, nil is JSON null: never expires); Locations and
// Groups set the document's quantity of each listed sku at each place.
// Setting is idempotent, so the call is retried. A cancel answers 204 and
// returns a nil result.
func (c *Client) UpdateReservation(ctx context.Context, id string, u *oci.ReservationUpdate) (*oci.ReserveResult, error) {
	body, err := json.Marshal(patchBody(u))
	if err != nil {
		return nil, err
	}
	var res *oci.ReserveResult
	k := &call{op: "update-reservation", method: "PATCH", idempotent: true, body: body, path: c.docPath(id),
		ok: func(status int, b []byte) error {
			if len(b) == 0 {
				return nil // 204: cancelled
			}
			res = new(oci.ReserveResult)
			return json.Unmarshal(b, res)
		}}
	if u.Cancel {
		k.replayed = cancelReplayed
	}
	if err := c.do(ctx, k); err != nil {
		return nil, err
	}
	return res, nil
}

func patchBody(u *oci.ReservationUpdate) map[string]any {
	m := map[string]any{}
	if u.Cancel {
		m["status"] = "CANCELLED"
	}
	if u.ExternalRefID != nil {
		m["externalRefId"] = *u.ExternalRefID
	}
	if u.SetExpiration {
		m["expirationSeconds"] = u.ExpirationSeconds // nil: null, never expires
	}
	if u.Locations != nil {
		m["locations"] = u.Locations
	}
	if u.Groups != nil {
		m["groups"] = u.Groups
	}
	return m
}

// cancelReplayed accepts ReservationCancelled from a cancel retried after
// a lost answer: the lost attempt did the cancelling.
func cancelReplayed(err error) error {
	if oci.ErrorCode(err) == oci.ReservationCancelled {
		return nil
	}
	return err
}

// CancelReservation cancels document id, releasing everything it holds
// (PATCH {"status":"CANCELLED"}, 204). Retried; a retry that finds the
// document already cancelled by the lost attempt succeeds.
func (c *Client) CancelReservation(ctx context.Context, id string) error {
	_, err := c.UpdateReservation(ctx, id, &oci.ReservationUpdate{Cancel: true})
	return err
}

// Reservation reads document id as it stands (GET reservation-documents/{id},
// an extension of the core); a missing one is a 404 EntityNotFound.
func (c *Client) Reservation(ctx context.Context, id string) (oci.ReservationView, error) {
	var v oci.ReservationView
	err := c.do(ctx, &call{op: "get-reservation", method: "GET", idempotent: true, path: c.docPath(id),
		ok: func(_ int, b []byte) error { return json.Unmarshal(b, &v) }})
	return v, err
}

// ReleaseRecord is one release (reference §4 R4): Place is the location or
// group to take quantity off; ReservationID, if set, limits it to that
// document.
type ReleaseRecord = oci.ReleaseRecord

type wireRelease struct {
	ID            string  `json:"id"`
	ExternalRefID string  `json:"externalRefId,omitempty"`
	Location      string  `json:"location,omitempty"`
	Group         string  `json:"group,omitempty"`
	SKU           string  `json:"sku"`
	Quantity      oci.Qty `json:"quantity"`
	ReservationID string  `json:"reservationId,omitempty"`
}

// Release unreserves quantities (POST /releases) and returns the records
// the core refused (a 200 answer). Idempotent by record id: retried.
func (c *Client) Release(ctx context.Context, recs []ReleaseRecord) ([]RecordError, error) {
	ws := make([]wireRelease, len(recs))
	keys := make([]recordKey, len(recs))
	for i, r := range recs {
		ws[i] = wireRelease{ID: r.ID, ExternalRefID: r.ExternalRefID, SKU: r.SKU, Quantity: r.Quantity, ReservationID: r.ReservationID}
		switch r.Place.Type {
		case oci.PlaceLocation:
			ws[i].Location = r.Place.ID
		case oci.PlaceGroup:
			ws[i].Group = r.Place.ID
		default:
			return nil, errors.New("client: release: every record needs a location or a group")
		}
		keys[i] = recordKey{r.ID, r.SKU}
	}
	body, err := json.Marshal(map[string]any{"records": ws})
	if err != nil {
		return nil, err
	}
	var errs []RecordError
	err = c.do(ctx, &call{op: "release", method: "POST", idempotent: true, body: body, path: c.paths.resv + "/releases",
		ok: func(_ int, b []byte) (err error) { errs, err = decodeRecordErrors(b, keys); return err }})
	return errs, err
}
