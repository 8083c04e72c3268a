package node_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"

	"ociedge/internal/kv"
	"ociedge/internal/kv/kvtest"
	"ociedge/oci"
	"ociedge/oci/auth"
	"ociedge/oci/client"
	"ociedge/oci/httpapi"
	"ociedge/oci/impex"
	"ociedge/oci/node"
)

// faultyCore is a core process's parts — the store on a faulty disk, the
// domain, impex, auth and the HTTP server — assembled as node.Open does, in
// this process: node.Config has no file system to inject.
type faultyCore struct {
	store *kv.Pebble
	core  *oci.Core
	impex *impex.Service
	srv   *httpapi.Server
	url   string
	ln    net.Listener
	done  chan error
}

func openFaulty(t *testing.T, dir string, fs vfs.FS) *faultyCore {
	t.Helper()
	st, err := kv.OpenPebble(filepath.Join(dir, "store"), kv.PebbleConfig{FS: fs})
	if err != nil {
		t.Fatal(err)
	}
	f := &faultyCore{store: st, done: make(chan error, 1)}
	must := func(err error) {
		if err != nil {
			f.close()
			t.Fatal(err)
		}
	}
	f.core, err = oci.Open(oci.Config{Store: st})
	must(err)
	a, err := auth.New(auth.Config{Store: st, Tenants: []string{tenant}})
	must(err)
	must(a.EnsureClient(auth.Client{ID: "dev", Secret: "secret", Scopes: auth.AllScopes}))
	f.impex, err = impex.New(impex.Config{Core: f.core, Store: st, Dir: filepath.Join(dir, "impex")})
	must(err)
	f.srv, err = httpapi.New(httpapi.Config{Core: f.core, Auth: a, Impex: f.impex})
	must(err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	f.url = "http://" + ln.Addr().String()
	f.ln = ln
	go func() { f.done <- f.srv.Serve(ln) }()
	t.Cleanup(f.close)
	return f
}

// close stops everything, once; the store's Close may fail on a bad disk.
func (f *faultyCore) close() {
	if f.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		f.srv.Shutdown(ctx)
		cancel()
		f.ln.Close() // Serve may not have registered ln when Shutdown ran: it returns either way
		<-f.done
		f.srv = nil
	}
	if f.impex != nil {
		f.impex.Close()
		f.impex = nil
	}
	if f.core != nil {
		f.core.Close()
		f.core = nil
	}
	f.store.Close()
}

func (f *faultyCore) client(t *testing.T) *client.Client {
	t.Helper()
	c, err := client.New(client.Config{BaseURL: f.url, Tenant: tenant, ClientID: "dev", ClientSecret: "secret", Retries: -1, Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// TestDiskFault_CoreRefusesWritesAndRecovers: when the core's disk fills up
// or turns read-only during a reservation burst, the write that hits it
// answers 503 StoreUnavailable with a clear message, every later write
// (reservations, records, the graph, imports) is refused the same way,
// /readyz says not ready and why, nothing crashes; once the disk is fixed
// the core starts on the same directory with every acknowledged
// reservation and passes its invariant check.
func TestDiskFault_CoreRefusesWritesAndRecovers(t *testing.T) {
	for _, c := range []struct {
		name  string
		errno syscall.Errno
		cause string
	}{
		{"disk full", syscall.ENOSPC, "no space left on device"},
		{"read-only", syscall.EROFS, "read-only file system"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(14, uint64(c.errno)))
			dir := t.TempDir()
			fault := kvtest.NewDiskFault(c.errno)
			f := openFaulty(t, dir, fault.FS())
			cl := f.client(t)
			stock(t, cl, burstGraph, []string{"L1", "L2", "L3"}, burstSKUs, 100)
			b := newBurst()
			places := []oci.Place{oci.Grp("GA"), oci.Grp("GB"), oci.Loc("L1"), oci.Loc("L2"), oci.Loc("L3")}
			fault.Arm(int64(20 + rng.IntN(200)))
			refusals := burstUntilRefused(t, b, cl, places)
			for _, err := range refusals {
				mustStoreUnavailable(t, "a reservation when the disk failed", err)
			}
			checkRefusesWrites(t, f, cl, c.cause)
			f.close()

			n, err := node.Open(node.Config{Addr: "127.0.0.1:0", DataDir: dir, DevClient: "dev:secret"})
			if err != nil {
				t.Fatalf("the core does not start once the disk is fixed: %v", err)
			}
			defer n.Close()
			b.check(t, mustClientOf(t, n.URL()))
			mustInvariants(t, n.URL())
			t.Logf("%d reservations acknowledged before the disk failed, %d refused", len(b.acked), len(refusals))
		})
	}
}

// burstUntilRefused reserves from 8 workers until each was refused once,
// and returns the refusals.
func burstUntilRefused(t *testing.T, b *burst, c *client.Client, places []oci.Place) []error {
	t.Helper()
	errs := make(chan error, 8)
	for w := range 8 {
		go func() {
			rng := rand.New(rand.NewPCG(14, uint64(w)))
			for i := 0; ; i++ {
				if err := b.one(c, fmt.Sprintf("d-%d-%d", w, i), burstRequest(rng, places, burstSKUs)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	out := make([]error, 8)
	for i := range out {
		out[i] = <-errs
	}
	return out
}

// mustStoreUnavailable: err is the core's 503 StoreUnavailable problem
// saying that its store cannot be written.
func mustStoreUnavailable(t *testing.T, what string, err error) {
	t.Helper()
	mustUnavailable(t, what, err, "store cannot be written")
}

// mustUnavailable: err is a 503 StoreUnavailable problem whose message says
// says.
func mustUnavailable(t *testing.T, what string, err error, says string) {
	t.Helper()
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Status != 503 || ae.Code != oci.StoreUnavailable || !strings.Contains(ae.Message, says) {
		t.Fatalf("%s: %v; want 503 StoreUnavailable saying %q", what, err, says)
	}
}

// checkRefusesWrites: after the failure every kind of write is refused
// with StoreUnavailable and /readyz gives the cause.
func checkRefusesWrites(t *testing.T, f *faultyCore, c *client.Client, cause string) {
	t.Helper()
	_, err := c.Reserve(bg(), "after", &oci.ReserveRequest{Locations: []oci.PlaceLines{{ID: "L1", Lines: []oci.Line{{SKU: "s0", Quantity: 1000}}}}})
	mustStoreUnavailable(t, "a later reservation", err)
	_, err = c.BatchUpdate(bg(), []client.BatchRecord{{ID: "after", Location: "L1", SKU: "s0", OnHand: oci.Value(oci.Qty(5000))}})
	mustStoreUnavailable(t, "a later batch-update", err)
	mustStoreUnavailable(t, "a later graph change", c.PutGraph(bg(), burstGraph))
	_, err = c.Import(bg(), strings.NewReader(""), client.ImportOptions{})
	mustStoreUnavailable(t, "a later import", err)
	resp, err := http.Get(f.url + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || !strings.Contains(string(body), "not ready") || !strings.Contains(string(body), cause) {
		t.Fatalf("/readyz: %d %s; want 503 not ready naming %q", resp.StatusCode, body, cause)
	}
}

func mustClientOf(t *testing.T, url string) *client.Client {
	t.Helper()
	c, err := client.New(client.Config{BaseURL: url, Tenant: tenant, ClientID: "dev", ClientSecret: "secret", Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// TestDiskFault_ReadsAreHonest: after the store refused a write, a read
// answers the acknowledged state or an honest 503 StoreUnavailable (the core
// keeps no reads it cannot vouch for) — never "does not exist" for an
// acknowledged reservation, never another error.
func TestDiskFault_ReadsAreHonest(t *testing.T) {
	dir := t.TempDir()
	fault := kvtest.NewDiskFault(syscall.ENOSPC)
	f := openFaulty(t, dir, fault.FS())
	c := f.client(t)
	stock(t, c, burstGraph, []string{"L1", "L2", "L3"}, burstSKUs, 100)
	b := newBurst()
	fault.Arm(50)
	burstUntilRefused(t, b, c, []oci.Place{oci.Grp("GA"), oci.Loc("L1")})
	for id, want := range b.acked {
		v, err := c.Reservation(bg(), id)
		if err == nil && held(v) != reservedQty(want) {
			t.Fatalf("acknowledged reservation %s reads %+v after the disk failed", id, v)
		}
		if err != nil {
			mustUnavailable(t, "reading an acknowledged reservation", err, "store failed")
		}
	}
	if _, err := c.GetAvailability(bg(), &oci.AvailabilityQuery{SKUs: []string{"s0"}, Groups: []string{"GA"}}); err != nil {
		mustUnavailable(t, "get-availability", err, "store failed")
	}
}
