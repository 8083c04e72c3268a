package inventory

import (
	"slices"
)

// Lock ordering: Store.listWriteMu, then stripes in ascending index order,
// then the leaf locks (listState.sortMu before listState.mu). No lock is taken
// while a higher one in this order is held, so no cycle can form.

// stripeKey is what a stripe index is computed from.
type stripeKey struct {
	kind byte // 'r' record, 'o' reservation, 'h' hold
	a, b string
}

func recStripeKey(list, product string) stripeKey { return stripeKey{'r', list, product} }
func resStripeKey(id string) stripeKey            { return stripeKey{'o', id, ""} }
func holdStripeKey(id string) stripeKey           { return stripeKey{'h', id, ""} }

// stripeIndex hashes k with FNV-1a, without allocating.
func (s *Store) stripeIndex(k stripeKey) int {
	h := uint64(14695981039346656037)
	mix := func(c byte) { h = (h ^ uint64(c)) * 1099511628211 }
	mix(k.kind)
	for i := 0; i < len(k.a); i++ {
		mix(k.a[i])
	}
	mix(0)
	for i := 0; i < len(k.b); i++ {
		mix(k.b[i])
	}
	return int(h % uint64(len(s.stripes)))
}

func (s *Store) stripeOf(k stripeKey) *stripe { return &s.stripes[s.stripeIndex(k)] }

// lockSet is a sorted set of stripe indexes.
type lockSet []int

func (s *Store) lockSetOf(keys []stripeKey) lockSet {
	set := make(lockSet, 0, len(keys))
	for _, k := range keys {
		set = append(set, s.stripeIndex(k))
	}
	slices.Sort(set)
	return slices.Compact(set)
}

func (s *Store) lock(set lockSet) {
	for _, i := range set {
		s.stripes[i].mu.Lock()
	}
}

func (s *Store) unlock(set lockSet) {
	for i := len(set) - 1; i >= 0; i-- {
		s.stripes[set[i]].mu.Unlock()
	}
}

func (set lockSet) covers(other lockSet) bool {
	for _, i := range other {
		if _, ok := slices.BinarySearch(set, i); !ok {
			return false
		}
	}
	return true
}

// lockFor locks the stripes of the keys that need returns. need may read
// state guarded by those very stripes (the lines of a reservation or hold),
// so it reads it through peek, and it is asked again once the stripes are
// held; if the answer grew meanwhile, lockFor retries.
func (s *Store) lockFor(need func(held lockSet) []stripeKey) lockSet {
	keys := need(nil)
	for {
		set := s.lockSetOf(keys)
		s.lock(set)
		keys = need(set)
		if set.covers(s.lockSetOf(keys)) {
			return set
		}
		s.unlock(set)
	}
}

// peek calls fn with the stripe of k, locking it unless held has it.
func (s *Store) peek(held lockSet, k stripeKey, fn func(*stripe)) {
	i := s.stripeIndex(k)
	st := &s.stripes[i]
	if _, ok := slices.BinarySearch(held, i); !ok {
		st.mu.Lock()
		defer st.mu.Unlock()
	}
	fn(st)
}

// lockAll locks every stripe (list deletes and on-order changes).
func (s *Store) lockAll() lockSet {
	set := make(lockSet, len(s.stripes))
	for i := range set {
		set[i] = i
	}
	s.lock(set)
	return set
}
