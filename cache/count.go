package cache

import (
	"sync"
	"sync/atomic"
)

// liveCount is a list's Items Cached: the number of its values in ristretto
// that are records (not tombstones) of a generation at or above the floor.
//
// It follows every transition ristretto makes rather than guessing:
//   - a writer adds a value before handing it to Set (it may become new);
//   - a dropped Set (Set returned false) takes it back;
//   - ShouldUpdate accepting a replacement takes the previous value away
//     (the new one was added before Set);
//   - OnReject (admission refused, or a duplicate insert) takes the
//     refused value back;
//   - OnEvict takes the evicted value away.
//
// A value of a generation below the floor is not counted and its removal
// is ignored. The count includes the values of Sets ristretto has not
// processed yet only while the list's writer holds writeMu; Status reads it
// under writeMu, so it never claims more than is there.
type liveCount struct {
	mu    sync.Mutex // guards floor and byGen
	floor uint32
	byGen map[uint32]int64 // generation -> live values (only generations ≥ floor)
}

// add adds d (±1) for v if v is a live value of a counted generation.
func (c *liveCount) add(v *Value, d int64) {
	if !v.live() {
		return
	}
	c.mu.Lock()
	if v.gen >= c.floor {
		if c.byGen == nil {
			c.byGen = make(map[uint32]int64, 2)
		}
		c.byGen[v.gen] += d
	}
	c.mu.Unlock()
}

// raiseFloor drops the generations below gen and publishes gen as the
// lookup floor (both under mu, so no count slips between them).
func (c *liveCount) raiseFloor(gen uint32, floor *atomic.Uint32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen <= c.floor {
		return
	}
	c.floor = gen
	for g := range c.byGen {
		if g < gen {
			delete(c.byGen, g)
		}
	}
	floor.Store(gen)
}

func (c *liveCount) total() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var n int64
	for _, v := range c.byGen {
		n += v
	}
	return n
}
