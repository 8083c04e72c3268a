package client

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"ociedge/oci"
)

// FuzzParseExportLine checks the hand-written export line parser against
// encoding/json: it never panics, it accepts only valid JSON, it reads
// every known field as encoding/json does (quantities exactly), and a
// record it accepts survives being written out and read again.
// Seed corpus: testdata/fuzz/FuzzParseExportLine.
func FuzzParseExportLine(f *testing.F) {
	f.Add([]byte(`{"sku":"sku-1","atf":17,"ato":27.25,"onHand":27,"reserved":0,"safetyStockCount":10,"effectiveDate":"2026-03-01T12:00:00Z","futures":[{"expectedDate":"2026-04-01T00:00:00Z","quantity":10.25}]}`))
	f.Add([]byte(`{"groupId":"online"}`))
	f.Add([]byte(`{"deltaToken":"eyJ0eXBlIjoiR1JPVVBfRVhQT1JUIn0"}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		var p recordParser
		var v oci.Values
		kind, id, err := p.exportLine(line, &v)
		if err != nil || kind == lineBlank {
			return
		}
		if !json.Valid(line) {
			t.Fatalf("accepted invalid JSON %q as kind %d", line, kind)
		}
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("accepted %q that encoding/json refuses: %v", line, err)
		}
		if kind != lineRecord {
			checkHeader(t, m, kind, id)
			return
		}
		checkRecord(t, m, &v)
		checkRoundTrip(t, &v)
	})
}

func checkHeader(t *testing.T, m map[string]any, kind lineKind, id string) {
	key := map[lineKind]string{lineGroup: "groupId", lineLocation: "locationId", lineToken: "deltaToken"}[kind]
	if m[key] != id {
		t.Fatalf("%s %q, encoding/json says %v", key, id, m[key])
	}
}

var qtyKeys = map[string]func(*oci.Values) oci.Qty{
	"onHand": func(v *oci.Values) oci.Qty { return v.OnHand }, "reserved": func(v *oci.Values) oci.Qty { return v.Reserved },
	"atf": func(v *oci.Values) oci.Qty { return v.ATF }, "ato": func(v *oci.Values) oci.Qty { return v.ATO },
	"safetyStockCount":    func(v *oci.Values) oci.Qty { return v.SafetyStock },
	"groupReserved":       func(v *oci.Values) oci.Qty { return v.GroupReserved },
	"sharedGroupReserved": func(v *oci.Values) oci.Qty { return v.SharedReserved },
}

func checkRecord(t *testing.T, m map[string]any, v *oci.Values) {
	if m["sku"] != v.SKU {
		t.Fatalf("sku %q, encoding/json says %v", v.SKU, m["sku"])
	}
	for key, get := range qtyKeys {
		want := oci.Qty(0)
		if n, ok := m[key].(json.Number); ok {
			var err error
			if want, err = oci.ParseQty([]byte(n)); err != nil {
				t.Fatalf("%s %s accepted, but oci.ParseQty refuses it: %v", key, n, err)
			}
		}
		if got := get(v); got != want {
			t.Fatalf("%s %v, want %v", key, got, want)
		}
	}
	if s, ok := m["effectiveDate"].(string); ok {
		want, err := time.Parse(time.RFC3339, s)
		if err != nil || !want.Equal(v.EffectiveDate) {
			t.Fatalf("effectiveDate %v from %q (%v)", v.EffectiveDate, s, err)
		}
	}
}

// checkRoundTrip writes v as the core does and reads it back.
func checkRoundTrip(t *testing.T, v *oci.Values) {
	b, err := json.Marshal(map[string]any{"sku": v.SKU, "onHand": v.OnHand, "reserved": v.Reserved, "atf": v.ATF,
		"ato": v.ATO, "safetyStockCount": v.SafetyStock, "groupReserved": v.GroupReserved,
		"sharedGroupReserved": v.SharedReserved, "futures": v.Futures})
	if err != nil {
		t.Fatal(err)
	}
	var p recordParser
	var back oci.Values
	if _, _, err := p.exportLine(b, &back); err != nil {
		t.Fatalf("cannot read back %s: %v", b, err)
	}
	if back.SKU != v.SKU || back.OnHand != v.OnHand || back.ATO != v.ATO || len(back.Futures) != len(v.Futures) {
		t.Fatalf("round trip %+v → %s → %+v", v, b, back)
	}
	for i := range v.Futures {
		if back.Futures[i].Quantity != v.Futures[i].Quantity || !back.Futures[i].ExpectedDate.Equal(v.Futures[i].ExpectedDate) {
			t.Fatalf("future %d: %+v → %+v", i, v.Futures[i], back.Futures[i])
		}
	}
}
