package cache

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"ociedge/cache/cachetest"
	"ociedge/oci"
)

// fetchSetup is an imported cache over the fake: wh-a (location, 10
// records) and online (group, 10 records).
// tweak may adjust the config (e.g. decorate cfg.Core).
func fetchSetup(t *testing.T, tweak ...func(*Config)) (*cachetest.Core, *Cache) {
	t.Helper()
	clk := newClock(noon)
	core := &cachetest.Core{Now: clk.Now}
	core.SetGraph(testGraph)
	fill(core, "wh-a", 10)
	fill(core, "online", 10)
	cfg := testConfig(t, core, clk, List{ID: "wh-a", Site: true}, List{ID: "online", Site: true}, List{ID: "ghost"})
	for _, f := range tweak {
		f(&cfg)
	}
	c := mustNew(t, cfg)
	c.Start()
	await(t, "full import", imported(c))
	return core, c
}

// putQuiet changes the core without the stream noticing: the fallback
// path is then the only way to see it. (The fake logs every Put; Hold on
// Deltas keeps the streams from reading the log.)
func holdStreams(t *testing.T, core *cachetest.Core) {
	t.Cleanup(core.Hold(cachetest.MethodDeltas))
}

func TestFetchOneCoreCallPerKey(t *testing.T) {
	core, c := fetchSetup(t)
	holdStreams(t, core)
	core.Put("wh-a", rec("late", 8, 1, 0))
	l := mustListID(t, c, "wh-a")
	if _, st := c.LookupString(l, "late"); st != Miss {
		t.Fatalf("late: %s, want miss", st)
	}
	release := core.Hold(cachetest.MethodAvailability)
	const n = 50
	var wg sync.WaitGroup
	results := make([]error, n)
	values := make([]Value, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vs, err := c.Fetch(context.Background(), l, []string{"late"})
			results[i] = err
			if err == nil {
				values[i] = vs[0]
			}
		}()
	}
	await(t, "every caller joined", func() error {
		if j := c.flights.joined(flightKey(l, "late")); j != n-1 {
			return fmt.Errorf("%d joined", j)
		}
		return nil
	})
	release()
	wg.Wait()
	for i := range n {
		if results[i] != nil || values[i].OnHand != 8*oci.Unit || values[i].ATF != 7*oci.Unit {
			t.Fatalf("caller %d: %v %+v", i, results[i], values[i])
		}
	}
	if calls := core.Calls(cachetest.MethodAvailability); calls != 1 {
		t.Errorf("%d core calls for one key, want 1", calls)
	}
	if v, st := c.LookupString(l, "late"); st != Hit || v.OnHand != 8*oci.Unit {
		t.Errorf("after the fetch: %s %+v, want it cached", st, v)
	}
	if _, err := c.Fetch(context.Background(), l, []string{"late"}); err != nil || core.Calls(cachetest.MethodAvailability) != 2 {
		t.Errorf("a later miss starts a new flight: %v, %d calls", err, core.Calls(cachetest.MethodAvailability))
	}
}

func TestFetchWaitIsBounded(t *testing.T) {
	core, c := fetchSetup(t, func(cfg *Config) { cfg.MissWait = 30 * time.Millisecond })
	t.Cleanup(core.Hold(cachetest.MethodAvailability)) // a core that never answers
	start := time.Now()
	_, err := c.Fetch(context.Background(), mustListID(t, c, "wh-a"), []string{"sku-1", "nope"})
	if !errors.Is(err, ErrMissTimeout) {
		t.Fatalf("err = %v, want ErrMissTimeout", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Fetch took %v with a 30ms miss wait", took)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Fetch(ctx, mustListID(t, c, "wh-a"), []string{"x"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled caller: %v", err)
	}
}

func TestFetchJoinersGetTheLeadersError(t *testing.T) {
	core, c := fetchSetup(t)
	boom := &oci.Error{Code: oci.Unknown, Message: "core exploded"}
	core.FailNext(cachetest.MethodAvailability, 1, boom)
	release := core.Hold(cachetest.MethodAvailability)
	l := mustListID(t, c, "wh-a")
	errs := make(chan error, 3)
	for range 3 {
		go func() {
			_, err := c.Fetch(context.Background(), l, []string{"nope"})
			errs <- err
		}()
	}
	await(t, "joined", func() error {
		if c.flights.joined(flightKey(l, "nope")) != 2 {
			return errors.New("not yet")
		}
		return nil
	})
	release()
	for range 3 {
		if err := <-errs; !errors.Is(err, boom) {
			t.Errorf("err = %v, want the leader's %v", err, boom)
		}
	}
}

func TestFetchQueriesByLocationTypeInBatches(t *testing.T) {
	var rec *recordingCore
	core, c := fetchSetup(t, func(cfg *Config) {
		rec = &recordingCore{Core: cfg.Core}
		cfg.Core = rec
	})
	skus := make([]string, 150)
	for i := range skus {
		skus[i] = fmt.Sprint("sku-", i) // sku-0..9 exist, the rest have no record
	}
	vs, err := c.Fetch(context.Background(), mustListID(t, c, "online"), skus)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.queries) != 2 || len(rec.queries[0].SKUs) != 100 || len(rec.queries[1].SKUs) != 50 ||
		len(rec.queries[0].Groups) != 1 || rec.queries[0].Groups[0] != "online" || len(rec.queries[0].Locations) != 0 {
		t.Fatalf("queries %+v", rec.queries)
	}
	want, _ := core.Get("online", "sku-3")
	if numbers(vs[3]) != numbers(valueOf(&want)) || !vs[120].NoRecord() {
		t.Errorf("values %+v %+v", vs[3], vs[120])
	}
	if _, st := c.LookupString(mustListID(t, c, "online"), "sku-120"); st != Tombstone {
		t.Errorf("an unknown sku is cached as no record: %s", st)
	}
	rec.queries = nil
	if _, err := c.Fetch(context.Background(), mustListID(t, c, "wh-a"), []string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	if q := rec.queries[0]; len(q.Locations) != 1 || q.Locations[0] != "wh-a" || len(q.Groups) != 0 || len(q.SKUs) != 2 {
		t.Errorf("location query %+v", q)
	}
	if _, err := c.Fetch(context.Background(), mustListID(t, c, "ghost"), []string{"a"}); !errors.Is(err, ErrNotMapped) {
		t.Errorf("an N/A list: %v", err)
	}
}

func TestFallbackNeverOverwritesAStreamValue(t *testing.T) {
	gate := make(chan struct{})
	core, c := fetchSetup(t, func(cfg *Config) {
		cfg.Core = &staleAnswerCore{Core: cfg.Core, answer: rec("race", 1, 0, 0), gate: gate}
	})
	l := mustListID(t, c, "wh-a")
	done := make(chan []Value)
	go func() {
		vs, err := c.Fetch(context.Background(), l, []string{"race"})
		if err != nil {
			t.Error(err)
		}
		done <- vs
	}()
	await(t, "fetch in flight", func() error {
		if c.flights.joined(flightKey(l, "race")) != 0 {
			return errors.New("no flight")
		}
		return nil
	})
	core.Put("wh-a", rec("race", 50, 0, 0)) // the stream brings the newer value
	await(t, "stream value", func() error {
		if v, st := c.LookupString(l, "race"); st != Hit || v.OnHand != 50*oci.Unit {
			return fmt.Errorf("%s %+v", st, v)
		}
		return nil
	})
	close(gate) // now the core's older answer arrives
	vs := <-done
	if vs[0].OnHand != 50*oci.Unit {
		t.Errorf("Fetch returned %+v, want the stream's newer value", vs[0])
	}
	if v, _ := c.LookupString(l, "race"); v.OnHand != 50*oci.Unit {
		t.Errorf("cache holds %+v after the fallback, want the stream's value", v)
	}
}

func TestShouldUpdateRules(t *testing.T) {
	c := mustNew(t, testConfig(t, &cachetest.Core{}, newClock(noon), List{ID: "wh-a"}))
	l := c.lists.Load().lists[0]
	l.count.raiseFloor(2, &l.floor)
	stream := func(ver uint64, gen uint32) Value { return Value{version: ver, gen: gen} }
	cases := []struct {
		name      string
		cur, prev Value
		want      bool
	}{
		{"newer stream value", stream(5, 2), stream(4, 2), true},
		{"older stream value", stream(3, 2), stream(4, 2), false},
		{"stream over fallback", stream(1, 2), stream(0, 2), true},
		{"fallback over current stream", stream(0, 2), stream(9, 2), false},
		{"fallback over stale stream", stream(0, 2), stream(9, 1), true},
		{"fallback over fallback", stream(0, 2), stream(0, 2), true},
	}
	for _, tc := range cases {
		if got := c.store.shouldUpdate(tc.cur, tc.prev); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// recordingCore records the get-availability queries.
type recordingCore struct {
	Core
	mu      sync.Mutex // guards queries
	queries []oci.AvailabilityQuery
}

func (r *recordingCore) GetAvailability(ctx context.Context, q *oci.AvailabilityQuery) (*oci.Availability, error) {
	r.mu.Lock()
	r.queries = append(r.queries, *q)
	r.mu.Unlock()
	return r.Core.GetAvailability(ctx, q)
}

// staleAnswerCore answers get-availability, once gate is closed, with a
// value read long ago.
type staleAnswerCore struct {
	Core
	answer oci.Values
	gate   chan struct{}
}

func (s *staleAnswerCore) GetAvailability(ctx context.Context, q *oci.AvailabilityQuery) (*oci.Availability, error) {
	<-s.gate
	return &oci.Availability{Locations: []oci.PlaceValues{{ID: q.Locations[0], Records: []oci.Values{s.answer}}}}, nil
}
