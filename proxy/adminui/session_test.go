package adminui

import (
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

func TestSessionValues(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	clock := func() time.Time { return now }
	s := Session{Token: "admin-token", Now: clock}
	v := s.Value()
	if strings.Contains(v, "admin-token") || !s.Valid(v) {
		t.Fatalf("a fresh value is valid and holds no token: %q", v)
	}
	cases := map[string]string{
		"empty":        "",
		"no version":   strings.TrimPrefix(v, "v2."),
		"old version":  strings.Replace(v, "v2.", "v1.", 1),
		"other id":     swapID(v, "AAAAAAAAAAAAAAAAAAAAAA"),
		"tampered mac": v[:len(v)-1] + flip(v[len(v)-1]),
		"longer life":  strings.Replace(v, "v2.", "v2.9", 1),
		"no mac":       v[:strings.LastIndexByte(v, '.')],
	}
	for name, bad := range cases {
		if s.Valid(bad) {
			t.Errorf("%s: %q accepted", name, bad)
		}
	}
	if (Session{Token: "another-token", Now: clock}).Valid(v) {
		t.Error("a value made for another token is refused")
	}
	if (Session{Token: "", Now: clock}).Valid(v) {
		t.Error("no token configured accepts nothing")
	}
	now = now.Add(SessionTTL)
	if s.Valid(v) {
		t.Error("an expired value is refused")
	}
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

// swapID replaces the session id of a cookie value, keeping its MAC.
func swapID(v, id string) string {
	p := strings.Split(v, ".")
	p[2] = id
	return strings.Join(p, ".")
}

// TestSessionEnd: a logout ends that session only (a copy of its cookie
// is refused, other logins stay valid), an invalid cookie ends nothing, and
// ended ids are forgotten once their cookies would have expired.
func TestSessionEnd(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	var ended Ended
	s := Session{Token: "admin-token", Now: func() time.Time { return now }, Ended: &ended}
	a, b := s.Value(), s.Value()
	if a == b || !s.Valid(a) || !s.Valid(b) {
		t.Fatalf("two logins get two valid, different cookies: %q %q", a, b)
	}
	logout := func(cookie string) *fasthttp.RequestCtx {
		var ctx fasthttp.RequestCtx
		ctx.Request.Header.SetCookie(CookieName, cookie)
		s.End(&ctx)
		return &ctx
	}
	ctx := logout(a)
	if s.Valid(a) || !s.Valid(b) || len(ended.ids) != 1 {
		t.Fatalf("after logging a out: a valid %v, b valid %v, %d ended", s.Valid(a), s.Valid(b), len(ended.ids))
	}
	if c := string(ctx.Response.Header.PeekCookie(CookieName)); !strings.Contains(c, CookieName+"=;") {
		t.Errorf("logout clears the cookie: %q", c)
	}
	logout(a)
	logout(b[:len(b)-1] + flip(b[len(b)-1]))
	logout("")
	if len(ended.ids) != 1 || !s.Valid(b) {
		t.Errorf("an ended or invalid cookie ends nothing more: %d ended, b valid %v", len(ended.ids), s.Valid(b))
	}
	// b outlives a by a minute; when a's cookie would have expired, a's id
	// is dropped at the next logout.
	now = now.Add(time.Minute)
	c := s.Value()
	now = now.Add(SessionTTL - time.Minute)
	logout(c)
	if len(ended.ids) != 1 || s.Valid(c) {
		t.Errorf("expired ids are forgotten: %d ended (want c's alone), c valid %v", len(ended.ids), s.Valid(c))
	}
	if (Session{Token: "admin-token", Now: s.Now}).Valid(c) != true {
		t.Error("a Session without Ended does not know of logouts (documented)")
	}
}

// FuzzSessionCookie: no cookie value but the ones this process issued is
// valid, and logging any value out neither panics nor ends another
// session.
func FuzzSessionCookie(f *testing.F) {
	now := time.Unix(1_700_000_000, 0)
	var ended Ended
	s := Session{Token: "admin-token", Now: func() time.Time { return now }, Ended: &ended}
	issued := s.Value()
	for _, seed := range []string{issued, "", "v2.", "v2...", "v2.1.2.3", "v1.1700000001.AAAA", "v2.99999999999999999999.a.b",
		"v2.-1.id.mac", issued + ".", strings.Replace(issued, "v2.", "v2.0", 1)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if v != issued && s.Valid(v) {
			t.Fatalf("%q is valid", v)
		}
		var ctx fasthttp.RequestCtx
		ctx.Request.Header.SetCookie(CookieName, v)
		s.End(&ctx)
		if v != issued && !s.Valid(issued) {
			t.Fatalf("logging %q out ended the issued session", v)
		}
		if v == issued {
			ended = Ended{} // the next inputs check against a live session again
		}
	})
}
