package inventory

import (
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"ociedge/internal/kv"
)

// Store is the edge's B2C inventory: lists, records, order reservations and
// basket holds, durable in a kv.Store and held in memory for reads.
//
// A Store is safe for concurrent use. Create it with Open; the zero value is
// not usable.
type Store struct {
	cfg  Config
	kv   kv.Store
	keys keyspace
	log  *zap.Logger

	stripes []stripe

	// lists is the immutable id -> list state map, replaced whole (copy on
	// write) under listWriteMu, loaded without locks on the hot path.
	lists atomic.Pointer[map[string]*listState]
	// listWriteMu serialises list writes (create, update, delete) and is
	// taken before any stripe.
	listWriteMu sync.Mutex
	// flushMu serialises usage flushes (FlushUsage) and guards entry.flushed.
	flushMu sync.Mutex
	closed  atomic.Bool
}

// stripe is one lock stripe. Its mutex guards the fields below and orders
// the durable writes of every record, reservation and hold that hashes to it.
type stripe struct {
	mu    sync.Mutex
	held  map[recKey][]heldLine   // basket holds per record
	res   map[string]*Reservation // order reservations by id
	holds map[string]*Hold        // basket holds by id
	_     [64]byte                // keep neighbouring mutexes off one cache line
}

type recKey struct{ list, product string }

// listState is one inventory list and its records.
type listState struct {
	info atomic.Pointer[List] // current list snapshot

	mu   sync.RWMutex      // guards recs and gen
	recs map[string]*entry // product id -> entry
	gen  uint64            // bumped whenever recs gains or loses a key

	sortMu    sync.Mutex // guards sorted and sortedGen
	sorted    []string   // product ids in order, valid while sortedGen == gen
	sortedGen uint64
}

// entry is one record.
type entry struct {
	cur  atomic.Pointer[Record] // durable snapshot; never nil once published
	used atomic.Int64           // unix seconds of the last storefront read or write
	// flushed is the used value last written to the store; guarded by
	// Store.flushMu.
	flushed int64
}

func newListState(l *List) *listState {
	ls := &listState{recs: make(map[string]*entry)}
	ls.info.Store(l)
	return ls
}

// Open loads the inventory under cfg.Prefix from cfg.KV into memory.
func Open(cfg Config) (*Store, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Store{cfg: c, kv: c.KV, keys: keyspace{c.Prefix}, log: c.Logger, stripes: make([]stripe, c.LockStripes)}
	for i := range s.stripes {
		st := &s.stripes[i]
		st.held, st.res, st.holds = make(map[recKey][]heldLine), make(map[string]*Reservation), make(map[string]*Hold)
	}
	empty := map[string]*listState{}
	s.lists.Store(&empty)
	if err := s.load(); err != nil {
		return nil, err
	}
	return s, nil
}

// Close writes the in-memory last-use times (FlushUsage) and makes every
// later write fail. It does not close Config.KV. Safe to call more than once.
func (s *Store) Close() error {
	if s.closed.Load() {
		return nil
	}
	err := s.FlushUsage()
	s.closed.Store(true)
	return err
}

func (s *Store) now() time.Time { return s.cfg.Now().UTC() }

func (s *Store) listState(id string) *listState { return (*s.lists.Load())[id] }

// write applies b durably, or says why not.
func (s *Store) write(b *kv.Batch, what string) error {
	if s.closed.Load() {
		return internal(kv.ErrClosed, what)
	}
	if err := s.kv.Write(b); err != nil {
		s.log.Error("inventory write failed", zap.String("op", what), zap.Error(err))
		return internal(err, what)
	}
	return nil
}

// checkWritable calls the Writable hook and gives its refusal a code.
func (s *Store) checkWritable() error {
	err := s.cfg.Writable()
	if err == nil {
		return nil
	}
	if ErrorCode(err) == EREADONLY {
		return err
	}
	return &Error{Code: EREADONLY, Message: err.Error(), Err: err}
}

// CheckWritable reports whether record writes are currently refused
// (Omnichannel Inventory mode), with the EREADONLY error that says why.
func (s *Store) CheckWritable() error { return s.checkWritable() }

func (s *Store) touch(e *entry, now time.Time) {
	if u := now.Unix(); u-e.used.Load() >= int64(s.cfg.UsageResolution/time.Second) {
		e.used.Store(u)
	}
}
