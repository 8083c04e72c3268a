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
// holds an expiry and an HMAC of the token and the expiry under the
// process key, never the token itself; changing the token or restarting
// the process invalidates it. The zero value is not usable; a Session is
// safe for concurrent use.
type Session struct {
	Token string           // the admin token
	Now   func() time.Time // the clock
}

// mac is the cookie's MAC for an expiry.
func (s Session) mac(exp int64) string {
	h := hmac.New(sha256.New, processKey())
	h.Write([]byte("ociedge-admin\x00"))
	h.Write([]byte(s.Token))
	h.Write([]byte{0})
	h.Write(strconv.AppendInt(nil, exp, 10))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

// Value returns a new cookie value, valid for SessionTTL.
func (s Session) Value() string {
	exp := s.Now().Add(SessionTTL).Unix()
	return "v1." + strconv.FormatInt(exp, 10) + "." + s.mac(exp)
}

// Valid reports whether v is a cookie value this process issued for the
// token and it has not expired.
func (s Session) Valid(v string) bool {
	if s.Token == "" {
		return false
	}
	rest, ok := strings.CutPrefix(v, "v1.")
	if !ok {
		return false
	}
	expS, mac, ok := strings.Cut(rest, ".")
	exp, err := strconv.ParseInt(expS, 10, 64)
	if !ok || err != nil || s.Now().Unix() >= exp {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(s.mac(exp)))
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
