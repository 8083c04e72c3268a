package inventory

import (
	"fmt"
	"sync/atomic"
	"testing"

	"ociedge/internal/kv"
)

var sinkRecord Record

func BenchmarkLookup(b *testing.B) {
	f := newFixture(b)
	f.MustList(b, "l", false)
	for i := range 1000 {
		f.MustRecord(b, "l", fmt.Sprint("p", i), 10)
	}
	ids := make([]string, 1000)
	for i := range ids {
		ids[i] = fmt.Sprint("p", i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		sinkRecord, _ = f.Lookup("l", ids[i%len(ids)])
	}
}

// BenchmarkReserveDurable measures durable single-line reservations from
// many goroutines on a Pebble store, spread over 1024 products, with one
// writer mutex (stripes=1) against striped locks (stripes=256). With
// stripes, writes to different records fsync concurrently and Pebble
// commits them as a group.
func BenchmarkReserveDurable(b *testing.B) {
	for _, stripes := range []int{1, 256} {
		b.Run(fmt.Sprintf("stripes=%d", stripes), func(b *testing.B) {
			db, err := kv.OpenPebble(b.TempDir(), kv.PebbleConfig{})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			f := openFixtureCfg(b, Config{KV: db, LockStripes: stripes}, newClock())
			f.MustList(b, "l", false)
			const products = 1024
			for i := range products {
				f.MustRecord(b, "l", fmt.Sprint("p", i), 1_000_000)
			}
			var n atomic.Int64
			b.SetParallelism(32)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					_, err := f.Reserve(ReserveRequest{ID: fmt.Sprint("o", i), ListID: "l",
						Lines: []Line{{fmt.Sprint("p", i%products), Unit}}})
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
