package client

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"ociedge/oci"
)

func TestExportLineKinds(t *testing.T) {
	for _, tc := range []struct {
		line string
		kind lineKind
		id   string
	}{
		{"", lineBlank, ""},
		{" \t\r", lineBlank, ""},
		{`{"groupId":"online"}`, lineGroup, "online"},
		{` { "locationId" : "wh-a" } `, lineLocation, "wh-a"},
		{`{"deltaToken":"eyJ0"}`, lineToken, "eyJ0"},
		{`{"locationId":"wh-a","mode":"UPDATE"}`, lineLocation, "wh-a"},
		{`{"sku":"s"}`, lineRecord, ""},
	} {
		var p recordParser
		var v oci.Values
		kind, id, err := p.exportLine([]byte(tc.line), &v)
		if err != nil || kind != tc.kind || id != tc.id {
			t.Errorf("%q: kind %d id %q err %v, want kind %d id %q", tc.line, kind, id, err, tc.kind, tc.id)
		}
	}
}

func TestExportRecordLineHasExactValues(t *testing.T) {
	line := `{"sku":"sku-\u00e9\"1","onHand":27,"reserved":0.001,"atf":17,"ato":27.25,"safetyStockCount":10,` +
		`"groupReserved":1.5e1,"sharedGroupReserved":0.0010,"effectiveDate":"2026-03-01T12:00:00Z",` +
		`"futures":[{"expectedDate":"2026-04-01T00:00:00.5-07:00","quantity":10.25,"note":{"x":[1,true,null]}}],"extra":[{}]}`
	var p recordParser
	var v oci.Values
	kind, _, err := p.exportLine([]byte(line), &v)
	if err != nil || kind != lineRecord {
		t.Fatal(kind, err)
	}
	want := oci.Values{SKU: "sku-é\"1", OnHand: q("27"), Reserved: q("0.001"), ATF: q("17"), ATO: q("27.25"),
		SafetyStock: q("10"), GroupReserved: q("15"), SharedReserved: q("0.001"), Exists: true,
		EffectiveDate: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	fut := oci.Future{Quantity: q("10.25"), ExpectedDate: time.Date(2026, 4, 1, 7, 0, 0, 5e8, time.UTC)}
	if len(v.Futures) != 1 || v.Futures[0] != fut {
		t.Fatalf("futures %+v, want %+v", v.Futures, fut)
	}
	v.Futures = nil
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("values\n%+v, want\n%+v", v, want)
	}
}

func TestExportRecordNullsAreZero(t *testing.T) {
	var p recordParser
	var v oci.Values
	if _, _, err := p.exportLine([]byte(`{"sku":"s","onHand":null,"effectiveDate":null,"futures":null,"exists":false}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.OnHand != 0 || !v.EffectiveDate.IsZero() || v.Futures != nil || v.Exists {
		t.Fatalf("values %+v", v)
	}
}

func TestBadExportLinesAreRefused(t *testing.T) {
	deep := strings.Repeat("[", 100) + strings.Repeat("]", 100)
	for _, line := range []string{
		`{"sku":"s","onHand":1.0001}`,        // beyond 3 decimals
		`{"sku":"s","onHand":01}`,            // leading zero
		`{"sku":"s","onHand":"1"}`,           // a string
		`{"sku":"s","onHand":1e400}`,         // too large
		`{"sku":"s","onHand":-}`,             // not a number
		`{"sku":"s","effectiveDate":"soon"}`, // not a date
		`{"sku":"s"} x`,                      // data after the object
		`{"sku":"s"`,                         // truncated
		`{"sku":"s",}`,                       // trailing comma
		`{"sku":""}`,                         // empty sku
		`{"sku":"a` + "\x01" + `"}`,          // raw control character
		`{"sku":"a` + "\xff" + `"}`,          // invalid UTF-8
		`{"sku":"a\x"}`,                      // bad escape
		`{"sku":"s","groupId":"g"}`,          // record and header
		`{"groupId":"g","locationId":"l"}`,   // two headers
		`{"groupId":""}`,                     // empty place
		`{"deltaToken":""}`,                  // empty token
		`{"other":1}`,                        // nothing known
		`{"sku":"s","x":` + deep + `}`,       // nested too deeply
		`["sku"]`,                            // not an object
		`{"sku":"s","futures":[{"quantity":1,"expectedDate":"2026-01-01T00:00:00Z"},]}`,
	} {
		var p recordParser
		var v oci.Values
		if kind, _, err := p.exportLine([]byte(line), &v); err == nil {
			t.Errorf("%q: accepted as kind %d", line, kind)
		}
	}
}

func TestParseQtyFastPathMatchesParseQty(t *testing.T) {
	for _, s := range []string{"0", "1", "27", "10.25", "0.001", "0.5", "999999999999.999", "1000000000000",
		"1000000000001", "00", "1.", ".5", "1.2345", "1.250", "-3", "1e3", "12345678901234"} {
		got, gerr := parseQty([]byte(s))
		want, werr := oci.ParseQty([]byte(s))
		if got != want || (gerr == nil) != (werr == nil) {
			t.Errorf("%s: fast %v %v, oci.ParseQty %v %v", s, got, gerr, want, werr)
		}
	}
}

func TestExportReaderBatchesPerPlace(t *testing.T) {
	file := `{"groupId":"a"}
{"sku":"1","onHand":1}
{"sku":"2","onHand":2}
{"sku":"3","onHand":3}
{"groupId":"empty"}

{"groupId":"b"}
{"sku":"4","onHand":4.5}
{"deltaToken":"T"}
`
	type call struct {
		place string
		skus  string
	}
	var calls []call
	tok, n, err := readExport(strings.NewReader(file), oci.PlaceGroup, 2, 1<<10, func(place string, vs []oci.Values) error {
		var skus []string
		for _, v := range vs {
			skus = append(skus, v.SKU)
		}
		calls = append(calls, call{place, strings.Join(skus, ",")})
		return nil
	})
	if err != nil || tok != "T" || n != 4 {
		t.Fatalf("token %q, %d records, err %v", tok, n, err)
	}
	want := []call{{"a", "1,2"}, {"a", "3"}, {"empty", ""}, {"b", "4"}}
	if len(calls) != len(want) {
		t.Fatalf("calls %v, want %v", calls, want)
	}
	for i := range want {
		if calls[i] != want[i] {
			t.Fatalf("calls %v, want %v", calls, want)
		}
	}
}

func TestExportReaderRefusesBadFiles(t *testing.T) {
	for name, tc := range map[string]struct {
		file string
		is   error
	}{
		"no token line":         {"{\"groupId\":\"a\"}\n{\"sku\":\"1\"}\n", ErrTruncated},
		"cut inside a record":   {"{\"groupId\":\"a\"}\n{\"sku\":\"1\",\"onHa", nil},
		"record before header":  {"{\"sku\":\"1\"}\n{\"deltaToken\":\"T\"}\n", nil},
		"data after the token":  {"{\"groupId\":\"a\"}\n{\"deltaToken\":\"T\"}\n{\"sku\":\"1\"}\n", nil},
		"location in groups":    {"{\"locationId\":\"a\"}\n{\"deltaToken\":\"T\"}\n", nil},
		"line longer than 1KiB": {"{\"groupId\":\"a\"}\n{\"sku\":\"" + strings.Repeat("x", 2000) + "\"}\n{\"deltaToken\":\"T\"}\n", nil},
		"empty file":            {"", ErrTruncated},
	} {
		_, _, err := readExport(strings.NewReader(tc.file), oci.PlaceGroup, 8, 1<<10, func(string, []oci.Values) error { return nil })
		if err == nil || (tc.is != nil && !errors.Is(err, tc.is)) {
			t.Errorf("%s: err %v", name, err)
		}
	}
}

func TestExportReaderTakesALastLineWithoutNewline(t *testing.T) {
	tok, _, err := readExport(strings.NewReader("{\"locationId\":\"a\"}\r\n{\"deltaToken\":\"T\"}"), oci.PlaceLocation, 8, 1<<10,
		func(string, []oci.Values) error { return nil })
	if err != nil || tok != "T" {
		t.Fatal(tok, err)
	}
}
