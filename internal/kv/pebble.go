package kv

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
	"go.uber.org/zap"
)

// PebbleConfig configures OpenPebble. The zero value works.
type PebbleConfig struct {
	// Logger receives Pebble's own messages at debug level (info) and
	// error level. Nil discards them; Pebble never writes to stderr.
	Logger *zap.Logger
	// CacheBytes is Pebble's block cache size. Zero means 64 MiB.
	CacheBytes int64
	// MemTableBytes is the size of one memtable. Zero means 64 MiB.
	MemTableBytes uint64
	// FS is the file system the store lives on. Nil means the operating
	// system's (vfs.Default); tests inject faults through it
	// (vfs/errorfs: a full disk, a read-only directory).
	FS vfs.FS
}

// Pebble is a Store on a Pebble database in one directory. It is safe for
// concurrent use.
type Pebble struct {
	db *pebble.DB

	mu     sync.RWMutex // guards closed: held shared by every operation, exclusively by Close
	closed bool

	broken atomic.Pointer[error] // the first write failure; writes are refused after it
}

var _ Store = (*Pebble)(nil)

// OpenPebble opens (creating if needed) the database in dir.
func OpenPebble(dir string, cfg PebbleConfig) (*Pebble, error) {
	log := cfg.Logger
	if log == nil {
		log = zap.NewNop()
	}
	cacheBytes := cfg.CacheBytes
	if cacheBytes == 0 {
		cacheBytes = 64 << 20
	}
	memtable := cfg.MemTableBytes
	if memtable == 0 {
		memtable = 64 << 20
	}
	cache := pebble.NewCache(cacheBytes)
	defer cache.Unref()
	opts := &pebble.Options{
		Cache:        cache,
		MemTableSize: memtable,
		Logger:       pebbleLogger{log.Sugar()},
		FS:           cfg.FS,
	}
	if opts.FS == nil {
		opts.FS = vfs.Default
	}
	db, err := pebble.Open(dir, opts)
	if err != nil {
		return nil, fmt.Errorf("cannot open store in %s: %w", dir, err)
	}
	return &Pebble{db: db}, nil
}

// Get implements Store.
func (p *Pebble) Get(key []byte) ([]byte, bool, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed {
		return nil, false, ErrClosed
	}
	v, closer, err := p.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	defer closer.Close()
	return bytes.Clone(v), true, nil
}

// Scan implements Store.
func (p *Pebble) Scan(prefix []byte, fn func(key, value []byte) error) error {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed {
		return ErrClosed
	}
	it, err := p.db.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: PrefixEnd(prefix)})
	if err != nil {
		return err
	}
	for it.First(); it.Valid(); it.Next() {
		v, err := it.ValueAndErr()
		if err != nil {
			it.Close()
			return err
		}
		if err := fn(it.Key(), v); err != nil {
			it.Close()
			return err
		}
	}
	return it.Close()
}

// Write implements Store. It fsyncs before returning.
func (p *Pebble) Write(b *Batch) error {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed {
		return ErrClosed
	}
	if err := p.broken.Load(); err != nil {
		return *err
	}
	pb := p.db.NewBatchWithSize(b.size + 16*len(b.ops))
	defer pb.Close()
	for _, o := range b.ops {
		var err error
		switch {
		case o.rangeDel:
			err = pb.DeleteRange(o.key, o.value, nil)
		case o.del:
			err = pb.Delete(o.key, nil)
		default:
			err = pb.Set(o.key, o.value, nil)
		}
		if err != nil {
			return err
		}
	}
	if err := commit(pb); err != nil {
		return p.markBroken(err)
	}
	return nil
}

// commit commits pb durably. Pebble takes a failed WAL write or sync (a full
// disk, a read-only directory) as fatal: it calls its logger's Fatalf from
// inside Commit, which panics with a fatalError. commit turns that panic
// into the error it is, so that the store refuses writes instead of taking
// the process down; Pebble's commit pipeline is unusable afterwards, which
// markBroken's refusal of every later write respects.
func commit(pb *pebble.Batch) (err error) {
	defer func() {
		if r := recover(); r != nil {
			fe, ok := r.(fatalError)
			if !ok {
				panic(r)
			}
			err = fe
		}
	}()
	return pb.Commit(pebble.Sync)
}

// markBroken remembers the first write failure. Pebble may have applied the
// batch to its memtable before the WAL write failed, so nothing read from
// this handle can be trusted to be durable any more: writes are refused
// until the store is reopened (which replays only the durable WAL).
func (p *Pebble) markBroken(err error) error {
	wrapped := fmt.Errorf("%w: %v", ErrUnwritable, err)
	p.broken.CompareAndSwap(nil, &wrapped)
	return *p.broken.Load()
}

// Close implements Store.
func (p *Pebble) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil
	}
	p.closed = true
	return p.db.Close()
}

// pebbleLogger routes Pebble's messages to zap. Pebble calls Fatalf for
// corruption it cannot continue from and for a failed WAL or MANIFEST write;
// we log and panic with a fatalError, as its default logger would exit.
// commit recovers the panic of a failed commit; anywhere else it ends the
// process, and the next start replays the durable WAL.
type pebbleLogger struct{ s *zap.SugaredLogger }

func (l pebbleLogger) Infof(format string, args ...any)  { l.s.Debugf(format, args...) }
func (l pebbleLogger) Errorf(format string, args ...any) { l.s.Errorf(format, args...) }
func (l pebbleLogger) Fatalf(format string, args ...any) {
	l.s.Errorf(format, args...)
	panic(fatalError{fmt.Sprintf(format, args...)})
}

// fatalError is the panic value of pebbleLogger.Fatalf.
type fatalError struct{ msg string }

func (e fatalError) Error() string { return e.msg }

// Healthy returns the write failure that made the store refuse writes, if any.
func (p *Pebble) Healthy() error {
	if err := p.broken.Load(); err != nil {
		return *err
	}
	return nil
}
