package proxy_test

import (
	"strings"
	"testing"
)

// TestOpsAdminRoutesRejectMissingOrWrongTokens: every admin route answers
// 401 without credentials or with a wrong token, and the page shows only
// the login form.
func TestOpsAdminRoutesRejectMissingOrWrongTokens(t *testing.T) {
	w := newWorld(t, baseConfig)
	for _, rt := range []struct{ method, path, body string }{
		{"GET", "/admin/api/oci/status", ""},
		{"POST", "/admin/api/oci/mode", `{"mode":"OCI_CACHE_ENABLED"}`},
		{"GET", "/admin/api/oci/compare?sku=sku-1", ""},
	} {
		for _, hdr := range []map[string]string{
			nil,
			{"Authorization": "Bearer wrong"},
			{"Authorization": "Bearer admin-token-and-more"},
			{"Authorization": "Basic YWRtaW4tdG9rZW4="},
			{"Cookie": "ociedge_admin=admin-token"},
			{"Cookie": "ociedge_admin=v1.9999999999.forged", "X-OCIEdge-Admin": "1"},
		} {
			if r := w.raw(rt.method, rt.path, hdr, rt.body); r.status != 401 {
				t.Errorf("%s %s with %v: %d %s", rt.method, rt.path, hdr, r.status, r.body)
			}
		}
		if r := w.raw(rt.method, rt.path, map[string]string{"Authorization": "Bearer admin-token"}, rt.body); r.status != 200 {
			t.Errorf("%s %s with the token: %d %s", rt.method, rt.path, r.status, r.body)
		}
	}
	page := w.raw("GET", "/admin/oci", nil, "")
	if page.status != 200 || !strings.Contains(string(page.body), `name="token"`) || strings.Contains(string(page.body), "cache-status") {
		t.Errorf("without credentials the page is the login form: %d %s", page.status, page.body)
	}
	if r := w.login("wrong"); r.status != 401 || r.header["set-cookie"] != "" || !strings.Contains(string(r.body), "login-error") {
		t.Errorf("a wrong token is refused without a cookie: %d %v", r.status, r.header)
	}
	if m := scrape(t, w.edge.URL()); m.value("ociedge_admin_logins_total", labels("outcome", "refused")) != 1 {
		t.Errorf("the refused login is counted")
	}
}

// TestOpsSessionCookie: a login sets an HttpOnly, SameSite=Strict cookie
// scoped to /admin that holds no token; it opens the page and the API, but
// a state change needs the CSRF header too; the OCAPI routes keep taking
// only the bearer token; logout ends it, for any copy of the cookie too.
func TestOpsSessionCookie(t *testing.T) {
	w := newWorld(t, baseConfig)
	r := w.login("admin-token")
	sc := r.header["set-cookie"]
	if r.status != 303 || !strings.HasSuffix(r.header["location"], "/admin/oci") {
		t.Fatalf("login: %d %v", r.status, r.header)
	}
	for _, want := range []string{"ociedge_admin=v2.", "HttpOnly", "SameSite=Strict", "path=/admin", "max-age="} {
		if !strings.Contains(strings.ToLower(sc), strings.ToLower(want)) {
			t.Errorf("cookie %q lacks %s", sc, want)
		}
	}
	if strings.Contains(sc, "admin-token") {
		t.Fatalf("the cookie holds the token: %q", sc)
	}
	cookie := strings.SplitN(sc, ";", 2)[0]
	with := func(extra ...string) map[string]string {
		h := map[string]string{"Cookie": cookie}
		for i := 0; i+1 < len(extra); i += 2 {
			h[extra[i]] = extra[i+1]
		}
		return h
	}
	if p := w.raw("GET", "/admin/oci", with(), ""); p.status != 200 || !strings.Contains(string(p.body), `id="cache-status"`) ||
		!strings.Contains(p.header["content-security-policy"], "script-src 'self'") {
		t.Errorf("the page with the cookie: %d %v", p.status, p.header)
	}
	if s := w.raw("GET", "/admin/api/oci/status", with(), ""); s.status != 200 {
		t.Errorf("status with the cookie: %d %s", s.status, s.body)
	}
	body := `{"mode":"OCI_CACHE_ENABLED","force":false}`
	if m := w.raw("POST", "/admin/api/oci/mode", with("Content-Type", "application/json"), body); m.status != 403 ||
		!strings.Contains(string(m.body), "X-OCIEdge-Admin") || w.edge.Mode().String() != "COMMERCE_PLATFORM" {
		t.Errorf("a cookie-only state change without the CSRF header is refused: %d %s", m.status, m.body)
	}
	if m := w.raw("POST", "/admin/api/oci/mode", with("Content-Type", "application/json", "X-OCIEdge-Admin", "1"), body); m.status != 200 {
		t.Errorf("with the header: %d %s", m.status, m.body)
	}
	ocapi := "/s/-/dw/data/v25_6/inventory_lists/online-us/product_inventory_records/sku-1"
	if o := w.raw("GET", ocapi, with("X-OCIEdge-Admin", "1"), ""); o.status != 401 {
		t.Errorf("the OCAPI routes take only the bearer token: %d", o.status)
	}
	out := w.raw("POST", "/admin/oci/logout", with(), "")
	if out.status != 303 || !strings.Contains(out.header["set-cookie"], "ociedge_admin=;") {
		t.Errorf("logout clears the cookie: %d %v", out.status, out.header)
	}
	// A copy of the cookie kept past the logout (a stolen one) is refused.
	if s := w.raw("GET", "/admin/api/oci/status", with(), ""); s.status != 401 {
		t.Errorf("the logged-out cookie is refused: %d", s.status)
	}
	if again := w.login("admin-token"); again.status != 303 {
		t.Errorf("a new login after the logout: %d", again.status)
	} else if s := w.raw("GET", "/admin/api/oci/status", map[string]string{"Cookie": strings.SplitN(again.header["set-cookie"], ";", 2)[0]}, ""); s.status != 200 {
		t.Errorf("the new login's cookie: %d", s.status)
	}
	last := "A"
	if strings.HasSuffix(cookie, "A") {
		last = "B"
	}
	tampered := cookie[:len(cookie)-1] + last
	if s := w.raw("GET", "/admin/api/oci/status", map[string]string{"Cookie": tampered}, ""); s.status != 401 {
		t.Errorf("a tampered cookie is refused: %d", s.status)
	}
}
