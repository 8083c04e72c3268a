package proxy

import "github.com/valyala/fasthttp"

// adminPage serves the OCI Integration page (see adminui).
func (e *Edge) adminPage(ctx *fasthttp.RequestCtx) bool {
	return false
}
