package config

import (
	"slices"
	"testing"
)

func TestLookups(t *testing.T) {
	c := MustParse(t, `
organizationId: f_ecom_zzzz_001
core: {tenantGroupId: t, clientId: dev, clientSecret: s}
admin: {token: a}
sites:
  - {id: RefArch, inventoryList: online-us, failNonPlacedOrdersAfter: 15}
  - {id: RefArchUS2, inventoryList: online-us}
  - {id: RefArchGlobal, inventoryList: online-eu}
stores:
  - {id: store-phoenix, inventoryList: phoenix}
  - {id: store-phoenix-2, inventoryList: phoenix}
  - {id: store-austin, inventoryList: online-us}
inventoryLists: [{id: online-us}, {id: phoenix, defaultInStock: true}, {id: online-eu}, {id: spare}]
`, nil)
	if l, ok := c.SiteList("RefArchGlobal"); !ok || l != "online-eu" {
		t.Errorf("SiteList(RefArchGlobal) = %q, %v", l, ok)
	}
	if l, ok := c.SiteList("nope"); ok || l != "" {
		t.Errorf("SiteList(nope) = %q, %v", l, ok)
	}
	if s, ok := c.Site("RefArch"); !ok || s.FailNonPlacedOrdersAfter.String() != "15m0s" {
		t.Errorf("Site(RefArch) = %+v, %v", s, ok)
	}
	if l, ok := c.StoreList("store-phoenix-2"); !ok || l != "phoenix" {
		t.Errorf("StoreList(store-phoenix-2) = %q, %v", l, ok)
	}
	if _, ok := c.StoreList("RefArch"); ok {
		t.Error("StoreList found a site")
	}
	if l, ok := c.List("phoenix"); !ok || !l.DefaultInStock {
		t.Errorf("List(phoenix) = %+v, %v", l, ok)
	}
	if _, ok := c.List("store-phoenix"); ok {
		t.Error("List found a store")
	}
	for _, tc := range []struct {
		name      string
		got, want []string
	}{
		{"ListIDs", c.ListIDs(), []string{"online-us", "phoenix", "online-eu", "spare"}},
		{"SiteListIDs", c.SiteListIDs(), []string{"online-us", "online-eu"}},
		{"StoreListIDs", c.StoreListIDs(), []string{"phoenix", "online-us"}},
	} {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s = %q; want %q", tc.name, tc.got, tc.want)
		}
	}
	if c.Stores[2].InventoryList != "online-us" || c.Sites[1].InventoryList != "online-us" {
		t.Error("SiteListIDs or StoreListIDs changed the config")
	}
}
