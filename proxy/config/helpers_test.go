package config

import (
	"errors"
	"strings"
	"testing"
)

// minimal is the smallest valid configuration: the required fields only.
const minimal = `
organizationId: f_ecom_zzzz_001
core:
  tenantGroupId: tenant1
  clientId: dev
  clientSecret: dev-secret
admin:
  token: change-me
sites:
  - id: RefArch
    inventoryList: online-us
inventoryLists:
  - id: online-us
`

// withCore returns minimal with a line added to its core section (line 7).
func withCore(line string) string {
	return strings.Replace(minimal, "  clientSecret: dev-secret\n", "  clientSecret: dev-secret\n  "+line+"\n", 1)
}

// withSite returns minimal with the site's failNonPlacedOrdersAfter set to
// value (on line 12).
func withSite(value string) string {
	return strings.Replace(minimal, "    inventoryList: online-us\n",
		"    inventoryList: online-us\n    failNonPlacedOrdersAfter: "+value+"\n", 1)
}

// env returns a getenv over a fixed map.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// MustParse parses text or fails the test.
func MustParse(tb testing.TB, text string, getenv func(string) string) *Config {
	tb.Helper()
	c, err := Parse([]byte(text), getenv)
	if err != nil {
		tb.Fatalf("Parse: %v\n%s", err, text)
	}
	return c
}

// problemsOf flattens a joined error into its messages.
func problemsOf(err error) []string {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range j.Unwrap() {
			out = append(out, problemsOf(e)...)
		}
		return out
	}
	return []string{err.Error()}
}

// wantProblems checks that err holds exactly the given problems, each
// matched as a substring, in order.
func wantProblems(tb testing.TB, err error, want ...string) {
	tb.Helper()
	got := problemsOf(err)
	if len(got) != len(want) {
		tb.Fatalf("got %d problems, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.Contains(got[i], want[i]) {
			tb.Errorf("problem %d = %q; want it to contain %q", i, got[i], want[i])
		}
	}
}

// fieldOf returns the field of the first *FieldError in err, or "".
func fieldOf(err error) string {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return ""
}
