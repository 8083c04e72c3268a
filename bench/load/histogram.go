package load

import (
	"sync"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Histogram range: 1µs to 2 minutes at 3 significant digits. Values are
// nanoseconds; anything beyond the range is clamped to it.
const (
	histLowest  = int64(time.Microsecond)
	histHighest = int64(2 * time.Minute)
	histDigits  = 3
)

func newHistogram() *hdrhistogram.Histogram {
	return hdrhistogram.New(histLowest, histHighest, histDigits)
}

func recordDuration(h *hdrhistogram.Histogram, d time.Duration) {
	v := int64(d)
	if v < 0 {
		v = 0
	}
	if v > histHighest {
		v = histHighest
	}
	_ = h.RecordValue(v) // in range by construction
}

// Percentiles summarizes a latency distribution.
type Percentiles struct {
	P50  time.Duration `json:"p50Ns"`
	P90  time.Duration `json:"p90Ns"`
	P99  time.Duration `json:"p99Ns"`
	P999 time.Duration `json:"p999Ns"`
	Max  time.Duration `json:"maxNs"`
}

// percentilesOf reads p50/p90/p99/p99.9/max from h; all zero when h is nil
// or empty.
func percentilesOf(h *hdrhistogram.Histogram) Percentiles {
	if h == nil || h.TotalCount() == 0 {
		return Percentiles{}
	}
	q := func(p float64) time.Duration { return time.Duration(h.ValueAtQuantile(p)) }
	return Percentiles{P50: q(50), P90: q(90), P99: q(99), P999: q(99.9), Max: time.Duration(h.Max())}
}

// Histogram is a latency histogram for samples taken outside a Session (a
// change's visibility, a recovery). It is safe for concurrent use; the zero
// value is not: use NewHistogram.
type Histogram struct {
	mu sync.Mutex // guards h
	h  *hdrhistogram.Histogram
}

// NewHistogram returns an empty Histogram over the recorder's range.
func NewHistogram() *Histogram { return &Histogram{h: newHistogram()} }

// Record adds one sample.
func (h *Histogram) Record(d time.Duration) {
	h.mu.Lock()
	recordDuration(h.h, d)
	h.mu.Unlock()
}

// Count returns the number of samples.
func (h *Histogram) Count() int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.h.TotalCount()
}

// Percentiles summarizes the samples.
func (h *Histogram) Percentiles() Percentiles {
	h.mu.Lock()
	defer h.mu.Unlock()
	return percentilesOf(h.h)
}
