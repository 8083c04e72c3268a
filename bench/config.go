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
	// Zipf is the exponent of the sku popularity skew. Zero means 1.0; a
	// negative value means uniform.
	Zipf float64
	// LookupSizes weighs how many skus a lookup asks for. Zero: "1:80,24:20".
	LookupSizes string
	// Lists weighs the inventory lists lookups ask for; "site" means the
	// site's default list (no inventoryIds). Zero: "site:80,phoenix:20".
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
	// is read at. Zero: ["online"] and ["wh-a"]. Imports write to Locations.
	Groups, Locations []string
	// Records is how many lines a core import file has. Zero: 100,000.
	Records int
	// Stock is a flash sale's units. Zero: read the ATO from the core.
	Stock int64
	// FlashSku is the flash sale's sku. Zero: sku 0.
	FlashSku string
}

// BaselineConfig says how the baselines run.
type BaselineConfig struct {
	// Skip leaves them out (headline ratios are then missing).
	Skip bool
	// Duration is the HTTP baseline's measured window. Zero: 3s.
	Duration time.Duration
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
	case w.Zipf == 0:
		w.Zipf = 1
	case w.Zipf < 0:
		w.Zipf = 0
	}
	w.LookupSizes = or(w.LookupSizes, "1:80,24:20")
	w.Lists = or(w.Lists, "site:80,phoenix:20")
	w.BasketSizes = or(w.BasketSizes, "1:60,2:25,3:10,5:5")
	if w.PlaceShare == 0 {
		w.PlaceShare = 0.9
	}
	if len(w.Groups) == 0 && len(w.Locations) == 0 {
		w.Groups = []string{"online"}
	}
	if len(w.Locations) == 0 {
		w.Locations = []string{"wh-a"}
	}
	if w.Records == 0 {
		w.Records = 100_000
	}
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
