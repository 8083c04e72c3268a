package workload

import (
	"math/rand/v2"

	"github.com/google/uuid"
)

// UUID draws a version-4-shaped UUID from r: random-looking, but the same
// for the same seed, so request ids repeat exactly across runs.
func UUID(r *rand.Rand) string {
	var u uuid.UUID
	hi, lo := r.Uint64(), r.Uint64()
	for i := range 8 {
		u[i] = byte(hi >> (56 - 8*i))
		u[8+i] = byte(lo >> (56 - 8*i))
	}
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u.String()
}
