package modes

import (
	"encoding/json"
	"testing"
)

func TestZeroValueIsCommercePlatform(t *testing.T) {
	var m Mode
	if m != CommercePlatform || m.String() != "COMMERCE_PLATFORM" {
		t.Errorf("zero Mode = %s; want COMMERCE_PLATFORM", m)
	}
}

func TestNames(t *testing.T) {
	tests := []struct {
		m                   Mode
		wire, script, label string
	}{
		{CommercePlatform, "COMMERCE_PLATFORM", "B2C", "Commerce Platform Inventory"},
		{OCICacheEnabled, "OCI_CACHE_ENABLED", "OCI_CACHE", "OCI Cache Enabled"},
		{OmnichannelInventory, "OMNICHANNEL_INVENTORY", "OCI", "Omnichannel Inventory"},
		{Mode(3), "Mode(3)", "", ""},
	}
	for _, tc := range tests {
		if got := tc.m.String(); got != tc.wire {
			t.Errorf("String() = %q; want %q", got, tc.wire)
		}
		if got := tc.m.ScriptAPIName(); got != tc.script {
			t.Errorf("%s.ScriptAPIName() = %q; want %q", tc.wire, got, tc.script)
		}
		if got := tc.m.Label(); got != tc.label {
			t.Errorf("%s.Label() = %q; want %q", tc.wire, got, tc.label)
		}
	}
}

func TestParse(t *testing.T) {
	for _, m := range All() {
		got, err := Parse(m.String())
		if err != nil || got != m {
			t.Errorf("Parse(%q) = %s, %v; want %s", m.String(), got, err, m)
		}
	}
	for _, bad := range []string{"", "commerce_platform", "OCI", "B2C", "OCI_CACHE", " OCI_CACHE_ENABLED", "Mode(3)"} {
		_, err := Parse(bad)
		if ErrorCode(err) != EINVALID {
			t.Errorf("Parse(%q) err = %v; want code %s", bad, err, EINVALID)
		}
	}
}

func TestJSON(t *testing.T) {
	type body struct {
		Mode  Mode `json:"mode"`
		Force bool `json:"force"`
	}
	for _, m := range All() {
		b, err := json.Marshal(body{Mode: m})
		if err != nil {
			t.Fatal(err)
		}
		want := `{"mode":"` + m.String() + `","force":false}`
		if string(b) != want {
			t.Errorf("Marshal = %s; want %s", b, want)
		}
		var back body
		if err := json.Unmarshal(b, &back); err != nil || back.Mode != m {
			t.Errorf("Unmarshal(%s) = %+v, %v", b, back, err)
		}
	}
}

func TestJSONRejects(t *testing.T) {
	if _, err := json.Marshal(Mode(7)); err == nil {
		t.Error("Marshal(Mode(7)) succeeded")
	}
	for _, in := range []string{`"OCI"`, `""`, `1`, `null`} {
		m := OCICacheEnabled
		err := json.Unmarshal([]byte(in), &m)
		if in == "null" {
			// encoding/json leaves a value unchanged on null.
			if err != nil || m != OCICacheEnabled {
				t.Errorf("Unmarshal(null) = %s, %v", m, err)
			}
			continue
		}
		if err == nil || m != OCICacheEnabled {
			t.Errorf("Unmarshal(%s) = %s, %v; want error and mode unchanged", in, m, err)
		}
	}
}

func TestJSONMapKey(t *testing.T) {
	in := map[Mode]int{OmnichannelInventory: 2, CommercePlatform: 1}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"COMMERCE_PLATFORM":1,"OMNICHANNEL_INVENTORY":2}`; string(b) != want {
		t.Errorf("Marshal = %s; want %s", b, want)
	}
}

func TestRouting(t *testing.T) {
	tests := []struct {
		m                                  Mode
		fromCache, atCore, fills, legacyOK bool
	}{
		{CommercePlatform, false, false, false, true},
		{OCICacheEnabled, false, false, true, true},
		{OmnichannelInventory, true, true, true, false},
		{Mode(3), false, false, false, false},
	}
	for _, tc := range tests {
		got := [4]bool{tc.m.AvailabilityFromCache(), tc.m.ReservationsAtCore(), tc.m.FillsCache(), tc.m.LegacyWritesAllowed()}
		want := [4]bool{tc.fromCache, tc.atCore, tc.fills, tc.legacyOK}
		if got != want {
			t.Errorf("%s: [fromCache atCore fills legacyOK] = %v; want %v", tc.m, got, want)
		}
	}
}
