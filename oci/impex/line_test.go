package impex

import (
	"strings"
	"testing"
	"time"

	"ociedge/oci"
)

func TestParseLine_Records(t *testing.T) {
	eff := time.Date(2020, 4, 8, 21, 5, 22, 790896000, time.UTC)
	exp := time.Date(2020, 4, 18, 21, 5, 22, 781000000, time.UTC)
	for _, tc := range []struct {
		name, line string
		want       oci.RecordUpdate
	}{
		{"reference example", `{"recordId":"0a87","onHand":10,"sku":"sku1","effectiveDate":"2020-04-08T14:05:22.790896-07:00","futures":[{"quantity":1,"expectedDate":"2020-04-18T14:05:22.781-07:00"}],"safetyStockCount":0,"locationId":"wickenburg"}`,
			oci.RecordUpdate{ID: "0a87", Location: "wickenburg", SKU: "sku1", OnHand: oci.Value(10 * oci.Unit),
				SafetyStock: oci.Value(oci.Qty(0)), EffectiveDate: oci.Value(eff),
				Futures: oci.Value([]oci.Future{{Quantity: oci.Unit, ExpectedDate: exp}})}},
		{"absent fields are not set", `{"recordId":"r","sku":"s"}`, oci.RecordUpdate{ID: "r", SKU: "s"}},
		{"null and [] clear", `{"recordId":"r","sku":"s","onHand":null,"safetyStockCount":null,"futures":[]}`,
			oci.RecordUpdate{ID: "r", SKU: "s", OnHand: oci.Value(oci.Qty(0)), SafetyStock: oci.Value(oci.Qty(0)),
				Futures: oci.Value([]oci.Future{})}},
		{"exact decimals", `{"onHand":10.25,"safetyStockCount":0.001}`,
			oci.RecordUpdate{OnHand: oci.Value(oci.Qty(10250)), SafetyStock: oci.Value(oci.Qty(1))}},
		{"unknown fields ignored", `{"recordId":"r","externalRefId":"x","extra":{"a":[1,{"b":null}]},"sku":"s"}`,
			oci.RecordUpdate{ID: "r", SKU: "s"}},
		{"escapes", `{"recordId":"r\u0031","sku":"a\"b"}`, oci.RecordUpdate{ID: "r1", SKU: `a"b`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mustParse(t, tc.line)
			want := parsedLine{kind: kindRecord, rec: tc.want}
			if !sameLine(&got, &want) {
				t.Fatalf("got  %+v\nwant %+v", got.rec, tc.want)
			}
		})
	}
}

func TestParseLine_Headers(t *testing.T) {
	for _, line := range []string{`{"location":"wickenburg","mode":"UPDATE"}`, `{"locationId":"wickenburg","mode":"UPDATE"}`,
		`{"mode":"UPDATE","location":"wickenburg","locationId":"wickenburg"}`} {
		got := mustParse(t, line)
		if got.kind != kindHeader || got.location != "wickenburg" || got.mode != "UPDATE" {
			t.Errorf("%s: %+v", line, got)
		}
	}
}

func TestParseLine_Refuses(t *testing.T) {
	for _, tc := range []struct{ line, msg string }{
		{`{"onHand":1.2345}`, "'onHand' 1.2345 has more than 3 decimal places"},
		{`{"onHand":"10"}`, "'onHand' must be a number"},
		{`{"onHand":01}`, "'onHand' 01 is not a number"},
		{`{"safetyStockCount":true}`, "'safetyStockCount' must be a number"},
		{`{"recordId":5}`, "'recordId' must be a string"},
		{`{"effectiveDate":"2020-04-08"}`, `'effectiveDate' "2020-04-08" is not an RFC 3339 date-time`},
		{`{"effectiveDate":"2020-02-30T00:00:00Z"}`, "is not an RFC 3339 date-time"},
		{`{"effectiveDate":"9999-01-01T00:00:00Z"}`, "is outside the years 1900 to 2200"},
		{`{"futures":{}}`, "'futures' must be an array"},
		{`{"futures":[1]}`, "'futures[0]' must be an object"},
		{`{"futures":[{"quantity":1},{"quantity":"2"}]}`, "'futures[1].quantity' must be a number"},
		{`{"futures":[{"quantity":1,"quantity":2}]}`, "'futures[0].quantity' appears twice"},
		{`{"onHand":1,"onHand":2}`, "'onHand' appears twice"},
		{`{"location":"a1","locationId":"b2","mode":"UPDATE"}`, "name different locations"},
		{`{"recordId":"r",,}`, "invalid JSON at byte 17: a field name is expected"},
		{`{"recordId":"r"} {}`, "unexpected data after the object"},
		{`["recordId"]`, "a line must be one JSON object"},
		{"{\"sku\":\"a\xffb\"}", "invalid UTF-8"},
		{"{\"sku\":\"a\tb\"}", "control character"},
		{`{"sku":"a\qb"}`, "invalid escape"},
		{`{"x":` + strings.Repeat("[", 80) + strings.Repeat("]", 80) + `}`, "nested too deeply"},
		{`{"x":tru}`, "invalid literal"},
		{`{"x":-}`, "invalid number"},
		{`{"recordId":"r"`, "unterminated object"},
	} {
		var p parsedLine
		var arena []oci.Future
		err := newLineParser().parse([]byte(tc.line), &p, &arena)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: error %v, want %q", tc.line, err, tc.msg)
		}
	}
}

// A field error still reads the rest of the line, so the failure names its record.
func TestParseLine_FieldErrorKeepsIdentity(t *testing.T) {
	var p parsedLine
	var arena []oci.Future
	err := newLineParser().parse([]byte(`{"onHand":"x","recordId":"r9","sku":"s9","locationId":"wh-a"}`), &p, &arena)
	if err == nil || p.rec.ID != "r9" || p.rec.SKU != "s9" || p.rec.Location != "wh-a" {
		t.Fatalf("err %v, rec %+v", err, p.rec)
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
		err  dateErr
	}{
		{"2020-04-08T14:05:22.790896-07:00", time.Date(2020, 4, 8, 21, 5, 22, 790896000, time.UTC), dateOK},
		{"2024-02-29T23:59:59Z", time.Date(2024, 2, 29, 23, 59, 59, 0, time.UTC), dateOK},
		{"2026-03-01T00:00:00.123456789+05:30", time.Date(2026, 2, 28, 18, 30, 0, 123456789, time.UTC), dateOK},
		{"2023-02-29T00:00:00Z", time.Time{}, dateSyntax},
		{"2026-03-01T24:00:00Z", time.Time{}, dateSyntax},
		{"2026-03-01T00:00:60Z", time.Time{}, dateSyntax},
		{"2026-03-01T00:00:00.1234567890Z", time.Time{}, dateSyntax},
		{"2026-03-01T00:00:00.Z", time.Time{}, dateSyntax},
		{"2026-03-01T00:00:00+0700", time.Time{}, dateSyntax},
		{"2026-03-01 00:00:00Z", time.Time{}, dateSyntax},
		{"1800-01-01T00:00:00Z", time.Time{}, dateRange},
	} {
		got, e := parseDate([]byte(tc.in))
		if e != tc.err || !got.Equal(tc.want) {
			t.Errorf("%s: %v %d, want %v %d", tc.in, got, e, tc.want, tc.err)
		}
		if e == dateOK {
			if ref, err := oci.ParseTime("d", tc.in); err != nil || !ref.Equal(got) {
				t.Errorf("%s: oci.ParseTime says %v %v", tc.in, ref, err)
			}
		}
	}
}

func TestAppendString(t *testing.T) {
	for in, want := range map[string]string{
		"plain":        `"plain"`,
		`q"b\`:         `"q\"b\\"`,
		"a\nb\x01":     `"a\nb\u0001"`,
		"\xffx":        `"\ufffdx"`,
		"日本\u2028":     `"日本\u2028"`,
		"\uFFFD valid": "\"\uFFFD valid\"",
	} {
		if got := string(appendString(nil, in)); got != want {
			t.Errorf("appendString(%q) = %s, want %s", in, got, want)
		}
	}
}

func mustParse(t *testing.T, line string) parsedLine {
	t.Helper()
	var p parsedLine
	var arena []oci.Future
	if err := newLineParser().parse([]byte(line), &p, &arena); err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	return p
}
