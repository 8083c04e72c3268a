package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"slices"
	"testing"
	"time"

	"ociedge/internal/kv"
)

// fuzzAuthority has one client that may ask for two scopes of tenant1.
func fuzzAuthority(f *testing.F) *Authority {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	a, err := New(Config{Store: kv.NewMem(), Tenants: []string{"tenant1", "tenant2"}, Now: func() time.Time { return now }})
	if err != nil {
		f.Fatal(err)
	}
	if err := a.EnsureClient(Client{ID: "edge", Secret: "s3cret", Scopes: []string{ScopeAvailability, ScopeReservationsRW}}); err != nil {
		f.Fatal(err)
	}
	return a
}

// signForFuzz signs payload as the authority would, so that the fuzzer
// reaches the claims behind the signature.
func (a *Authority) signForFuzz(payload string) string {
	head := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	p := head + "." + base64.RawURLEncoding.EncodeToString([]byte(payload))
	mac := hmac.New(sha256.New, a.key)
	mac.Write([]byte(p))
	return p + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// FuzzVerify: any bearer token string, and any claims signed with the
// authority's own key, is a principal or ErrNoToken/ErrBadToken — never a
// panic — and a principal's Allow answers for any tenant.
func FuzzVerify(f *testing.F) {
	a := fuzzAuthority(f)
	tok, err := a.Grant("client_credentials", "edge", "s3cret", "SALESFORCE_COMMERCE_API:tenant1 sfcc.inventory.availability")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(tok.AccessToken, false, "tenant1")
	f.Add(tok.AccessToken+"x", false, "tenant1")
	f.Add("a.b.c", false, "")
	f.Add("", false, "")
	f.Add(`{"sub":"edge","tenants":["tenant1"],"scopes":["sfcc.inventory.admin.rw"],"iat":0,"exp":9999999999}`, true, "tenant1")
	f.Add(`{"exp":"soon"}`, true, "tenant2")
	f.Add(`{"tenants":null,"scopes":[1],"exp":1e400}`, true, "tenant1")
	f.Fuzz(func(t *testing.T, s string, signed bool, tenant string) {
		if signed {
			s = a.signForFuzz(s)
		}
		p, err := a.Verify(s)
		if err != nil {
			if !errors.Is(err, ErrNoToken) && !errors.Is(err, ErrBadToken) {
				t.Fatalf("Verify(%q) = %v; want ErrNoToken or ErrBadToken", s, err)
			}
			return
		}
		if err := p.Allow(tenant, ScopeAvailability, ScopeAdmin); err != nil && !errors.Is(err, ErrForbidden) {
			t.Fatalf("Allow(%q) = %v; want nil or ErrForbidden", tenant, err)
		}
	})
}

// FuzzGrant: the token endpoint's grant with any grant type, client,
// secret and scope never panics, refuses with one of its documented errors,
// and a granted token verifies to no more than the client may have: its
// own scopes of provisioned tenants.
func FuzzGrant(f *testing.F) {
	a := fuzzAuthority(f)
	f.Add("client_credentials", "edge", "s3cret", "SALESFORCE_COMMERCE_API:tenant1 sfcc.inventory.availability")
	f.Add("client_credentials", "edge", "s3cret", "SALESFORCE_COMMERCE_API:tenant1 sfcc_inventory_reservations_rw")
	f.Add("client_credentials", "edge", "s3cret", "sfcc.inventory.admin.rw SALESFORCE_COMMERCE_API:tenant1")
	f.Add("client_credentials", "edge", "wrong", "SALESFORCE_COMMERCE_API:tenant1")
	f.Add("password", "edge", "s3cret", "")
	f.Add("client_credentials", "", "", "SALESFORCE_COMMERCE_API:")
	f.Fuzz(func(t *testing.T, grant, id, secret, scope string) {
		tok, err := a.Grant(grant, id, secret, scope)
		if err != nil {
			if !errors.Is(err, ErrInvalidGrant) && !errors.Is(err, ErrInvalidClient) && !errors.Is(err, ErrInvalidScope) {
				t.Fatalf("Grant = %v; want a documented refusal", err)
			}
			return
		}
		p, err := a.Verify(tok.AccessToken)
		if err != nil {
			t.Fatalf("a granted token does not verify: %v", err)
		}
		for _, tn := range p.Tenants {
			if !slices.Contains(a.Tenants(), tn) {
				t.Fatalf("granted unprovisioned tenant %q", tn)
			}
		}
		for _, s := range p.Scopes {
			if s != ScopeAvailability && s != ScopeReservationsRW {
				t.Fatalf("granted scope %q the client may not have", s)
			}
		}
	})
}
