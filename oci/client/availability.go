package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"ociedge/oci"
)

// GetAvailability asks for the values of skus at places (reference §3 A1).
// Quantities are exact. The SCAPI answer has no `exists`; when the core
// does not send one, a record counts as existing when it has any value, a
// date or futures. Idempotent: retried.
func (c *Client) GetAvailability(ctx context.Context, q *oci.AvailabilityQuery) (*oci.Availability, error) {
	body, err := json.Marshal(q)
	if err != nil {
		return nil, err
	}
	var a oci.Availability
	err = c.do(ctx, &call{op: "get-availability", method: "POST", idempotent: true, body: body,
		path: c.paths.avail + "/availability-records/actions/get-availability",
		ok:   func(_ int, b []byte) error { return decodeAvailability(b, &a) }})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// wirePlaces is the envelope of a get-availability answer; the records are
// parsed by the record parser, exactly.
type wirePlaces struct {
	Locations []wirePlace `json:"locations"`
	Groups    []wirePlace `json:"groups"`
}

type wirePlace struct {
	ID      string            `json:"id"`
	Records []json.RawMessage `json:"records"`
}

func decodeAvailability(b []byte, a *oci.Availability) error {
	var w wirePlaces
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("client: get-availability: %w", err)
	}
	var p recordParser
	var err error
	if a.Locations, err = p.places(w.Locations); err != nil {
		return err
	}
	a.Groups, err = p.places(w.Groups)
	return err
}

func (p *recordParser) places(ws []wirePlace) ([]oci.PlaceValues, error) {
	if ws == nil {
		return nil, nil
	}
	out := make([]oci.PlaceValues, len(ws))
	for i, w := range ws {
		out[i] = oci.PlaceValues{ID: w.ID, Records: make([]oci.Values, len(w.Records))}
		for j, raw := range w.Records {
			f, err := p.record(raw, &out[i].Records[j])
			if err != nil {
				return nil, fmt.Errorf("client: get-availability: %s record %d: %w", w.ID, j, err)
			}
			if f.has&hasExists == 0 {
				out[i].Records[j].Exists = hasContent(&out[i].Records[j])
			}
		}
	}
	return out, nil
}

// record parses one record object into v.
func (p *recordParser) record(b []byte, v *oci.Values) (fields, error) {
	p.s.reset(b)
	f := fields{v: v}
	if err := p.object(&f); err != nil {
		return f, err
	}
	if v.SKU == "" {
		return f, errNotRecord
	}
	return f, nil
}

func hasContent(v *oci.Values) bool {
	return v.OnHand != 0 || v.Reserved != 0 || v.SafetyStock != 0 || v.ATO != 0 || v.ATF != 0 ||
		!v.EffectiveDate.IsZero() || len(v.Futures) > 0
}

// Deltas returns the changes since token (reference §3 A3): records to
// apply, the token to ask with next, and whether more are waiting. An
// expired token is an *APIError with code oci.ExpiredDeltaLink (410).
// Idempotent: retried.
func (c *Client) Deltas(ctx context.Context, token string) (*oci.Deltas, error) {
	body, err := json.Marshal(map[string]string{"deltaToken": token})
	if err != nil {
		return nil, err
	}
	var d oci.Deltas
	err = c.do(ctx, &call{op: "get-deltas", method: "POST", idempotent: true, body: body,
		path: c.paths.avail + "/availability-records/actions/get-deltas",
		ok:   func(_ int, b []byte) error { return decodeDeltas(b, &d) }})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

func decodeDeltas(b []byte, d *oci.Deltas) error {
	var w struct {
		Next    string            `json:"nextDeltaToken"`
		Again   bool              `json:"shouldQueryAgain"`
		Records []json.RawMessage `json:"records"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("client: get-deltas: %w", err)
	}
	d.NextToken, d.ShouldQueryAgain = w.Next, w.Again
	d.Records = make([]oci.DeltaRecord, len(w.Records))
	var p recordParser
	for i, raw := range w.Records {
		r := &d.Records[i]
		f, err := p.record(raw, &r.Values)
		if err == nil && f.id == "" {
			err = errors.New("a delta record needs the id of its place")
		}
		if err != nil {
			return fmt.Errorf("client: get-deltas: record %d: %w", i, err)
		}
		r.Place, r.Type = f.id, oci.DeltaType(f.deltaType)
		if f.has&hasExists == 0 {
			r.Exists = r.Type != oci.DeltaDelete
		}
	}
	return nil
}

// BatchRecord is one batch-update record (reference §3 A2): the fields that
// are Set are sent, the others left alone; a Set field with its zero value
// clears the stored one ("an included empty value deletes that value").
type BatchRecord = oci.RecordUpdate

// RecordError is a record of a batch call (batch-update, releases) that the
// core did not apply; Index is its position in the request.
type RecordError struct {
	Index   int // -1 when the answer named a record the request did not have
	ID      string
	SKU     string
	Code    oci.Code
	Message string
}

// wireBatchRecord is a BatchRecord on the wire.
type wireBatchRecord struct {
	ID            string          `json:"id"`
	Location      string          `json:"location"`
	SKU           string          `json:"sku"`
	OnHand        *oci.Qty        `json:"onHand,omitempty"`
	SafetyStock   *oci.Qty        `json:"safetyStockCount,omitempty"`
	EffectiveDate json.RawMessage `json:"effectiveDate,omitempty"`
	FutureStock   *[]oci.Future   `json:"futureStock,omitempty"`
	ExternalRefID string          `json:"externalRefId,omitempty"`
}

func toWireBatch(r *BatchRecord) wireBatchRecord {
	w := wireBatchRecord{ID: r.ID, Location: r.Location, SKU: r.SKU, ExternalRefID: r.ExternalRefID}
	if r.OnHand.Set {
		w.OnHand = &r.OnHand.V
	}
	if r.SafetyStock.Set {
		w.SafetyStock = &r.SafetyStock.V
	}
	if r.EffectiveDate.Set {
		w.EffectiveDate = json.RawMessage("null")
		if !r.EffectiveDate.V.IsZero() {
			w.EffectiveDate, _ = json.Marshal(r.EffectiveDate.V.UTC().Format(time.RFC3339Nano))
		}
	}
	if r.Futures.Set {
		w.FutureStock = &r.Futures.V
	}
	return w
}

// BatchUpdate writes up to 100 records (reference §3 A2). It returns the
// records the core refused (a 200 answer); the others were applied.
// Idempotent by (id, sku): retried.
func (c *Client) BatchUpdate(ctx context.Context, recs []BatchRecord) ([]RecordError, error) {
	ws := make([]wireBatchRecord, len(recs))
	keys := make([]recordKey, len(recs))
	for i := range recs {
		ws[i] = toWireBatch(&recs[i])
		keys[i] = recordKey{recs[i].ID, recs[i].SKU}
	}
	body, err := json.Marshal(map[string]any{"records": ws})
	if err != nil {
		return nil, err
	}
	var errs []RecordError
	err = c.do(ctx, &call{op: "batch-update", method: "POST", idempotent: true, body: body,
		path: c.paths.avail + "/availability-records/actions/batch-update",
		ok:   func(_ int, b []byte) (err error) { errs, err = decodeRecordErrors(b, keys); return err }})
	return errs, err
}
