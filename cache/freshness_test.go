package cache

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"go.uber.org/zap"

	"ociedge/internal/kv"
	"ociedge/oci"
)

// BenchmarkFreshness measures how long a change on the core takes to be
// visible at the edge (DESIGN §6: p99 < 100 ms at 1,000 changes/s), with
// the real in-process core, its change log, and the default 25 ms poll.
// Each op is one batch-update of one record, sent at 1,000/s.
//
//	go test -run '^$' -bench Freshness -benchtime 3000x ./cache/
func BenchmarkFreshness(b *testing.B) {
	core, err := oci.Open(oci.Config{Store: kv.NewMem(), SweepInterval: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	defer core.Close()
	if err := core.ReplaceGraph(oci.Graph{Locations: []oci.Location{{ID: "wh-a"}}}); err != nil {
		b.Fatal(err)
	}
	c, err := New(Config{Core: InProcess(core), Lists: []List{{ID: "wh-a", Site: true}}, MaxRecords: 10_000, Logger: zap.NewNop()})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	c.Start()
	for !c.Imported() {
		time.Sleep(time.Millisecond)
	}
	start := time.Now()
	lat := measureFreshness(b, core, c, b.N)
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "changes/s")
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
}

// measureFreshness writes n changes at 1,000/s and returns, for each, the
// time from the core's acknowledgement to its value being served.
func measureFreshness(b *testing.B, core *oci.Core, c *Cache, n int) []time.Duration {
	type change struct {
		sku  string
		qty  oci.Qty
		sent time.Time
	}
	pending := make(chan change, n)
	done := make(chan []time.Duration)
	go func() {
		var lat []time.Duration
		var waiting []change
		for len(lat) < n {
			select {
			case ch := <-pending:
				waiting = append(waiting, ch)
			default:
			}
			kept := waiting[:0]
			for _, ch := range waiting {
				if v, st := c.LookupString(0, ch.sku); st == Hit && v.OnHand == ch.qty {
					lat = append(lat, time.Since(ch.sent))
				} else {
					kept = append(kept, ch)
				}
			}
			waiting = kept
			runtime.Gosched()
		}
		done <- lat
	}()
	b.ResetTimer()
	start := time.Now()
	for i := range n {
		if wait := time.Until(start.Add(time.Duration(i) * time.Millisecond)); wait > 0 {
			time.Sleep(wait) // on schedule: 1,000 changes/s, catching up when late
		}
		ch := change{sku: fmt.Sprint("sku-", i), qty: oci.Qty(i+1) * oci.Unit}
		u := oci.RecordUpdate{ID: fmt.Sprint("f", i), Location: "wh-a", SKU: ch.sku, OnHand: oci.Value(ch.qty)}
		if _, err := core.BatchUpdate([]oci.RecordUpdate{u}); err != nil {
			b.Fatal(err)
		}
		ch.sent = time.Now()
		pending <- ch
	}
	return <-done
}
