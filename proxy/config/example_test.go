package config

import (
	"testing"
	"time"
)

func TestLoadExample(t *testing.T) {
	c, err := Load("example.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := c.SiteList("RefArch"); !ok || got != "online-us" {
		t.Errorf("SiteList(RefArch) = %q, %v", got, ok)
	}
	if got := c.Sites[0].FailNonPlacedOrdersAfter.Duration(); got != 30*time.Minute {
		t.Errorf("failNonPlacedOrdersAfter = %s; want 30m", got)
	}
	if got, def := c.Sites[0].BasketLife(), c.Sites[1].BasketLife(); got != 24*time.Hour || def != 7*24*time.Hour {
		t.Errorf("basket lifetimes = %s, %s; want 24h and the default 168h", got, def)
	}
	if got := c.Cache.Counters(); got != 4_000_000 {
		t.Errorf("Counters() = %d; want 4000000", got)
	}
	if string(c.Core.ClientSecret) != "dev-secret" || string(c.Admin.Token) != "change-me" {
		t.Errorf("secrets = %q, %q", string(c.Core.ClientSecret), string(c.Admin.Token))
	}
}
