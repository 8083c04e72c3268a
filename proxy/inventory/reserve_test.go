package inventory

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ociedge/internal/kv"
)

func reserveAll(t *testing.T, f *fixture, n int, req func(i int) ReserveRequest) (ok, short int64) {
	t.Helper()
	var wg sync.WaitGroup
	start := make(chan struct{})
	var okN, shortN, other atomic.Int64
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := f.Reserve(req(i))
			switch ErrorCode(err) {
			case "":
				okN.Add(1)
			case EUNAVAILABLE:
				shortN.Add(1)
			default:
				other.Add(1)
				t.Error(err)
			}
		}()
	}
	close(start)
	wg.Wait()
	return okN.Load(), shortN.Load()
}

func TestConcurrentReserversNeverOversell(t *testing.T) {
	for _, stripes := range []int{1, 256} {
		t.Run(fmt.Sprintf("stripes=%d", stripes), func(t *testing.T) {
			f := openFixtureCfg(t, Config{KV: kv.NewMem(), LockStripes: stripes}, newClock())
			f.MustList(t, "l", false)
			f.MustRecord(t, "l", "flash", 50)
			ok, short := reserveAll(t, f, 250, func(i int) ReserveRequest {
				return ReserveRequest{ID: fmt.Sprintf("o%d", i), ListID: "l", Lines: []Line{{"flash", Unit}}}
			})
			if ok != 50 || short != 200 {
				t.Fatalf("ok %d short %d, want 50 and 200", ok, short)
			}
			if r := f.MustGet(t, "l", "flash"); r.ATS() != 0 || r.Turnover != Units(50) {
				t.Fatalf("record %+v", r)
			}
		})
	}
}

// TestConcurrentMultiLineIsAtomic reserves two products per order, in both
// orders (to provoke lock-order deadlocks): the scarcer product bounds the
// orders and the other one is never reserved alone.
func TestConcurrentMultiLineIsAtomic(t *testing.T) {
	f := newFixture(t)
	f.MustList(t, "l", false)
	f.MustRecord(t, "l", "a", 50)
	f.MustRecord(t, "l", "b", 30)
	ok, _ := reserveAll(t, f, 200, func(i int) ReserveRequest {
		lines := []Line{{"a", Unit}, {"b", Unit}}
		if i%2 == 1 {
			lines[0], lines[1] = lines[1], lines[0]
		}
		return ReserveRequest{ID: fmt.Sprintf("o%d", i), ListID: "l", Lines: lines}
	})
	a, b := f.MustGet(t, "l", "a"), f.MustGet(t, "l", "b")
	if ok != 30 || a.Turnover != Units(30) || b.Turnover != Units(30) {
		t.Fatalf("ok %d, turnover a %s b %s; want 30 each", ok, a.Turnover, b.Turnover)
	}
}

func TestReserveIsIdempotent(t *testing.T) {
	f := newFixture(t)
	f.MustList(t, "l", false)
	f.MustRecord(t, "l", "p", 10)
	req := ReserveRequest{ID: "o1", ListID: "l", Lines: []Line{{"p", Units(2)}, {"p", Units(1)}}}
	first, err := f.Reserve(req)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.Reserve(ReserveRequest{ID: "o1", ListID: "l", Lines: []Line{{"p", Units(3)}}})
	if err != nil || !again.Created.Equal(first.Created) || len(again.Lines) != 1 {
		t.Fatalf("retry = %+v, %v", again, err)
	}
	if r := f.MustGet(t, "l", "p"); r.Turnover != Units(3) {
		t.Fatalf("retry applied twice: turnover %s", r.Turnover)
	}
	_, err = f.Reserve(ReserveRequest{ID: "o1", ListID: "l", Lines: []Line{{"p", Units(4)}}})
	wantCode(t, err, ECONFLICT)
	if _, err := f.Release("o1"); err != nil {
		t.Fatal(err)
	}
	rel, err := f.Release("o1")
	if err != nil || rel.Released.IsZero() {
		t.Fatalf("second release = %+v %v", rel, err)
	}
	if r := f.MustGet(t, "l", "p"); r.Turnover != 0 {
		t.Fatalf("release applied twice: turnover %s", r.Turnover)
	}
	_, err = f.Reserve(req)
	wantCode(t, err, ECONFLICT) // a released id is not re-reserved
	_, err = f.Release("nope")
	wantCode(t, err, ENOTFOUND)
}

func TestConcurrentRetriesApplyOnce(t *testing.T) {
	f := newFixture(t)
	f.MustList(t, "l", false)
	f.MustRecord(t, "l", "p", 100)
	ok, _ := reserveAll(t, f, 50, func(int) ReserveRequest {
		return ReserveRequest{ID: "same", ListID: "l", Lines: []Line{{"p", Units(2)}}}
	})
	if ok != 50 || f.MustGet(t, "l", "p").Turnover != Units(2) {
		t.Fatalf("ok %d turnover %s", ok, f.MustGet(t, "l", "p").Turnover)
	}
}

func TestReserveAllOrNothing(t *testing.T) {
	f := newFixture(t)
	f.MustList(t, "l", false)
	f.MustRecord(t, "l", "a", 5)
	f.MustRecord(t, "l", "b", 1)
	_, err := f.Reserve(ReserveRequest{ID: "o", ListID: "l", Lines: []Line{{"a", Units(2)}, {"b", Units(2)}, {"x", Unit}}})
	wantCode(t, err, EUNAVAILABLE)
	if e := err.(*Error); len(e.ProductIDs) != 2 || e.ProductIDs[0] != "b" || e.ProductIDs[1] != "x" {
		t.Errorf("short products %v", e.ProductIDs)
	}
	if f.MustGet(t, "l", "a").Turnover != 0 {
		t.Fatal("a line was applied although another failed")
	}
	if _, ok := f.ReservationOf("o"); ok {
		t.Fatal("failed reservation was stored")
	}
}

func TestReserveDefaultInStockAndPerpetual(t *testing.T) {
	f := newFixture(t)
	f.MustList(t, "l", true)
	f.MustRecord(t, "l", "perp", 0, func(c *RecordChange) { c.Perpetual = ptr(true) })
	res, err := f.Reserve(ReserveRequest{ID: "o", ListID: "l", Lines: []Line{{"norecord", Units(5)}, {"perp", Units(1000)}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Lines[0].Reserved || !res.Lines[1].Reserved {
		t.Fatalf("lines %+v: default-in-stock products are not reserved, perpetual ones are", res.Lines)
	}
	if f.MustGet(t, "l", "perp").Turnover != Units(1000) {
		t.Error("perpetual turnover not counted")
	}
}

func TestReserveValidation(t *testing.T) {
	f := newFixture(t)
	f.MustList(t, "l", false)
	tests := []struct {
		req   ReserveRequest
		code  string
		field string
	}{
		{ReserveRequest{ListID: "l", Lines: []Line{{"p", Unit}}}, EINVALID, "id"},
		{ReserveRequest{ID: "o", ListID: "l"}, EINVALID, "lines"},
		{ReserveRequest{ID: "o", ListID: "l", Lines: []Line{{"p", 0}}}, EINVALID, "lines[0].quantity"},
		{ReserveRequest{ID: "o", ListID: "l", Lines: []Line{{"p", -Unit}}}, EINVALID, "lines[0].quantity"},
		{ReserveRequest{ID: "o", ListID: "l", Lines: []Line{{"", Unit}}}, EINVALID, "lines[0].productId"},
		{ReserveRequest{ID: "o", ListID: "zz", Lines: []Line{{"p", Unit}}}, ELISTNOTFOUND, ""},
	}
	for _, tt := range tests {
		_, err := f.Reserve(tt.req)
		wantCode(t, err, tt.code)
		if ErrorField(err) != tt.field {
			t.Errorf("%+v: field %q, want %q", tt.req, ErrorField(err), tt.field)
		}
	}
}

func TestHoldsLimitReservationsNotDisplayedATS(t *testing.T) {
	f := newFixture(t)
	f.MustList(t, "l", false)
	f.MustRecord(t, "l", "p", 5)
	exp := f.clock.Now().Add(10 * time.Minute)
	if _, err := f.Hold(HoldRequest{ID: "basketA", ListID: "l", Lines: []Line{{"p", Units(3)}}, ExpiresAt: exp}); err != nil {
		t.Fatal(err)
	}
	if r, _ := f.Lookup("l", "p"); r.ATS() != Units(5) {
		t.Fatalf("a basket hold lowered the displayed ATS to %s", r.ATS())
	}
	_, err := f.Hold(HoldRequest{ID: "basketB", ListID: "l", Lines: []Line{{"p", Units(3)}}, ExpiresAt: exp})
	wantCode(t, err, EUNAVAILABLE)
	if _, err := f.Hold(HoldRequest{ID: "basketB", ListID: "l", Lines: []Line{{"p", Units(2)}}, ExpiresAt: exp}); err != nil {
		t.Fatal(err)
	}
	_, err = f.Reserve(ReserveRequest{ID: "o1", ListID: "l", Lines: []Line{{"p", Unit}}})
	wantCode(t, err, EUNAVAILABLE)
	// A basket may replace its own hold with a larger one up to what others leave.
	if _, err := f.Hold(HoldRequest{ID: "basketA", ListID: "l", Lines: []Line{{"p", Units(3)}}, ExpiresAt: exp}); err != nil {
		t.Fatal(err)
	}
	_, err = f.Hold(HoldRequest{ID: "basketA", ListID: "l", Lines: []Line{{"p", Units(4)}}, ExpiresAt: exp})
	wantCode(t, err, EUNAVAILABLE)
	if h, _ := f.HoldOf("basketA"); h.Lines[0].Quantity != Units(3) {
		t.Fatalf("a failed replacement changed the hold: %+v", h)
	}
}

func TestHoldsExpireByTheClock(t *testing.T) {
	f := newFixture(t)
	f.MustList(t, "l", false)
	f.MustRecord(t, "l", "p", 2)
	exp := f.clock.Now().Add(10 * time.Minute)
	f.Hold(HoldRequest{ID: "b", ListID: "l", Lines: []Line{{"p", Units(2)}}, ExpiresAt: exp})
	_, err := f.Reserve(ReserveRequest{ID: "o1", ListID: "l", Lines: []Line{{"p", Unit}}})
	wantCode(t, err, EUNAVAILABLE)
	f.clock.Advance(10 * time.Minute)
	if _, err := f.Reserve(ReserveRequest{ID: "o1", ListID: "l", Lines: []Line{{"p", Unit}}}); err != nil {
		t.Fatalf("expired hold still counts: %v", err)
	}
	n, err := f.PurgeExpiredHolds()
	if err != nil || n != 1 {
		t.Fatalf("purged %d, %v", n, err)
	}
	if _, ok := f.HoldOf("b"); ok {
		t.Fatal("expired hold not purged")
	}
	_, err = f.Hold(HoldRequest{ID: "c", ListID: "l", Lines: []Line{{"p", Unit}}, ExpiresAt: f.clock.Now()})
	wantCode(t, err, EINVALID)
}

func TestConvertHoldIntoOrder(t *testing.T) {
	f := newFixture(t)
	f.MustList(t, "l", false)
	f.MustRecord(t, "l", "p", 5)
	f.MustRecord(t, "l", "q", 5)
	exp := f.clock.Now().Add(time.Hour)
	f.Hold(HoldRequest{ID: "mine", ListID: "l", Lines: []Line{{"p", Units(3)}, {"q", Units(1)}}, ExpiresAt: exp})
	f.Hold(HoldRequest{ID: "other", ListID: "l", Lines: []Line{{"p", Units(2)}}, ExpiresAt: exp})
	// Without the hold the order could not get 3 of p (5 − 3 − 2 = 0 free).
	_, err := f.Reserve(ReserveRequest{ID: "o", ListID: "l", Lines: []Line{{"p", Units(3)}}})
	wantCode(t, err, EUNAVAILABLE)
	res, err := f.Reserve(ReserveRequest{ID: "o", ListID: "l", Lines: []Line{{"p", Units(3)}}, FromHold: "mine"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := f.HoldOf("mine"); ok {
		t.Fatal("hold survived its conversion")
	}
	p, qq := f.MustGet(t, "l", "p"), f.MustGet(t, "l", "q")
	if p.Turnover != Units(3) || p.ATS() != Units(2) || qq.Turnover != 0 {
		t.Fatalf("after conversion p %+v q %+v", p, qq)
	}
	// Nothing is counted twice: the other basket's 2 still fit, nothing more.
	if _, err := f.Reserve(ReserveRequest{ID: "o2", ListID: "l", Lines: []Line{{"p", Unit}}}); ErrorCode(err) != EUNAVAILABLE {
		t.Fatalf("want EUNAVAILABLE, got %v", err)
	}
	if _, err := f.Reserve(ReserveRequest{ID: "o3", ListID: "l", Lines: []Line{{"p", Units(2)}}, FromHold: "other"}); err != nil {
		t.Fatal(err)
	}
	// The retried conversion replays.
	again, err := f.Reserve(ReserveRequest{ID: "o", ListID: "l", Lines: []Line{{"p", Units(3)}}, FromHold: "mine"})
	if err != nil || again.ID != res.ID || f.MustGet(t, "l", "p").Turnover != Units(5) {
		t.Fatalf("replay = %+v %v", again, err)
	}
}

// TestConversionRacesNoOneElse converts holds while other shoppers try to
// reserve: the converted units are never free in between.
func TestConversionRacesNoOneElse(t *testing.T) {
	f := newFixture(t)
	f.MustList(t, "l", false)
	f.MustRecord(t, "l", "p", 20)
	exp := f.clock.Now().Add(time.Hour)
	for i := range 20 {
		if _, err := f.Hold(HoldRequest{ID: fmt.Sprint("b", i), ListID: "l", Lines: []Line{{"p", Unit}}, ExpiresAt: exp}); err != nil {
			t.Fatal(err)
		}
	}
	ok, _ := reserveAll(t, f, 220, func(i int) ReserveRequest {
		if i < 20 {
			return ReserveRequest{ID: fmt.Sprint("conv", i), ListID: "l", Lines: []Line{{"p", Unit}}, FromHold: fmt.Sprint("b", i)}
		}
		return ReserveRequest{ID: fmt.Sprint("steal", i), ListID: "l", Lines: []Line{{"p", Unit}}}
	})
	if ok != 20 {
		t.Fatalf("%d reservations succeeded, want exactly the 20 conversions", ok)
	}
	for i := range 20 {
		if _, ok := f.ReservationOf(fmt.Sprint("conv", i)); !ok {
			t.Fatalf("conversion %d failed", i)
		}
	}
}

func TestReservationsAndHoldsSurviveReopen(t *testing.T) {
	mem := kv.NewMem()
	c := newClock()
	f := openFixture(t, mem, c)
	f.MustList(t, "l", false)
	f.MustRecord(t, "l", "p", 5)
	f.Reserve(ReserveRequest{ID: "o", ListID: "l", Lines: []Line{{"p", Unit}}})
	f.Hold(HoldRequest{ID: "b", ListID: "l", Lines: []Line{{"p", Units(4)}}, ExpiresAt: c.Now().Add(time.Hour)})
	g := openFixture(t, mem, c)
	_, err := g.Reserve(ReserveRequest{ID: "o2", ListID: "l", Lines: []Line{{"p", Unit}}})
	wantCode(t, err, EUNAVAILABLE) // the hold came back
	if again, err := g.Reserve(ReserveRequest{ID: "o", ListID: "l", Lines: []Line{{"p", Unit}}}); err != nil || again.ID != "o" {
		t.Fatalf("reservation did not come back: %v", err)
	}
	if _, err := g.Release("o"); err != nil {
		t.Fatal(err)
	}
}

func TestReleaseHold(t *testing.T) {
	f := newFixture(t)
	f.MustList(t, "l", false)
	f.MustRecord(t, "l", "p", 2)
	exp := f.clock.Now().Add(time.Hour)
	f.Hold(HoldRequest{ID: "a", ListID: "l", Lines: []Line{{"p", Units(2)}}, ExpiresAt: exp})
	if _, err := f.Hold(HoldRequest{ID: "b", ListID: "l", Lines: []Line{{"p", Unit}}, ExpiresAt: exp}); ErrorCode(err) != EUNAVAILABLE {
		t.Fatalf("want EUNAVAILABLE, got %v", err)
	}
	if err := f.ReleaseHold("a"); err != nil {
		t.Fatal(err)
	}
	if err := f.ReleaseHold("a"); err != nil {
		t.Fatalf("releasing twice: %v", err)
	}
	if _, err := f.Hold(HoldRequest{ID: "b", ListID: "l", Lines: []Line{{"p", Units(2)}}, ExpiresAt: exp}); err != nil {
		t.Fatal(err)
	}
}

func TestOpenAndPurgedReservations(t *testing.T) {
	f := newFixture(t)
	f.MustList(t, "l", false)
	f.MustRecord(t, "l", "p", 10)
	for _, id := range []string{"b", "a", "c"} {
		if _, err := f.Reserve(ReserveRequest{ID: id, ListID: "l", Lines: []Line{{"p", Unit}}}); err != nil {
			t.Fatal(err)
		}
	}
	f.Release("b")
	open := f.OpenReservations()
	if len(open) != 2 || open[0].ID != "a" || open[1].ID != "c" {
		t.Fatalf("open %+v", open)
	}
	if n, _ := f.PurgeReleased(time.Hour); n != 0 {
		t.Fatal("purged a fresh release")
	}
	f.clock.Advance(2 * time.Hour)
	if n, err := f.PurgeReleased(time.Hour); n != 1 || err != nil {
		t.Fatalf("purged %d, %v", n, err)
	}
	if _, ok := f.ReservationOf("b"); ok {
		t.Fatal("released reservation not purged")
	}
	g := openFixture(t, f.kv, f.clock)
	if _, ok := g.ReservationOf("b"); ok || len(g.OpenReservations()) != 2 {
		t.Fatal("purge was not durable")
	}
}
