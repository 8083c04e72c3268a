package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseFillsDefaults(t *testing.T) {
	c := MustParse(t, minimal, nil)
	want := Default()
	want.OrganizationID = "f_ecom_zzzz_001"
	want.Core.TenantGroupID, want.Core.ClientID, want.Core.ClientSecret = "tenant1", "dev", "dev-secret"
	want.Admin.Token = "change-me"
	want.Sites = []Site{{ID: "RefArch", InventoryList: "online-us"}}
	want.InventoryLists = []InventoryList{{ID: "online-us"}}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("Parse(minimal) =\n%+v\nwant\n%+v", *c, *want)
	}
}

// The documented defaults, spelled out once more so that changing one is a
// visible decision.
func TestDefaultValues(t *testing.T) {
	c := MustParse(t, minimal, nil)
	got := []any{c.Core.URL, c.Core.Timeout, c.Core.Retries, c.Core.Breaker.Failures, c.Core.Breaker.OpenFor,
		c.Storefront.RequireToken, c.Sites[0].FailNonPlacedOrdersAfter.Duration(), c.InventoryLists[0].DefaultInStock,
		c.BasketReservation.DefaultMinutes.Duration(), c.BasketReservation.MaxMinutes.Duration(),
		c.Cache.MaxRecords, c.Cache.Counters(), c.Cache.MissWait, c.Cache.CombinedStreamWindow,
		c.Streams.PollInterval, c.Streams.GraphPollInterval, c.InventoryRecordRetentionDays}
	want := []any{"http://127.0.0.1:8081", 2 * time.Second, 2, 5, 5 * time.Second,
		false, time.Duration(0), false,
		10 * time.Minute, 240 * time.Minute,
		int64(2_000_000), int64(4_000_000), 2 * time.Second, false,
		25 * time.Millisecond, 5 * time.Second, 0}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("defaults =\n%v\nwant\n%v", got, want)
	}
}

// The example file documents the defaults it shows; they must be the real ones.
func TestExampleShowsDefaults(t *testing.T) {
	ex, err := Load("example.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	def := MustParse(t, minimal, nil)
	if ex.Core.URL != def.Core.URL || ex.Core.Timeout != def.Core.Timeout || ex.Core.Retries != def.Core.Retries ||
		ex.Core.Breaker != def.Core.Breaker || ex.Storefront != def.Storefront ||
		ex.BasketReservation != def.BasketReservation || ex.Cache != def.Cache || ex.Streams != def.Streams ||
		ex.InventoryRecordRetentionDays != def.InventoryRecordRetentionDays {
		t.Errorf("example.yaml shows values that are not the defaults:\n%+v\n%+v", *ex, *def)
	}
}

func TestParseKeepsExplicitZeros(t *testing.T) {
	c := MustParse(t, withCore("retries: 0"), nil)
	if c.Core.Retries != 0 {
		t.Errorf("retries = %d; want the explicit 0", c.Core.Retries)
	}
	if c.Core.Timeout != DefaultCoreTimeout {
		t.Errorf("timeout = %s; want the default, as the file leaves it out", c.Core.Timeout)
	}
}

func TestParseNullSectionKeepsDefaults(t *testing.T) {
	c := MustParse(t, minimal+"cache:\nstreams: ~\n", nil)
	if c.Cache.MaxRecords != DefaultCacheMaxRecords || c.Streams.PollInterval != DefaultStreamPollInterval {
		t.Errorf("cache = %+v, streams = %+v; want defaults", c.Cache, c.Streams)
	}
}

func TestParseSecretsFromEnvironment(t *testing.T) {
	const base = `
organizationId: f_ecom_zzzz_001
sites: [{id: RefArch, inventoryList: online-us}]
inventoryLists: [{id: online-us}]
`
	const core = "core: {tenantGroupId: t, clientId: dev, clientSecretEnv: CORE_SECRET}\n"
	const admin = "admin: {tokenEnv: ADMIN_TOKEN}\n"
	full := map[string]string{"CORE_SECRET": "s3", "ADMIN_TOKEN": "a1", "SF_TOKEN": "sf"}
	tests := []struct {
		name string
		text string
		env  map[string]string
		want []string // problems; none means success
	}{
		{"all from env", base + core + admin, full, nil},
		{"core secret unset", base + core + admin, map[string]string{"ADMIN_TOKEN": "a1"},
			[]string{`core.clientSecretEnv: environment variable "CORE_SECRET" is empty or unset`}},
		{"nil environment", base + core + admin, nil, []string{
			`core.clientSecretEnv: environment variable "CORE_SECRET" is empty`,
			`admin.tokenEnv: environment variable "ADMIN_TOKEN" is empty`}},
		{"both forms", base + core + "admin: {token: a, tokenEnv: ADMIN_TOKEN}\n", full,
			[]string{"admin.token: set either admin.token or admin.tokenEnv, not both"}},
		{"core both forms", base + "core: {tenantGroupId: t, clientId: dev, clientSecret: x, clientSecretEnv: CORE_SECRET}\n" + admin, full,
			[]string{"core.clientSecret: set either core.clientSecret or core.clientSecretEnv, not both"}},
		{"storefront from env", base + core + admin + "storefront: {requireToken: true, tokenEnv: SF_TOKEN}\n", full, nil},
		{"storefront env unset", base + core + admin + "storefront: {requireToken: true, tokenEnv: NOPE}\n", full,
			[]string{`storefront.tokenEnv: environment variable "NOPE" is empty or unset`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			getenv := env(tc.env)
			if tc.env == nil {
				getenv = nil
			}
			c, err := Parse([]byte(tc.text), getenv)
			wantProblems(t, err, tc.want...)
			if err == nil && (string(c.Core.ClientSecret) != "s3" || string(c.Admin.Token) != "a1") {
				t.Errorf("secrets = %q, %q; want s3, a1", string(c.Core.ClientSecret), string(c.Admin.Token))
			}
			if err == nil && c.Storefront.RequireToken && string(c.Storefront.Token) != "sf" {
				t.Errorf("storefront token = %q; want sf", string(c.Storefront.Token))
			}
		})
	}
}

func TestParseMinutes(t *testing.T) {
	tests := []struct {
		yaml string
		want time.Duration
		bad  string // problem, if the value is refused
	}{
		{"30", 30 * time.Minute, ""},
		{`"30"`, 30 * time.Minute, ""},
		{"30m", 30 * time.Minute, ""},
		{"15s", 15 * time.Second, ""},
		{"1h30m", 90 * time.Minute, ""},
		{"1440", 24 * time.Hour, ""},
		{"", 0, ""},
		{`""`, 0, ""},
		{"~", 0, ""},
		{"0", 0, ""},
		{"abc", 0, `line 12: "abc" is neither a whole number of minutes nor a Go duration such as 30m or 15s`},
		{"1.5", 0, `"1.5" is neither a whole number of minutes`},
		{"[30]", 0, "line 12: want a number of minutes or a Go duration"},
		{"99999999999999", 0, `"99999999999999" minutes is too long`},
		{"-5", 0, "sites[0].failNonPlacedOrdersAfter: -5m0s must not be negative"},
	}
	for _, tc := range tests {
		t.Run(tc.yaml, func(t *testing.T) {
			c, err := Parse([]byte(withSite(tc.yaml)), nil)
			if tc.bad != "" {
				wantProblems(t, err, tc.bad)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Sites[0].FailNonPlacedOrdersAfter.Duration(); got != tc.want {
				t.Errorf("failNonPlacedOrdersAfter = %s; want %s", got, tc.want)
			}
		})
	}
}

// TestParseBasketLifetime: minutes or a Go duration from 1 minute to 7
// days; absent means 7 days; anything else names the field.
func TestParseBasketLifetime(t *testing.T) {
	tests := []struct {
		value string
		want  time.Duration
		bad   string
	}{
		{"", 7 * 24 * time.Hour, ""},
		{"60", time.Hour, ""},
		{"1m", time.Minute, ""},
		{"168h", 7 * 24 * time.Hour, ""},
		{"10080", 7 * 24 * time.Hour, ""},
		{"10081", 0, "sites[0].basketLifetime: 168h1m0s must be between 1 minute and 7 days"},
		{"30s", 0, "sites[0].basketLifetime: 30s must be between 1 minute and 7 days"},
		{"-5", 0, "sites[0].basketLifetime: -5m0s must be between 1 minute and 7 days"},
	}
	for _, tc := range tests {
		t.Run(tc.value, func(t *testing.T) {
			y := strings.Replace(minimal, "    inventoryList: online-us\n",
				"    inventoryList: online-us\n    basketLifetime: "+tc.value+"\n", 1)
			c, err := Parse([]byte(y), nil)
			if tc.bad != "" {
				wantProblems(t, err, tc.bad)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Sites[0].BasketLife(); got != tc.want {
				t.Errorf("basket lifetime = %s; want %s", got, tc.want)
			}
		})
	}
}

func TestParseReservationMinutes(t *testing.T) {
	c := MustParse(t, minimal+"basketReservation: {defaultMinutes: 30s, maxMinutes: 60}\n", nil)
	if c.BasketReservation.DefaultMinutes.Duration() != 30*time.Second || c.BasketReservation.MaxMinutes.Duration() != time.Hour {
		t.Errorf("basketReservation = %v", c.BasketReservation)
	}
}

func TestParseDurationsNeedUnits(t *testing.T) {
	_, err := Parse([]byte(minimal+"cache: {missWait: 2}\n"), nil)
	wantProblems(t, err, "line 14: cannot unmarshal !!int `2` into time.Duration")
}

func TestParseUnknownFields(t *testing.T) {
	tests := []struct{ text, want string }{
		{minimal + "organisationId: x\n", `line 14: unknown field "organisationId"`},
		{withCore("clientSecrt: s"), `line 7: unknown field "clientSecrt"`},
		{strings.Replace(minimal, "  - id: online-us", "  - id: online-us\n    defaultInstock: true", 1),
			`line 14: unknown field "defaultInstock"`},
		{withSite("30\n    store: x"), `line 13: unknown field "store"`},
		{minimal + "cache: {size: 1}\n", `line 14: unknown field "size"`},
	}
	for _, tc := range tests {
		_, err := Parse([]byte(tc.text), nil)
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("err = %v; want %s", err, tc.want)
		}
	}
}

func TestParseJSON(t *testing.T) {
	const text = `{
  "organizationId": "f_ecom_zzzz_001",
  "core": {"tenantGroupId": "tenant1", "clientId": "dev", "clientSecret": "dev-secret", "timeout": "500ms"},
  "admin": {"token": "change-me"},
  "sites": [{"id": "RefArch", "inventoryList": "online-us", "failNonPlacedOrdersAfter": 30}],
  "stores": [{"id": "store-phoenix", "inventoryList": "phoenix"}],
  "inventoryLists": [{"id": "online-us"}, {"id": "phoenix", "defaultInStock": true}],
  "cache": {"maxRecords": 1000}
}`
	c := MustParse(t, text, nil)
	if c.Core.Timeout != 500*time.Millisecond || c.Sites[0].FailNonPlacedOrdersAfter.Duration() != 30*time.Minute ||
		c.Cache.Counters() != 2_000 {
		t.Errorf("config = %+v", *c)
	}
	if l, ok := c.List("phoenix"); !ok || !l.DefaultInStock {
		t.Errorf("List(phoenix) = %+v, %v", l, ok)
	}
	_, err := Parse([]byte(`{"organizationId": "f_ecom_zzzz_001", "extra": 1}`), nil)
	if err == nil || !strings.Contains(err.Error(), `line 1: unknown field "extra"`) {
		t.Errorf("unknown JSON field: err = %v", err)
	}
}

func TestParseRejectsFiles(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"empty", "", "the file holds no configuration"},
		{"comments only", "# nothing\n", "the file holds no configuration"},
		{"two documents", minimal + "---\norganizationId: y\n", "the file holds more than one YAML document"},
		{"syntax", "organizationId: [\n", "yaml: "},
		{"not a mapping", "- a\n- b\n", "line 1: the file must hold a mapping of fields"},
		{"scalar", "hello", "line 1: the file must hold a mapping of fields"},
		{"null document", "~\n", "line 1: the file must hold a mapping of fields"},
		{"broken second document", minimal + "---\n[\n", "the file holds more than one YAML document"},
		{"duplicate key", minimal + "organizationId: f_ecom_zzzz_002\n", `line 14: mapping key "organizationId" already defined at line 2`},
		{"duplicate nested key", withCore("clientId: other"), `line 7: mapping key "clientId" already defined at line 5`},
		{"tab indent", "core:\n\turl: x\n", "yaml: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse([]byte(tc.text), nil)
			if c != nil {
				t.Errorf("Parse returned a config: %+v", *c)
			}
			wantProblems(t, err, tc.want)
		})
	}
}

func TestLoadNamesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "edge.yaml")
	if err := os.WriteFile(path, []byte("organizationId: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "config "+path+":\n") || !strings.Contains(err.Error(), "organizationId: ") {
		t.Errorf("Load err = %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml"), nil); err == nil || !strings.Contains(err.Error(), "cannot read config") {
		t.Errorf("Load(missing) err = %v", err)
	}
}
