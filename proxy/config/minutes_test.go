package config

import (
	"strings"
	"testing"
	"time"
)

func TestParseMinutesText(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  string
	}{
		{" 30 ", 30 * time.Minute, ""},
		{"+5", 5 * time.Minute, ""},
		{"-5", -5 * time.Minute, ""},
		{"90s", 90 * time.Second, ""},
		{"153722867280912930", 0, "minutes is too long"},
		{"-153722867280912930", 0, "minutes is too long"},
		{"99999999999999999999", 0, "is neither a whole number of minutes nor a Go duration"},
		{"30 m", 0, "is neither"},
		{"m", 0, "is neither"},
	}
	for _, tc := range tests {
		got, err := ParseMinutes(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseMinutes(%q) = %s, %v; want error %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || got.Duration() != tc.want {
			t.Errorf("ParseMinutes(%q) = %s, %v; want %s", tc.in, got, err, tc.want)
		}
	}
}

// MarshalText writes what ParseMinutes reads back.
func TestMinutesRoundTrip(t *testing.T) {
	for _, d := range []time.Duration{0, time.Second, 30 * time.Minute, 1500 * time.Millisecond, 240 * time.Minute} {
		text, _ := Minutes(d).MarshalText()
		back, err := ParseMinutes(string(text))
		if err != nil || back.Duration() != d {
			t.Errorf("%s -> %q -> %s, %v", d, text, back, err)
		}
	}
}
