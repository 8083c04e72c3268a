// Package adminstyle holds what both admin pages share (the core's /admin
// and the edge's OCI Integration page): the style sheet, one look written
// once, which each page serves followed by its own rules; and the security
// headers every answer of theirs carries.
package adminstyle

import (
	_ "embed"

	"github.com/valyala/fasthttp"
)

// CSP is the pages' Content-Security-Policy: their own scripts, styles and
// API only; nothing inline, nothing framed.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// Write answers with body and the pages' security headers.
func Write(ctx *fasthttp.RequestCtx, status int, contentType string, body []byte) {
	h := &ctx.Response.Header
	h.Set("Content-Security-Policy", CSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	ctx.SetStatusCode(status)
	ctx.SetContentType(contentType)
	ctx.SetBody(body)
}

// Base is the shared style sheet.
//
//go:embed base.css
var Base []byte

// With returns the shared style sheet followed by the page's own rules.
func With(own []byte) []byte {
	out := make([]byte, 0, len(Base)+1+len(own))
	out = append(out, Base...)
	out = append(out, '\n')
	return append(out, own...)
}
