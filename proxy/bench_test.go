package proxy_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// benchWorld is an edge in OCI mode with n skus cached for online-us.
func benchWorld(b *testing.B, n int) *world {
	w := newWorld(b, baseConfig)
	w.graph(graphWithAustin)
	for i := 0; i < n; i += 100 {
		recs := ""
		for j := i; j < i+100 && j < n; j++ {
			if recs != "" {
				recs += ","
			}
			recs += fmt.Sprintf(`{"id":"b%d","location":"wh-a","sku":"sku-%06d","onHand":%d}`, j, j, j%50)
		}
		_ = recs
		for j := i; j < i+100 && j < n; j++ {
			w.setStock("wh-a", fmt.Sprintf("sku-%06d", j), j%50+1)
		}
	}
	for _, m := range []string{"OCI_CACHE_ENABLED", "OMNICHANNEL_INVENTORY"} {
		eventually(b, 30*time.Second, "mode "+m, func() bool { return w.setMode(m, false).status == 200 })
	}
	return w
}

func benchLookup(b *testing.B, products string) {
	w := benchWorld(b, 100)
	h := w.edge.Handler()
	var ctx fasthttp.RequestCtx
	uri := "/product/shopper-availability/v1/organizations/" + org + "/availability?siteId=RefArch&productIds=" + products
	ctx.Request.SetRequestURI(uri)
	ctx.Request.Header.SetMethod("GET")
	h(&ctx)
	if ctx.Response.StatusCode() != 200 || string(ctx.Response.Header.Peek("x-ociedge-cache")) != "hit" {
		b.Fatalf("warm-up: %d %s %s", ctx.Response.StatusCode(), ctx.Response.Header.Peek("x-ociedge-cache"), ctx.Response.Body())
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ctx.Response.Reset()
		h(&ctx)
	}
	b.StopTimer()
	if ctx.Response.StatusCode() != 200 {
		b.Fatal(ctx.Response.StatusCode())
	}
}

// BenchmarkAvailabilityHit is the full Shopper Availability route on a
// cache hit, 1 sku, without the network: DESIGN §6 asks 0 allocations.
//
//	go test -run '^$' -bench AvailabilityHit -benchmem ./proxy/
func BenchmarkAvailabilityHit1(b *testing.B) { benchLookup(b, "sku-000007") }

// BenchmarkAvailabilityHit24 is the same with 24 skus.
func BenchmarkAvailabilityHit24(b *testing.B) {
	ids := ""
	for i := range 24 {
		if i > 0 {
			ids += ","
		}
		ids += fmt.Sprintf("sku-%06d", i+10)
	}
	benchLookup(b, ids)
}

// BenchmarkAvailabilityHit24Spread asks 24 different skus each time out of
// 2,000 (fixed seed), so lookups do not stay in the CPU caches.
func BenchmarkAvailabilityHit24Spread(b *testing.B) {
	w := benchWorld(b, 2000)
	h := w.edge.Handler()
	rng := rand.New(rand.NewPCG(1, 2))
	uris := make([]string, 256)
	for i := range uris {
		ids := make([]string, 24)
		for j := range ids {
			ids[j] = fmt.Sprintf("sku-%06d", rng.IntN(2000))
		}
		uris[i] = "/product/shopper-availability/v1/organizations/" + org + "/availability?siteId=RefArch&productIds=" + strings.Join(ids, ",")
	}
	var ctx fasthttp.RequestCtx
	ctx.Request.Header.SetMethod("GET")
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		ctx.Request.SetRequestURI(uris[i%len(uris)])
		i++
		ctx.Response.Reset()
		h(&ctx)
		if ctx.Response.StatusCode() != 200 {
			b.Fatal(ctx.Response.StatusCode(), string(ctx.Response.Body()))
		}
	}
}
