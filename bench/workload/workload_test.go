package workload

import (
	"math"
	"slices"
	"testing"

	"github.com/google/uuid"
)

func TestStreamsRepeatAndDiffer(t *testing.T) {
	a, b, c := NewRand(7, "skus"), NewRand(7, "skus"), NewRand(7, "ids")
	d := NewRand(8, "skus")
	for range 100 {
		x := a.Uint64()
		if x != b.Uint64() {
			t.Fatal("same seed and stream drew different values")
		}
		if x == c.Uint64() || x == d.Uint64() {
			t.Fatal("another stream or seed drew the same value")
		}
	}
}

func TestZipfSkew(t *testing.T) {
	z, err := NewZipf(1000, 1.0)
	if err != nil {
		t.Fatal(err)
	}
	r := NewRand(1, "z")
	counts := make([]int, z.N())
	for range 100_000 {
		counts[z.Pick(r)]++
	}
	// P(0)/P(9) = 10 for s = 1; allow a wide margin.
	if ratio := float64(counts[0]) / float64(counts[9]); ratio < 7 || ratio > 14 {
		t.Fatalf("rank 0 drawn %d times, rank 9 %d: ratio %.1f, want ≈ 10", counts[0], counts[9], ratio)
	}
	u, _ := NewZipf(10, 0)
	uc := make([]int, 10)
	for range 10_000 {
		uc[u.Pick(r)]++
	}
	if slices.Min(uc) < 800 {
		t.Fatalf("s = 0 is not uniform: %v", uc)
	}
}

func TestZipfRejectsBadInput(t *testing.T) {
	for _, c := range []struct {
		n int
		s float64
	}{{0, 1}, {MaxItems + 1, 1}, {10, -1}, {10, math.NaN()}} {
		if _, err := NewZipf(c.n, c.s); err == nil {
			t.Errorf("NewZipf(%d, %v) accepted", c.n, c.s)
		}
	}
}

func TestPickDistinct(t *testing.T) {
	z, _ := NewZipf(30, 3) // very hot: most draws are rank 0
	r := NewRand(1, "d")
	got := z.PickDistinct(r, 24, nil)
	if len(got) != 24 {
		t.Fatalf("got %d ranks", len(got))
	}
	slices.Sort(got)
	if len(slices.Compact(got)) != 24 {
		t.Fatalf("duplicates in %v", got)
	}
	if n := len(z.PickDistinct(r, 50, nil)); n != 30 {
		t.Fatalf("asked for more than the population, got %d", n)
	}
}

func TestParseChoice(t *testing.T) {
	c, err := ParseInts("1:80, 24:20")
	if err != nil {
		t.Fatal(err)
	}
	r := NewRand(1, "c")
	n24 := 0
	for range 10_000 {
		if c.Pick(r) == 24 {
			n24++
		}
	}
	if n24 < 1500 || n24 > 2500 {
		t.Fatalf("24 drawn %d/10000, want ≈ 2000", n24)
	}
	for _, bad := range []string{"", "0:1", "x:1", "1:-1", "1:0", "1:y"} {
		if _, err := ParseInts(bad); err == nil {
			t.Errorf("ParseInts(%q) accepted", bad)
		}
	}
	s, err := ParseStrings("site:3,phoenix")
	if err != nil || !slices.Equal(s.Values(), []string{"site", "phoenix"}) {
		t.Fatalf("ParseStrings = %v, %v", s.Values(), err)
	}
}

func TestCatalog(t *testing.T) {
	c, err := NewCatalog("sku-%06d", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name(3) != "sku-000003" || c.Name(2_000_000) != "sku-2000000" {
		t.Fatalf("names %q %q", c.Name(3), c.Name(2_000_000))
	}
	// The demo's skus start at 1: rank 0 is sku-000001.
	one, err := NewCatalog("sku-%06d", 1, 10)
	if err != nil || one.Name(0) != "sku-000001" || one.Name(9) != "sku-000010" || one.Name(2_000_000) != "sku-2000001" {
		t.Fatalf("from 1: %q %q %q %v", one.Name(0), one.Name(9), one.Name(2_000_000), err)
	}
	for _, bad := range []string{"sku", "sku-%s", "%d-%d"} {
		if _, err := NewCatalog(bad, 0, 1); err == nil {
			t.Errorf("format %q accepted", bad)
		}
	}
}

func TestUUIDDeterministicAndValid(t *testing.T) {
	a, b := UUID(NewRand(5, "ids")), UUID(NewRand(5, "ids"))
	if a != b {
		t.Fatalf("%s != %s", a, b)
	}
	u, err := uuid.Parse(a)
	if err != nil || u.Version() != 4 || u.Variant() != uuid.RFC4122 {
		t.Fatalf("%s: %v version %v variant %v", a, err, u.Version(), u.Variant())
	}
}
