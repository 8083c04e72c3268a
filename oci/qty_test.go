package oci

import (
	"encoding/json"
	"testing"
)

func TestParseQty(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Qty
		err  bool
	}{
		{"0", 0, false}, {"27", 27000, false}, {"10.25", 10250, false}, {"0.001", 1, false},
		{"10.2500", 10250, false}, {"-3.5", -3500, false}, {"1e3", 1_000_000, false}, {"1E-3", 1, false},
		{"100e-5", 1, false}, {"0e9", 0, false}, {"1000000000000", MaxQty, false},
		{"0.0001", 0, true}, {"1.2345", 0, true}, {"1e-4", 0, true}, {"1000000000000.001", 0, true},
		{"1e400", 0, true}, {"", 0, true}, {"01", 0, true}, {"1.", 0, true}, {".5", 0, true},
		{"\"5\"", 0, true}, {"1e", 0, true}, {"--1", 0, true}, {"NaN", 0, true}, {"1x", 0, true},
	} {
		got, err := ParseQty([]byte(c.in))
		if (err != nil) != c.err || (!c.err && got != c.want) {
			t.Errorf("ParseQty(%q) = %d, %v; want %d, err=%v", c.in, got, err, c.want, c.err)
		}
	}
}

func TestQtyRoundTrip(t *testing.T) {
	for _, s := range []string{"0", "27", "10.25", "0.001", "1137.65", "-12.5", "999999999999.999"} {
		v, err := ParseQty([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		if got := v.String(); got != s {
			t.Errorf("round trip %s -> %s", s, got)
		}
	}
	var v struct{ Q Qty }
	if err := json.Unmarshal([]byte(`{"Q":"5"}`), &v); err == nil {
		t.Error("a quoted quantity must be refused")
	}
}

func FuzzParseQty(f *testing.F) {
	for _, s := range []string{"0", "10.25", "-1e-3", "1e18", "12345678901234567890", "0.0010"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseQty([]byte(s))
		if err != nil {
			return
		}
		if v > MaxQty || v < -MaxQty {
			t.Fatalf("%q parsed out of range: %d", s, v)
		}
		back, err := ParseQty([]byte(v.String()))
		if err != nil || back != v {
			t.Fatalf("%q -> %d -> %q -> %d, %v", s, v, v.String(), back, err)
		}
	})
}
