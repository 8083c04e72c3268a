package bench

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"ociedge/bench/load"
	"ociedge/bench/wire"
)

// tokens keeps a bearer token for the core, fetching a new one shortly before
// the old one expires. Safe for concurrent use: the hot path is one atomic
// load.
type tokens struct {
	core               *load.Target
	id, secret, tenant string

	cur atomic.Pointer[token]
	mu  sync.Mutex // serializes fetches
}

type token struct {
	bearer  string
	refresh time.Time // fetch a new one after this
}

// get returns a valid "Bearer …" header value.
func (k *tokens) get() (string, error) {
	if t := k.cur.Load(); t != nil && time.Now().Before(t.refresh) {
		return t.bearer, nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if t := k.cur.Load(); t != nil && time.Now().Before(t.refresh) {
		return t.bearer, nil
	}
	t, err := k.fetch()
	if err != nil {
		if old := k.cur.Load(); old != nil {
			return old.bearer, nil // the server will say whether it still works
		}
		return "", err
	}
	k.cur.Store(t)
	return t.bearer, nil
}

// bearer is get for op code: on error it returns "" and the call goes out
// without a token (and is recorded as the 401 it gets).
func (k *tokens) bearer() string {
	b, _ := k.get()
	return b
}

func (k *tokens) fetch() (*token, error) {
	req, auth := wire.TokenRequest(k.id, k.secret, k.tenant)
	var tok wire.Token
	var perr error
	c := callOf("token", req, func(status int, body []byte) string {
		if status == 200 {
			tok, perr = wire.ParseToken(body)
		}
		return ""
	})
	c.Auth = auth
	rep := k.core.Send(c)
	switch {
	case rep.Err != nil:
		return nil, fmt.Errorf("cannot get a core token: %w", rep.Err)
	case rep.Status != 200:
		return nil, fmt.Errorf("cannot get a core token: %d from %s (check --client and --tenant)", rep.Status, k.core.Host())
	case perr != nil:
		return nil, fmt.Errorf("cannot read the core's token answer: %w", perr)
	}
	life := tok.Expires
	if life <= 0 {
		life = 5 * time.Minute
	}
	return &token{bearer: tok.Bearer, refresh: time.Now().Add(life * 3 / 4)}, nil
}

// callOf turns a wire request into a load call.
func callOf(route string, req wire.Request, parse func(int, []byte) string) *load.Call {
	return &load.Call{
		Route: route, Method: req.Method, URI: req.URI, Body: req.Body,
		ContentType: req.ContentType, Parse: parse,
	}
}
