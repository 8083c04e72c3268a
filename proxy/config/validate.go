package config

import (
	"net/url"
	"regexp"
	"strings"
	"time"
)

var (
	organizationIDPattern = regexp.MustCompile(`^f_ecom_[a-z]{4}_(prd|stg|dev|s[0-9]{2}|[0-9]{3})$`)
	tenantGroupIDPattern  = regexp.MustCompile(`^[A-Za-z0-9._~-]{1,128}$`)
)

// Validate checks c as Parse leaves it (secrets read from the environment)
// and returns every problem found, joined, each a *FieldError naming its
// field. It does not modify c.
func (c *Config) Validate() error {
	var p problems
	p.organizationID(c.OrganizationID)
	p.core(c)
	p.credentials(c)
	p.places(c)
	p.reservation(c.BasketReservation)
	p.cache(c.Cache)
	p.streams(c.Streams)
	p.retention(c.InventoryRecordRetentionDays)
	return p.err()
}

func (p *problems) organizationID(id string) {
	switch {
	case id == "":
		p.addf("organizationId", "required (the SCAPI organization, such as f_ecom_zzzz_001)")
	case !organizationIDPattern.MatchString(id):
		p.addf("organizationId", "%q does not match %s", id, organizationIDPattern)
	}
}

func (p *problems) core(c *Config) {
	p.coreURL(c.Core.URL)
	switch id := c.Core.TenantGroupID; {
	case id == "":
		p.addf("core.tenantGroupId", "required (the organizationId on the core's paths)")
	case !tenantGroupIDPattern.MatchString(id):
		p.addf("core.tenantGroupId", "%q must be 1–128 characters of A-Z a-z 0-9 . _ ~ -", id)
	}
	switch id := c.Core.ClientID; {
	case id == "":
		p.addf("core.clientId", "required")
	case strings.Contains(id, ":"):
		p.addf("core.clientId", "%q must not contain ':' (HTTP Basic cannot carry it)", id)
	}
	p.positive("core.timeout", c.Core.Timeout)
	if r := c.Core.Retries; r < 0 || r > MaxCoreRetries {
		p.addf("core.retries", "%d must be between 0 and %d", r, MaxCoreRetries)
	}
	if f := c.Core.Breaker.Failures; f < 1 {
		p.addf("core.breaker.failures", "%d must be at least 1", f)
	}
	p.positive("core.breaker.openFor", c.Core.Breaker.OpenFor)
}

func (p *problems) coreURL(raw string) {
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		p.addf("core.url", "required")
	case err != nil:
		p.addf("core.url", "%q is not a URL: %v", raw, err)
	case u.Scheme != "http" && u.Scheme != "https":
		p.addf("core.url", "%q must be an http or https URL", raw)
	case u.Host == "":
		p.addf("core.url", "%q has no host", raw)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		p.addf("core.url", "%q must be a base URL, without user, query or fragment", raw)
	}
}

func (p *problems) credentials(c *Config) {
	refs := c.secretRefs()
	p.secret(refs[0], true)
	p.secret(refs[1], true)
	sf := c.Storefront
	if sf.RequireToken {
		p.secret(refs[2], true)
		return
	}
	if sf.Token != "" || sf.TokenEnv != "" {
		p.addf("storefront.requireToken", "is false, but a storefront token is set; set requireToken: true or remove the token")
	}
}

// positive checks that a duration field is above zero.
func (p *problems) positive(field string, d time.Duration) {
	if d <= 0 {
		p.addf(field, "%s must be positive", d)
	}
}
