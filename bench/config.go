package bench

import (
	"fmt"
	"io"
	"strings"
	"time"

	"ociedge/bench/load"
	"ociedge/bench/workload"
)

// Config is one ocibench run. The zero value is not runnable: Scenario is
// needed, and most scenarios need a Target and a Load rate (or Closed);
// every other field has the default its comment gives.
type Config struct {
	// Scenario is one of Scenarios().
	Scenario string
	// Target is the server the scenario drives: the edge for browse,
	// checkout, flashsale and import; the core for core-*.
	Target string
	// Core is the core's URL when a scenario needs it besides the edge
	// (flashsale reads the stock there; import imports into it).
	Core string
	// AllowRemote permits targets that are not loopback addresses.
	AllowRemote bool

	// ClientID and ClientSecret get core tokens. Zero: "dev", "dev-secret".
	ClientID, ClientSecret string
	// Tenant is the core's organizationId (tenant group id). Zero: "tenant1".
	Tenant string
	// Org and Site are the edge's SCAPI organization and site. Zero:
	// "f_ecom_zzzz_001" and "RefArch".
	Org, Site string

	// Load is the arrival rate (or closed connections), duration, warm-up
	// and bounds of the run; see load.Config for its defaults.
	Load load.Config
	// Knee searches for the knee instead of one run: closed connection
	// counts 1, 2, 4 … Load.Workers, or open rates from Load.Rate doubling up
	// to Load.RampTo (zero: 64 × Rate). Load.Duration is then per step.
	Knee bool
	// Rounds repeats a browse, checkout or core-reserve run, each time
	// right after its baseline, and reports the medians (a noisy machine
	// needs several short rounds). Zero means 1.
	Rounds int
	// HalfMax, for a closed browse, adds an open run at half of the
	// measured maximum rate (the median over rounds) and reports its p99
	// (DESIGN §6: ≤ 1 ms), beside the baseline's at the same rate.
	HalfMax bool
	// AdminToken is the edge's admin token (fill reads the cache status and
	// sets the mode; outage reads the circuit state).
	AdminToken string
	// Procs names the server processes, for the figures read from /proc
	// (CPU per request, RSS per record) and for the outage's core restart.
	Procs Procs
	// Wrk is the wrk binary crosscheck runs. Zero: "wrk" on the PATH.
	Wrk string
	// Timeout bounds each call. Zero: 5s.
	Timeout time.Duration

	Workload
	Baselines BaselineConfig

	// Log gets progress lines. Nil discards them.
	Log io.Writer
	// Now is the clock for run ids and effective dates. Nil: time.Now.
	Now func() time.Time
}

// Workload is what the requests contain. Every draw comes from Seed, so two
// runs with the same Workload send the same requests.
type Workload struct {
	// Seed seeds every draw. Zero means 1.
	Seed uint64
	// RunID salts the ids that must be new in every run against the same
	// server (reservation and import record ids). Zero: the start time; set
	// it to repeat a run's ids exactly.
	RunID string
	// Skus is how many skus the catalog has. Zero: 10,000.
	Skus int
	// SkuFormat names sku i. Zero: "sku-%06d".
	SkuFormat string
	// FirstSku is the number SkuFormat gives the first sku. Zero means 1
	// (the demo's sku-000001 … sku-010000); a negative value means 0.
	FirstSku int
	// Zipf is the exponent of the sku popularity skew. Zero means 1.0; a
	// negative value means uniform.
	Zipf float64
	// LookupSizes weighs how many skus a lookup asks for. Zero: "1:80,24:20".
	LookupSizes string
	// Lists weighs the inventory lists lookups ask for; "site" means the
	// site's default list (no inventoryIds). Zero: "site:80,store-phoenix:20".
	Lists string
	// BasketSizes weighs how many lines a basket has. Zero: "1:60,2:25,3:10,5:5".
	BasketSizes string
	// PlaceShare is the fraction of created orders that are placed; the rest
	// are failed. Zero: 0.9. A flash sale places every order.
	PlaceShare float64
	// NoBasketReserve skips the reserve-inventory step of a checkout.
	NoBasketReserve bool
	// Groups and Locations are the core places core-availability and
	// core-reserve use (groups when there are any) and a flash sale's stock
	// is read at. Zero: ["online-us"] and ["wh-east", "wh-west"] (the demo's
	// group and its members). Imports write to Locations.
	Groups, Locations []string
	// Records is how many lines a core import file has (and how many items
	// fill waits for). Zero: 100,000.
	Records int
	// OnHand bounds the quantities an import writes: each is drawn from
	// [OnHand/2, OnHand). Zero: 1,000.
	OnHand int64
	// Stock is a flash sale's units. With a core, they are written there
	// first (Stock at the first of Locations, 0 at the others); without
	// one, Stock is taken as the units to check against. Zero: read the
	// ATO from the core as it is.
	Stock int64
	// FlashSku is the flash sale's sku. Zero: sku 0.
	FlashSku string
	// FreshList is the edge inventory list freshness changes and watches:
	// a core location of the same id, with no safety stock or reservations,
	// so that its ATS is the onHand written. Zero: "store-seattle".
	FreshList string
	// FillList is the list fill waits for. Zero: every list the edge has.
	FillList string
}

// Procs names the server processes the harness reads or controls.
type Procs struct {
	// EdgePID is the edge's process id: browse reports its CPU time per
	// request, fill its RSS per cached record. Zero: not measured.
	EdgePID int
	// CorePID is the core's process id, which outage stops. CorePIDFile,
	// if set, holds it instead (read at the start) and gets the restarted
	// core's id, so that a script that cleans up by that file stops the
	// new process too.
	CorePID     int
	CorePIDFile string
	// CoreCmd is the command outage restarts the core with (argv, no
	// shell): the same address and data directory as before the stop.
	CoreCmd []string
	// CoreLog receives the restarted core's output. Zero: discarded.
	CoreLog string
}

// BaselineConfig says how the baselines run.
type BaselineConfig struct {
	// Skip leaves them out (headline ratios are then missing).
	Skip bool
	// Duration is the HTTP baseline's measured window. Zero: 3s.
	Duration time.Duration
	// Exec, if set, is an ocibench binary: the HTTP baseline server then
	// runs as a process of its own ("ocibench baseline-server"), like the
	// edge, so that its CPU time can be read and it does not share the
	// load tool's runtime. Zero: the server runs inside this process.
	Exec string
	// FsyncDir is where the fsync baseline writes. Zero: "." (os.TempDir is
	// often a tmpfs, where fsync is free).
	FsyncDir string
	// FsyncDuration bounds the fsync baseline. Zero: 1s.
	FsyncDuration time.Duration
}

// withDefaults fills the zero fields and checks the rest.
func (c Config) withDefaults() (Config, error) {
	c.ClientID = or(c.ClientID, "dev")
	c.ClientSecret = or(c.ClientSecret, "dev-secret")
	c.Tenant = or(c.Tenant, "tenant1")
	c.Org = or(c.Org, "f_ecom_zzzz_001")
	c.Site = or(c.Site, "RefArch")
	if c.Timeout == 0 {
		c.Timeout = 5 * time.Second
	}
	if c.Rounds == 0 {
		c.Rounds = 1
	}
	c.Wrk = or(c.Wrk, "wrk")
	if c.Log == nil {
		c.Log = io.Discard
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.Workload = c.Workload.withDefaults(c.Now)
	c.Baselines = c.Baselines.withDefaults()
	return c, c.validate()
}

func (w Workload) withDefaults(now func() time.Time) Workload {
	if w.Seed == 0 {
		w.Seed = 1
	}
	w.RunID = or(w.RunID, now().UTC().Format("20060102T150405.000"))
	if w.Skus == 0 {
		w.Skus = 10_000
	}
	w.SkuFormat = or(w.SkuFormat, "sku-%06d")
	switch {
	case w.FirstSku == 0:
		w.FirstSku = 1
	case w.FirstSku < 0:
		w.FirstSku = 0
	}
	switch {
	case w.Zipf == 0:
		w.Zipf = 1
	case w.Zipf < 0:
		w.Zipf = 0
	}
	w.LookupSizes = or(w.LookupSizes, "1:80,24:20")
	w.Lists = or(w.Lists, "site:80,store-phoenix:20")
	w.BasketSizes = or(w.BasketSizes, "1:60,2:25,3:10,5:5")
	if w.PlaceShare == 0 {
		w.PlaceShare = 0.9
	}
	if len(w.Groups) == 0 && len(w.Locations) == 0 {
		w.Groups = []string{"online-us"}
	}
	if len(w.Locations) == 0 {
		w.Locations = []string{"wh-east", "wh-west"}
	}
	if w.Records == 0 {
		w.Records = 100_000
	}
	if w.OnHand == 0 {
		w.OnHand = 1000
	}
	w.FreshList = or(w.FreshList, "store-seattle")
	return w
}

func (b BaselineConfig) withDefaults() BaselineConfig {
	if b.Duration == 0 {
		b.Duration = 3 * time.Second
	}
	b.FsyncDir = or(b.FsyncDir, ".")
	if b.FsyncDuration == 0 {
		b.FsyncDuration = time.Second
	}
	return b
}

func (c Config) validate() error {
	w := c.Workload
	switch {
	case c.Timeout < 0:
		return fmt.Errorf("bench: Timeout %v must be positive", c.Timeout)
	case w.Skus < 1 || w.Skus > workload.MaxItems:
		return fmt.Errorf("bench: Skus %d must be in 1..%d", w.Skus, workload.MaxItems)
	case w.PlaceShare < 0 || w.PlaceShare > 1:
		return fmt.Errorf("bench: PlaceShare %v must be in 0..1", w.PlaceShare)
	case w.Records < 1 || w.Records > 20_000_000:
		return fmt.Errorf("bench: Records %d must be in 1..20,000,000", w.Records)
	case w.Stock < 0:
		return fmt.Errorf("bench: Stock %d must not be negative", w.Stock)
	case w.OnHand < 2 || w.OnHand > 999_999_999:
		return fmt.Errorf("bench: OnHand %d must be in 2..999,999,999", w.OnHand)
	case c.Rounds < 1 || c.Rounds > 50:
		return fmt.Errorf("bench: Rounds %d must be in 1..50", c.Rounds)
	case c.Procs.EdgePID < 0 || c.Procs.CorePID < 0:
		return fmt.Errorf("bench: process ids must be positive")
	case strings.ContainsAny(w.RunID, "/ \t\n"):
		return fmt.Errorf("bench: RunID %q must not contain slashes or spaces", w.RunID)
	case c.Baselines.Duration < 0 || c.Baselines.FsyncDuration < 0:
		return fmt.Errorf("bench: baseline durations must be positive")
	}
	return nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
