package httpapi

import (
	"strconv"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/oci"
)

func (s *Server) getAvailability(ctx *fasthttp.RequestCtx, _ params) error {
	var q oci.AvailabilityQuery
	if err := s.decode(ctx, &q); err != nil {
		return err
	}
	a, err := s.core.GetAvailability(&q)
	if err != nil {
		return err
	}
	b := make([]byte, 0, 256)
	b = append(b, '{')
	b = appendPlaces(b, "locations", a.Locations, false)
	if a.Groups != nil {
		b = append(b, ',')
		b = appendPlaces(b, "groups", a.Groups, true)
	}
	b = append(b, '}')
	writeJSON(ctx, fasthttp.StatusOK, b)
	return nil
}

// wireRecord is a batch-update record (reference §3 A2).
type wireRecord struct {
	ID            string            `json:"id"`
	Location      string            `json:"location"`
	SKU           string            `json:"sku"`
	OnHand        opt[oci.Qty]      `json:"onHand"`
	SafetyStock   opt[oci.Qty]      `json:"safetyStockCount"`
	EffectiveDate opt[time.Time]    `json:"effectiveDate"`
	FutureStock   opt[[]oci.Future] `json:"futureStock"`
	Futures       opt[[]oci.Future] `json:"futures"` // the import name, accepted too
	ExternalRefID string            `json:"externalRefId"`
}

func (w *wireRecord) update(nullClears bool) oci.RecordUpdate {
	fut := w.FutureStock
	if !fut.Set {
		fut = w.Futures
	}
	return oci.RecordUpdate{ID: w.ID, ExternalRefID: w.ExternalRefID, Location: w.Location, SKU: w.SKU,
		OnHand: field(w.OnHand, nullClears), SafetyStock: field(w.SafetyStock, nullClears),
		EffectiveDate: field(w.EffectiveDate, nullClears), Futures: field(fut, nullClears)}
}

func (s *Server) batchUpdate(ctx *fasthttp.RequestCtx, _ params) error {
	var body struct {
		Records []wireRecord `json:"records"`
	}
	if err := s.decode(ctx, &body); err != nil {
		return err
	}
	us := make([]oci.RecordUpdate, len(body.Records))
	for i := range body.Records {
		us[i] = body.Records[i].update(true)
	}
	errs, err := s.core.BatchUpdate(us)
	if err != nil {
		return err
	}
	if len(errs) == 0 {
		ctx.SetStatusCode(fasthttp.StatusNoContent)
		return nil
	}
	out := make([]map[string]any, 0, len(errs))
	for _, e := range errs {
		r := body.Records[e.Index]
		out = append(out, map[string]any{
			"details":   map[string]string{"externalRefId": r.ExternalRefID, "locationId": r.Location, "sku": r.SKU, "id": r.ID},
			"message":   "Inventory record update failed: " + e.Message,
			"errorCode": e.Code,
		})
	}
	writeValue(ctx, fasthttp.StatusOK, map[string]any{"errors": out})
	return nil
}

func (s *Server) getDeltas(ctx *fasthttp.RequestCtx, _ params) error {
	var body struct {
		DeltaToken string `json:"deltaToken"`
	}
	if err := s.decode(ctx, &body); err != nil {
		return err
	}
	if body.DeltaToken == "" {
		return &oci.Error{Code: oci.MissingParameter, Parameter: "deltaToken", Message: "'deltaToken' is required"}
	}
	d, err := s.core.Deltas(body.DeltaToken)
	if err != nil {
		return err
	}
	b := make([]byte, 0, 256+len(d.Records)*200)
	b = append(b, `{"nextDeltaToken":`...)
	b = appendString(b, d.NextToken)
	b = append(b, `,"shouldQueryAgain":`...)
	b = strconv.AppendBool(b, d.ShouldQueryAgain)
	b = append(b, `,"records":[`...)
	for i := range d.Records {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendDelta(b, &d.Records[i])
	}
	b = append(b, "]}"...)
	writeJSON(ctx, fasthttp.StatusOK, b)
	return nil
}

func appendDelta(b []byte, r *oci.DeltaRecord) []byte {
	b = append(b, `{"deltaType":"`...)
	b = append(b, r.Type...)
	b = append(b, `","id":`...)
	b = appendString(b, r.Place)
	b = append(b, ',')
	v := appendValues(nil, &r.Values, false)
	return append(b, v[1:]...) // the record's fields, without its opening brace
}

// singleBody is the PUT/PATCH body of a single location-sku record.
type singleBody struct {
	ExternalRefID string            `json:"externalRefId"`
	OnHand        opt[oci.Qty]      `json:"onHand"`
	SafetyStock   opt[oci.Qty]      `json:"safetyStockCount"`
	EffectiveDate opt[time.Time]    `json:"effectiveDate"`
	FutureStock   opt[[]oci.Future] `json:"futureStock"`
}

func (s *Server) writeSingle(ctx *fasthttp.RequestCtx, p params, op oci.SingleOp) error {
	u := oci.RecordUpdate{ID: p.requestID, Location: p.location, SKU: p.sku}
	if op != oci.SingleDelete {
		var b singleBody
		if err := s.decode(ctx, &b); err != nil {
			return err
		}
		u.ExternalRefID = b.ExternalRefID
		u.OnHand, u.SafetyStock = field(b.OnHand, false), field(b.SafetyStock, false)
		u.EffectiveDate, u.Futures = field(b.EffectiveDate, false), field(b.FutureStock, false)
	}
	if err := s.core.WriteRecord(op, &u); err != nil {
		return err
	}
	ctx.SetStatusCode(fasthttp.StatusNoContent)
	return nil
}

func (s *Server) recordPut(ctx *fasthttp.RequestCtx, p params) error {
	return s.writeSingle(ctx, p, oci.SinglePut)
}

func (s *Server) recordPatch(ctx *fasthttp.RequestCtx, p params) error {
	return s.writeSingle(ctx, p, oci.SinglePatch)
}

func (s *Server) recordDelete(ctx *fasthttp.RequestCtx, p params) error {
	return s.writeSingle(ctx, p, oci.SingleDelete)
}
