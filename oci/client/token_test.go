package client

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/oci"
)

var skuAtWhA = &oci.AvailabilityQuery{SKUs: []string{"sku-1"}, Locations: []string{"wh-a"}}

func mustAvailability(t *testing.T, c *Client) *oci.Availability {
	t.Helper()
	a, err := c.GetAvailability(context.Background(), skuAtWhA)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestTokenIsFetchedLazilyOnceForConcurrentCalls(t *testing.T) {
	k := startCore(t)
	c := k.client(t)
	setupWith := k.client(t)
	setup(t, k, setupWith)
	if n := c.Stats().TokenFetches; n != 0 {
		t.Fatalf("New fetched %d tokens; want none before the first call", n)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for range 32 {
		wg.Go(func() {
			_, err := c.GetAvailability(context.Background(), skuAtWhA)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := c.Stats().TokenFetches; n != 1 {
		t.Fatalf("32 concurrent first calls fetched %d tokens, want 1", n)
	}
}

func TestTokenIsRefreshedAheadOfExpiry(t *testing.T) {
	k := startCore(t)
	c := k.client(t)
	setup(t, k, c)
	k.clock.Advance(25 * time.Minute) // past 80% of the core's 30-minute tokens
	mustAvailability(t, c)            // served with the old token; a refresh starts
	c.tokens.awaitRefresh()
	if n := c.Stats().TokenFetches; n != 2 {
		t.Fatalf("%d token fetches after 25 minutes, want 2", n)
	}
	k.clock.Advance(10 * time.Minute) // the first token has expired, the second has not
	mustAvailability(t, c)
	if s := c.Stats(); s.TokenFetches != 2 || s.Unauthorized != 0 {
		t.Fatalf("stats %+v: want the refreshed token used without a 401", s)
	}
}

func TestExpiredTokenIsReplacedBeforeTheCall(t *testing.T) {
	k := startCore(t)
	c := k.client(t)
	setup(t, k, c)
	k.clock.Advance(31 * time.Minute)
	mustAvailability(t, c)
	if s := c.Stats(); s.TokenFetches != 2 || s.Unauthorized != 0 {
		t.Fatalf("stats %+v: want one new token fetched before the call", s)
	}
}

func TestRejectedTokenIsRefreshedOnceAndTheCallRetried(t *testing.T) {
	k := startCore(t)
	frozen := newClock() // the client believes its token is fresh; the core does not
	c := k.client(t, func(cfg *Config) { cfg.Now = frozen.Now })
	setup(t, k, c)
	k.clock.Advance(31 * time.Minute)
	a := mustAvailability(t, c)
	if got := a.Locations[0].Records[0].OnHand; got != q("10") {
		t.Fatalf("onHand %v", got)
	}
	if s := c.Stats(); s.Unauthorized != 1 || s.TokenFetches != 2 {
		t.Fatalf("stats %+v: want one 401 and one refresh", s)
	}
}

func TestSecond401IsAnError(t *testing.T) {
	f := newFake(t, func(_ *fake, ctx *fasthttp.RequestCtx) {
		problem(ctx, 401, "Unauthorized", "The bearer token is missing, invalid or expired")
	})
	c := mustClient(t, f.url)
	_, err := c.GetAvailability(context.Background(), skuAtWhA)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 401 || Retryable(err) {
		t.Fatalf("err %v: want a 401 APIError that is not retryable", err)
	}
	if f.hits.Load() != 2 || f.tokens.Load() != 2 {
		t.Fatalf("%d calls with %d tokens, want the call tried twice with a new token", f.hits.Load(), f.tokens.Load())
	}
}

func TestBadClientSecretIsAnError(t *testing.T) {
	k := startCore(t)
	c := k.client(t, func(cfg *Config) { cfg.ClientSecret = "wrong" })
	_, err := c.GetAvailability(context.Background(), skuAtWhA)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 401 || ae.Code != "invalid_client" || Retryable(err) {
		t.Fatalf("err %v: want 401 invalid_client, not retryable", err)
	}
	if n := c.Stats().TokenFetches; n != 1 {
		t.Fatalf("%d token fetches, want 1", n)
	}
}

func TestUnknownScopeIsAnError(t *testing.T) {
	k := startCore(t)
	c := k.client(t, func(cfg *Config) { cfg.Scopes = []string{"sfcc.inventory.nonsense"} })
	_, err := c.GetAvailability(context.Background(), skuAtWhA)
	if code := oci.ErrorCode(err); code != "invalid_scope" {
		t.Fatalf("code %q (%v), want invalid_scope", code, err)
	}
}

func TestFailedRefreshKeepsTheTokenUntilItExpires(t *testing.T) {
	f := newFake(t, func(_ *fake, ctx *fasthttp.RequestCtx) { ctx.SetBodyString(`{"locations":[],"groups":[]}`) })
	clk := newClock()
	c := mustClient(t, f.url, func(cfg *Config) { cfg.Now, cfg.After = clk.Now, clk.After })
	graph := func() error { _, _, err := c.Graph(context.Background()); return err }
	if err := graph(); err != nil {
		t.Fatal(err)
	}
	f.noToken.Store(true)
	clk.Advance(25 * time.Minute)
	if err := graph(); err != nil {
		t.Fatalf("a failing refresh failed a call that had a valid token: %v", err)
	}
	c.tokens.awaitRefresh()
	if err := graph(); err != nil || f.tokens.Load() != 2 {
		t.Fatalf("err %v after %d token requests: want the old token kept and no new request for a while", err, f.tokens.Load())
	}
	clk.Advance(6 * time.Minute) // the token has expired
	if err := graph(); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err %v: want unavailable without a token", err)
	}
}
