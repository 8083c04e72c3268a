package baseline

import (
	"fmt"
	"runtime"
	"time"

	"github.com/dgraph-io/ristretto/v2"

	"ociedge/internal/memstat"
)

// MemoryResult is what a bare ristretto cache costs per entry.
type MemoryResult struct {
	Entries int64 `json:"entries"`
	// RSSPerEntry is this process's resident memory growth per entry;
	// HeapPerEntry the Go heap's (after a GC). The first is comparable with
	// the edge's RSS per cached record.
	RSSPerEntry  float64       `json:"rssPerEntry"`
	HeapPerEntry float64       `json:"heapPerEntry"`
	Elapsed      time.Duration `json:"elapsedNs"`
}

// memValue is the size of a value the edge caches per record (its
// cache.Value is 72 bytes: quantities, dates, version and flags).
type memValue [9]uint64

// RistrettoMemory fills a bare ristretto cache, sized as the edge sizes its
// own (10 counters per entry, cost 1 per entry), with n entries keyed by
// list and sku ("online-us/sku-0000001", as []byte) and 72-byte values, and
// measures the memory it takes: the floor for the edge's bytes per cached
// record. The cache is dropped before it returns.
func RistrettoMemory(n int) (MemoryResult, error) {
	if n < 1 {
		return MemoryResult{}, fmt.Errorf("memory baseline: %d entries", n)
	}
	heap0, rss0 := memstat.Now()
	start := time.Now()
	c, err := ristretto.NewCache(&ristretto.Config[[]byte, memValue]{
		NumCounters: 10 * int64(n), MaxCost: int64(n), BufferItems: 64, IgnoreInternalCost: true,
	})
	if err != nil {
		return MemoryResult{}, fmt.Errorf("memory baseline: %w", err)
	}
	defer c.Close()
	for i := range n {
		key := fmt.Appendf(nil, "online-us/sku-%07d", i)
		for !c.Set(key, memValue{uint64(i)}, 1) {
			c.Wait() // a dropped Set (full buffers) is tried again
		}
	}
	c.Wait()
	elapsed := time.Since(start)
	heap1, rss1 := memstat.Now()
	runtime.KeepAlive(c)
	return MemoryResult{
		Entries: int64(n), Elapsed: elapsed,
		RSSPerEntry:  float64(rss1-rss0) / float64(n),
		HeapPerEntry: float64(heap1-heap0) / float64(n),
	}, nil
}
