package proxy

import (
	"encoding/json"
	"errors"

	"github.com/valyala/fasthttp"

	"ociedge/internal/kv"
	"ociedge/modes"
)

// adminAPI serves /admin/api/oci/*: the status, mode changes and the
// compare view. Admin routes need Authorization: Bearer <admin token>, or
// the admin page's session cookie (see adminAPIAuth).
func (e *Edge) adminAPI(ctx *fasthttp.RequestCtx) bool {
	path := string(ctx.Path())
	switch path {
	case "/admin/api/oci/status", "/admin/api/oci/mode", "/admin/api/oci/compare",
		"/admin/api/oci/check-cache", "/admin/api/oci/reconcile":
	default:
		return false
	}
	if status, why := e.adminAPIAuth(ctx); status != 0 {
		kind := "forbidden"
		if status == fasthttp.StatusUnauthorized {
			kind = "unauthorized"
			ctx.Response.Header.Set("WWW-Authenticate", `Bearer realm="ociedge admin"`)
		}
		e.scapiError(ctx, status, kind, why)
		return true
	}
	switch {
	case path == "/admin/api/oci/status" && ctx.IsGet():
		writeJSONValue(ctx, fasthttp.StatusOK, e.Status())
	case path == "/admin/api/oci/mode" && ctx.IsPost():
		e.setModeHandler(ctx)
	case path == "/admin/api/oci/compare" && ctx.IsGet():
		e.compareHandler(ctx)
	case path == "/admin/api/oci/check-cache" && ctx.IsGet():
		e.checkCacheHandler(ctx)
	case path == "/admin/api/oci/reconcile" && (ctx.IsGet() || ctx.IsPost()):
		e.reconcileHandler(ctx)
	default:
		e.scapiError(ctx, fasthttp.StatusMethodNotAllowed, "method-not-allowed", "Method not allowed on "+path+".")
	}
	return true
}

func (e *Edge) setModeHandler(ctx *fasthttp.RequestCtx) {
	var req struct {
		Mode  modes.Mode `json:"mode"`
		Force bool       `json:"force"`
	}
	body := ctx.PostBody()
	if len(body) > 4096 || json.Unmarshal(body, &req) != nil {
		e.scapiError(ctx, fasthttp.StatusBadRequest, "validation",
			`The body must be {"mode": "COMMERCE_PLATFORM" | "OCI_CACHE_ENABLED" | "OMNICHANNEL_INVENTORY", "force": false}.`)
		return
	}
	if _, err := e.SetMode(req.Mode, req.Force); err != nil {
		status, kind := fasthttp.StatusConflict, "mode-change-refused"
		switch {
		case errors.Is(err, kv.ErrUnwritable):
			status, kind = fasthttp.StatusServiceUnavailable, "service-unavailable"
		case modes.ErrorCode(err) == modes.EINVALID:
			status = fasthttp.StatusBadRequest
		}
		e.scapiError(ctx, status, kind, err.Error())
		return
	}
	writeJSONValue(ctx, fasthttp.StatusOK, e.Status())
}

// SetMode moves the instance to another inventory mode (see
// modes.Transition). Entering a mode that fills the cache starts the
// streams; they keep running after a deactivation.
func (e *Edge) SetMode(to modes.Mode, force bool) (modes.Mode, error) {
	m, err := e.mode.Set(to, force, e.readiness)
	if err != nil {
		return m, err
	}
	if m.FillsCache() {
		if err := e.startStreams(); err != nil {
			return m, err
		}
	}
	return m, nil
}

// Mode returns the current inventory mode.
func (e *Edge) Mode() modes.Mode { return e.mode.Mode() }

func (e *Edge) readiness() modes.Readiness {
	var r modes.Readiness
	for _, s := range e.cache.Status() {
		r.Lists = append(r.Lists, modes.ListReadiness{ID: s.ID, Mapped: s.Mapped(), Imported: s.Imported,
			ItemsCached: s.ItemsCached, State: s.State})
	}
	return r
}

func writeJSONValue(ctx *fasthttp.RequestCtx, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic("BUG: cannot encode a response: " + err.Error())
	}
	ctx.SetStatusCode(status)
	ctx.SetContentType("application/json")
	ctx.SetBody(b)
}

var errBadSKU = errors.New("bad sku")
