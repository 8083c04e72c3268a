// Package adminui is the edge's OCI Integration admin page, after Business
// Manager's "Administration > Operations > OCI Integration": the mode and
// its buttons, the warnings, the Cache Status table, the activation
// checklist and a compare view. Its HTML, JavaScript and CSS are embedded;
// nothing is fetched from elsewhere. The page holds no data: its script
// polls the edge's JSON admin API (/admin/api/oci/*) and builds the DOM
// with textContent only, so nothing it shows is ever parsed as markup.
//
// The package serves bytes and checks session cookies (see Session); the
// edge decides who may see what.
package adminui

import (
	"bytes"
	"embed"
	"html/template"

	"github.com/valyala/fasthttp"

	"ociedge/internal/adminstyle"
)

//go:embed assets
var assets embed.FS

var (
	pageHTML  = mustRead("assets/index.html")
	scriptJS  = mustRead("assets/app.js")
	styleCSS  = adminstyle.Base // the shared admin style, nothing of its own
	loginTmpl = template.Must(template.ParseFS(assets, "assets/login.html"))
)

func mustRead(name string) []byte {
	b, err := assets.ReadFile(name)
	if err != nil {
		panic("BUG: embedded asset missing: " + err.Error())
	}
	return b
}

// Paths of the page and its assets.
const (
	PagePath   = "/admin/oci"
	LoginPath  = "/admin/oci/login"
	LogoutPath = "/admin/oci/logout"
	ScriptPath = "/admin/oci/app.js"
	StylePath  = "/admin/oci/app.css"
)

// ServeAsset writes the script or the style sheet if path names one and
// reports whether it did. Assets hold no data and need no login.
func ServeAsset(ctx *fasthttp.RequestCtx, path string) bool {
	switch path {
	case ScriptPath:
		adminstyle.Write(ctx, fasthttp.StatusOK, "text/javascript; charset=utf-8", scriptJS)
	case StylePath:
		adminstyle.Write(ctx, fasthttp.StatusOK, "text/css; charset=utf-8", styleCSS)
	default:
		return false
	}
	ctx.Response.Header.Set("Cache-Control", "no-cache")
	return true
}

// ServePage writes the page for a logged-in operator.
func ServePage(ctx *fasthttp.RequestCtx) {
	adminstyle.Write(ctx, fasthttp.StatusOK, "text/html; charset=utf-8", pageHTML)
	ctx.Response.Header.Set("Cache-Control", "no-store")
}

// ServeLogin writes the login form; failed says the last token was wrong.
func ServeLogin(ctx *fasthttp.RequestCtx, status int, failed bool) {
	var b bytes.Buffer
	if err := loginTmpl.Execute(&b, struct{ Failed bool }{failed}); err != nil {
		panic("BUG: login template: " + err.Error())
	}
	adminstyle.Write(ctx, status, "text/html; charset=utf-8", b.Bytes())
	ctx.Response.Header.Set("Cache-Control", "no-store")
}
