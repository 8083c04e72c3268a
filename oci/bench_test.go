package oci

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fsyncRate measures this disk's single-writer durable append rate: one
// 128-byte write plus fsync at a time (the ceiling for one durable writer).
func fsyncRate(tb testing.TB) float64 {
	tb.Helper()
	f, err := os.Create(filepath.Join(tb.TempDir(), "fsync"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 128)
	start := time.Now()
	n := 0
	for time.Since(start) < 300*time.Millisecond {
		if _, err := f.Write(buf); err != nil {
			tb.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			tb.Fatal(err)
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds()
}

// BenchmarkDurableReservations reports durable single-line reservations per
// second with 1, 8 and 64 concurrent writers, beside the fsync rate of the
// same disk measured in the same run; ratio = reservations/s ÷ fsyncs/s.
// A ratio above 1 is group commit at work.
//
//	go test -run '^$' -bench DurableReservations -benchtime 20000x ./oci/
func BenchmarkDurableReservations(b *testing.B) {
	for _, writers := range []int{1, 8, 64} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			tc := mustOpen(b)
			tc.mustGraph(Graph{Locations: []Location{{ID: "wh-a"}}})
			const skus = 512
			us := make([]RecordUpdate, 0, 100)
			for i := range skus {
				us = append(us, RecordUpdate{ID: fmt.Sprint("u", i), Location: "wh-a", SKU: fmt.Sprint("sku-", i), OnHand: Value(MaxQty / 2)})
				if len(us) == 100 || i == skus-1 {
					if _, err := tc.BatchUpdate(us); err != nil {
						b.Fatal(err)
					}
					us = us[:0]
				}
			}
			syncs := fsyncRate(b)
			var next atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := next.Add(1)
						if i > int64(b.N) {
							return
						}
						req := reserveAt(fmt.Sprint("r", i), PlaceLocation, "wh-a", fmt.Sprint("sku-", i%skus), 1)
						if res, err := tc.Reserve(req); err != nil || !res.Success {
							b.Error(err, res)
							return
						}
					}
				}()
			}
			wg.Wait()
			rate := float64(b.N) / time.Since(start).Seconds()
			b.ReportMetric(rate, "reservations/s")
			b.ReportMetric(syncs, "fsyncs/s")
			b.ReportMetric(rate/syncs, "ratio")
		})
	}
}

// BenchmarkGroupExtra is the flow check behind a group reservation when
// another group's promises compete for shared locations.
func BenchmarkGroupExtra(b *testing.B) {
	tc := sharedCore(b)
	tc.mustReserve(reserveAt("b", PlaceGroup, "GB", "sku", 10))
	tc.mu.RLock()
	defer tc.mu.RUnlock()
	s := tc.skus.get("sku")
	ga, _ := tc.in.lookup("GA")
	b.ReportAllocs()
	var sink Qty
	for b.Loop() {
		sink += extraAt(tc.graph, s, PlaceGroup, ga, false)
	}
	if sink == 0 {
		b.Fatal("no capacity")
	}
}
