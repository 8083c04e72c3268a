package clocktest

import (
	"sync"
	"testing"
	"time"
)

func TestNowAdvance(t *testing.T) {
	c := New(Noon)
	if got := c.Now(); !got.Equal(Noon) {
		t.Fatalf("Now = %v, want %v", got, Noon)
	}
	if got := c.Now(); !got.Equal(Noon) {
		t.Fatalf("Now moved on its own: %v", got)
	}
	c.Advance(90 * time.Second)
	if got, want := c.Now(), Noon.Add(90*time.Second); !got.Equal(want) {
		t.Fatalf("after Advance: Now = %v, want %v", got, want)
	}
	start := time.Date(2020, 4, 9, 12, 0, 0, 0, time.UTC)
	if got := New(start).Now(); !got.Equal(start) {
		t.Fatalf("New(%v).Now = %v", start, got)
	}
}

func TestAfterAdvancesAndFires(t *testing.T) {
	c := New(Noon)
	ch := c.After(time.Minute)
	want := Noon.Add(time.Minute)
	if got := c.Now(); !got.Equal(want) {
		t.Fatalf("After did not advance: Now = %v, want %v", got, want)
	}
	select {
	case got := <-ch:
		if !got.Equal(want) {
			t.Fatalf("After fired %v, want %v", got, want)
		}
	default:
		t.Fatal("After did not fire at once")
	}
}

func TestConcurrentAdvance(t *testing.T) {
	c := New(Noon)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				c.Advance(time.Millisecond)
				_ = c.Now()
			}
		})
	}
	wg.Wait()
	if got, want := c.Now(), Noon.Add(800*time.Millisecond); !got.Equal(want) {
		t.Fatalf("Now = %v, want %v", got, want)
	}
}
