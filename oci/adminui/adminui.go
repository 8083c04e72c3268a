// Package adminui is the OCI core's own status page, served at GET /admin
// by the core's HTTP server (httpapi.Config.AdminPage): the location
// graph, record counts, reservations by state, impex jobs and the
// invariant check. Its HTML, JavaScript and CSS are embedded.
//
// Access: the page itself is a static shell with no data, served to
// anyone. Its data (GET /admin?view=data) needs a bearer token of the
// core's own token endpoint with the admin scope (sfcc.inventory.admin.rw)
// for a tenant the core serves — the scope that already guards the
// location graph and the invariant check. The page asks for client
// credentials (the development client has every scope) or a token,
// fetches the token itself and keeps it in the tab's sessionStorage. The
// core sets no cookies, so there is nothing a cross-site request could
// ride on.
package adminui

import (
	"embed"
	"strings"
	"sync"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/internal/adminstyle"
	"ociedge/oci"
	"ociedge/oci/auth"
	"ociedge/oci/impex"
)

//go:embed assets
var assets embed.FS

var (
	pageHTML = mustRead("assets/index.html")
	scriptJS = mustRead("assets/app.js")
	styleCSS = adminstyle.With(mustRead("assets/app.css"))
)

func mustRead(name string) []byte {
	b, err := assets.ReadFile(name)
	if err != nil {
		panic("BUG: embedded asset missing: " + err.Error())
	}
	return b
}

// Config configures the page. Core and Auth are required.
type Config struct {
	Core *oci.Core
	// Impex lists the import and export jobs; nil shows none.
	Impex *impex.Service
	// Auth verifies the bearer tokens of the data view.
	Auth *auth.Authority
	// Now is the clock. Default time.Now.
	Now func() time.Time
}

// page serves the shell, its assets and its data. Safe for concurrent use.
type page struct {
	cfg Config

	mu   sync.Mutex // guards snap and inv
	snap cached
	inv  cached
}

// cached is a computed value and when it was computed.
type cached struct {
	at  time.Time
	val any
}

// Handler returns the GET /admin handler:
//
//	/admin                 the page (no data)
//	/admin?asset=app.js    its script; asset=app.css its style sheet
//	/admin?view=data       the data, JSON; Authorization: Bearer <token with sfcc.inventory.admin.rw>
//	/admin?view=data&check=1   the same, running the invariant check now
func Handler(cfg Config) fasthttp.RequestHandler {
	if cfg.Core == nil || cfg.Auth == nil {
		panic("BUG: adminui.Config needs Core and Auth")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	p := &page{cfg: cfg}
	return p.handle
}

func (p *page) handle(ctx *fasthttp.RequestCtx) {
	args := ctx.QueryArgs()
	switch {
	case args.Has("view"):
		p.data(ctx, string(args.Peek("view")), args.Has("check"))
	case args.Has("asset"):
		p.asset(ctx, string(args.Peek("asset")))
	default:
		adminstyle.Write(ctx, fasthttp.StatusOK, "text/html; charset=utf-8", pageHTML)
		ctx.Response.Header.Set("Cache-Control", "no-store")
	}
}

func (p *page) asset(ctx *fasthttp.RequestCtx, name string) {
	switch name {
	case "app.js":
		adminstyle.Write(ctx, fasthttp.StatusOK, "text/javascript; charset=utf-8", scriptJS)
	case "app.css":
		adminstyle.Write(ctx, fasthttp.StatusOK, "text/css; charset=utf-8", styleCSS)
	default:
		problem(ctx, fasthttp.StatusNotFound, "ResourceNotFound", "no such asset")
		return
	}
	ctx.Response.Header.Set("Cache-Control", "no-cache")
}

func (p *page) data(ctx *fasthttp.RequestCtx, view string, check bool) {
	if view != "data" {
		problem(ctx, fasthttp.StatusNotFound, "ResourceNotFound", "no such view: use view=data")
		return
	}
	tenants, status, why := p.authorize(ctx)
	if status != 0 {
		if status == fasthttp.StatusUnauthorized {
			ctx.Response.Header.Set("WWW-Authenticate", `Bearer realm="ocicore"`)
		}
		problem(ctx, status, fasthttp.StatusMessage(status), why)
		return
	}
	writeJSON(ctx, p.snapshot(tenants, check))
}

// authorize returns the tenants the request's bearer token may administer.
func (p *page) authorize(ctx *fasthttp.RequestCtx) ([]string, int, string) {
	h := string(ctx.Request.Header.Peek("Authorization"))
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return nil, fasthttp.StatusUnauthorized, "the data needs Authorization: Bearer <token with " + auth.ScopeAdmin + ">"
	}
	pr, err := p.cfg.Auth.Verify(tok)
	if err != nil {
		return nil, fasthttp.StatusUnauthorized, "the bearer token is missing, invalid or expired: " + err.Error()
	}
	var tenants []string
	for _, t := range p.cfg.Auth.Tenants() {
		if pr.Allow(t, auth.ScopeAdmin) == nil {
			tenants = append(tenants, t)
		}
	}
	if len(tenants) == 0 {
		return nil, fasthttp.StatusForbidden, "the token lacks the scope " + auth.ScopeAdmin + " for a tenant this core serves"
	}
	return tenants, 0, ""
}
