package orders

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ociedge/modes"
	"ociedge/oci"
)

// BenchmarkCreateOrder measures checkouts (create a basket, optionally
// reserve it, create the order) in Omnichannel Inventory mode against an
// in-process core, both durable on Pebble, from 8 and 64 goroutines
// (closed loop). It reports checkouts per second and the p50/p99 latency
// of order creation alone.
//
//	go test -run '^$' -bench CreateOrder -benchtime 20000x ./proxy/orders/
func BenchmarkCreateOrder(b *testing.B) {
	for _, clients := range []int{8, 64} {
		for _, reserve := range []bool{false, true} {
			b.Run(fmt.Sprintf("clients=%d/basketReserved=%v", clients, reserve), func(b *testing.B) {
				benchCheckout(b, clients, reserve)
			})
		}
	}
}

func benchCheckout(b *testing.B, clients int, reserve bool) {
	f := newFixture(b, fixtureOpts{mode: modes.OmnichannelInventory, edgeDir: b.TempDir(), coreDir: b.TempDir()})
	for i := range 8 {
		f.stock("wh-a", fmt.Sprintf("sku-%d", i), int64(b.N)*4+1)
	}
	var mu sync.Mutex // guards lat
	lat := make([]time.Duration, 0, b.N)
	var n atomic.Int64
	b.SetParallelism(max(clients/runtime.GOMAXPROCS(0), 1))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			i := n.Add(1)
			mine = append(mine, benchOne(b, f, i, reserve))
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "checkouts/s")
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
	if r := f.values(oci.Grp("online"), "sku-0").Reserved; r == 0 {
		b.Fatal("nothing was reserved")
	}
}

// benchOne checks out one basket and returns how long the order took.
func benchOne(b *testing.B, f *fixture, i int64, reserve bool) time.Duration {
	basket, err := f.svc.CreateBasket(testSite, []ItemInput{item(fmt.Sprintf("sku-%d", (i-1)%8), 1)})
	if err != nil {
		b.Fatal(err)
	}
	if reserve {
		if _, _, err := f.svc.ReserveBasket(context.Background(), testSite, basket.ID, ReserveOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	t0 := time.Now()
	if _, err := f.svc.CreateOrder(context.Background(), testSite, basket.ID); err != nil {
		b.Fatal(err)
	}
	return time.Since(t0)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
