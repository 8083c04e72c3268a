package inventory

import (
	"reflect"
	"testing"
	"time"

	"ociedge/internal/kv"
)

func openPebble(t *testing.T, dir string) *kv.Pebble {
	t.Helper()
	db, err := kv.OpenPebble(dir, kv.PebbleConfig{CacheBytes: 1 << 20, MemTableBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// state is everything observable about a store, for before/after checks.
type state struct {
	Lists   []List
	Records map[string][]Record
	Res     map[string]Reservation
	Holds   map[string]Hold
}

func snapshotState(t *testing.T, s *Store, resIDs, holdIDs []string) state {
	t.Helper()
	st := state{Lists: s.Lists(), Records: map[string][]Record{}, Res: map[string]Reservation{}, Holds: map[string]Hold{}}
	for _, l := range st.Lists {
		recs, _, err := s.Page(l.ID, 0, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		st.Records[l.ID] = recs
	}
	for _, id := range resIDs {
		st.Res[id], _ = s.ReservationOf(id)
	}
	for _, id := range holdIDs {
		st.Holds[id], _ = s.HoldOf(id)
	}
	return st
}

func TestDurableAcrossReopen(t *testing.T) {
	dir := t.TempDir()
	c := newClock()
	db := openPebble(t, dir)
	f := openFixture(t, db, c)
	f.MustList(t, "online", true)
	if _, _, err := f.PutList(ListChange{ID: "store-1", Description: ptr("Phoenix"), OnOrderEnabled: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	in := c.Now().Add(72 * time.Hour)
	f.MustRecord(t, "online", "p1", 10, func(rc *RecordChange) {
		rc.Handling, rc.PreorderBackorderAllocation, rc.InStockDate = ptr(HandlingPreorder), ptr(q("2.5")), &in
		rc.Custom = map[string][]string{"bin": {"A-1"}}
	})
	f.MustRecord(t, "online", "p2", 3, func(rc *RecordChange) { rc.Perpetual = ptr(true) })
	f.MustRecord(t, "store-1", "p1", 1, func(rc *RecordChange) { rc.OnOrder = ptr(q("0.5")) })
	f.MustRecord(t, "online", "gone", 1)
	if err := f.DeleteRecord("online", "gone"); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Second)
	if _, err := f.Reserve(ReserveRequest{ID: "o1", ListID: "online", Lines: []Line{{"p1", Units(2)}}}); err != nil {
		t.Fatal(err)
	}
	f.Reserve(ReserveRequest{ID: "o2", ListID: "online", Lines: []Line{{"p1", Units(1)}}})
	f.Release("o2")
	f.Hold(HoldRequest{ID: "b1", ListID: "online", Lines: []Line{{"p1", Units(1)}}, ExpiresAt: c.Now().Add(time.Hour)})
	ids, holds := []string{"o1", "o2"}, []string{"b1"}
	before := snapshotState(t, f.Store, ids, holds)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db2 := openPebble(t, dir)
	defer db2.Close()
	g := openFixture(t, db2, c)
	after := snapshotState(t, g.Store, ids, holds)
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("state changed across reopen:\nbefore %+v\nafter  %+v", before, after)
	}
	if len(after.Records["online"]) != 2 {
		t.Fatalf("deleted record came back: %+v", after.Records["online"])
	}
}

func TestRetentionDeletesUnusedRecords(t *testing.T) {
	mem := kv.NewMem()
	c := newClock()
	f := openFixture(t, mem, c)
	f.MustList(t, "l", false)
	f.MustRecord(t, "l", "read", 1)
	f.MustRecord(t, "l", "written", 1)
	f.MustRecord(t, "l", "idle", 1)
	if n, _ := f.PurgeUnused(0); n != 0 {
		t.Fatal("days 0 must mean never")
	}
	c.Advance(20 * 24 * time.Hour)
	f.Lookup("l", "read")
	f.UpdateRecord("l", RecordChange{ProductID: "written", Perpetual: ptr(false)})
	f.Get("l", "idle") // an admin read is not a storefront use
	c.Advance(11 * 24 * time.Hour)
	n, err := f.PurgeUnused(30)
	if err != nil || n != 1 {
		t.Fatalf("purged %d, %v; want 1", n, err)
	}
	if _, err := f.Get("l", "idle"); ErrorCode(err) != ERECORDNOTFOUND {
		t.Fatal("idle record survived")
	}
	// The last use survives a restart: after reopening, "read" is still
	// 11 days fresh, not as old as its last write.
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	g := openFixture(t, mem, c)
	c.Advance(10 * 24 * time.Hour)
	if n, _ := g.PurgeUnused(30); n != 0 {
		t.Fatalf("purged %d after reopen; the storefront read was forgotten", n)
	}
	c.Advance(10 * 24 * time.Hour)
	if n, _ := g.PurgeUnused(30); n != 2 {
		t.Fatalf("purged %d, want 2", n)
	}
}
