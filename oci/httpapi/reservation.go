package httpapi

import (
	"encoding/json"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/oci"
)

func (s *Server) reservationPut(ctx *fasthttp.RequestCtx, p params) error {
	var req oci.ReserveRequest
	if err := s.decode(ctx, &req); err != nil {
		return err
	}
	req.ReservationID = p.id
	res, err := s.core.Reserve(&req)
	if err != nil {
		return err
	}
	ctx.Response.Header.Set("Location", "/inventory/reservation/v1/organizations/"+p.org+"/reservation-documents/"+p.id)
	writeValue(ctx, fasthttp.StatusOK, res)
	return nil
}

// patchBody is the PATCH body: the documented {"status":"CANCELLED"} and the
// update fields of oci.ReservationUpdate (expirationSeconds null = never).
type patchBody struct {
	Status            *string          `json:"status"`
	ExternalRefID     *string          `json:"externalRefId"`
	ExpirationSeconds opt[int]         `json:"expirationSeconds"`
	Locations         []oci.PlaceLines `json:"locations"`
	Groups            []oci.PlaceLines `json:"groups"`
}

func (s *Server) reservationPatch(ctx *fasthttp.RequestCtx, p params) error {
	var b patchBody
	if err := s.decode(ctx, &b); err != nil {
		return err
	}
	u := oci.ReservationUpdate{ExternalRefID: b.ExternalRefID, Locations: b.Locations, Groups: b.Groups,
		SetExpiration: b.ExpirationSeconds.Set}
	if b.ExpirationSeconds.Set && !b.ExpirationSeconds.Null {
		u.ExpirationSeconds = &b.ExpirationSeconds.V
	}
	if b.Status != nil {
		if *b.Status != "CANCELLED" {
			return &oci.Error{Code: oci.InvalidRequestParameter, Parameter: "status", Message: "'status' can only be CANCELLED"}
		}
		u.Cancel = true
	}
	res, err := s.core.UpdateReservation(p.id, &u)
	if err != nil {
		return err
	}
	if u.Cancel {
		ctx.SetStatusCode(fasthttp.StatusNoContent)
		return nil
	}
	writeValue(ctx, fasthttp.StatusOK, res)
	return nil
}

func (s *Server) reservationGet(ctx *fasthttp.RequestCtx, p params) error {
	v, ok, err := s.core.LookupReservation(p.id)
	if err != nil {
		return err
	}
	if !ok {
		return &oci.Error{Code: oci.EntityNotFound, Parameter: "reservationId", Message: "Reservation ID does not exist."}
	}
	writeValue(ctx, fasthttp.StatusOK, v)
	return nil
}

// wirePlace is {"location":"x"} or {"group":"x"}.
type wirePlace struct {
	Location string `json:"location,omitempty"`
	Group    string `json:"group,omitempty"`
}

func (w wirePlace) place(param string) (oci.Place, error) {
	switch {
	case w.Location != "" && w.Group != "":
		return oci.Place{}, &oci.Error{Code: oci.InvalidRequestParameter, Parameter: param,
			Message: "User provided locationId AND groupId.  You can only provide one or the other, not both in a single record."}
	case w.Group != "":
		return oci.Grp(w.Group), nil
	case w.Location != "":
		return oci.Loc(w.Location), nil
	}
	return oci.Place{}, &oci.Error{Code: oci.InvalidRequest, Parameter: param,
		Message: "The format of the message is incorrect: '" + param + "' needs a location or a group"}
}

func (s *Server) transfers(ctx *fasthttp.RequestCtx, _ params) error {
	var body struct {
		AllOrNothingTransferID string `json:"allOrNothingTransferId"`
		Records                []struct {
			ID                      string    `json:"id"`
			ExternalRefID           string    `json:"externalRefId"`
			From                    wirePlace `json:"from"`
			To                      wirePlace `json:"to"`
			SKU                     string    `json:"sku"`
			Quantity                oci.Qty   `json:"quantity"`
			IgnoreAvailabilityCheck bool      `json:"ignoreAvailabilityCheck"`
			ReservationID           string    `json:"reservationId"`
		} `json:"records"`
	}
	if err := s.decode(ctx, &body); err != nil {
		return err
	}
	req := oci.TransferRequest{AllOrNothingTransferID: body.AllOrNothingTransferID}
	for i, r := range body.Records {
		from, err := r.From.place(sprintf("records[%d].from", i))
		if err != nil {
			return err
		}
		to, err := r.To.place(sprintf("records[%d].to", i))
		if err != nil {
			return err
		}
		req.Records = append(req.Records, oci.TransferRecord{ID: r.ID, ExternalRefID: r.ExternalRefID, From: from, To: to,
			SKU: r.SKU, Quantity: r.Quantity, IgnoreAvailabilityCheck: r.IgnoreAvailabilityCheck, ReservationID: r.ReservationID})
	}
	errs, err := s.core.Transfer(&req)
	if err != nil {
		return err
	}
	return writeRecordErrors(ctx, errs, func(i int) any {
		r := body.Records[i]
		return map[string]any{"id": r.ID, "externalRefId": r.ExternalRefID, "from": r.From, "to": r.To, "sku": r.SKU, "quantity": r.Quantity}
	})
}

func (s *Server) releases(ctx *fasthttp.RequestCtx, _ params) error {
	var body struct {
		Records []struct {
			ID            string  `json:"id"`
			ExternalRefID string  `json:"externalRefId"`
			Location      string  `json:"location"`
			Group         string  `json:"group"`
			SKU           string  `json:"sku"`
			Quantity      oci.Qty `json:"quantity"`
			ReservationID string  `json:"reservationId"`
		} `json:"records"`
	}
	if err := s.decode(ctx, &body); err != nil {
		return err
	}
	recs := make([]oci.ReleaseRecord, 0, len(body.Records))
	for i, r := range body.Records {
		pl, err := wirePlace{r.Location, r.Group}.place(sprintf("records[%d]", i))
		if err != nil {
			return err
		}
		recs = append(recs, oci.ReleaseRecord{ID: r.ID, ExternalRefID: r.ExternalRefID, Place: pl, SKU: r.SKU,
			Quantity: r.Quantity, ReservationID: r.ReservationID})
	}
	errs, err := s.core.Release(recs)
	if err != nil {
		return err
	}
	return writeRecordErrors(ctx, errs, func(i int) any {
		r := body.Records[i]
		d := map[string]any{"id": r.ID, "externalRefId": r.ExternalRefID, "sku": r.SKU, "quantity": 0}
		if r.Group != "" {
			d["group"] = r.Group
		} else {
			d["location"] = r.Location
		}
		return d
	})
}

func (s *Server) fulfillments(ctx *fasthttp.RequestCtx, _ params) error {
	var body struct {
		Records []struct {
			ID              string       `json:"id"`
			ExternalRefID   string       `json:"externalRefId"`
			Location        string       `json:"location"`
			SKU             string       `json:"sku"`
			Quantity        opt[oci.Qty] `json:"quantity"`
			FulfillmentTime *time.Time   `json:"fulfillmentTime"`
			ReservationID   string       `json:"reservationId"`
		} `json:"records"`
	}
	if err := s.decode(ctx, &body); err != nil {
		return err
	}
	recs := make([]oci.FulfillRecord, 0, len(body.Records))
	for i, r := range body.Records {
		if !r.Quantity.Set || r.Quantity.Null {
			return &oci.Error{Code: oci.MissingParameter, Parameter: sprintf("records[%d].quantity", i),
				Message: "The field 'quantity' is missing from the request body."}
		}
		recs = append(recs, oci.FulfillRecord{ID: r.ID, ExternalRefID: r.ExternalRefID, Location: r.Location, SKU: r.SKU,
			Quantity: r.Quantity.V, FulfillmentTime: r.FulfillmentTime, ReservationID: r.ReservationID})
	}
	errs, err := s.core.Fulfill(recs)
	if e, ok := err.(*oci.Error); ok && e.Parameter == "reservationId" {
		s.writeProblem(ctx, fasthttp.StatusConflict, problem{Type: "about:blank", ErrorCode: string(e.Code),
			Message: e.Message, Parameter: e.Parameter}) // documented: 409 "ID does not exist."
		return nil
	}
	if err != nil {
		return err
	}
	return writeRecordErrors(ctx, errs, func(i int) any {
		r := body.Records[i]
		return map[string]any{"id": r.ID, "externalRefId": r.ExternalRefID, "location": r.Location, "sku": r.SKU, "quantity": r.Quantity.V}
	})
}

// writeRecordErrors answers 204 when every record applied, else 200 with
// one error per failed record.
func writeRecordErrors(ctx *fasthttp.RequestCtx, errs []oci.RecordError, details func(i int) any) error {
	if len(errs) == 0 {
		ctx.SetStatusCode(fasthttp.StatusNoContent)
		return nil
	}
	out := make([]map[string]any, 0, len(errs))
	for _, e := range errs {
		out = append(out, map[string]any{"details": details(e.Index), "message": e.Message, "errorCode": e.Code})
	}
	writeValue(ctx, fasthttp.StatusOK, map[string]any{"errors": out})
	return nil
}

func writeValue(ctx *fasthttp.RequestCtx, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic("BUG: cannot encode a response: " + err.Error())
	}
	writeJSON(ctx, status, b)
}

func writeJSON(ctx *fasthttp.RequestCtx, status int, b []byte) {
	ctx.SetStatusCode(status)
	ctx.SetContentType("application/json")
	ctx.SetBody(b)
}
