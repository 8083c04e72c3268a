package config

import (
	"strings"
	"testing"
	"time"
)

// Each case breaks one rule of a valid configuration and expects exactly
// the one problem that rule reports.
func TestValidateRules(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(c *Config)
		want   string
	}{
		{"organizationId required", func(c *Config) { c.OrganizationID = "" }, "organizationId: required"},
		{"organizationId pattern", func(c *Config) { c.OrganizationID = "x" },
			`organizationId: "x" does not match ^f_ecom_[a-z]{4}_(prd|stg|dev|s[0-9]{2}|[0-9]{3})$`},
		{"organizationId instance", func(c *Config) { c.OrganizationID = "f_ecom_zzzz_prod" }, `organizationId: "f_ecom_zzzz_prod" does not match`},
		{"organizationId realm", func(c *Config) { c.OrganizationID = "f_ecom_ZZZZ_001" }, `organizationId: "f_ecom_ZZZZ_001" does not match`},
		{"core.url required", func(c *Config) { c.Core.URL = "" }, "core.url: required"},
		{"core.url scheme", func(c *Config) { c.Core.URL = "ftp://core" }, `core.url: "ftp://core" must be an http or https URL`},
		{"core.url relative", func(c *Config) { c.Core.URL = "127.0.0.1:8081" }, `core.url: "127.0.0.1:8081"`},
		{"core.url host", func(c *Config) { c.Core.URL = "http:///x" }, `core.url: "http:///x" has no host`},
		{"core.url query", func(c *Config) { c.Core.URL = "http://core?a=b" }, `core.url: "http://core?a=b" must be a base URL, without user, query or fragment`},
		{"core.url user", func(c *Config) { c.Core.URL = "http://u:p@core" }, "core.url: \"http://u:p@core\" must be a base URL"},
		{"core.url fragment", func(c *Config) { c.Core.URL = "https://core/#x" }, "core.url: \"https://core/#x\" must be a base URL"},
		{"core.url unparsable", func(c *Config) { c.Core.URL = "http://[::1" }, `core.url: "http://[::1" is not a URL`},
		{"tenantGroupId required", func(c *Config) { c.Core.TenantGroupID = "" }, "core.tenantGroupId: required"},
		{"tenantGroupId chars", func(c *Config) { c.Core.TenantGroupID = "a/b" }, `core.tenantGroupId: "a/b" must be 1–128 characters`},
		{"tenantGroupId length", func(c *Config) { c.Core.TenantGroupID = strings.Repeat("t", 129) }, "core.tenantGroupId: "},
		{"clientId required", func(c *Config) { c.Core.ClientID = "" }, "core.clientId: required"},
		{"clientId colon", func(c *Config) { c.Core.ClientID = "a:b" }, `core.clientId: "a:b" must not contain ':'`},
		{"clientSecret required", func(c *Config) { c.Core.ClientSecret = "" },
			"core.clientSecret: required (or core.clientSecretEnv naming an environment variable)"},
		{"clientSecretEnv empty", func(c *Config) { c.Core.ClientSecret, c.Core.ClientSecretEnv = "", "X" },
			`core.clientSecretEnv: environment variable "X" is empty or unset`},
		{"timeout positive", func(c *Config) { c.Core.Timeout = 0 }, "core.timeout: 0s must be positive"},
		{"retries negative", func(c *Config) { c.Core.Retries = -1 }, "core.retries: -1 must be between 0 and 10"},
		{"retries bounded", func(c *Config) { c.Core.Retries = 11 }, "core.retries: 11 must be between 0 and 10"},
		{"breaker failures", func(c *Config) { c.Core.Breaker.Failures = 0 }, "core.breaker.failures: 0 must be at least 1"},
		{"breaker openFor", func(c *Config) { c.Core.Breaker.OpenFor = -time.Second }, "core.breaker.openFor: -1s must be positive"},
		{"admin token required", func(c *Config) { c.Admin.Token = "" }, "admin.token: required (or admin.tokenEnv"},
		{"admin tokenEnv empty", func(c *Config) { c.Admin.Token, c.Admin.TokenEnv = "", "ADMIN" },
			`admin.tokenEnv: environment variable "ADMIN" is empty or unset`},
		{"storefront token required", func(c *Config) { c.Storefront.RequireToken = true }, "storefront.token: required (or storefront.tokenEnv"},
		{"storefront tokenEnv empty", func(c *Config) { c.Storefront.RequireToken, c.Storefront.TokenEnv = true, "SF" },
			`storefront.tokenEnv: environment variable "SF" is empty or unset`},
		{"storefront token without require", func(c *Config) { c.Storefront.Token = "t" }, "storefront.requireToken: is false, but a storefront token is set"},
		{"storefront tokenEnv without require", func(c *Config) { c.Storefront.TokenEnv = "SF" }, "storefront.requireToken: is false"},
		{"sites required", func(c *Config) { c.Sites = nil }, "sites: at least one site is required"},
		{"site id empty", func(c *Config) { c.Sites[0].ID = "" }, `sites[0].id: "" must be 1–32 characters of A-Z a-z 0-9 _ -`},
		{"site id length", func(c *Config) { c.Sites[0].ID = strings.Repeat("s", 33) }, "sites[0].id: "},
		{"site id chars", func(c *Config) { c.Sites[0].ID = "Ref Arch" }, `sites[0].id: "Ref Arch" must be`},
		{"site id unique", func(c *Config) { c.Sites = append(c.Sites, Site{ID: "RefArch", InventoryList: "online-us"}) },
			`sites[1].id: "RefArch" is already the id of sites[0]`},
		{"site list required", func(c *Config) { c.Sites[0].InventoryList = "" }, "sites[0].inventoryList: required"},
		{"site list declared", func(c *Config) { c.Sites = append(c.Sites, Site{ID: "B", InventoryList: "nope"}) },
			`sites[1].inventoryList: "nope" is not an inventory list in inventoryLists`},
		{"site auto-fail negative", func(c *Config) { c.Sites[0].FailNonPlacedOrdersAfter = Minutes(-time.Minute) },
			"sites[0].failNonPlacedOrdersAfter: -1m0s must not be negative"},
		{"store id empty", func(c *Config) { c.Stores = []Store{{ID: "", InventoryList: "online-us"}} }, `stores[0].id: "" must be 1–256 characters`},
		{"store id space", func(c *Config) { c.Stores = []Store{{ID: "a b", InventoryList: "online-us"}} }, `stores[0].id: "a b"`},
		{"store id slash", func(c *Config) { c.Stores = []Store{{ID: "a/b", InventoryList: "online-us"}} }, `stores[0].id: "a/b"`},
		{"store id control", func(c *Config) { c.Stores = []Store{{ID: "a\x00", InventoryList: "online-us"}} }, `stores[0].id: "a\x00"`},
		{"store id invalid utf-8", func(c *Config) { c.Stores = []Store{{ID: "a\xff", InventoryList: "online-us"}} }, `stores[0].id: "a\xff"`},
		{"store id length", func(c *Config) { c.Stores = []Store{{ID: strings.Repeat("é", 257), InventoryList: "online-us"}} }, "stores[0].id: "},
		{"store id unique", func(c *Config) {
			c.Stores = []Store{{ID: "s1", InventoryList: "online-us"}, {ID: "s1", InventoryList: "online-us"}}
		}, `stores[1].id: "s1" is already the id of stores[0]`},
		{"store list required", func(c *Config) { c.Stores = []Store{{ID: "s1"}} }, "stores[0].inventoryList: required"},
		{"store list declared", func(c *Config) { c.Stores = []Store{{ID: "s1", InventoryList: "phoenix"}} },
			`stores[0].inventoryList: "phoenix" is not an inventory list in inventoryLists`},
		{"list id short", func(c *Config) { c.InventoryLists = append(c.InventoryLists, InventoryList{ID: "x"}) },
			`inventoryLists[1].id: "x" must be 2–128 characters of A-Z a-z 0-9 _ -`},
		{"list id long", func(c *Config) {
			c.InventoryLists = append(c.InventoryLists, InventoryList{ID: strings.Repeat("l", 129)})
		},
			"inventoryLists[1].id: "},
		{"list id chars", func(c *Config) { c.InventoryLists = append(c.InventoryLists, InventoryList{ID: "a.b"}) }, `inventoryLists[1].id: "a.b"`},
		{"list id unique", func(c *Config) { c.InventoryLists = append(c.InventoryLists, InventoryList{ID: "online-us"}) },
			`inventoryLists[1].id: "online-us" is already the id of inventoryLists[0]`},
		{"reservation default positive", func(c *Config) { c.BasketReservation.DefaultMinutes = 0 },
			"basketReservation.defaultMinutes: 0s must be at least 1s"},
		{"reservation default whole seconds", func(c *Config) { c.BasketReservation.DefaultMinutes = Minutes(1500 * time.Millisecond) },
			"basketReservation.defaultMinutes: 1.5s must be a whole number of seconds"},
		{"reservation default within max", func(c *Config) { c.BasketReservation.MaxMinutes = Minutes(5 * time.Minute) },
			"basketReservation.defaultMinutes: 10m0s is longer than basketReservation.maxMinutes (5m0s)"},
		{"reservation default within limit", func(c *Config) {
			c.BasketReservation.DefaultMinutes = Minutes(241 * time.Minute)
		}, "basketReservation.defaultMinutes: 4h1m0s is longer than 240 minutes"},
		{"reservation max limit", func(c *Config) { c.BasketReservation.MaxMinutes = Minutes(241 * time.Minute) },
			"basketReservation.maxMinutes: 4h1m0s is longer than 240 minutes"},
		{"reservation max positive", func(c *Config) {
			c.BasketReservation.MaxMinutes = Minutes(-time.Minute)
			c.BasketReservation.DefaultMinutes = Minutes(time.Second)
		}, "basketReservation.maxMinutes: -1m0s must be at least 1s"},
		{"maxRecords positive", func(c *Config) { c.Cache.MaxRecords = 0 }, "cache.maxRecords: 0 must be between 1 and 100000000"},
		{"maxRecords limit", func(c *Config) { c.Cache.MaxRecords = MaxCacheRecords + 1 }, "cache.maxRecords: 100000001 must be between"},
		{"numCounters at least maxRecords", func(c *Config) { c.Cache.NumCounters = c.Cache.MaxRecords - 1 },
			"cache.numCounters: 1999999 must be at least cache.maxRecords (2000000)"},
		{"numCounters negative", func(c *Config) { c.Cache.NumCounters = -1 }, "cache.numCounters: -1 must be at least"},
		{"numCounters limit", func(c *Config) { c.Cache.NumCounters = maxCounters + 1 }, "cache.numCounters: 1000000001 must be at most 1000000000"},
		{"missWait positive", func(c *Config) { c.Cache.MissWait = 0 }, "cache.missWait: 0s must be positive"},
		{"pollInterval positive", func(c *Config) { c.Streams.PollInterval = 0 }, "streams.pollInterval: 0s must be positive"},
		{"graphPollInterval positive", func(c *Config) { c.Streams.GraphPollInterval = -1 }, "streams.graphPollInterval: -1ns must be positive"},
		{"retention negative", func(c *Config) { c.InventoryRecordRetentionDays = -1 }, "inventoryRecordRetentionDays: -1 must be between 0 (never) and 365"},
		{"retention limit", func(c *Config) { c.InventoryRecordRetentionDays = 366 }, "inventoryRecordRetentionDays: 366 must be between"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := MustParse(t, minimal, nil)
			tc.mutate(c)
			err := c.Validate()
			wantProblems(t, err, tc.want)
			if f, _, _ := strings.Cut(tc.want, ":"); fieldOf(err) != f {
				t.Errorf("FieldError.Field = %q; want %q", fieldOf(err), f)
			}
		})
	}
}

// The edges of each rule are accepted.
func TestValidateAcceptsLimits(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(c *Config)
	}{
		{"organizationId forms", func(c *Config) { c.OrganizationID = "f_ecom_abcd_s01" }},
		{"organizationId prd", func(c *Config) { c.OrganizationID = "f_ecom_abcd_prd" }},
		{"https core", func(c *Config) { c.Core.URL = "https://core.example.com:8443/base/" }},
		{"tenant 128", func(c *Config) { c.Core.TenantGroupID = strings.Repeat("t", 128) }},
		{"retries 0", func(c *Config) { c.Core.Retries = 0 }},
		{"retries 10", func(c *Config) { c.Core.Retries = 10 }},
		{"site id 32", func(c *Config) { c.Sites[0].ID = strings.Repeat("S", 32) }},
		{"site id 1", func(c *Config) { c.Sites[0].ID = "S" }},
		{"list id 2 and 128", func(c *Config) {
			c.InventoryLists = append(c.InventoryLists, InventoryList{ID: "ab"}, InventoryList{ID: strings.Repeat("l", 128)})
		}},
		{"store id 256 runes", func(c *Config) { c.Stores = []Store{{ID: strings.Repeat("é", 256), InventoryList: "online-us"}} }},
		{"shared lists", func(c *Config) {
			c.Sites = append(c.Sites, Site{ID: "B", InventoryList: "online-us"})
			c.Stores = []Store{{ID: "s1", InventoryList: "online-us"}, {ID: "s2", InventoryList: "online-us"}}
		}},
		{"auto-fail short", func(c *Config) { c.Sites[0].FailNonPlacedOrdersAfter = Minutes(time.Millisecond) }},
		{"reservation default = max", func(c *Config) {
			c.BasketReservation.DefaultMinutes = Minutes(MaxReservation)
		}},
		{"reservation 1s", func(c *Config) {
			c.BasketReservation.DefaultMinutes, c.BasketReservation.MaxMinutes = Minutes(time.Second), Minutes(time.Second)
		}},
		{"maxRecords bounds", func(c *Config) { c.Cache.MaxRecords = MaxCacheRecords; c.Cache.NumCounters = maxCounters }},
		{"numCounters = maxRecords", func(c *Config) { c.Cache.NumCounters = c.Cache.MaxRecords }},
		{"retention 365", func(c *Config) { c.InventoryRecordRetentionDays = 365 }},
		{"storefront token", func(c *Config) { c.Storefront.RequireToken, c.Storefront.Token = true, "t" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := MustParse(t, minimal, nil)
			tc.mutate(c)
			if err := c.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

func TestValidateDoesNotModify(t *testing.T) {
	c := MustParse(t, minimal, nil)
	before := *c
	c.Sites[0].InventoryList = "nope"
	c.Validate()
	if c.Cache != before.Cache || c.Core != before.Core || c.Sites[0].InventoryList != "nope" {
		t.Errorf("Validate changed the config")
	}
}

// A file with many problems reports all of them, in file order, at once.
func TestParseReportsEveryProblem(t *testing.T) {
	const text = `
organizationId: x
core: {url: "ftp://core", clientId: dev, clientSecret: s, retries: 20}
admin: {token: t}
sites:
  - {id: RefArch, inventoryList: online-us}
  - {id: Other, inventoryList: nope}
inventoryLists: [{id: online-us}, {id: x}]
cache: {maxRecords: 0}
`
	_, err := Parse([]byte(text), nil)
	wantProblems(t, err,
		`organizationId: "x" does not match`,
		`core.url: "ftp://core" must be an http or https URL`,
		"core.tenantGroupId: required",
		"core.retries: 20 must be between 0 and 10",
		`inventoryLists[1].id: "x" must be 2–128 characters`,
		`sites[1].inventoryList: "nope" is not an inventory list in inventoryLists`,
		"cache.maxRecords: 0 must be between 1 and 100000000",
	)
}
