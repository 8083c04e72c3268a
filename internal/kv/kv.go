// Package kv is the narrow durable key-value interface that the core and the
// edge keep their state in, with a Pebble implementation.
//
// The interface is deliberately small — point reads, ordered prefix scans and
// atomic, durable batches — so that a PostgreSQL table (key bytea primary key,
// value bytea) can implement it later without the callers changing.
package kv

import (
	"errors"
)

// ErrClosed is returned by every method of a Store after Close.
var ErrClosed = errors.New("kv: store is closed")

// ErrUnwritable wraps a write failure (disk full, read-only directory, I/O
// error). After it a Store refuses further writes until it is reopened, so
// that no acknowledged state can be lost behind a half-written batch.
var ErrUnwritable = errors.New("kv: store cannot be written")

// Store is a durable ordered key-value store.
//
// Implementations are safe for concurrent use. Write is atomic (all of a
// batch or none of it) and durable when it returns nil: the batch survives a
// kill -9 of the process and a power loss as far as fsync promises.
type Store interface {
	// Get returns a copy of the value stored at key.
	Get(key []byte) (value []byte, ok bool, err error)
	// Scan calls fn for every key with the prefix, in key order. The key
	// and value slices are valid only during the call. A non-nil error
	// from fn stops the scan and is returned.
	Scan(prefix []byte, fn func(key, value []byte) error) error
	// Write applies the batch atomically and durably.
	Write(b *Batch) error
	// Close releases the store. It is safe to call more than once.
	Close() error
}

// Batch is an ordered list of puts and deletes, independent of any backend.
// The zero value is an empty batch ready to use. A Batch is not safe for
// concurrent use.
type Batch struct {
	ops  []op
	size int
}

type op struct {
	del        bool
	rangeDel   bool
	key, value []byte
}

// Set records a put of value at key. Both slices are copied.
func (b *Batch) Set(key, value []byte) {
	b.ops = append(b.ops, op{key: clone(key), value: clone(value)})
	b.size += len(key) + len(value)
}

// Delete records a delete of key.
func (b *Batch) Delete(key []byte) {
	b.ops = append(b.ops, op{del: true, key: clone(key)})
	b.size += len(key)
}

// DeleteRange records a delete of every key in [start, end).
func (b *Batch) DeleteRange(start, end []byte) {
	b.ops = append(b.ops, op{rangeDel: true, key: clone(start), value: clone(end)})
	b.size += len(start) + len(end)
}

// Len is the number of operations in the batch.
func (b *Batch) Len() int { return len(b.ops) }

// Size is the number of key and value bytes in the batch.
func (b *Batch) Size() int { return b.size }

// Reset empties the batch, keeping its memory.
func (b *Batch) Reset() {
	clear(b.ops)
	b.ops = b.ops[:0]
	b.size = 0
}

// Append adds the operations of o to b.
func (b *Batch) Append(o *Batch) {
	b.ops = append(b.ops, o.ops...)
	b.size += o.size
}

func clone(p []byte) []byte {
	if p == nil {
		return []byte{}
	}
	return append(make([]byte, 0, len(p)), p...)
}

// PrefixEnd returns the smallest key greater than every key with the prefix,
// or nil if there is none (a prefix of only 0xff bytes).
func PrefixEnd(prefix []byte) []byte {
	end := clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		end[i]++
		if end[i] != 0 {
			return end[:i+1]
		}
	}
	return nil
}
