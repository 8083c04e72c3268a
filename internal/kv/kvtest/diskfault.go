// Package kvtest is test support for the stores: a disk that fails on
// demand, for the tests that prove a full or read-only disk refuses writes
// without corrupting the store.
package kvtest

import (
	"sync/atomic"
	"syscall"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/cockroachdb/pebble/v2/vfs/errorfs"
)

// DiskFault is a switchable disk failure: once armed with a countdown, the
// operations Fail says yes to succeed that many more times and then fail
// with Errno (as a disk that fills up or turns read-only), until the fault
// is cleared. It starts disarmed.
type DiskFault struct {
	Errno syscall.Errno
	// Fail picks the operations that count and fail; nil means every write
	// (creates, writes, syncs, renames…).
	Fail func(errorfs.OpKind) bool

	left atomic.Int64 // matching operations still allowed; < 0 when disarmed
}

// NewDiskFault returns a disarmed fault that fails every write with errno.
func NewDiskFault(errno syscall.Errno) *DiskFault {
	f := &DiskFault{Errno: errno}
	f.left.Store(-1)
	return f
}

// FS is the operating system's file system with the fault injected.
func (f *DiskFault) FS() vfs.FS {
	return errorfs.Wrap(vfs.Default, errorfs.InjectorFunc(func(op errorfs.Op) error {
		if !f.matches(op.Kind) || f.left.Load() < 0 {
			return nil
		}
		if f.left.Add(-1) < 0 {
			f.left.Store(0)
			return f.Errno
		}
		return nil
	}))
}

func (f *DiskFault) matches(k errorfs.OpKind) bool {
	if f.Fail == nil {
		return AnyWrite(k)
	}
	return f.Fail(k)
}

// Arm lets n more matching operations through, then fails them all.
func (f *DiskFault) Arm(n int64) { f.left.Store(n) }

// Clear stops the failures.
func (f *DiskFault) Clear() { f.left.Store(-1) }

// AnyWrite matches every operation that writes.
func AnyWrite(k errorfs.OpKind) bool { return k.ReadOrWrite() == errorfs.OpIsWrite }

// OnlySync matches the syncs alone.
func OnlySync(k errorfs.OpKind) bool {
	return k == errorfs.OpFileSync || k == errorfs.OpFileSyncData || k == errorfs.OpFileSyncTo
}
