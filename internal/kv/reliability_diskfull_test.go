package kv

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs/errorfs"

	"ociedge/internal/kv/kvtest"
)

// pairBatch writes two keys that must always be seen together.
func pairBatch(i int) *Batch {
	var b Batch
	b.Set(fmt.Appendf(nil, "k/%05d/a", i), fmt.Appendf(nil, "v%d", i))
	b.Set(fmt.Appendf(nil, "k/%05d/b", i), fmt.Appendf(nil, "v%d", i))
	return &b
}

// TestPebble_UnwritableDiskRefusesWrites: when the disk fills up, turns
// read-only or fails its syncs, the failing Write returns an error that
// wraps ErrUnwritable and names the cause — the process does not crash,
// although Pebble takes the failure as fatal — every later Write is refused
// with the same error, reads keep working, and once the disk is fixed the
// store reopens with every acknowledged batch and no half batch.
func TestPebble_UnwritableDiskRefusesWrites(t *testing.T) {
	for _, c := range []struct {
		name  string
		errno syscall.Errno
		fail  func(errorfs.OpKind) bool
		cause string
	}{
		{"disk full", syscall.ENOSPC, kvtest.AnyWrite, "no space left on device"},
		{"read-only", syscall.EROFS, kvtest.AnyWrite, "read-only file system"},
		{"sync fails", syscall.EIO, kvtest.OnlySync, "input/output error"},
	} {
		rng := rand.New(rand.NewPCG(7, uint64(c.errno)))
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			f := kvtest.NewDiskFault(c.errno)
			f.Fail = c.fail
			p, err := OpenPebble(dir, PebbleConfig{FS: f.FS()})
			if err != nil {
				t.Fatal(err)
			}
			for i := range 50 {
				if err := p.Write(pairBatch(i)); err != nil {
					t.Fatal(err)
				}
			}
			f.Arm(int64(10 + rng.IntN(40)))
			acked := writeUntilRefused(t, p, 50, c.cause)
			checkRefusing(t, p, c.cause)
			p.Close() // may fail: the disk is still broken
			f.Clear()
			p, err = OpenPebble(dir, PebbleConfig{})
			if err != nil {
				t.Fatalf("the store does not reopen once the disk is fixed: %v", err)
			}
			defer p.Close()
			checkPairs(t, p, acked)
		})
	}
}

// writeUntilRefused writes pair batches from 8 goroutines, starting at
// first, until each has been refused once. It returns every acknowledged
// index, those before first included.
func writeUntilRefused(t *testing.T, p *Pebble, first int, cause string) map[int]bool {
	t.Helper()
	var mu sync.Mutex
	acked := map[int]bool{}
	for i := range first {
		acked[i] = true
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := first + w; ; i += 8 {
				err := p.Write(pairBatch(i))
				if err != nil {
					if !errors.Is(err, ErrUnwritable) || !strings.Contains(err.Error(), cause) {
						t.Errorf("write refused with %v; want ErrUnwritable naming %q", err, cause)
					}
					return
				}
				mu.Lock()
				acked[i] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return acked
}

// checkRefusing: writes stay refused with the same error, Healthy reports
// it, and reads still answer.
func checkRefusing(t *testing.T, p *Pebble, cause string) {
	t.Helper()
	first := p.Healthy()
	if first == nil || !strings.Contains(first.Error(), cause) {
		t.Fatalf("Healthy() = %v; want the write failure", first)
	}
	if err := p.Write(pairBatch(99999)); err == nil || err.Error() != first.Error() {
		t.Fatalf("a later write: %v; want the same refusal %v", err, first)
	}
	if v, ok, err := p.Get([]byte("k/00000/a")); err != nil || !ok || string(v) != "v0" {
		t.Fatalf("read after the failure: %q %v %v", v, ok, err)
	}
	n := 0
	if err := p.Scan([]byte("k/"), func(_, _ []byte) error { n++; return nil }); err != nil || n < 100 {
		t.Fatalf("scan after the failure: %d keys, %v", n, err)
	}
}

// checkPairs: every acknowledged pair is there, and no pair is half there.
func checkPairs(t *testing.T, p *Pebble, acked map[int]bool) {
	t.Helper()
	seen := map[int]int{}
	err := p.Scan([]byte("k/"), func(k, v []byte) error {
		var i int
		var half string
		if _, err := fmt.Sscanf(string(k), "k/%05d/%s", &i, &half); err != nil {
			return err
		}
		if string(v) != fmt.Sprintf("v%d", i) {
			return fmt.Errorf("%s = %q", k, v)
		}
		seen[i]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range acked {
		if seen[i] != 2 {
			t.Errorf("acknowledged batch %d lost after reopen", i)
		}
	}
	extra := 0
	for i, n := range seen {
		if n != 2 {
			t.Errorf("batch %d is half applied", i)
		}
		if !acked[i] {
			extra++
		}
	}
	if len(acked) <= 50 {
		t.Errorf("no batch was acknowledged once the fault was armed")
	}
	t.Logf("%d acknowledged batches kept; %d refused ones found applied (their fate was unknown to the writer)", len(acked), extra)
}
