package bench

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"

	"ociedge/bench/load"
	"ociedge/bench/workload"
)

// A Runner runs one scenario: New checks the Config and builds the clients,
// Run drives the load and returns the report, Close releases the clients
// and the scratch files. A Runner runs once; it is not for concurrent use.
type Runner struct {
	cfg  Config
	sc   *scenario
	edge *load.Target // the edge, when the scenario uses it
	core *load.Target // the core, when the scenario uses it
	tok  *tokens      // core tokens, with core

	cat         *workload.Catalog
	zipf        *workload.Zipf
	lookupSizes workload.Choice[int]
	lists       workload.Choice[string]
	basketSizes workload.Choice[int]
	// oneSku keeps the URI of each sku's one-sku lookup at the site's list.
	oneSku []atomic.Pointer[string]

	tmp string // scratch directory, made on first use
}

// siteList is the Lists entry meaning "the site's default list".
const siteList = "site"

// New validates cfg and prepares a Runner; it does not touch the network.
func New(cfg Config) (*Runner, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	sc, err := findScenario(cfg.Scenario)
	if err != nil {
		return nil, err
	}
	if cfg.Knee && !sc.knee {
		return nil, fmt.Errorf("bench: --knee does not apply to %s", sc.name)
	}
	r := &Runner{cfg: cfg, sc: sc}
	if err := r.prepareLoad(); err != nil {
		return nil, err
	}
	if err := r.prepareWorkload(); err != nil {
		return nil, err
	}
	if err := r.prepareTargets(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// prepareLoad checks the load (scenarios without load skip it).
func (r *Runner) prepareLoad() error {
	if !r.sc.load {
		return nil
	}
	if r.cfg.Knee && !r.cfg.Load.Closed && r.cfg.Load.Rate == 0 {
		r.cfg.Load.Rate = 100
	}
	_, err := r.cfg.Load.Normalized()
	return err
}

func (r *Runner) prepareWorkload() error {
	w := r.cfg.Workload
	var err error
	if r.cat, err = workload.NewCatalog(w.SkuFormat, w.FirstSku, w.Skus); err != nil {
		return err
	}
	r.oneSku = make([]atomic.Pointer[string], w.Skus)
	if r.zipf, err = workload.NewZipf(w.Skus, w.Zipf); err != nil {
		return err
	}
	if r.lookupSizes, err = workload.ParseInts(w.LookupSizes); err != nil {
		return fmt.Errorf("bench: lookup sizes: %w", err)
	}
	for _, n := range r.lookupSizes.Values() {
		if n > 24 {
			return fmt.Errorf("bench: lookup size %d: Shopper Availability takes 1..24 productIds", n)
		}
	}
	if r.lists, err = workload.ParseStrings(w.Lists); err != nil {
		return fmt.Errorf("bench: lists: %w", err)
	}
	if r.basketSizes, err = workload.ParseInts(w.BasketSizes); err != nil {
		return fmt.Errorf("bench: basket sizes: %w", err)
	}
	return nil
}

// prepareTargets builds the clients the scenario needs, sized to its
// concurrency.
func (r *Runner) prepareTargets() error {
	edgeURL, coreURL := r.cfg.Target, r.cfg.Core
	if r.sc.coreOnly() {
		edgeURL, coreURL = "", or(r.cfg.Target, r.cfg.Core)
	}
	var err error
	if r.edge, err = r.target("edge (--target)", edgeURL, r.sc.edge); err != nil {
		return err
	}
	if r.core, err = r.target("core", coreURL, r.sc.core); err != nil {
		return err
	}
	if r.core != nil {
		r.tok = &tokens{core: r.core, id: r.cfg.ClientID, secret: r.cfg.ClientSecret, tenant: r.cfg.Tenant}
	}
	return nil
}

func (r *Runner) target(what, url string, n need) (*load.Target, error) {
	if n == needNone || url == "" && n == needOptional {
		return nil, nil
	}
	if url == "" {
		return nil, fmt.Errorf("bench: %s needs the %s URL", r.sc.name, what)
	}
	return load.NewTarget(load.TargetConfig{
		URL: url, AllowRemote: r.cfg.AllowRemote, Conns: r.conns(),
		Timeout: r.cfg.Timeout, ConnWait: r.cfg.Load.DropAfter,
	})
}

// conns is the connection count a target needs: one per worker, and a few
// for calls made beside the load (tokens, imports, checks).
func (r *Runner) conns() int {
	n, err := r.cfg.Load.Normalized()
	if err != nil {
		return 8
	}
	return n.Workers + 4
}

// Run runs the scenario and returns its report. An error means the run
// could not be made (a server refused the setup, say); a finished run whose
// checks failed returns a report whose Failed is true.
func (r *Runner) Run(ctx context.Context) (*Report, error) {
	rep := &Report{Scenario: r.sc.name, Config: r.reportConfig(), Started: r.cfg.Now().UTC().Round(0)}
	err := r.sc.run(ctx, r, rep)
	rep.Finished = r.cfg.Now().UTC().Round(0)
	rep.Targets = r.targetStats()
	return rep, err
}

func (r *Runner) targetStats() []TargetStats {
	var out []TargetStats
	for _, t := range []struct {
		name string
		t    *load.Target
	}{{"edge", r.edge}, {"core", r.core}} {
		if t.t != nil {
			out = append(out, TargetStats{Name: t.name, Host: t.t.Host(), NoFreeConns: t.t.NoFreeConns(), StaleRetries: t.t.StaleRetries()})
		}
	}
	return out
}

// Close releases the clients and removes the scratch directory.
func (r *Runner) Close() error {
	for _, t := range []*load.Target{r.edge, r.core} {
		if t != nil {
			t.Close()
		}
	}
	if r.tmp != "" {
		return os.RemoveAll(r.tmp)
	}
	return nil
}

// scratch returns the scratch directory, making it on first use.
func (r *Runner) scratch() (string, error) {
	if r.tmp == "" {
		dir, err := os.MkdirTemp("", "ocibench-")
		if err != nil {
			return "", err
		}
		r.tmp = dir
	}
	return r.tmp, nil
}

func (r *Runner) logf(format string, args ...any) {
	fmt.Fprintf(r.cfg.Log, "ocibench: "+format+"\n", args...)
}

func (r *Runner) reportConfig() ReportConfig {
	c, w := r.cfg, r.cfg.Workload
	lc, _ := c.Load.Normalized()
	rc := ReportConfig{
		Target: c.Target, Core: c.Core, Mode: lc.Mode(), Rate: lc.Rate, RampTo: lc.RampTo,
		Connections: lc.Workers, Duration: lc.Duration.String(), Warmup: lc.Warmup.String(),
		MaxRequests: lc.MaxOps, Knee: c.Knee, Seed: w.Seed, RunID: w.RunID, Skus: w.Skus,
		SkuFormat: w.SkuFormat, Zipf: w.Zipf, LookupSizes: w.LookupSizes, Lists: w.Lists,
		BasketSizes: w.BasketSizes, PlaceShare: w.PlaceShare, Groups: w.Groups,
		Locations: w.Locations, Records: w.Records, Stock: w.Stock,
	}
	if lc.Closed {
		rc.Rate, rc.RampTo = 0, 0
	}
	return rc
}

// places returns the core places core scenarios use: the groups, or the
// locations when there are no groups.
func (r *Runner) places() (group bool, ids []string) {
	if len(r.cfg.Groups) > 0 {
		return true, r.cfg.Groups
	}
	return false, r.cfg.Locations
}
