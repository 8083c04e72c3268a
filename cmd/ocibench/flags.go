package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"ociedge/bench"
)

// options is what the command line asked for.
type options struct {
	cfg      bench.Config
	jsonPath string
}

// raw holds flag values that need converting into the Config.
type raw struct {
	client, groups, locations string
	zipf                      float64
	quiet                     bool
}

// parse reads "SCENARIO [flags]" (the scenario may also follow the flags).
func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	var rw raw
	fs := newFlagSet(&o, &rw, stderr)
	scenario := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		scenario, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if rest := fs.Args(); scenario == "" && len(rest) > 0 {
		scenario, rest = rest[0], rest[1:]
		if err := fs.Parse(rest); err != nil {
			return o, err
		}
	}
	if len(fs.Args()) > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if scenario == "" {
		return o, errors.New("no scenario given")
	}
	o.cfg.Scenario = scenario
	return o, rw.apply(&o.cfg, stderr)
}

// apply converts the raw values into cfg.
func (rw raw) apply(cfg *bench.Config, stderr io.Writer) error {
	id, secret, ok := strings.Cut(rw.client, ":")
	if !ok || id == "" {
		return fmt.Errorf("--client %q: want id:secret", rw.client)
	}
	cfg.ClientID, cfg.ClientSecret = id, secret
	cfg.Groups, cfg.Locations = splitList(rw.groups), splitList(rw.locations)
	cfg.Zipf = rw.zipf
	if rw.zipf == 0 {
		cfg.Zipf = -1 // uniform; Config's zero would mean the default skew
	}
	if !rw.quiet {
		cfg.Log = stderr
	}
	return nil
}

func newFlagSet(o *options, rw *raw, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("ocibench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { usage(fs, stderr) }
	c := &o.cfg
	// where
	fs.StringVar(&c.Target, "target", "", "URL of the server the scenario drives: the edge, or the core for core-* (loopback only)")
	fs.StringVar(&c.Core, "core", "", "URL of the core when a scenario needs it besides the edge (flashsale, import)")
	fs.BoolVar(&c.AllowRemote, "allow-remote", false, "allow targets that are not loopback addresses")
	fs.StringVar(&rw.client, "client", "dev:dev-secret", "core API client `id:secret`")
	fs.StringVar(&c.Tenant, "tenant", "tenant1", "core tenant group id (organizationId on the core's paths)")
	fs.StringVar(&c.Org, "org", "f_ecom_zzzz_001", "edge SCAPI organizationId")
	fs.StringVar(&c.Site, "site", "RefArch", "edge siteId")
	// load
	fs.Float64Var(&c.Load.Rate, "rate", 1000, "open model: arrival rate, ops/s (a checkout is one op)")
	fs.Float64Var(&c.Load.RampTo, "ramp-to", 0, "open model: ramp linearly to this rate over --duration (0: constant)")
	fs.BoolVar(&c.Load.Closed, "closed", false, "closed model: --connections ops in flight, as fast as possible")
	fs.IntVar(&c.Load.Workers, "connections", 64, "closed: connections; open: most ops in flight (later ones are late, then dropped)")
	fs.DurationVar(&c.Load.Duration, "duration", 10*time.Second, "measured window (per step with --knee)")
	fs.DurationVar(&c.Load.Warmup, "warmup", 2*time.Second, "load before the window, not recorded")
	fs.Int64Var(&c.Load.MaxOps, "max-requests", 0, "stop after this many measured ops (0: only --duration)")
	fs.DurationVar(&c.Load.LateAfter, "late-after", time.Millisecond, "an op sent later than this after its intended time is late")
	fs.DurationVar(&c.Load.DropAfter, "drop-after", 100*time.Millisecond, "an op with no free connection this long after its intended time is dropped")
	fs.BoolVar(&c.Knee, "knee", false, "find the knee: closed 1, 2, 4 … --connections, or open --rate doubling up to --ramp-to")
	fs.DurationVar(&c.Timeout, "timeout", 5*time.Second, "timeout of each call")
	// workload
	fs.Uint64Var(&c.Seed, "seed", 1, "seed of every draw: the same seed sends the same requests")
	fs.StringVar(&c.RunID, "run-id", "", "salt for ids that must be new per run (default: the start time)")
	fs.IntVar(&c.Skus, "skus", 10000, "number of skus in the catalog")
	fs.StringVar(&c.SkuFormat, "sku-format", "sku-%06d", "name of sku i, a Go format with one integer verb")
	fs.Float64Var(&rw.zipf, "zipf", 1.0, "Zipf exponent of sku popularity (0: uniform)")
	fs.StringVar(&c.LookupSizes, "lookup-sizes", "1:80,24:20", "weighted skus per lookup, size:weight,…")
	fs.StringVar(&c.Lists, "lists", "site:80,phoenix:20", "weighted inventory lists per lookup; site = the site's default list")
	fs.StringVar(&c.BasketSizes, "basket-sizes", "1:60,2:25,3:10,5:5", "weighted lines per basket")
	fs.Float64Var(&c.PlaceShare, "place-share", 0.9, "fraction of created orders placed (the rest are failed)")
	fs.BoolVar(&c.NoBasketReserve, "no-basket-reserve", false, "skip the basket reserve-inventory step")
	fs.StringVar(&rw.groups, "groups", "online", "core location groups for core-* and flashsale (empty: use --locations)")
	fs.StringVar(&rw.locations, "locations", "wh-a", "core locations (imports write to them)")
	fs.IntVar(&c.Records, "records", 100000, "lines in a core import file")
	fs.Int64Var(&c.Stock, "stock", 0, "flash sale units (0: read the ATO from --core)")
	fs.StringVar(&c.FlashSku, "flash-sku", "", "flash sale sku (default: sku 0)")
	// baselines and output
	fs.BoolVar(&c.Baselines.Skip, "no-baselines", false, "skip the baselines (no ratios)")
	fs.DurationVar(&c.Baselines.Duration, "baseline-duration", 3*time.Second, "measured window of the HTTP baseline")
	fs.StringVar(&c.Baselines.FsyncDir, "fsync-dir", ".", "directory on the disk to measure fsync on (not a tmpfs)")
	fs.DurationVar(&c.Baselines.FsyncDuration, "fsync-duration", time.Second, "duration of the fsync baseline")
	fs.StringVar(&o.jsonPath, "json", "", "write the JSON report to `FILE`")
	fs.BoolVar(&rw.quiet, "quiet", false, "no progress lines on stderr")
	return fs
}

func usage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprint(w, "usage: ocibench SCENARIO --target URL [--rate N] [--duration D] [--json FILE] [flags]\n\nscenarios:\n")
	for _, s := range bench.Scenarios() {
		fmt.Fprintf(w, "  %-18s %s\n", s[0], s[1])
	}
	fmt.Fprint(w, "\nflags:\n")
	fs.PrintDefaults()
	fmt.Fprint(w, "\nTargets must be loopback (127.0.0.0/8, ::1, localhost) unless --allow-remote is given.\n"+
		"Latency is measured from each request's intended send time; late and dropped sends are counted.\n"+
		"Exit status: 0 ok, 1 the run or a check failed (e.g. a flash sale oversold), 2 bad usage.\n")
}
