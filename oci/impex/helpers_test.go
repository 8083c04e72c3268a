package impex

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"ociedge/internal/clocktest"
	"ociedge/internal/kv"
	"ociedge/oci"
)

func TestMain(m *testing.M) {
	if spec := os.Getenv(crashChildEnv); spec != "" {
		crashChild(spec)
		return
	}
	goleak.VerifyTestMain(m)
}

const org = "tenant1"

// fakeClock is a clock the test moves by hand.
type fakeClock = clocktest.Clock

// The clock starts before the futures of the reference and seed-guide
// examples (2020-04-18 and later).
func newClock() *fakeClock { return clocktest.New(time.Date(2020, 4, 9, 12, 0, 0, 0, time.UTC)) }

// testGraph has the locations of the reference and seed-guide examples.
var testGraph = oci.Graph{
	Locations: []oci.Location{{ID: "Warehouse-A"}, {ID: "Warehouse-B"}, {ID: "wickenburg"}, {ID: "prescott"}, {ID: "surprise"}},
	Groups: []oci.Group{
		{ID: "arizona", Locations: []string{"wickenburg", "prescott", "surprise"}},
		{ID: "warehouses", Locations: []string{"Warehouse-A", "Warehouse-B"}},
	},
}

// env is a core and an impex service on a real Pebble store in a temp dir.
type env struct {
	tb    testing.TB
	clock *fakeClock
	dir   string
	store kv.Store
	core  *oci.Core
	svc   *Service
	wrap  func(*oci.Core) Core // optional: wraps the core the service sees
	edit  func(*Config)
}

type envOption func(*env)

func withConfig(edit func(*Config)) envOption { return func(e *env) { e.edit = edit } }

func withCore(wrap func(*oci.Core) Core) envOption { return func(e *env) { e.wrap = wrap } }

func newEnv(tb testing.TB, opts ...envOption) *env {
	tb.Helper()
	e := &env{tb: tb, clock: newClock(), dir: tb.TempDir()}
	for _, o := range opts {
		o(e)
	}
	e.open()
	if err := e.core.ReplaceGraph(testGraph); err != nil {
		tb.Fatal(err)
	}
	return e
}

func (e *env) open() {
	e.tb.Helper()
	st, err := kv.OpenPebble(filepath.Join(e.dir, "store"), kv.PebbleConfig{})
	if err != nil {
		e.tb.Fatal(err)
	}
	c, err := oci.Open(oci.Config{Store: st, Now: e.clock.Now, SweepInterval: time.Hour})
	if err != nil {
		e.tb.Fatal(err)
	}
	e.store, e.core = st, c
	cfg := Config{Core: c, Store: st, Dir: filepath.Join(e.dir, "files"), Now: e.clock.Now, SweepInterval: time.Hour}
	if e.wrap != nil {
		cfg.Core = e.wrap(c)
	}
	if e.edit != nil {
		e.edit(&cfg)
	}
	if e.svc, err = New(cfg); err != nil {
		e.tb.Fatal(err)
	}
	e.tb.Cleanup(e.close)
}

func (e *env) close() {
	e.svc.Close()
	e.core.Close()
	e.store.Close()
}

// reopen closes everything and opens it again on the same directories.
func (e *env) reopen() {
	e.tb.Helper()
	e.close()
	e.open()
}

// initiate starts an import and returns its id.
func (e *env) initiate(req InitiateImport) string {
	e.tb.Helper()
	if req.FileName == "" {
		req.FileName = "inventory.json"
	}
	links, err := e.svc.Initiate(org, req)
	if err != nil {
		e.tb.Fatal(err)
	}
	return links.ImportID
}

// mustImport imports a file and waits until the import finished.
func (e *env) mustImport(content string) (string, *ImportStatus) {
	e.tb.Helper()
	id := e.initiate(InitiateImport{})
	if _, err := e.svc.Upload(org, id, strings.NewReader(content)); err != nil {
		e.tb.Fatal(err)
	}
	return id, e.wait(id)
}

func (e *env) wait(id string) *ImportStatus {
	e.tb.Helper()
	if _, err := e.svc.Wait(context.Background(), id); err != nil {
		e.tb.Fatal(err)
	}
	st, err := e.svc.ImportStatus(org, id)
	if err != nil {
		e.tb.Fatal(err)
	}
	return st
}

// resultLine is one failed record in a result file.
type resultLine struct {
	RecordID   string `json:"recordId"`
	LocationID string `json:"locationId"`
	SKU        string `json:"sku"`
	Message    string `json:"message"`
	Line       int64  `json:"line"`
}

// results reads an import's result file: its status line and failures.
func (e *env) results(id string) (string, []resultLine) {
	e.tb.Helper()
	rc, size, err := e.svc.ImportResults(org, id)
	if err != nil {
		e.tb.Fatal(err)
	}
	defer rc.Close()
	body, err := io.ReadAll(rc)
	if err != nil || int64(len(body)) != size {
		e.tb.Fatalf("result file: %d bytes of %d, %v", len(body), size, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(body))
	var head struct{ Status string }
	var out []resultLine
	for n := 0; sc.Scan(); n++ {
		if n == 0 {
			mustJSON(e.tb, sc.Bytes(), &head)
			continue
		}
		var r resultLine
		mustJSON(e.tb, sc.Bytes(), &r)
		out = append(out, r)
	}
	return head.Status, out
}

func mustJSON(tb testing.TB, b []byte, v any) {
	tb.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		tb.Fatalf("%s: %v", b, err)
	}
}

// values returns the current values of sku at a location.
func (e *env) values(loc, sku string) oci.Values {
	e.tb.Helper()
	a, err := e.core.GetAvailability(&oci.AvailabilityQuery{SKUs: []string{sku}, Locations: []string{loc}})
	if err != nil {
		e.tb.Fatal(err)
	}
	return a.Locations[0].Records[0]
}

// allValues exports every location's records: "loc/sku" → values.
func (e *env) allValues() map[string]oci.Values {
	e.tb.Helper()
	g, _ := e.core.Graph()
	var ids []string
	for _, l := range g.Locations {
		ids = append(ids, l.ID)
	}
	sink := &mapSink{out: map[string]oci.Values{}}
	if _, err := e.core.Export(oci.PlaceLocation, ids, sink); err != nil {
		e.tb.Fatal(err)
	}
	return sink.out
}

type mapSink struct {
	place string
	out   map[string]oci.Values
}

func (s *mapSink) Place(_ oci.PlaceType, id string) error { s.place = id; return nil }
func (s *mapSink) Records(vs []oci.Values) error {
	for _, v := range vs {
		s.out[s.place+"/"+v.SKU] = v
	}
	return nil
}

func codeOf(err error) oci.Code {
	var e *oci.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func q(units float64) oci.Qty { return oci.Qty(units*1000 + 0.5) }

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

// gatedCore is the core with switches: while hold is set, ApplyImportAsync and
// Export announce themselves on entered and wait for release; changing
// makes GraphChanging true.
type gatedCore struct {
	*oci.Core
	hold     atomic.Bool
	entered  chan struct{}
	release  chan struct{}
	changing atomic.Bool
}

func newGated(c *oci.Core) *gatedCore {
	return &gatedCore{Core: c, entered: make(chan struct{}, 64), release: make(chan struct{})}
}

func (g *gatedCore) gate() {
	if g.hold.Load() {
		g.entered <- struct{}{}
		<-g.release
	}
}

func (g *gatedCore) ApplyImportAsync(us []oci.RecordUpdate) ([]oci.ImportResult, func() error, error) {
	g.gate()
	return g.Core.ApplyImportAsync(us)
}

func (g *gatedCore) Export(kind oci.PlaceType, ids []string, sink oci.ExportSink) (string, error) {
	g.gate()
	return g.Core.Export(kind, ids, sink)
}

func (g *gatedCore) GraphChanging() bool { return g.changing.Load() || g.Core.GraphChanging() }

// withGate gives the env a gated core and returns it.
func withGate(g **gatedCore) envOption {
	return withCore(func(c *oci.Core) Core {
		*g = newGated(c)
		return *g
	})
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func t0ctx() context.Context { return context.Background() }
