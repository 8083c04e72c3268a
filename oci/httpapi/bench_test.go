package httpapi_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/oci/node"
)

// BenchmarkReserveOverHTTP is a durable single-line reservation through the
// full route (token check, JSON, domain, group commit) with 64 clients in
// the same process.
//
//	go test -run '^$' -bench ReserveOverHTTP -benchtime 20000x ./oci/httpapi/
func BenchmarkReserveOverHTTP(b *testing.B) {
	// The harness's clock stands still, so the rate limiter's bucket (one
	// second of requests) never refills: make it bigger than any run.
	h := start(b, func(c *node.Config) { c.Limits.API = 1e9 })
	h.mustStatus(h.call("PUT", admin("/location-graph"), `{"locations":["wh-a"]}`), 200)
	recs := ""
	for i := range 100 {
		if i > 0 {
			recs += ","
		}
		recs += fmt.Sprintf(`{"id":"s%d","location":"wh-a","sku":"sku-%d","onHand":100000000}`, i, i)
	}
	h.mustStatus(h.call("POST", avail("/availability-records/actions/batch-update"), `{"records":[`+recs+`]}`), 204)
	hc := &fasthttp.HostClient{Addr: h.url[len("http://"):], MaxConns: 128}
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			defer fasthttp.ReleaseRequest(req)
			defer fasthttp.ReleaseResponse(resp)
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				req.Reset()
				req.Header.SetMethod("PUT")
				req.SetRequestURI(h.url + resv(fmt.Sprintf("/reservation-documents/r-%d", i)))
				req.Header.Set("Authorization", "Bearer "+h.token)
				req.Header.SetContentType("application/json")
				req.SetBodyString(fmt.Sprintf(`{"allowPartialReservations":false,"locations":[{"id":"wh-a","reservations":[{"sku":"sku-%d","quantity":1}]}]}`, i%100))
				if err := hc.Do(req, resp); err != nil || resp.StatusCode() != 200 {
					b.Error(err, resp.StatusCode(), string(resp.Body()))
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "reservations/s")
}
