package cache

import (
	"sync"
	"sync/atomic"
	"time"
)

// ListID is an inventory list's index in the cache: a small integer that
// Lookup uses instead of the list's string id. Resolve it once with
// Cache.ListID.
type ListID uint16

// LocationType says what an inventory list is backed by in the core's
// graph, as B2C's status page shows it.
type LocationType string

// The Location Types.
const (
	TypeLocation LocationType = "Location"
	TypeGroup    LocationType = "Group"
	TypeNA       LocationType = "N/A" // the id is not in the graph (or the graph is not known yet)
)

// listTable is the immutable set of lists, read per lookup through an
// atomic.Pointer: index -> state, and id -> index.
type listTable struct {
	byID  map[string]ListID
	lists []*listState
}

func newListTable(cfg []List) *listTable {
	t := &listTable{byID: make(map[string]ListID, len(cfg)), lists: make([]*listState, len(cfg))}
	for i, l := range cfg {
		t.byID[l.ID] = ListID(i)
		t.lists[i] = &listState{id: l.ID, idx: ListID(i), site: l.Site}
	}
	return t
}

func (t *listTable) get(id ListID) *listState {
	if int(id) < len(t.lists) {
		return t.lists[id]
	}
	return nil
}

// listState is one inventory list: the generation floor lookups check, the
// live count behind Items Cached, and the status its stream reports. It is
// safe for concurrent use.
type listState struct {
	id   string
	idx  ListID
	site bool

	// floor: values written in an older generation are stale (not
	// confirmed by the list's latest full import). Read per lookup.
	floor atomic.Uint32
	// writeGen is the generation new writes carry: the latest import's.
	writeGen atomic.Uint32
	locType  atomic.Pointer[LocationType]

	// The fields above are read per lookup and rarely written; keep the
	// ones below, written per stream write, off their cache line.
	_ [64]byte

	// writeMu serializes the list's writes to ristretto and is held until
	// ristretto has applied them (see store.begin), so that two inserts of
	// one key are never pending at once and count holds no pending writes
	// while nobody writes.
	writeMu sync.Mutex
	count   liveCount

	rejected, evicted, lost atomic.Int64

	mu   sync.Mutex // guards info
	info listInfo
}

// listInfo is what a list's stream reports about it.
type listInfo struct {
	stream        string
	state         stateKind
	detail        string // the error of stError
	lastUpdate    time.Time
	caughtUp      time.Time
	imported      bool
	importTime    time.Duration
	importRecords int64
}

func (l *listState) locationType() LocationType {
	if p := l.locType.Load(); p != nil {
		return *p
	}
	return TypeNA
}

func (l *listState) mapped() bool { return l.locationType() != TypeNA }

// beginImport starts a new generation for a full import and returns it.
func (l *listState) beginImport() uint32 { return l.writeGen.Add(1) }

// finishImport makes gen the floor: values of older generations that the
// import did not rewrite become stale and leave Items Cached.
func (l *listState) finishImport(gen uint32, at time.Time, took time.Duration, records int64) {
	l.count.raiseFloor(gen, &l.floor)
	l.update(func(i *listInfo) {
		i.imported, i.importTime, i.importRecords, i.lastUpdate = true, took, records, at
	})
}

// invalidate makes every cached value of the list stale at once (the list
// was unmapped or moved between location and group).
func (l *listState) invalidate() {
	l.count.raiseFloor(l.writeGen.Add(1), &l.floor)
	l.update(func(i *listInfo) { i.imported = false })
}

func (l *listState) update(fn func(*listInfo)) {
	l.mu.Lock()
	fn(&l.info)
	l.mu.Unlock()
}

func (l *listState) snapshot() listInfo {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.info
}

// setState records the list's stream and its state.
func (l *listState) setState(stream string, k stateKind, detail string) {
	l.update(func(i *listInfo) { i.stream, i.state, i.detail = stream, k, detail })
}
