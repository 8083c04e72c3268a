package proxy

import (
	"context"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/modes"
	"ociedge/oci"
	"ociedge/oci/client"
)

// health answers /healthz (the process is alive) and /readyz (it can do
// its job). Ready means: the store takes writes, and — in Omnichannel
// Inventory mode, where availability comes only from the cache — every
// list mapped to the core's graph has completed its full import, so the
// cache serves even while the core is down. When a list has not, the
// answer also says whether the core can be reached for the misses.
func (e *Edge) health(ctx *fasthttp.RequestCtx, ready bool) {
	if !ready {
		writeJSONValue(ctx, fasthttp.StatusOK, map[string]string{"status": "ok"})
		return
	}
	reasons := e.notReady()
	if len(reasons) > 0 {
		writeJSONValue(ctx, fasthttp.StatusServiceUnavailable, map[string]any{"status": "not ready", "mode": e.mode.Mode(), "reasons": reasons})
		return
	}
	writeJSONValue(ctx, fasthttp.StatusOK, map[string]any{"status": "ready", "mode": e.mode.Mode()})
}

// coreProbeTimeout bounds the reachability check of /readyz.
const coreProbeTimeout = 500 * time.Millisecond

// notReady returns why the edge is not ready; none means it is.
func (e *Edge) notReady() []string {
	var reasons []string
	if err := e.store.Healthy(); err != nil {
		reasons = append(reasons, "the store cannot be written: "+err.Error())
	}
	if e.mode.Mode() != modes.OmnichannelInventory {
		return reasons
	}
	cold := e.coldLists()
	if len(cold) == 0 {
		return reasons
	}
	reasons = append(reasons, cold...)
	if err := e.probeCore(); err != nil {
		reasons = append(reasons, "the OCI core cannot be reached, so lookups the cache cannot answer fail: "+err.Error())
	}
	return reasons
}

// coldLists says why the cache cannot serve: the graph was never fetched,
// or a mapped list has not completed its full import.
func (e *Edge) coldLists() []string {
	if e.cache.Imported() {
		return nil
	}
	var out []string
	for _, s := range e.cache.Status() {
		switch {
		case s.Mapped() && !s.Imported:
			out = append(out, "inventory list "+s.ID+" has not finished its full import ("+s.State+")")
		case !s.Mapped() && s.State == "waiting for graph":
			out = append(out, "inventory list "+s.ID+" is waiting for the location graph")
		}
	}
	if len(out) == 0 {
		out = append(out, "the cache has not fetched the location graph yet")
	}
	return out
}

// probeQuery is a get-availability the core answers (with a 4xx for the
// unknown place) whenever it is reachable; it uses only the documented API.
var probeQuery = oci.AvailabilityQuery{SKUs: []string{"ociedge-readyz"}, Locations: []string{"ociedge-readyz"}}

// probeCore reports whether the core answers at all, within a short
// deadline: any answer, even a refusal of the probe, means reachable.
func (e *Edge) probeCore() error {
	ctx, cancel := context.WithTimeout(context.Background(), coreProbeTimeout)
	defer cancel()
	q := probeQuery
	_, err := e.core.GetAvailability(ctx, &q)
	if err != nil && (client.Retryable(err) || ctx.Err() != nil) {
		return err
	}
	return nil
}
