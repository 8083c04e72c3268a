package oci

// placeIdx is an interned place name. Interning is append-only and
// independent of the graph, so indices stay valid across graph changes.
type placeIdx uint32

// interner maps place names to stable small integers. Guarded by the core's
// state lock.
type interner struct {
	names []string
	idx   map[string]placeIdx
}

func newInterner() interner { return interner{idx: make(map[string]placeIdx)} }

func (in *interner) place(name string) placeIdx {
	if i, ok := in.idx[name]; ok {
		return i
	}
	i := placeIdx(len(in.names))
	in.names = append(in.names, name)
	in.idx[name] = i
	return i
}

func (in *interner) lookup(name string) (placeIdx, bool) {
	i, ok := in.idx[name]
	return i, ok
}

func (in *interner) name(i placeIdx) string { return in.names[i] }

// skuState is everything the core knows about one sku: its record at each
// location, the reservations held at groups, and the open holds in the
// order they were made (for FIFO transfers, releases and fulfillments).
// Guarded by the core's state lock.
type skuState struct {
	name  string
	order int // position in state.skuList (export order)
	locs  []locRecord
	// groupHeld is the total of open holds at each group (nil when none).
	groupHeld map[placeIdx]Qty
	// queues holds the open holds at each place, oldest first.
	queues map[placeIdx]*holdQueue
}

func (s *skuState) loc(p placeIdx) *locRecord {
	for i := range s.locs {
		if s.locs[i].place == p {
			return &s.locs[i]
		}
	}
	return nil
}

// locOrCreate returns the record at p, adding an empty one if needed.
func (s *skuState) locOrCreate(p placeIdx) *locRecord {
	if r := s.loc(p); r != nil {
		return r
	}
	s.locs = append(s.locs, locRecord{place: p})
	return &s.locs[len(s.locs)-1]
}

// dropEmpty removes the record at p if nothing is set or held there.
func (s *skuState) dropEmpty(p placeIdx) {
	for i := range s.locs {
		if s.locs[i].place == p && s.locs[i].empty() {
			s.locs = append(s.locs[:i], s.locs[i+1:]...)
			return
		}
	}
}

// hasGroupHolds reports whether any group holds a reservation of this sku:
// only then do group promises interact and need the flow check.
func (s *skuState) hasGroupHolds() bool {
	for _, q := range s.groupHeld {
		if q > 0 {
			return true
		}
	}
	return false
}

// addHeld changes the held total at a place by d.
func (s *skuState) addHeld(kind PlaceType, p placeIdx, d Qty) {
	if kind == PlaceLocation {
		s.locOrCreate(p).reserved += d
		if d < 0 {
			s.dropEmpty(p)
		}
		return
	}
	if s.groupHeld == nil {
		s.groupHeld = make(map[placeIdx]Qty)
	}
	s.groupHeld[p] += d
	if s.groupHeld[p] == 0 {
		delete(s.groupHeld, p)
	}
}

func (s *skuState) held(kind PlaceType, p placeIdx) Qty {
	if kind == PlaceLocation {
		if r := s.loc(p); r != nil {
			return r.reserved
		}
		return 0
	}
	return s.groupHeld[p]
}

func (s *skuState) queue(p placeIdx) *holdQueue {
	if s.queues == nil {
		s.queues = make(map[placeIdx]*holdQueue)
	}
	q := s.queues[p]
	if q == nil {
		q = &holdQueue{}
		s.queues[p] = q
	}
	return q
}

// skuTable is the set of skus, in first-seen order. Guarded by the core's
// state lock.
type skuTable struct {
	byName map[string]*skuState
	list   []*skuState
}

func newSKUTable() skuTable { return skuTable{byName: make(map[string]*skuState)} }

func (t *skuTable) get(name string) *skuState { return t.byName[name] }

func (t *skuTable) getOrCreate(name string) *skuState {
	if s := t.byName[name]; s != nil {
		return s
	}
	s := &skuState{name: name, order: len(t.list)}
	t.byName[name] = s
	t.list = append(t.list, s)
	return s
}
