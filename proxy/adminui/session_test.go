package adminui

import (
	"strings"
	"testing"
	"time"
)

func TestSessionValues(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	clock := func() time.Time { return now }
	s := Session{Token: "admin-token", Now: clock}
	v := s.Value()
	if strings.Contains(v, "admin-token") || !s.Valid(v) {
		t.Fatalf("a fresh value is valid and holds no token: %q", v)
	}
	cases := map[string]string{
		"empty":        "",
		"no version":   strings.TrimPrefix(v, "v1."),
		"tampered mac": v[:len(v)-1] + flip(v[len(v)-1]),
		"longer life":  strings.Replace(v, "v1.", "v1.9", 1),
		"no mac":       v[:strings.LastIndexByte(v, '.')],
	}
	for name, bad := range cases {
		if s.Valid(bad) {
			t.Errorf("%s: %q accepted", name, bad)
		}
	}
	if (Session{Token: "another-token", Now: clock}).Valid(v) {
		t.Error("a value made for another token is refused")
	}
	if (Session{Token: "", Now: clock}).Valid(v) {
		t.Error("no token configured accepts nothing")
	}
	now = now.Add(SessionTTL)
	if s.Valid(v) {
		t.Error("an expired value is refused")
	}
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}
