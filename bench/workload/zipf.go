package workload

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// MaxItems caps the population a Zipf can draw from (its table takes 8
// bytes per item).
const MaxItems = 5_000_000

// Zipf draws ranks 0..n-1 with P(k) ∝ 1/(k+1)^s: s = 0 is uniform, s ≈ 1 is
// the classic web skew, larger s is hotter. Unlike math/rand/v2's Zipf it
// accepts any s ≥ 0. It is immutable after NewZipf and safe for concurrent
// use (the *rand.Rand passed to Pick is not).
type Zipf struct {
	cdf []float64 // cdf[k] = P(rank ≤ k)
}

// NewZipf builds the table for n items and exponent s.
func NewZipf(n int, s float64) (*Zipf, error) {
	if n < 1 || n > MaxItems {
		return nil, fmt.Errorf("workload: %d items, want 1..%d", n, MaxItems)
	}
	if s < 0 || s > 10 || math.IsNaN(s) {
		return nil, fmt.Errorf("workload: zipf exponent %v, want 0..10", s)
	}
	cdf := make([]float64, n)
	sum := 0.0
	for k := range cdf {
		sum += math.Pow(float64(k+1), -s)
		cdf[k] = sum
	}
	for k := range cdf {
		cdf[k] /= sum
	}
	return &Zipf{cdf: cdf}, nil
}

// N returns the population size.
func (z *Zipf) N() int { return len(z.cdf) }

// Pick draws one rank.
func (z *Zipf) Pick(r *rand.Rand) int {
	u := r.Float64()
	k := sort.SearchFloat64s(z.cdf, u)
	return min(k, len(z.cdf)-1)
}

// PickDistinct appends k distinct ranks to dst (k is capped at N). Under
// heavy skew it falls back to the lowest unused ranks rather than spin.
func (z *Zipf) PickDistinct(r *rand.Rand, k int, dst []int32) []int32 {
	k = min(k, z.N())
	start := len(dst)
	for tries := 0; len(dst)-start < k && tries < 20*k; tries++ {
		dst = appendNew(dst, start, int32(z.Pick(r)))
	}
	for next := int32(0); len(dst)-start < k; next++ {
		dst = appendNew(dst, start, next)
	}
	return dst
}

func appendNew(dst []int32, start int, v int32) []int32 {
	for _, have := range dst[start:] {
		if have == v {
			return dst
		}
	}
	return append(dst, v)
}
