package oci

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"ociedge/internal/kv"
)

const crashChildEnv = "OCI_CRASH_CHILD_DIR"

// TestMain lets the crash test re-run this binary as the child that is killed.
func TestMain(m *testing.M) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		crashChild(dir)
		return
	}
	os.Exit(m.Run())
}

// crashChild reserves as fast as it can from many goroutines and prints
// "ack <id>" only after a reservation was acknowledged (durable), until it
// is killed.
func crashChild(dir string) {
	st, err := kv.OpenPebble(dir, kv.PebbleConfig{})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	c, err := Open(Config{Store: st})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	out := bufio.NewWriter(os.Stdout)
	var mu sync.Mutex
	places := []Place{Grp("GA"), Grp("GB"), Loc("L1"), Loc("L2"), Loc("L3")}
	var wg sync.WaitGroup
	for w := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				p := places[(w+i)%len(places)]
				id := fmt.Sprintf("w%d-%d", w, i)
				res, err := c.Reserve(reserveAt(id, p.Type, p.ID, fmt.Sprintf("s%d", i%3), 1))
				if err != nil {
					continue
				}
				mu.Lock()
				fmt.Fprintf(out, "ack %s %d\n", id, reservedQty(res))
				out.Flush()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

// TestKill9DuringReservationBurst: every acknowledged reservation survives
// kill -9 of the process, nothing is half applied and the invariants hold.
func TestKill9DuringReservationBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	tc := mustOpenDir(t, dir, newClock())
	tc.mustGraph(shared)
	for _, sku := range []string{"s0", "s1", "s2"} {
		tc.mustSet("L1", sku, 400, 0)
		tc.mustSet("L2", sku, 400, 0)
		tc.mustSet("L3", sku, 400, 0)
	}
	tc.close()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[string]Qty{}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && len(acked) < 800 {
		f := strings.Fields(sc.Text())
		if len(f) != 3 || f[0] != "ack" {
			t.Fatalf("child: %s", sc.Text())
		}
		var n int64
		fmt.Sscan(f[2], &n)
		acked[f[1]] = Qty(n)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no chance to flush
		t.Fatal(err)
	}
	cmd.Wait()
	if len(acked) < 800 {
		t.Fatalf("child acknowledged only %d reservations", len(acked))
	}

	tc = mustOpenDir(t, dir, newClock())
	for id, want := range acked {
		v, ok := tc.Reservation(id)
		if !ok {
			t.Fatalf("acknowledged reservation %s lost", id)
		}
		if got := holdsOf(v); got != want {
			t.Fatalf("reservation %s holds %s, acknowledged %s", id, got, want)
		}
	}
	tc.mu.RLock()
	for id, r := range tc.docs {
		if r.result == nil || r.heldTotal() != reservedQty(r.result) {
			t.Errorf("document %s is half applied: holds %s, result %+v", id, r.heldTotal(), r.result)
		}
	}
	n := len(tc.docs)
	tc.mu.RUnlock()
	tc.mustHealthy()
	t.Logf("%d acknowledged, %d documents after restart", len(acked), n)
}

func holdsOf(v ReservationView) Qty {
	var t Qty
	for _, ps := range [][]PlaceHolding{v.Locations, v.Groups} {
		for _, p := range ps {
			for _, it := range p.Items {
				t += it.Quantity
			}
		}
	}
	return t
}
