package inventory

import (
	"encoding/json"
	"testing"
)

func TestParseQuantity(t *testing.T) {
	tests := []struct {
		in   string
		want Quantity
		ok   bool
	}{
		{"0", 0, true},
		{"12", 12000, true},
		{"12.5", 12500, true},
		{"0.125", 125, true},
		{"-3", -3000, true},
		{"+4.2", 4200, true},
		{".5", 500, true},
		{"5.", 5000, true},
		{"1.2500", 1250, true},
		{"007", 7000, true},
		{"999999999999.999", MaxQuantity, true},
		{"1000000000000", 0, false},
		{"1.2345", 0, false},
		{"", 0, false},
		{".", 0, false},
		{"-", 0, false},
		{"1e3", 0, false},
		{"1,5", 0, false},
		{" 1", 0, false},
		{"0x10", 0, false},
		{"1.2.3", 0, false},
		{"NaN", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseQuantity(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseQuantity(%q) = %d, %v; want %d, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestParseJSONQuantity(t *testing.T) {
	tests := []struct {
		in   string
		want Quantity
		ok   bool
	}{
		{"1e3", Units(1000), true},
		{"2.5E-1", 250, true},
		{"1.5e1", Units(15), true},
		{"-1e0", -Unit, true},
		{"1e-4", 0, false},
		{"1e40", 0, false},
		{"e3", 0, false},
		{"1e", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseJSONQuantity(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseJSONQuantity(%q) = %d, %v; want %d, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestQuantityStringRoundTrip(t *testing.T) {
	for _, s := range []string{"0", "12", "12.5", "0.125", "-3", "-0.001", "999999999999.999", "10.05"} {
		v, err := ParseQuantity(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.String(); got != s {
			t.Errorf("String(%q) = %q", s, got)
		}
	}
	if got := Infinite.String(); got != "Infinity" {
		t.Errorf("Infinite = %q", got)
	}
}

func TestQuantityJSON(t *testing.T) {
	b, err := json.Marshal(struct{ A, B Quantity }{q("1.5"), Infinite})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"A":1.5,"B":999999}` {
		t.Errorf("got %s", b)
	}
	var v struct{ A Quantity }
	if err := json.Unmarshal([]byte(`{"A":2.25}`), &v); err != nil || v.A != q("2.25") {
		t.Errorf("unmarshal = %v, %v", v.A, err)
	}
	if err := json.Unmarshal([]byte(`{"A":"2"}`), &v); err == nil {
		t.Error("a JSON string was accepted as a quantity")
	}
}
