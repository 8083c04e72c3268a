package proxy

import (
	"github.com/valyala/fasthttp"

	"ociedge/modes"
)

// health answers /healthz (the process is alive) and /readyz (it can do
// its job: the store takes writes; in Omnichannel Inventory mode the cache
// is serving — every mapped list imported — even if the core is down).
func (e *Edge) health(ctx *fasthttp.RequestCtx, ready bool) {
	if !ready {
		writeJSONValue(ctx, fasthttp.StatusOK, map[string]string{"status": "ok"})
		return
	}
	reasons := e.notReady()
	if len(reasons) > 0 {
		writeJSONValue(ctx, fasthttp.StatusServiceUnavailable, map[string]any{"status": "not ready", "reasons": reasons})
		return
	}
	writeJSONValue(ctx, fasthttp.StatusOK, map[string]any{"status": "ready", "mode": e.mode.Mode()})
}

func (e *Edge) notReady() []string {
	var reasons []string
	if err := e.store.Healthy(); err != nil {
		reasons = append(reasons, "the store cannot be written: "+err.Error())
	}
	if e.mode.Mode() == modes.OmnichannelInventory {
		for _, s := range e.cache.Status() {
			if s.Mapped() && !s.Imported {
				reasons = append(reasons, "inventory list "+s.ID+" has not finished its full import ("+s.State+")")
			}
		}
	}
	return reasons
}
