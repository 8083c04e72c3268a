package client

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
)

const opToken = "token"

// refreshAt is the share of a token's lifetime after which a new one is
// fetched in the background; failedRefreshPause spaces out refreshes that
// fail while the old token still works.
const (
	refreshAt          = 0.8
	failedRefreshPause = time.Second
)

// token is a bearer token and when to replace it.
type token struct {
	header    string    // "Bearer …"
	refresh   time.Time // fetch a new one from then on
	expires   time.Time // unusable from then on
	fetchedAt time.Time
}

// tokenSource keeps the client's bearer token: fetched lazily, refreshed
// ahead of expiry, one fetch in flight at a time. The hot path is one
// atomic load. It is safe for concurrent use.
type tokenSource struct {
	c      *Client
	cur    atomic.Pointer[token]
	logged throttle // fetch failures are logged at most every 10s

	mu       sync.Mutex // guards inflight
	inflight *fetch     // the fetch running now, or nil
}

// fetch is one token request; done closes when tok or err is set.
type fetch struct {
	done chan struct{}
	tok  *token
	err  error
}

func newTokenSource(c *Client) *tokenSource {
	return &tokenSource{c: c, logged: throttle{every: 10 * time.Second}}
}

// throttle lets one event through per interval. It is safe for concurrent
// use.
type throttle struct {
	every time.Duration
	last  atomic.Int64 // unix nanoseconds of the last event let through
}

func (t *throttle) allow(now time.Time) bool {
	last := t.last.Load()
	if last != 0 && now.UnixNano()-last < int64(t.every) {
		return false
	}
	return t.last.CompareAndSwap(last, now.UnixNano())
}

// get returns a usable token. Past the refresh point it starts a background
// fetch and keeps using the old token; without a usable token it waits for
// the fetch (or for ctx).
func (s *tokenSource) get(ctx context.Context) (*token, error) {
	now := s.c.cfg.Now()
	t := s.cur.Load()
	if t != nil && now.Before(t.refresh) {
		return t, nil
	}
	f := s.start()
	if t != nil && now.Before(t.expires) {
		return t, nil
	}
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return nil, unavailable(opToken, errors.New("no token yet"), ctx)
	}
}

// start returns the fetch in flight, starting one if there is none.
func (s *tokenSource) start() *fetch {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inflight != nil {
		return s.inflight
	}
	f := &fetch{done: make(chan struct{})}
	s.inflight = f
	s.c.wg.Add(1)
	go s.run(f)
	return f
}

// run performs f with the client's lifetime as its context, so that a
// caller giving up does not fail the others waiting.
func (s *tokenSource) run(f *fetch) {
	defer s.c.wg.Done()
	old := s.cur.Load()
	f.tok, f.err = s.c.fetchToken(s.c.root)
	switch {
	case f.err == nil:
		s.cur.Store(f.tok)
	case old != nil && s.c.cfg.Now().Before(old.expires):
		if s.logged.allow(s.c.cfg.Now()) {
			s.c.log.Warn("cannot refresh the core token; keeping the current one", zap.Error(f.err))
		}
		pause := *old
		pause.refresh = s.c.cfg.Now().Add(failedRefreshPause)
		s.cur.CompareAndSwap(old, &pause)
		f.tok, f.err = s.cur.Load(), nil
	default:
		if s.logged.allow(s.c.cfg.Now()) {
			s.c.log.Warn("cannot get a core token", zap.Error(f.err))
		}
	}
	s.mu.Lock()
	s.inflight = nil
	s.mu.Unlock()
	close(f.done)
}

// invalidate drops the token the core refused (if it is still current), so
// that the next call fetches a new one.
func (s *tokenSource) invalidate(header string) {
	if t := s.cur.Load(); t != nil && t.header == header {
		s.cur.CompareAndSwap(t, nil)
	}
}

// awaitRefresh waits for the fetch in flight, if any. For tests.
func (s *tokenSource) awaitRefresh() {
	s.mu.Lock()
	f := s.inflight
	s.mu.Unlock()
	if f != nil {
		<-f.done
	}
}

// tokenAnswer is the Account Manager token response.
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
}

// fetchToken performs the client_credentials grant.
func (c *Client) fetchToken(ctx context.Context) (*token, error) {
	c.stats.tokenFetches.Add(1)
	scope := "SALESFORCE_COMMERCE_API:" + c.cfg.Tenant + " " + strings.Join(c.cfg.Scopes, " ")
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {scope}}.Encode()
	var ans tokenAnswer
	start := c.cfg.Now()
	k := &call{op: opToken, method: "POST", path: "/dwsso/oauth2/access_token", body: []byte(form),
		contentType: "application/x-www-form-urlencoded",
		basic:       "Basic " + base64.StdEncoding.EncodeToString([]byte(c.cfg.ClientID+":"+c.cfg.ClientSecret)),
		ok:          func(_ int, b []byte) error { return json.Unmarshal(b, &ans) }}
	if err := c.attempt(ctx, k); err != nil {
		return nil, err
	}
	if ans.AccessToken == "" || ans.ExpiresIn <= 0 {
		return nil, errors.New("client: token: the answer has no access_token or expires_in")
	}
	life := time.Duration(ans.ExpiresIn) * time.Second
	return &token{header: "Bearer " + ans.AccessToken, fetchedAt: start,
		refresh: start.Add(time.Duration(float64(life) * refreshAt)), expires: start.Add(life)}, nil
}
