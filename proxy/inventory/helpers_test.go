package inventory

import (
	"sync"
	"testing"

	"ociedge/internal/clocktest"
	"ociedge/internal/kv"
)

// clock is a settable clock for tests.
type clock = clocktest.Clock

func newClock() *clock { return clocktest.New(clocktest.Noon) }

// mode is a switchable Writable hook.
type mode struct {
	mu  sync.Mutex // guards oci
	oci bool
}

func (m *mode) Set(oci bool) { m.mu.Lock(); m.oci = oci; m.mu.Unlock() }

func (m *mode) Writable() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.oci {
		return ErrReadOnly()
	}
	return nil
}

type fixture struct {
	*Store
	kv    kv.Store
	clock *clock
	mode  *mode
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	return openFixture(tb, kv.NewMem(), newClock())
}

func openFixture(tb testing.TB, store kv.Store, c *clock) *fixture {
	tb.Helper()
	return openFixtureCfg(tb, Config{KV: store}, c)
}

// openFixtureCfg opens a store with cfg, the clock and a mode hook.
func openFixtureCfg(tb testing.TB, cfg Config, c *clock) *fixture {
	tb.Helper()
	m := &mode{}
	store := cfg.KV
	cfg.Now, cfg.Writable = c.Now, m.Writable
	s, err := Open(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return &fixture{Store: s, kv: store, clock: c, mode: m}
}

func ptr[T any](v T) *T { return &v }

func q(s string) Quantity {
	v, err := ParseQuantity(s)
	if err != nil {
		panic(err)
	}
	return v
}

func (f *fixture) MustList(tb testing.TB, id string, defaultInStock bool) {
	tb.Helper()
	if _, _, err := f.PutList(ListChange{ID: id, DefaultInStock: ptr(defaultInStock)}); err != nil {
		tb.Fatal(err)
	}
}

// MustRecord creates a record with the allocation (in units).
func (f *fixture) MustRecord(tb testing.TB, list, product string, alloc int64, more ...func(*RecordChange)) Record {
	tb.Helper()
	c := RecordChange{ProductID: product, Allocation: ptr(Units(alloc))}
	for _, m := range more {
		m(&c)
	}
	r, _, err := f.PutRecord(list, c)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func (f *fixture) MustGet(tb testing.TB, list, product string) Record {
	tb.Helper()
	r, err := f.Get(list, product)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := ErrorCode(err); got != code {
		tb.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}
