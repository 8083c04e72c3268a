package ocapi

import (
	"errors"
	"net/http"

	"github.com/valyala/fasthttp"
	"go.uber.org/zap"

	"ociedge/proxy/inventory"
	"ociedge/proxy/inventory/xmlimport"
)

// problem is an application/problem+json body of the admin route.
type problem struct {
	Type      string            `json:"type"`
	Title     string            `json:"title"`
	Status    int               `json:"status"`
	Detail    string            `json:"detail"`
	ErrorCode string            `json:"errorCode"`
	Line      int               `json:"line,omitempty"`
	Report    *xmlimport.Report `json:"report,omitempty"`
}

func (h *Handler) serveImport(ctx *fasthttp.RequestCtx) {
	switch mt := mediaType(ctx); {
	case !h.cfg.Authorize(ctx):
		h.problem(ctx, errUnauthorized, nil)
	case !ctx.IsPost():
		ctx.Response.Header.Set("Allow", "POST")
		h.problem(ctx, inventory.Errorf(EMETHOD, "%s is not allowed here; use POST", ctx.Method()), nil)
	case mt != "application/xml" && mt != "text/xml":
		h.problem(ctx, inventory.Errorf(EMEDIATYPE, "Content-Type must be application/xml or text/xml, not %q", mt), nil)
	default:
		h.runImport(ctx)
	}
}

func (h *Handler) runImport(ctx *fasthttp.RequestCtx) {
	body, err := bodyReader(ctx, h.cfg.MaxImportBytes)
	if err != nil {
		h.problem(ctx, err, nil)
		return
	}
	rep, err := h.importer.Import(body)
	if skipped := rep.RecordsSkippedReadOnly; skipped > 0 {
		h.warn("inventory XML import: "+xmlimport.OCISkipWarning, zap.Int("records", skipped))
	}
	if err != nil {
		if errors.Is(err, errTooLarge) {
			err = tooLarge(h.cfg.MaxImportBytes)
		}
		h.problem(ctx, err, rep)
		return
	}
	writeJSON(ctx, http.StatusOK, rep)
}

// problem writes err as application/problem+json, with the import report
// when there is one.
func (h *Handler) problem(ctx *fasthttp.RequestCtx, err error, rep *xmlimport.Report) {
	status, _, code := statusOf(err)
	p := problem{Type: "urn:ociedge:problem:" + code, Title: http.StatusText(status), Status: status,
		Detail: err.Error(), ErrorCode: code, Report: rep}
	var se *xmlimport.SyntaxError
	if errors.As(err, &se) && code == inventory.EINVALID {
		p.Line = se.Line
	}
	if status == http.StatusInternalServerError {
		h.log.Error("inventory XML import failed", errField(err))
	}
	writeJSON(ctx, status, p)
	ctx.SetContentType("application/problem+json")
}
