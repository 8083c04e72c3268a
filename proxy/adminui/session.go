package adminui

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

// CookieName is the admin session cookie.
const CookieName = "ociedge_admin"

// CSRFHeader must accompany a state-changing admin request authenticated
// only by the session cookie: a cross-site form cannot set it, and a
// cross-site fetch that sets it needs a CORS preflight the edge never
// grants.
const CSRFHeader = "X-OCIEdge-Admin"

// SessionTTL is how long a login lasts.
const SessionTTL = 12 * time.Hour

// processKey is the HMAC key of the session cookies: random, made once per
// process, never stored. A restart logs every operator out.
var processKey = sync.OnceValue(func() []byte {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		panic("BUG: crypto/rand failed: " + err.Error())
	}
	return k
})

// Session makes and checks session cookies for one admin token. The cookie
// holds an expiry, a random session id and an HMAC of the token, the expiry
// and the id under the process key, never the token itself; changing the
// token or restarting the process invalidates it, and so does a logout
// (End), which Ended remembers until the cookie would have expired. The
// zero value is not usable; a Session is safe for concurrent use.
type Session struct {
	Token string           // the admin token
	Now   func() time.Time // the clock
	Ended *Ended           // the sessions logged out; nil: logout only clears the cookie
}

// mac is the cookie's MAC for an expiry and a session id.
func (s Session) mac(exp int64, id string) string {
	h := hmac.New(sha256.New, processKey())
	h.Write([]byte("ociedge-admin\x00"))
	h.Write([]byte(s.Token))
	h.Write([]byte{0})
	h.Write(strconv.AppendInt(nil, exp, 10))
	h.Write([]byte{0})
	h.Write([]byte(id))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

// Value returns a new cookie value, valid for SessionTTL.
func (s Session) Value() string {
	exp := s.Now().Add(SessionTTL).Unix()
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		panic("BUG: crypto/rand failed: " + err.Error())
	}
	id := base64.RawURLEncoding.EncodeToString(raw)
	return "v2." + strconv.FormatInt(exp, 10) + "." + id + "." + s.mac(exp, id)
}

// Valid reports whether v is a cookie value this process issued for the
// token, it has not expired and it was not logged out.
func (s Session) Valid(v string) bool {
	_, _, ok := s.parse(v)
	return ok
}

// parse checks v and returns its session id and expiry.
func (s Session) parse(v string) (id string, exp int64, ok bool) {
	if s.Token == "" {
		return "", 0, false
	}
	rest, ok := strings.CutPrefix(v, "v2.")
	if !ok {
		return "", 0, false
	}
	parts := strings.Split(rest, ".")
	if len(parts) != 3 {
		return "", 0, false
	}
	exp, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || strconv.FormatInt(exp, 10) != parts[0] || s.Now().Unix() >= exp { // one spelling per cookie
		return "", 0, false
	}
	id = parts[1]
	if !hmac.Equal([]byte(parts[2]), []byte(s.mac(exp, id))) || s.Ended.has(id) {
		return "", 0, false
	}
	return id, exp, true
}

// End logs the request's session out: it clears the cookie and, when the
// cookie is valid, remembers its id so that a copy of it is refused too.
func (s Session) End(ctx *fasthttp.RequestCtx) {
	if id, exp, ok := s.parse(string(ctx.Request.Header.Cookie(CookieName))); ok {
		s.Ended.add(id, exp, s.Now().Unix())
	}
	ClearCookie(ctx)
}

// Ended holds the ids of sessions logged out before their expiry, each
// until that expiry. Only a valid cookie adds an id (and a valid cookie
// needs a login with the admin token), and an id leaves when its cookie
// would have expired, so the set stays as small as the logins of the last
// SessionTTL. It is in memory only: a restart changes the process key,
// which ends every session anyway. The zero value is ready; a nil *Ended
// remembers nothing.
type Ended struct {
	mu  sync.Mutex
	ids map[string]int64 // session id → its cookie's expiry (unix seconds)
}

func (e *Ended) add(id string, exp, now int64) {
	if e == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ids == nil {
		e.ids = map[string]int64{}
	}
	for k, x := range e.ids {
		if x <= now {
			delete(e.ids, k)
		}
	}
	e.ids[id] = exp
}

func (e *Ended) has(id string) bool {
	if e == nil {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ok := e.ids[id]
	return ok
}

// InRequest reports whether the request carries a valid session cookie.
func (s Session) InRequest(ctx *fasthttp.RequestCtx) bool {
	return s.Valid(string(ctx.Request.Header.Cookie(CookieName)))
}

// SetCookie sets a new session cookie on the response (after a login).
func (s Session) SetCookie(ctx *fasthttp.RequestCtx) {
	setCookie(ctx, s.Value(), int(SessionTTL/time.Second))
}

// ClearCookie sets a cookie on the response that ends the session.
func ClearCookie(ctx *fasthttp.RequestCtx) { setCookie(ctx, "", -1) }

// setCookie writes the cookie: HttpOnly, SameSite=Strict, Path=/admin,
// Secure when the request came over TLS (directly or, by its
// X-Forwarded-Proto, through a proxy).
func setCookie(ctx *fasthttp.RequestCtx, value string, maxAge int) {
	c := fasthttp.AcquireCookie()
	defer fasthttp.ReleaseCookie(c)
	c.SetKey(CookieName)
	c.SetValue(value)
	c.SetPath("/admin")
	c.SetHTTPOnly(true)
	c.SetSameSite(fasthttp.CookieSameSiteStrictMode)
	c.SetSecure(ctx.IsTLS() || string(ctx.Request.Header.Peek("X-Forwarded-Proto")) == "https")
	if maxAge < 0 {
		c.SetExpire(fasthttp.CookieExpireDelete)
	} else {
		c.SetMaxAge(maxAge)
	}
	ctx.Response.Header.SetCookie(c)
}
