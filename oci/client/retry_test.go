package client

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/oci"
	"ociedge/oci/node"
)

func TestTooManyRequestsIsRetriedAfterRetryAfter(t *testing.T) {
	k := startCore(t, func(cfg *node.Config) { cfg.Limits.API = 1 }) // one request per second
	c := k.client(t)
	if err := c.PutGraph(context.Background(), demoGraph); err != nil { // takes the second's token
		t.Fatal(err)
	}
	before := k.clock.Now()
	if _, _, err := c.Graph(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s := c.Stats(); s.Retries != 1 {
		t.Fatalf("stats %+v: want one retry after the 429", s)
	}
	if waited := k.clock.Now().Sub(before); waited < time.Second {
		t.Fatalf("waited %v, want the Retry-After of 1s", waited)
	}
}

func TestRetryAfterBeyondTheCapEndsTheCall(t *testing.T) {
	k := startCore(t, func(cfg *node.Config) { cfg.Limits.API = 0.01 }) // Retry-After: 99s
	c := k.client(t)
	err := c.PutGraph(context.Background(), demoGraph)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 429 || ae.RetryAfter != 99*time.Second || !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err %v: want a 429 with Retry-After 99s, unavailable", err)
	}
	if s := c.Stats(); s.Retries != 0 || s.Unavailable != 1 {
		t.Fatalf("stats %+v: want no retry", s)
	}
}

func TestServerErrorsAreRetriedThenUnavailable(t *testing.T) {
	f := newFake(t, func(_ *fake, ctx *fasthttp.RequestCtx) { problem(ctx, 503, "StoreUnavailable", "disk full") })
	c := mustClient(t, f.url, func(cfg *Config) { cfg.After = newClock().After })
	_, _, err := c.Graph(context.Background())
	if !errors.Is(err, ErrUnavailable) || !Retryable(err) || oci.ErrorCode(err) != oci.StoreUnavailable {
		t.Fatalf("err %v", err)
	}
	if f.hits.Load() != 3 {
		t.Fatalf("%d attempts, want 1 + 2 retries", f.hits.Load())
	}
}

func TestStalledCoreFailsWithinTheDeadline(t *testing.T) {
	f := newFake(t, stall)
	c := mustClient(t, f.url)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Reserve(ctx, "r-1", reserveAt("wh-a", false, "sku-1", "1"))
	if took := time.Since(start); took > time.Second {
		t.Fatalf("the call took %v with a 200ms deadline", took)
	}
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v: want unavailable and the deadline", err)
	}
}

func TestStalledCoreFailsAfterThePerCallTimeout(t *testing.T) {
	f := newFake(t, stall)
	c := mustClient(t, f.url, func(cfg *Config) { cfg.Timeout, cfg.Retries = 50*time.Millisecond, -1 })
	start := time.Now()
	_, _, err := c.Graph(context.Background())
	if took := time.Since(start); took > time.Second {
		t.Fatalf("the call took %v with a 50ms timeout", took)
	}
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, fasthttp.ErrTimeout) {
		t.Fatalf("err %v: want unavailable by timeout", err)
	}
}

func TestResetConnectionIsUnavailable(t *testing.T) {
	f := newFake(t, reset)
	c := mustClient(t, f.url, func(cfg *Config) { cfg.After = newClock().After })
	_, err := c.Deltas(context.Background(), "tok")
	if !errors.Is(err, ErrUnavailable) || !Retryable(err) {
		t.Fatalf("err %v: want unavailable", err)
	}
	if f.hits.Load() != 4 {
		t.Fatalf("%d attempts, want 1 + one on a fresh connection + 2 retries", f.hits.Load())
	}
}

// TestClosedConnectionIsTriedOnceMore: a reset on a connection (say one
// the core closed when it restarted) gets one more try on a new
// connection even with retries off, so a core restart costs no failure.
func TestClosedConnectionIsTriedOnceMore(t *testing.T) {
	f := newFake(t, reset)
	c := mustClient(t, f.url, func(cfg *Config) { cfg.Retries = -1 })
	if _, err := c.Deltas(context.Background(), "tok"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err %v", err)
	}
	if f.hits.Load() != 2 {
		t.Fatalf("%d attempts, want 2", f.hits.Load())
	}
}

func TestAJobIsNotStartedTwice(t *testing.T) {
	f := newFake(t, reset)
	c := mustClient(t, f.url, func(cfg *Config) { cfg.After = newClock().After })
	_, err := c.Export(context.Background(), oci.PlaceGroup, []string{"online"}, nil)
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err %v", err)
	}
	if f.hits.Load() != 1 {
		t.Fatalf("%d export initiations after a reset, want 1: it may have been applied", f.hits.Load())
	}
}

func TestBusyPoolIsCountedAndUnavailable(t *testing.T) {
	f := newFake(t, stall)
	c := mustClient(t, f.url, func(cfg *Config) { cfg.MaxConns, cfg.MaxConnWait, cfg.Retries = 1, time.Millisecond, -1 })
	if _, err := c.tokens.get(context.Background()); err != nil { // the token call must not hold the one connection
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() { _, _, errs[i] = c.Graph(ctx) })
	}
	wg.Wait()
	if !errors.Is(errs[0], fasthttp.ErrNoFreeConns) && !errors.Is(errs[1], fasthttp.ErrNoFreeConns) {
		t.Fatalf("errors %v: want one call refused for want of a connection", errs)
	}
	if s := c.Stats(); s.NoFreeConns != 1 || s.Unavailable != 2 {
		t.Fatalf("stats %+v", s)
	}
}

func TestCancelledContextIsNotSent(t *testing.T) {
	f := newFake(t, stall)
	c := mustClient(t, f.url)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := c.Graph(ctx)
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrUnavailable) || f.hits.Load() != 0 {
		t.Fatalf("err %v after %d requests: want the context's error and nothing sent", err, f.hits.Load())
	}
}

func TestClosedClientRefusesCalls(t *testing.T) {
	f := newFake(t, stall)
	c := mustClient(t, f.url)
	c.Close()
	if _, _, err := c.Graph(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("err %v, want ErrClosed", err)
	}
}

func TestConfigNamesTheBadField(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{ClientID: "a", ClientSecret: "b"}, "BaseURL"},
		{Config{BaseURL: "http://x"}, "ClientID"},
		{Config{BaseURL: "ftp://x", ClientID: "a", ClientSecret: "b"}, "BaseURL"},
		{Config{BaseURL: "http://x", ClientID: "a", ClientSecret: "b", MaxConns: -1}, "MaxConns"},
		{Config{BaseURL: "http://x", ClientID: "a", ClientSecret: "b", Tenant: "a/b"}, "Tenant"},
	} {
		if _, err := New(tc.cfg); err == nil || !contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v, want an error naming %s", tc.cfg, err, tc.want)
		}
	}
}

func contains(s, sub string) bool { return has(s, sub) }
