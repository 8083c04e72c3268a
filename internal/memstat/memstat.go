// Package memstat measures this process's memory for the memory-per-record
// figures: the Go heap in use and the resident set size.
package memstat

import (
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
)

// Now returns the heap in use after a GC that returns free memory to the
// OS, and the process's RSS (0 where /proc is not available).
func Now() (heap, rss int64) {
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if b, err := os.ReadFile("/proc/self/statm"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 1 {
			pages, _ := strconv.ParseInt(f[1], 10, 64)
			rss = pages * int64(os.Getpagesize())
		}
	}
	return int64(ms.HeapInuse), rss
}
