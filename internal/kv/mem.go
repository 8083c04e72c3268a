package kv

import (
	"bytes"
	"sort"
	"sync"
)

// Mem is an in-memory Store for tests of code that only needs the interface.
// It is not durable. It is safe for concurrent use.
type Mem struct {
	mu     sync.RWMutex // guards m and closed
	m      map[string][]byte
	closed bool
	// FailWrites, when set, makes Write fail with it (tests of write
	// failure paths).
	FailWrites error
}

var _ Store = (*Mem)(nil)

// NewMem returns an empty in-memory store.
func NewMem() *Mem { return &Mem{m: make(map[string][]byte)} }

// Get implements Store.
func (s *Mem) Get(key []byte) ([]byte, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, false, ErrClosed
	}
	v, ok := s.m[string(key)]
	return bytes.Clone(v), ok, nil
}

// Scan implements Store.
func (s *Mem) Scan(prefix []byte, fn func(key, value []byte) error) error {
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return ErrClosed
	}
	var keys []string
	for k := range s.m {
		if bytes.HasPrefix([]byte(k), prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	vals := make([][]byte, len(keys))
	for i, k := range keys {
		vals[i] = s.m[k]
	}
	s.mu.RUnlock()
	for i, k := range keys {
		if err := fn([]byte(k), vals[i]); err != nil {
			return err
		}
	}
	return nil
}

// Write implements Store.
func (s *Mem) Write(b *Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if s.FailWrites != nil {
		return s.FailWrites
	}
	for _, o := range b.ops {
		switch {
		case o.rangeDel:
			for k := range s.m {
				if k >= string(o.key) && k < string(o.value) {
					delete(s.m, k)
				}
			}
		case o.del:
			delete(s.m, string(o.key))
		default:
			s.m[string(o.key)] = bytes.Clone(o.value)
		}
	}
	return nil
}

// Close implements Store.
func (s *Mem) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}
