package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"ociedge/bench"
)

// options is what the command line asked for.
type options struct {
	cfg        bench.Config
	jsonPath   string
	cpuProfile string
}

// raw holds flag values that need converting into the Config.
type raw struct {
	client, groups, locations string
	coreCmd                   string
	zipf                      float64
	quiet, inProcess          bool
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
	cfg.Procs.CoreCmd = strings.Fields(rw.coreCmd)
	if !rw.inProcess {
		if exe, err := os.Executable(); err == nil {
			cfg.Baselines.Exec = exe
		}
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
	fs.IntVar(&c.Rounds, "rounds", 1, "repeat the run (each after its baseline) and report medians")
	fs.BoolVar(&c.HalfMax, "half-max", false, "browse --closed: also run the open model at half the measured maximum rate")
	// processes
	fs.IntVar(&c.Procs.EdgePID, "edge-pid", 0, "the edge's process id: CPU per request (browse) and RSS per record (fill) from /proc")
	fs.IntVar(&c.Procs.CorePID, "core-pid", 0, "outage: the core's process id, to stop")
	fs.StringVar(&c.Procs.CorePIDFile, "core-pid-file", "", "outage: file holding the core's process id; gets the restarted core's")
	fs.StringVar(&rw.coreCmd, "core-cmd", "", "outage: command that restarts the core (split at spaces, no shell)")
	fs.StringVar(&c.Procs.CoreLog, "core-log", "", "outage: file the restarted core's output is appended to")
	fs.StringVar(&c.AdminToken, "admin-token", "", "the edge's admin token (fill, outage)")
	fs.StringVar(&c.Wrk, "wrk", "wrk", "wrk binary for crosscheck")
	// workload
	fs.Uint64Var(&c.Seed, "seed", 1, "seed of every draw: the same seed sends the same requests")
	fs.StringVar(&c.RunID, "run-id", "", "salt for ids that must be new per run (default: the start time)")
	fs.IntVar(&c.Skus, "skus", 10000, "number of skus in the catalog")
	fs.StringVar(&c.SkuFormat, "sku-format", "sku-%06d", "name of sku i, a Go format with one integer verb")
	fs.IntVar(&c.FirstSku, "first-sku", 1, "number of the first sku (the demo's are sku-000001…)")
	fs.Float64Var(&rw.zipf, "zipf", 1.0, "Zipf exponent of sku popularity (0: uniform)")
	fs.StringVar(&c.LookupSizes, "lookup-sizes", "1:80,24:20", "weighted skus per lookup, size:weight,…")
	fs.StringVar(&c.Lists, "lists", "site:80,store-phoenix:20", "weighted inventory lists per lookup; site = the site's default list")
	fs.StringVar(&c.BasketSizes, "basket-sizes", "1:60,2:25,3:10,5:5", "weighted lines per basket")
	fs.Float64Var(&c.PlaceShare, "place-share", 0.9, "fraction of created orders placed (the rest are failed)")
	fs.BoolVar(&c.NoBasketReserve, "no-basket-reserve", false, "skip the basket reserve-inventory step")
	fs.StringVar(&rw.groups, "groups", "online-us", "core location groups for core-* and flashsale (empty: use --locations)")
	fs.StringVar(&rw.locations, "locations", "wh-east,wh-west", "core locations (imports write to them)")
	fs.IntVar(&c.Records, "records", 100000, "lines in a core import file; items fill waits for")
	fs.Int64Var(&c.OnHand, "on-hand", 1000, "imports draw each onHand from [N/2, N)")
	fs.Int64Var(&c.Stock, "stock", 0, "flash sale units, written to --core first (0: read the ATO from --core)")
	fs.StringVar(&c.FlashSku, "flash-sku", "", "flash sale sku (default: the first sku)")
	fs.StringVar(&c.FreshList, "fresh-list", "store-seattle", "freshness: edge list = core location written to and watched")
	fs.StringVar(&c.FillList, "fill-list", "", "fill: the list to wait for (default: every list)")
	// baselines and output
	fs.BoolVar(&c.Baselines.Skip, "no-baselines", false, "skip the baselines (no ratios)")
	fs.DurationVar(&c.Baselines.Duration, "baseline-duration", 3*time.Second, "measured window of the HTTP baseline")
	fs.StringVar(&c.Baselines.FsyncDir, "fsync-dir", ".", "directory on the disk to measure fsync on (not a tmpfs)")
	fs.BoolVar(&rw.inProcess, "baseline-in-process", false, "run the bare HTTP baseline server inside ocibench, not as a process of its own")
	fs.DurationVar(&c.Baselines.FsyncDuration, "fsync-duration", time.Second, "duration of the fsync baseline")
	fs.StringVar(&o.jsonPath, "json", "", "write the JSON report to `FILE`")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write ocibench's own CPU profile to `FILE` (the load tool's cost)")
	fs.BoolVar(&rw.quiet, "quiet", false, "no progress lines on stderr")
	return fs
}

func usage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprint(w, "usage: ocibench SCENARIO --target URL [--rate N] [--duration D] [--json FILE] [flags]\n"+
		"       ocibench table [--out FILE] [--gobench FILE] LABEL=REPORT.json...   (BENCHMARKS.md from reports)\n\nscenarios:\n")
	for _, s := range bench.Scenarios() {
		fmt.Fprintf(w, "  %-18s %s\n", s[0], s[1])
	}
	fmt.Fprint(w, "\nflags:\n")
	fs.PrintDefaults()
	fmt.Fprint(w, "\nTargets must be loopback (127.0.0.0/8, ::1, localhost) unless --allow-remote is given.\n"+
		"Latency is measured from each request's intended send time; late and dropped sends are counted.\n"+
		"Exit status: 0 ok, 1 the run or a check failed (e.g. a flash sale oversold), 2 bad usage.\n")
}
