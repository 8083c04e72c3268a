package impex

import (
	"encoding/json"
	"testing"
	"time"

	"ociedge/oci"
)

// refParse is the reference decode of an import line: encoding/json for
// the syntax, the same import rules for the fields (a present field is
// Set, null is Set to zero, unknown fields are ignored, a line with `mode`
// or `location` is a header). ok is false when the reference refuses the
// line.
func refParse(line []byte) (out parsedLine, ok bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(line, &m) != nil || m == nil {
		return out, false
	}
	r := &out.rec
	ok = refString(m, "recordId", &r.ID) && refString(m, "sku", &r.SKU) &&
		refString(m, "locationId", &r.Location) && refString(m, "location", &out.location) &&
		refString(m, "mode", &out.mode) && refQty(m["onHand"], &r.OnHand) &&
		refQty(m["safetyStockCount"], &r.SafetyStock) && refDate(m["effectiveDate"], &r.EffectiveDate) &&
		refFutures(m["futures"], &r.Futures)
	if !ok {
		return out, false
	}
	_, hasMode := m["mode"]
	_, hasLoc := m["location"]
	out.kind = kindRecord
	if hasMode || hasLoc {
		out.kind = kindHeader
		if !hasLoc {
			out.location = r.Location
		} else if _, hasID := m["locationId"]; hasID && r.Location != out.location {
			return out, false
		}
	}
	return out, true
}

func refString(m map[string]json.RawMessage, key string, dst *string) bool {
	raw, present := m[key]
	if !present {
		return true
	}
	var s *string
	if json.Unmarshal(raw, &s) != nil {
		return false
	}
	if s != nil {
		*dst = *s
	}
	return true
}

func refQty(raw json.RawMessage, dst *oci.Field[oci.Qty]) bool {
	if raw == nil {
		return true
	}
	var q oci.Qty
	if string(raw) != "null" {
		var n json.Number
		if json.Unmarshal(raw, &n) != nil || len(raw) == 0 || raw[0] == '"' {
			return false
		}
		v, err := oci.ParseQty(raw)
		if err != nil {
			return false
		}
		q = v
	}
	*dst = oci.Value(q)
	return true
}

func refDate(raw json.RawMessage, dst *oci.Field[time.Time]) bool {
	if raw == nil {
		return true
	}
	var s *string
	if json.Unmarshal(raw, &s) != nil {
		return false
	}
	var t time.Time
	if s != nil {
		v, err := oci.ParseTime("date", *s)
		if err != nil {
			return false
		}
		t = v
	}
	*dst = oci.Value(t)
	return true
}

func refFutures(raw json.RawMessage, dst *oci.Field[[]oci.Future]) bool {
	if raw == nil {
		return true
	}
	var elems []map[string]json.RawMessage
	if json.Unmarshal(raw, &elems) != nil {
		return false
	}
	var fs []oci.Future
	for _, e := range elems {
		if e == nil {
			return false
		}
		var q oci.Field[oci.Qty]
		var d oci.Field[time.Time]
		if !refQty(e["quantity"], &q) || !refDate(e["expectedDate"], &d) {
			return false
		}
		fs = append(fs, oci.Future{Quantity: q.V, ExpectedDate: d.V})
	}
	*dst = oci.Value(fs)
	return true
}

// sameLine reports whether two decoded lines mean the same.
func sameLine(a, b *parsedLine) bool {
	if a.kind != b.kind {
		return false
	}
	if a.kind == kindHeader {
		return a.location == b.location && a.mode == b.mode
	}
	x, y := &a.rec, &b.rec
	return x.ID == y.ID && x.Location == y.Location && x.SKU == y.SKU && x.OnHand == y.OnHand &&
		x.SafetyStock == y.SafetyStock && x.EffectiveDate.Set == y.EffectiveDate.Set &&
		x.EffectiveDate.V.Equal(y.EffectiveDate.V) && sameFutures(x.Futures, y.Futures)
}

func sameFutures(a, b oci.Field[[]oci.Future]) bool {
	if a.Set != b.Set || len(a.V) != len(b.V) {
		return false
	}
	for i := range a.V {
		if a.V[i].Quantity != b.V[i].Quantity || !a.V[i].ExpectedDate.Equal(b.V[i].ExpectedDate) {
			return false
		}
	}
	return true
}

// FuzzParseLine: the line parser never panics, and every line it accepts is
// valid JSON that the encoding/json reference decodes to the same meaning.
// The committed corpus (testdata/fuzz/FuzzParseLine) holds the reference's
// and the seed guide's example lines and the bad lines of the tests.
func FuzzParseLine(f *testing.F) {
	f.Add([]byte(`{"recordId":"r1","locationId":"wh-a","sku":"s","onHand":1.5,"effectiveDate":"2026-03-01T00:00:00Z"}`))
	p := newLineParser()
	f.Fuzz(func(t *testing.T, line []byte) {
		var got parsedLine
		var arena []oci.Future
		if err := p.parse(line, &got, &arena); err != nil {
			return
		}
		if !json.Valid(line) {
			t.Fatalf("accepted invalid JSON %q", line)
		}
		want, ok := refParse(line)
		if !ok {
			t.Fatalf("accepted %q, which the reference refuses", line)
		}
		if !sameLine(&got, &want) {
			t.Fatalf("%q:\n got %+v\nwant %+v", line, got, want)
		}
	})
}
