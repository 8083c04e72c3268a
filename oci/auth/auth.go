// Package auth is the core's Account-Manager-style authorization: API
// clients with secrets and allowed scopes, the client_credentials grant that
// issues signed expiring bearer tokens, and the check each endpoint makes of
// a token's scopes and tenant. It knows nothing of HTTP.
package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"ociedge/internal/kv"
)

// The inventory scopes (reference oci-api.md §1.2) in their Account Manager
// (dot) form. Each also has a Salesforce-org (underscore) form.
const (
	ScopeAvailability       = "sfcc.inventory.availability"
	ScopeAvailabilityRW     = "sfcc.inventory.availability.rw"
	ScopeReservations       = "sfcc.inventory.reservations"
	ScopeReservationsRW     = "sfcc.inventory.reservations.rw"
	ScopeImpexInventory     = "sfcc.inventory.impex-inventory"
	ScopeImpexInventoryRW   = "sfcc.inventory.impex-inventory.rw"
	ScopeImpexGraphs        = "sfcc.inventory.impex-graphs"
	ScopeImpexGraphsRW      = "sfcc.inventory.impex-graphs.rw"
	ScopeImpexEventLog      = "sfcc.inventory.impex-event-log"
	ScopeAdmin              = "sfcc.inventory.admin.rw"
	tenantScopePrefix       = "SALESFORCE_COMMERCE_API:"
	defaultTokenLifetime    = 30 * time.Minute
	clientKeyPrefix         = "auth/client/"
	signingKeyKey           = "auth/signing-key"
	maxClientIDOrSecretSize = 256
)

// AllScopes is every inventory scope; a development client gets them all.
var AllScopes = []string{ScopeAvailability, ScopeAvailabilityRW, ScopeReservations, ScopeReservationsRW,
	ScopeImpexInventory, ScopeImpexInventoryRW, ScopeImpexGraphs, ScopeImpexGraphsRW, ScopeImpexEventLog, ScopeAdmin}

var underscorer = strings.NewReplacer(".", "_", "-", "_")

// Underscore returns the Salesforce-org form of a scope
// (sfcc.inventory.availability.rw -> sfcc_inventory_availability_rw).
func Underscore(scope string) string { return underscorer.Replace(scope) }

// canonicalOf maps both forms of every known scope to the dot form.
var canonicalOf = func() map[string]string {
	m := map[string]string{}
	for _, s := range AllScopes {
		m[s], m[Underscore(s)] = s, s
	}
	return m
}()

// Errors the token endpoint and the checks return; the transport maps them.
var (
	ErrInvalidClient = errors.New("invalid_client") // unknown client or wrong secret: 401
	ErrInvalidScope  = errors.New("invalid_scope")  // scope not allowed or tenant unknown: 400
	ErrInvalidGrant  = errors.New("unsupported_grant_type")
	ErrNoToken       = errors.New("missing bearer token")            // 401
	ErrBadToken      = errors.New("invalid or expired bearer token") // 401
	ErrForbidden     = errors.New("tenant not provisioned")          // 403 TenantNotProvisioned
)

// Config configures an Authority. Store is required.
type Config struct {
	Store kv.Store
	// Tenants are the tenant group ids this core serves. Default: tenant1.
	Tenants []string
	// TokenLifetime of issued tokens. Default 30 minutes (Account Manager's).
	TokenLifetime time.Duration
	// Now is the clock. Default time.Now.
	Now func() time.Time
}

// Client is an API client: an id, a secret and the scopes it may ask for.
type Client struct {
	ID     string   `json:"id"`
	Secret string   `json:"secret"`
	Scopes []string `json:"scopes"`
}

// Authority issues and checks tokens. It is safe for concurrent use.
type Authority struct {
	cfg Config
	key []byte

	mu      sync.RWMutex // guards clients
	clients map[string]Client

	verified  sync.Map     // token -> *cachedPrincipal: a token is checked once, not per request
	nVerified atomic.Int64 // entries in verified, to bound it
}

// cachedPrincipal is a verified token and when it expires.
type cachedPrincipal struct {
	p       *Principal
	expires int64
}

// maxVerified bounds the verified-token cache; past it the cache is
// emptied (tokens are then verified again, which is only slower).
const maxVerified = 10_000

// New loads the clients and the signing key from the store (creating the key).
func New(cfg Config) (*Authority, error) {
	if cfg.Store == nil {
		return nil, errors.New("auth: Config.Store is required")
	}
	if len(cfg.Tenants) == 0 {
		cfg.Tenants = []string{"tenant1"}
	}
	if cfg.TokenLifetime == 0 {
		cfg.TokenLifetime = defaultTokenLifetime
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	a := &Authority{cfg: cfg, clients: map[string]Client{}}
	if err := a.loadKey(); err != nil {
		return nil, err
	}
	err := cfg.Store.Scan([]byte(clientKeyPrefix), func(_, v []byte) error {
		var c Client
		if err := json.Unmarshal(v, &c); err != nil {
			return err
		}
		a.clients[c.ID] = c
		return nil
	})
	return a, err
}

func (a *Authority) loadKey() error {
	key, ok, err := a.cfg.Store.Get([]byte(signingKeyKey))
	if err != nil {
		return err
	}
	if ok {
		a.key = key
		return nil
	}
	a.key = make([]byte, 32)
	if _, err := rand.Read(a.key); err != nil {
		return err
	}
	var b kv.Batch
	b.Set([]byte(signingKeyKey), a.key)
	return a.cfg.Store.Write(&b)
}

// Tenants returns the tenant group ids the core serves.
func (a *Authority) Tenants() []string { return a.cfg.Tenants }

// EnsureClient creates the client, or updates its secret and scopes, durably.
func (a *Authority) EnsureClient(c Client) error {
	if c.ID == "" || c.Secret == "" || len(c.ID) > maxClientIDOrSecretSize || len(c.Secret) > maxClientIDOrSecretSize ||
		strings.ContainsRune(c.ID, ':') {
		return fmt.Errorf("auth: client id and secret must be 1 to %d characters and the id must not contain ':'", maxClientIDOrSecretSize)
	}
	v, _ := json.Marshal(c)
	var b kv.Batch
	b.Set([]byte(clientKeyPrefix+c.ID), v)
	if err := a.cfg.Store.Write(&b); err != nil {
		return err
	}
	a.mu.Lock()
	a.clients[c.ID] = c
	a.mu.Unlock()
	return nil
}

// Clients returns how many clients exist.
func (a *Authority) Clients() int {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return len(a.clients)
}

// NewSecret returns a random client secret.
func NewSecret() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Token is an issued access token.
type Token struct {
	AccessToken string `json:"access_token"`
	Scope       string `json:"scope"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
}

// claims is what a token carries.
type claims struct {
	Subject string   `json:"sub"`
	Tenants []string `json:"tenants"`
	Scopes  []string `json:"scopes"`
	Issued  int64    `json:"iat"`
	Expires int64    `json:"exp"`
}

// Grant performs the client_credentials grant: the client authenticates
// with its secret and asks for `SALESFORCE_COMMERCE_API:<tenant>` plus the
// inventory scopes it needs (dot or underscore form).
func (a *Authority) Grant(grantType, clientID, secret, scope string) (*Token, error) {
	if grantType != "client_credentials" {
		return nil, ErrInvalidGrant
	}
	a.mu.RLock()
	c, ok := a.clients[clientID]
	a.mu.RUnlock()
	if !ok || subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
		return nil, ErrInvalidClient
	}
	cl, err := a.claimsFor(c, scope)
	if err != nil {
		return nil, err
	}
	return &Token{AccessToken: a.sign(cl), Scope: scope, TokenType: "Bearer",
		ExpiresIn: int(a.cfg.TokenLifetime / time.Second)}, nil
}

func (a *Authority) claimsFor(c Client, scope string) (claims, error) {
	now := a.cfg.Now()
	cl := claims{Subject: c.ID, Issued: now.Unix(), Expires: now.Add(a.cfg.TokenLifetime).Unix()}
	for _, s := range strings.Fields(scope) {
		if t, ok := strings.CutPrefix(s, tenantScopePrefix); ok {
			if !slices.Contains(a.cfg.Tenants, t) {
				return cl, fmt.Errorf("%w: tenant %q is not provisioned", ErrInvalidScope, t)
			}
			cl.Tenants = append(cl.Tenants, t)
			continue
		}
		canon := canonical(s)
		if !slices.Contains(c.Scopes, canon) {
			return cl, fmt.Errorf("%w: scope %q is not allowed for this client", ErrInvalidScope, s)
		}
		cl.Scopes = append(cl.Scopes, canon)
	}
	if len(cl.Tenants) == 0 {
		return cl, fmt.Errorf("%w: scope must include %s<tenant>", ErrInvalidScope, tenantScopePrefix)
	}
	return cl, nil
}

// canonical maps the underscore form of a known scope to its dot form.
func canonical(s string) string {
	if c, ok := canonicalOf[s]; ok {
		return c
	}
	return s
}

func (a *Authority) sign(cl claims) string {
	body, _ := json.Marshal(cl)
	head := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	payload := head + "." + base64.RawURLEncoding.EncodeToString(body)
	mac := hmac.New(sha256.New, a.key)
	mac.Write([]byte(payload))
	return payload + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// Principal is a verified token.
type Principal struct {
	Client  string
	Tenants []string
	Scopes  []string
}

// Verify checks a bearer token's signature and expiry. A token that
// verified once is remembered until it expires.
func (a *Authority) Verify(token string) (*Principal, error) {
	if token == "" {
		return nil, ErrNoToken
	}
	now := a.cfg.Now().Unix()
	if v, ok := a.verified.Load(token); ok {
		if c := v.(*cachedPrincipal); now < c.expires {
			return c.p, nil
		}
		a.verified.Delete(token)
		a.nVerified.Add(-1)
		return nil, ErrBadToken
	}
	p, exp, err := a.verify(token, now)
	if err != nil {
		return nil, err
	}
	if a.nVerified.Add(1) > maxVerified {
		a.verified.Clear()
		a.nVerified.Store(1)
	}
	a.verified.Store(token, &cachedPrincipal{p: p, expires: exp})
	return p, nil
}

func (a *Authority) verify(token string, now int64) (*Principal, int64, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 || len(token) > 8192 {
		return nil, 0, ErrBadToken
	}
	mac := hmac.New(sha256.New, a.key)
	mac.Write([]byte(parts[0] + "." + parts[1]))
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, mac.Sum(nil)) {
		return nil, 0, ErrBadToken
	}
	body, err := base64.RawURLEncoding.DecodeString(parts[1])
	var cl claims
	if err != nil || json.Unmarshal(body, &cl) != nil {
		return nil, 0, ErrBadToken
	}
	if now >= cl.Expires {
		return nil, 0, ErrBadToken
	}
	return &Principal{Client: cl.Subject, Tenants: cl.Tenants, Scopes: cl.Scopes}, cl.Expires, nil
}

// Allow checks that the principal may call an endpoint of tenant that
// requires any one of the scopes (each accepted in dot or underscore form,
// since tokens store the dot form).
func (p *Principal) Allow(tenant string, scopes ...string) error {
	if !slices.Contains(p.Tenants, tenant) {
		return ErrForbidden
	}
	for _, s := range scopes {
		if slices.Contains(p.Scopes, canonical(s)) {
			return nil
		}
	}
	return ErrForbidden
}
