package proxy

import (
	"bytes"
	"crypto/subtle"

	"github.com/valyala/fasthttp"
	"go.uber.org/zap"

	"ociedge/proxy/adminui"
)

// adminPage serves the OCI Integration page (package adminui) and its
// login:
//
//	GET  /admin/oci          the page with a valid session cookie or bearer token, else the login form
//	POST /admin/oci/login    form field token; sets the session cookie and redirects to the page
//	POST /admin/oci/logout   clears the cookie and redirects to the page (the login form)
//	GET  /admin/oci/app.js, /admin/oci/app.css   the page's assets (no data, no login)
func (e *Edge) adminPage(ctx *fasthttp.RequestCtx) bool {
	path := string(ctx.Path())
	readOnly := ctx.IsGet() || ctx.IsHead()
	if readOnly && adminui.ServeAsset(ctx, path) {
		return true
	}
	switch {
	case path == adminui.PagePath && readOnly:
		if e.adminBearerOrSession(ctx) {
			adminui.ServePage(ctx)
		} else {
			adminui.ServeLogin(ctx, fasthttp.StatusOK, false)
		}
	case path == adminui.LoginPath && ctx.IsPost():
		e.adminLogin(ctx)
	case path == adminui.LogoutPath && ctx.IsPost():
		e.session().End(ctx)
		e.log.Info("admin logged out", zap.String("remote", ctx.RemoteIP().String()))
		ctx.Redirect(adminui.PagePath, fasthttp.StatusSeeOther)
	case path == adminui.PagePath || path == adminui.LoginPath || path == adminui.LogoutPath:
		e.scapiError(ctx, fasthttp.StatusMethodNotAllowed, "method-not-allowed", "Method not allowed on "+path+".")
	default:
		return false
	}
	return true
}

// maxLoginBody bounds the login form.
const maxLoginBody = 4096

// adminLogin checks the form's token against the admin token and, if it
// matches, sets the session cookie (an HMAC, never the token).
func (e *Edge) adminLogin(ctx *fasthttp.RequestCtx) {
	body := ctx.PostBody()
	if len(body) > maxLoginBody || !bytes.HasPrefix(ctx.Request.Header.ContentType(), []byte("application/x-www-form-urlencoded")) {
		e.metrics.login("bad_request")
		e.scapiError(ctx, fasthttp.StatusBadRequest, "validation", "The login is a form (application/x-www-form-urlencoded) with the field 'token'.")
		return
	}
	var args fasthttp.Args
	args.ParseBytes(body)
	want := string(e.app.Admin.Token)
	if want == "" || subtle.ConstantTimeCompare(args.Peek("token"), []byte(want)) != 1 {
		e.metrics.login("refused")
		e.metrics.loginLog.Warn(e.log, "admin login refused", "admin login refused: wrong token",
			zap.String("remote", ctx.RemoteIP().String()))
		adminui.ServeLogin(ctx, fasthttp.StatusUnauthorized, true)
		return
	}
	e.metrics.login("ok")
	e.log.Info("admin logged in", zap.String("remote", ctx.RemoteIP().String()))
	e.session().SetCookie(ctx)
	ctx.Redirect(adminui.PagePath, fasthttp.StatusSeeOther)
}

// session checks and issues the admin page's cookies.
func (e *Edge) session() adminui.Session {
	return adminui.Session{Token: string(e.app.Admin.Token), Now: e.now, Ended: &e.loggedOut}
}
