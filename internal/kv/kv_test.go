package kv

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

func stores(t *testing.T) map[string]Store {
	t.Helper()
	p, err := OpenPebble(t.TempDir(), PebbleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return map[string]Store{"pebble": p, "mem": NewMem()}
}

func TestStore_WriteGetScan(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			var b Batch
			for i := range 5 {
				b.Set(fmt.Appendf(nil, "a/%d", i), fmt.Appendf(nil, "v%d", i))
			}
			b.Set([]byte("b/x"), []byte("other"))
			b.Delete([]byte("a/3"))
			if err := s.Write(&b); err != nil {
				t.Fatal(err)
			}
			v, ok, err := s.Get([]byte("a/2"))
			if err != nil || !ok || string(v) != "v2" {
				t.Fatalf("Get(a/2) = %q, %v, %v; want v2", v, ok, err)
			}
			if _, ok, _ := s.Get([]byte("a/3")); ok {
				t.Fatal("a/3 should be deleted")
			}
			var keys []string
			err = s.Scan([]byte("a/"), func(k, v []byte) error {
				keys = append(keys, string(k))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(keys); got != "[a/0 a/1 a/2 a/4]" {
				t.Fatalf("scan = %s", got)
			}
			var r Batch
			r.DeleteRange([]byte("a/"), PrefixEnd([]byte("a/")))
			if err := s.Write(&r); err != nil {
				t.Fatal(err)
			}
			n := 0
			s.Scan(nil, func(k, v []byte) error { n++; return nil })
			if n != 1 {
				t.Fatalf("after range delete %d keys remain, want 1", n)
			}
		})
	}
}

func TestStore_ScanStopsOnError(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			var b Batch
			b.Set([]byte("k1"), nil)
			b.Set([]byte("k2"), nil)
			s.Write(&b)
			stop := errors.New("stop")
			n := 0
			err := s.Scan([]byte("k"), func(k, v []byte) error { n++; return stop })
			if !errors.Is(err, stop) || n != 1 {
				t.Fatalf("Scan = %v after %d calls; want stop after 1", err, n)
			}
		})
	}
}

func TestPebble_SurvivesReopen(t *testing.T) {
	dir := t.TempDir()
	p, err := OpenPebble(dir, PebbleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	var b Batch
	b.Set([]byte("k"), []byte("durable"))
	if err := p.Write(&b); err != nil {
		t.Fatal(err)
	}
	p.Close()
	if _, _, err := p.Get([]byte("k")); !errors.Is(err, ErrClosed) {
		t.Fatalf("Get after Close = %v; want ErrClosed", err)
	}
	p, err = OpenPebble(dir, PebbleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	v, ok, _ := p.Get([]byte("k"))
	if !ok || !bytes.Equal(v, []byte("durable")) {
		t.Fatalf("after reopen Get = %q, %v", v, ok)
	}
}

func TestPrefixEnd(t *testing.T) {
	for _, c := range []struct{ in, want []byte }{
		{[]byte("a"), []byte("b")},
		{[]byte{'a', 0xff}, []byte("b")},
		{[]byte{0xff, 0xff}, nil},
	} {
		if got := PrefixEnd(c.in); !bytes.Equal(got, c.want) {
			t.Errorf("PrefixEnd(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}
