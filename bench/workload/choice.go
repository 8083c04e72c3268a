package workload

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
)

// Choice picks one of a few values with fixed weights. The zero value has
// no values; Pick panics on it. Immutable, safe for concurrent use.
type Choice[T any] struct {
	values []T
	cum    []float64 // cumulative weights, normalized to 1
}

// NewChoice builds a Choice; weights must be non-negative and not all zero.
func NewChoice[T any](values []T, weights []float64) (Choice[T], error) {
	if len(values) == 0 || len(values) != len(weights) {
		return Choice[T]{}, fmt.Errorf("workload: %d values and %d weights", len(values), len(weights))
	}
	cum := make([]float64, len(weights))
	sum := 0.0
	for i, w := range weights {
		if w < 0 {
			return Choice[T]{}, fmt.Errorf("workload: negative weight %v", w)
		}
		sum += w
		cum[i] = sum
	}
	if sum == 0 {
		return Choice[T]{}, fmt.Errorf("workload: all weights are zero")
	}
	for i := range cum {
		cum[i] /= sum
	}
	return Choice[T]{values: values, cum: cum}, nil
}

// Pick draws one value.
func (c Choice[T]) Pick(r *rand.Rand) T {
	if len(c.values) == 1 {
		return c.values[0]
	}
	i := sort.SearchFloat64s(c.cum, r.Float64())
	return c.values[min(i, len(c.values)-1)]
}

// Values returns the values in order.
func (c Choice[T]) Values() []T { return c.values }

// ParseChoice reads "v:w,v:w,…" (a missing ":w" means weight 1) with parse
// turning each v into a value. Example: "1:80,24:20".
func ParseChoice[T any](spec string, parse func(string) (T, error)) (Choice[T], error) {
	var values []T
	var weights []float64
	for part := range strings.SplitSeq(spec, ",") {
		v, w, err := splitWeight(strings.TrimSpace(part))
		if err != nil {
			return Choice[T]{}, fmt.Errorf("workload: %q: %w", spec, err)
		}
		pv, err := parse(v)
		if err != nil {
			return Choice[T]{}, fmt.Errorf("workload: %q: %w", spec, err)
		}
		values, weights = append(values, pv), append(weights, w)
	}
	return NewChoice(values, weights)
}

func splitWeight(part string) (string, float64, error) {
	i := strings.LastIndexByte(part, ':')
	if i < 0 {
		return part, 1, nil
	}
	w, err := strconv.ParseFloat(part[i+1:], 64)
	if err != nil {
		return "", 0, fmt.Errorf("weight of %q is not a number", part)
	}
	return part[:i], w, nil
}

// ParseInts reads a Choice of positive ints, e.g. lookup sizes "1:80,24:20".
func ParseInts(spec string) (Choice[int], error) {
	return ParseChoice(spec, func(s string) (int, error) {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return 0, fmt.Errorf("%q is not a positive integer", s)
		}
		return n, nil
	})
}

// ParseStrings reads a Choice of strings, e.g. lists "site:80,phoenix:20".
func ParseStrings(spec string) (Choice[string], error) {
	return ParseChoice(spec, func(s string) (string, error) { return s, nil })
}
