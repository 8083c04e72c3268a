package workload

import (
	"hash/fnv"
	"math/rand/v2"
)

// NewRand returns the generator for one named stream of a seed. It is not
// safe for concurrent use: give each drawing goroutine its own stream.
func NewRand(seed uint64, stream string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(stream))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}
