package proxy

import (
	"context"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/cache"
)

// CheckCache compares every cached (list, sku) with the core's values and
// reports the differences that remain once in-flight changes settled, and
// each list's staleness (the convergence checker).
func (e *Edge) CheckCache(ctx context.Context, settle time.Duration) (*cache.CheckReport, error) {
	return e.cache.Check(ctx, cache.CheckOptions{Settle: settle})
}

// checkCacheHandler serves GET /admin/api/oci/check-cache[?settle=2s]:
// 200 with the report (converged or not), 502 when the core could not be
// asked.
func (e *Edge) checkCacheHandler(ctx *fasthttp.RequestCtx) {
	settle := 2 * time.Second
	if s := ctx.QueryArgs().Peek("settle"); len(s) > 0 {
		d, err := time.ParseDuration(string(s))
		if err != nil || d < 0 || d > time.Minute {
			e.scapiError(ctx, fasthttp.StatusBadRequest, "validation", "'settle' must be a duration up to 1m.")
			return
		}
		settle = d
	}
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := e.CheckCache(c, settle)
	if err != nil {
		e.scapiError(ctx, fasthttp.StatusBadGateway, "core-unavailable", "The check could not ask the core: "+err.Error())
		return
	}
	writeJSONValue(ctx, fasthttp.StatusOK, rep)
}
