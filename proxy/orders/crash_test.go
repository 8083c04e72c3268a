package orders

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"ociedge/internal/clocktest"
	"ociedge/modes"
	"ociedge/oci"
)

// The crash tests re-run this test binary as a child that is killed with
// SIGKILL; the environment says what the child does.
const (
	crashChildEnv = "ORDERS_CRASH_CHILD" // "autofail" or "burst"
	crashEdgeEnv  = "ORDERS_CRASH_EDGE"  // the edge's store directory
	crashCoreEnv  = "ORDERS_CRASH_CORE"  // the core's store directory
	crashTimeEnv  = "ORDERS_CRASH_TIME"  // the child's clock, unix nanoseconds
)

func TestMain(m *testing.M) {
	if what := os.Getenv(crashChildEnv); what != "" {
		crashChild(what)
		return
	}
	// fasthttp's client and server clean idle connections and workers from
	// goroutines of their own that outlive the tests by their idle timeouts.
	goleak.VerifyTestMain(m,
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*Client).mCleaner"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*HostClient).connsCleaner"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*workerPool).Start.func2"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.updateServerDate.func1"),
	)
}

// startChild runs the child and returns its stdout lines and a kill func.
func startChild(t *testing.T, what, coreDir, edgeDir string, at time.Time) (*bufio.Scanner, func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+what, crashCoreEnv+"="+coreDir, crashEdgeEnv+"="+edgeDir,
		crashTimeEnv+"="+strconv.FormatInt(at.UnixNano(), 10))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	kill := func() {
		once.Do(func() {
			cmd.Process.Kill() // SIGKILL: no chance to flush or clean up
			io.Copy(io.Discard, out)
			cmd.Wait()
		})
	}
	t.Cleanup(kill)
	return bufio.NewScanner(out), kill
}

func crashChild(what string) {
	ns, _ := strconv.ParseInt(os.Getenv(crashTimeEnv), 10, 64)
	clock := clocktest.New(time.Unix(0, ns).UTC())
	st, err := openStack(os.Getenv(crashCoreEnv), os.Getenv(crashEdgeEnv), clock, modes.OmnichannelInventory)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	out := &lineWriter{w: bufio.NewWriter(os.Stdout)}
	switch what {
	case "autofail":
		st.svc.afterReleaseIntent = func(o *Order) {
			out.printf("intent %s", o.No)
			select {} // the kill comes here, between the intent and the release
		}
		_, err := st.svc.RunJobs(context.Background())
		out.printf("error job ended: %v", err)
	case "burst":
		burst(st, out)
	}
	os.Exit(2)
}

// lineWriter prints whole lines from many goroutines, flushed at once.
type lineWriter struct {
	mu sync.Mutex // guards w
	w  *bufio.Writer
}

func (l *lineWriter) printf(format string, args ...any) {
	l.mu.Lock()
	fmt.Fprintf(l.w, format+"\n", args...)
	l.w.Flush()
	l.mu.Unlock()
}

// TestKill9BetweenAutoFailIntentAndRelease: the process dies after the
// auto-fail intent is durable and before the release. After the restart
// the order is failed and its reservation released exactly once.
func TestKill9BetweenAutoFailIntentAndRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	coreDir, edgeDir := t.TempDir(), t.TempDir()
	clock := newClock()
	st := mustStack(t, coreDir, edgeDir, clock)
	for _, loc := range []string{"wh-a", "wh-b"} {
		if errs, err := st.core.BatchUpdate([]oci.RecordUpdate{{ID: "s-" + loc, Location: loc, SKU: "sku",
			OnHand: oci.Value(10 * oci.Unit)}}); err != nil || len(errs) > 0 {
			t.Fatal(err, errs)
		}
	}
	b, err := st.svc.CreateBasket(testSite, []ItemInput{item("sku", 7)})
	if err != nil {
		t.Fatal(err)
	}
	o, err := st.svc.CreateOrder(context.Background(), testSite, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	st.close()

	lines, kill := startChild(t, "autofail", coreDir, edgeDir, clock.Now().Add(31*time.Minute))
	if !lines.Scan() || lines.Text() != "intent "+o.No {
		t.Fatalf("child said %q, want the intent of %s", lines.Text(), o.No)
	}
	kill()

	clock.Advance(31 * time.Minute)
	st, err = openStack(coreDir, edgeDir, clock, modes.OmnichannelInventory)
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	if v := groupReserved(t, st.core, "sku"); v != 7*oci.Unit {
		t.Fatalf("before recovery the core holds %s, want the order's 7", v)
	}
	rep, err := st.svc.RunJobs(context.Background())
	if err != nil || rep.Settled != 1 || rep.AutoFailed != 0 {
		t.Fatalf("recovery: %+v %v (the order must be settled, not failed again)", rep, err)
	}
	got, err := st.svc.Order(testSite, o.No)
	if err != nil || got.Status != StatusFailed || got.FailReason != "auto-fail" || got.Res.State != ResReleased {
		t.Fatalf("order after recovery: %+v %v", got, err)
	}
	if rep, _ := st.svc.RunJobs(context.Background()); rep.Settled+rep.AutoFailed+rep.Pending != 0 {
		t.Fatalf("a second run did more: %+v", rep)
	}
	if v := groupReserved(t, st.core, "sku"); v != 0 {
		t.Fatalf("after recovery the core holds %s", v)
	}
	healthy(t, st.core)
}

// burst checks out from 16 goroutines until killed: a basket of one or
// two skus (some shipped, some BOPIS), reserved first one time in three,
// then an order; "ack <orderNo>" is printed once the order is created.
func burst(st *stack, out *lineWriter) {
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			for i := 0; ; i++ {
				if no, err := burstCheckout(st.svc, rng, i); err == nil {
					out.printf("ack %s", no)
				} else if ErrorCode(err) != EUNAVAILABLE {
					out.printf("error %v", err)
				}
			}
		}()
	}
	wg.Wait()
}

func burstCheckout(s *Service, rng *rand.Rand, i int) (string, error) {
	items := []ItemInput{item(fmt.Sprintf("s%d", rng.IntN(3)), int64(1+rng.IntN(3)))}
	if rng.IntN(2) == 0 {
		items = append(items, bopis("b0", 1, "phoenix"))
	}
	b, err := s.CreateBasket(testSite, items)
	if err != nil {
		return "", err
	}
	if i%3 == 0 {
		if _, _, err := s.ReserveBasket(context.Background(), testSite, b.ID, ReserveOptions{}); err != nil {
			return "", err
		}
	}
	o, err := s.CreateOrder(context.Background(), testSite, b.ID)
	if err != nil {
		return "", err
	}
	return o.No, nil
}

// TestKill9DuringCheckoutBurst: every acknowledged order survives a kill
// -9 in the middle of a checkout burst; after recovery every created
// order's document holds exactly its lines, nothing is held for orders
// that were never acknowledged, and the core's reserved totals are the
// sums of what orders and baskets hold.
func TestKill9DuringCheckoutBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	coreDir, edgeDir := t.TempDir(), t.TempDir()
	clock := newClock()
	st := mustStack(t, coreDir, edgeDir, clock)
	var recs []oci.RecordUpdate
	for _, loc := range []string{"wh-a", "wh-b"} {
		for _, sku := range []string{"s0", "s1", "s2"} {
			recs = append(recs, oci.RecordUpdate{ID: loc + sku, Location: loc, SKU: sku, OnHand: oci.Value(100000 * oci.Unit)})
		}
	}
	recs = append(recs, oci.RecordUpdate{ID: "pb0", Location: "phoenix", SKU: "b0", OnHand: oci.Value(100000 * oci.Unit)})
	if errs, err := st.core.BatchUpdate(recs); err != nil || len(errs) > 0 {
		t.Fatal(err, errs)
	}
	st.close()

	lines, kill := startChild(t, "burst", coreDir, edgeDir, clock.Now())
	acked := map[string]bool{}
	for len(acked) < 300 && lines.Scan() {
		f := strings.Fields(lines.Text())
		if len(f) != 2 || f[0] != "ack" {
			t.Fatalf("child: %s", lines.Text())
		}
		acked[f[1]] = true
	}
	kill()
	if len(acked) < 300 {
		t.Fatalf("the child acknowledged only %d orders", len(acked))
	}

	st = mustStack(t, coreDir, edgeDir, clock)
	rep, err := st.svc.RunJobs(context.Background())
	if err != nil || rep.Pending != 0 {
		t.Fatalf("recovery: %+v %v", rep, err)
	}
	orders := st.storedOrders(t)
	for no := range acked {
		if o := orders[no]; o == nil || o.Status != StatusCreated || o.Res.State != ResHeld {
			t.Fatalf("acknowledged order %s after restart: %+v", no, o)
		}
	}
	want := map[string]oci.Qty{} // place/sku -> what owners hold
	for _, o := range orders {
		st.checkOrderDocument(t, o, want)
	}
	for _, b := range st.storedBaskets(t) {
		if b.Res != nil {
			addHoldings(want, st.core, b.Res.DocID)
		}
	}
	st.checkTotals(t, want)
	healthy(t, st.core)
	t.Logf("%d acknowledged, %d orders stored, %d interrupted ones rolled back", len(acked), len(orders), rep.Settled)
}

// checkOrderDocument checks that a created order's document holds exactly
// its lines and any other order's holds nothing, adding holdings to want.
func (st *stack) checkOrderDocument(t *testing.T, o *Order, want map[string]oci.Qty) {
	t.Helper()
	held := map[string]oci.Qty{}
	addHoldings(held, st.core, o.Res.DocID)
	if o.Status != StatusCreated {
		if len(held) > 0 {
			t.Fatalf("order %s (%s, %s) still holds %v", o.No, o.Status, o.Res.State, held)
		}
		return
	}
	lines := map[string]oci.Qty{}
	for _, l := range o.Res.Lines {
		lines[l.PlaceID+"/"+l.SKU] += oci.Qty(l.Quantity) * oci.Unit
	}
	if fmt.Sprint(lines) != fmt.Sprint(held) {
		t.Fatalf("order %s holds %v, its lines are %v", o.No, held, lines)
	}
	for k, q := range held {
		want[k] += q
	}
}

func addHoldings(into map[string]oci.Qty, c *oci.Core, docID string) {
	v, ok := c.Reservation(docID)
	if !ok || v.State != oci.StateOpen {
		return
	}
	for _, ps := range [][]oci.PlaceHolding{v.Locations, v.Groups} {
		for _, p := range ps {
			for _, it := range p.Items {
				into[p.ID+"/"+it.SKU] += it.Quantity
			}
		}
	}
}

// checkTotals compares the core's reserved counts with what the orders
// and baskets hold: no document is held by nobody.
func (st *stack) checkTotals(t *testing.T, want map[string]oci.Qty) {
	t.Helper()
	a, err := st.core.GetAvailability(&oci.AvailabilityQuery{SKUs: []string{"s0", "s1", "s2", "b0"},
		Groups: []string{"online"}, Locations: []string{"phoenix"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, ps := range [][]oci.PlaceValues{a.Groups, a.Locations} {
		for _, p := range ps {
			for _, v := range p.Records {
				if got := v.Reserved; got != want[p.ID+"/"+v.SKU] {
					t.Fatalf("%s/%s: the core has %s reserved, orders and baskets hold %s", p.ID, v.SKU, got, want[p.ID+"/"+v.SKU])
				}
			}
		}
	}
}
