package cache

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"go.uber.org/zap"

	"ociedge/internal/memstat"
	"ociedge/oci"
)

const benchRecords = 1_000_000

var (
	benchSKUs  []string
	valueSink  Value
	statusSink Status
)

func skus(n int) []string {
	if len(benchSKUs) < n {
		benchSKUs = make([]string, n)
		for i := range benchSKUs {
			benchSKUs[i] = fmt.Sprintf("sku-%07d", i)
		}
	}
	return benchSKUs[:n]
}

func benchCache(tb testing.TB, core Core, records int64, lists ...List) *Cache {
	tb.Helper()
	c, err := New(Config{Core: core, Lists: lists, MaxRecords: records, Logger: zap.NewNop(),
		PollInterval: time.Millisecond, GraphPollInterval: 10 * time.Millisecond})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// BenchmarkLookupHit looks up random keys of a 1,000,000-record cache.
//
//	go test -run '^$' -bench LookupHit -benchmem ./cache/
func BenchmarkLookupHit(b *testing.B) {
	all := skus(benchRecords)
	c := benchCache(b, genCore{}, benchRecords, List{ID: "wh-a"})
	defer c.Close()
	l := c.lists.Load().lists[0]
	writeDirect(c, l, l.beginImport(), all, valueOf(&oci.Values{OnHand: oci.Unit, ATO: oci.Unit, Exists: true}))
	keys := make([][]byte, 4096)
	for i := range keys {
		keys[i] = []byte(all[(i*7919)%benchRecords])
	}
	if n := l.items(); n != benchRecords {
		b.Fatalf("%d records cached, want %d", n, benchRecords)
	}
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			valueSink, statusSink = c.Lookup(0, keys[i&4095])
		}
		if statusSink != Hit {
			b.Fatal(statusSink)
		}
	})
	b.Run("ristretto-get", func(b *testing.B) { // the floor: ristretto alone, keys prebuilt
		raw := make([][]byte, len(keys))
		for i, k := range keys {
			raw[i] = appendKey(nil, 0, k)
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			valueSink, _ = c.store.rc.Get(raw[i&4095])
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			st := Hit
			for i := 0; pb.Next(); i++ {
				_, st = c.Lookup(0, keys[i&4095])
			}
			if st != Hit {
				b.Error(st)
			}
		})
	})
}

// BenchmarkFill runs a stream's full import of 1,000,000 records from a
// fake export, end to end (graph, export, cache writes, status), and
// reports records per second. DESIGN §6: ≥ 1,000,000 records in < 5 s.
//
//	go test -run '^$' -bench Fill -benchtime 3x ./cache/
func BenchmarkFill(b *testing.B) {
	skus(benchRecords)
	var total time.Duration
	fills := 0
	for b.Loop() {
		c := benchCache(b, genCore{records: benchRecords}, benchRecords, List{ID: "wh-a", Site: true})
		start := time.Now()
		c.Start()
		for !c.Imported() {
			time.Sleep(time.Millisecond)
		}
		total += time.Since(start)
		fills++
		if n := c.Status()[0].ItemsCached; n != benchRecords {
			b.Fatalf("%d records cached", n)
		}
		c.Close()
	}
	b.ReportMetric(float64(fills*benchRecords)/total.Seconds(), "records/s")
	b.ReportMetric(total.Seconds()/float64(fills), "s/fill")
}

// BenchmarkMemoryPerRecord measures the memory a cache of 1,000,000 records
// costs per record: heap in use (runtime.MemStats) and RSS, each after a
// GC that returns free memory to the OS, before New and after the fill.
// Run it alone: RSS is the whole process's.
//
//	go test -run '^$' -bench MemoryPerRecord -benchtime 1x ./cache/
func BenchmarkMemoryPerRecord(b *testing.B) {
	all := skus(benchRecords)
	for b.Loop() {
		heap0, rss0 := memstat.Now()
		c := benchCache(b, genCore{}, benchRecords, List{ID: "wh-a"})
		l := c.lists.Load().lists[0]
		writeDirect(c, l, l.beginImport(), all, valueOf(&oci.Values{OnHand: oci.Unit, ATO: oci.Unit, Exists: true}))
		heap1, rss1 := memstat.Now()
		if n := l.items(); n != benchRecords {
			b.Fatalf("%d records cached", n)
		}
		b.ReportMetric(float64(heap1-heap0)/benchRecords, "heap-B/record")
		if rss0 > 0 {
			b.ReportMetric(float64(rss1-rss0)/benchRecords, "rss-B/record")
		}
		b.ReportMetric(float64(unsafe.Sizeof(Value{})), "value-B")
		runtime.KeepAlive(c)
		c.Close()
	}
}

// genCore is a core with one location, wh-a, whose export generates
// records sku-0000000.. without holding them, and whose deltas are empty.
type genCore struct{ records int }

func (g genCore) Graph(context.Context) (oci.Graph, uint64, error) {
	return oci.Graph{Locations: []oci.Location{{ID: "wh-a"}}}, 1, nil
}

func (g genCore) Export(ctx context.Context, _ oci.PlaceType, ids []string, fn func(string, []oci.Values) error) (string, error) {
	buf := make([]oci.Values, 0, 4096)
	all := skus(g.records)
	for i, sku := range all {
		q := oci.Qty(i%100) * oci.Unit
		buf = append(buf, oci.Values{SKU: sku, OnHand: q, ATF: q, ATO: q, Exists: true})
		if len(buf) == cap(buf) || i == len(all)-1 {
			if err := fn(ids[0], buf); err != nil {
				return "", err
			}
			buf = buf[:0]
		}
	}
	return "t", nil
}

func (g genCore) Deltas(context.Context, string) (*oci.Deltas, error) {
	return &oci.Deltas{NextToken: "t"}, nil
}

func (g genCore) GetAvailability(context.Context, *oci.AvailabilityQuery) (*oci.Availability, error) {
	return &oci.Availability{}, nil
}
