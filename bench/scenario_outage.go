package bench

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"syscall"
	"time"

	"ociedge/bench/load"
	"ociedge/bench/proc"
	"ociedge/bench/wire"
	"ociedge/bench/workload"
)

var outageScenario = &scenario{
	name: "outage",
	summary: "lookups and checkouts at the edge (--target) while the core (--core) is killed and restarted: " +
		"lookups served from cache, orders refused fast with 503, recovery time (needs --core-pid or --core-pid-file, and --core-cmd)",
	edge: needRequired,
	core: needRequired,
	load: true,
	run:  runOutage,
}

// Phases of the outage scenario: the first quarter of the window with the
// core up, the second with it down, then from its restart until an order
// goes through again, then the rest.
const (
	phaseUp        = "core-up"
	phaseDown      = "core-down"
	phaseRecovery  = "recovering"
	phaseRecovered = "recovered"
)

// Outage parameters: the share of ops that are checkouts, how often the
// recovery is probed, how long a stop and a recovery may take.
const (
	outageOrderShare = 0.2
	outageProbe      = 50 * time.Millisecond
	outageStopWait   = 10 * time.Second
	recoveryTimeout  = 60 * time.Second
)

// Headline names of the outage figures.
const (
	headOutageLookups = "outage: lookups served"
	headOutageOrders  = "outage: orders refused with 503"
	headOutageFast    = "outage: order-create p99"
	headRecovery      = "outage: recovery time"
)

// OutageResult is the outage's timeline, from the run's start.
type OutageResult struct {
	OldPID int `json:"oldPid"`
	NewPID int `json:"newPid"`
	// Stopped is when the core was gone, Restarted when its command was
	// started again, CoreReady when it answered /readyz, Recovered when
	// the edge created an order again.
	Stopped   time.Duration `json:"stoppedNs"`
	Restarted time.Duration `json:"restartedNs"`
	CoreReady time.Duration `json:"coreReadyNs"`
	Recovered time.Duration `json:"recoveredNs"`
	// Circuit is the edge's circuit breaker state as the recovery probes
	// saw it (with --admin-token).
	Circuit []PhaseMark `json:"circuit,omitempty"`
}

func runOutage(ctx context.Context, r *Runner, rep *Report) error {
	pid, err := r.corePID()
	if err != nil {
		return err
	}
	if !proc.Alive(pid) {
		return fmt.Errorf("outage: the core (process %d) is not running", pid)
	}
	lc, err := r.cfg.Load.Normalized()
	if err != nil {
		return err
	}
	rec := load.NewRecorder()
	start := time.Now()
	var res *load.Result
	var runErr error
	var wg sync.WaitGroup
	wg.Go(func() { res, runErr = load.Run(ctx, lc, r.outageSource(), rec) })
	out, ctlErr := r.outageTimeline(ctx, rec, start, lc, pid)
	wg.Wait()
	rep.Load, rep.Outage = res, out
	for _, m := range []struct {
		name string
		at   time.Duration
	}{{"core killed (SIGKILL)", out.Stopped}, {"core command started again", out.Restarted},
		{"core answers /readyz", out.CoreReady}, {"the edge creates an order again", out.Recovered}} {
		if m.at > 0 {
			rep.Phases = append(rep.Phases, PhaseMark{Name: m.name, At: m.at})
		}
	}
	rep.Phases = append(rep.Phases, out.Circuit...)
	slices.SortStableFunc(rep.Phases, func(a, b PhaseMark) int { return cmp.Compare(a.At, b.At) })
	if err := errors.Join(runErr, ctlErr); err != nil {
		return fmt.Errorf("outage: %w", err)
	}
	r.outageVerdicts(rep, res, out)
	return nil
}

// corePID returns the core's process id from --core-pid or --core-pid-file,
// and checks that the core can be restarted.
func (r *Runner) corePID() (int, error) {
	p := r.cfg.Procs
	if len(p.CoreCmd) == 0 {
		return 0, errors.New("outage: needs the command that restarts the core (--core-cmd)")
	}
	switch {
	case p.CorePIDFile != "":
		return proc.ReadPIDFile(p.CorePIDFile)
	case p.CorePID > 0:
		return p.CorePID, nil
	}
	return 0, errors.New("outage: needs the core's process id (--core-pid or --core-pid-file)")
}

// outageTimeline labels the phases and stops and restarts the core on
// time: the core goes down a quarter into the window and comes back
// halfway.
func (r *Runner) outageTimeline(ctx context.Context, rec *load.Recorder, start time.Time, lc load.Config, pid int) (*OutageResult, error) {
	out := &OutageResult{OldPID: pid}
	at := func(d time.Duration) bool { return sleepCtx(ctx, time.Until(start.Add(d))) }
	if !at(lc.Warmup) {
		return out, ctx.Err()
	}
	rec.SetPhase(phaseUp)
	if !at(lc.Warmup + lc.Duration/4) {
		return out, ctx.Err()
	}
	rec.SetPhase(phaseDown)
	r.logf("outage: killing the core (process %d)", pid)
	if err := proc.Stop(ctx, pid, syscall.SIGKILL, outageStopWait); err != nil {
		return out, err
	}
	out.Stopped = time.Since(start)
	if !at(lc.Warmup + lc.Duration/2) {
		return out, ctx.Err()
	}
	rec.SetPhase(phaseRecovery)
	if err := r.restartCore(out, start); err != nil {
		return out, err
	}
	err := r.awaitRecovery(ctx, out, start)
	rec.SetPhase(phaseRecovered)
	return out, err
}

// restartCore starts the core's command again and records its process id.
func (r *Runner) restartCore(out *OutageResult, start time.Time) error {
	p := r.cfg.Procs
	r.logf("outage: restarting the core: %v", p.CoreCmd)
	pid, err := proc.StartDetached(p.CoreCmd, p.CoreLog)
	if err != nil {
		return err
	}
	out.Restarted, out.NewPID = time.Since(start), pid
	if p.CorePIDFile != "" {
		return proc.WritePIDFile(p.CorePIDFile, pid)
	}
	r.logf("outage: the restarted core is process %d; stop it when done", pid)
	return nil
}

// awaitRecovery probes the core's /readyz and then the edge's order path
// until each works; with the admin token it follows the edge's circuit
// breaker too.
func (r *Runner) awaitRecovery(ctx context.Context, out *OutageResult, start time.Time) error {
	deadline := time.Now().Add(recoveryTimeout)
	for out.Recovered == 0 {
		r.watchCircuit(out, start)
		if out.CoreReady == 0 && r.core.Send(&load.Call{Route: "readyz", URI: "/readyz"}).Status == 200 {
			out.CoreReady = time.Since(start)
		}
		if out.CoreReady > 0 && r.probeOrder() {
			out.Recovered = time.Since(start)
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no order went through %v after the core's restart", recoveryTimeout)
		}
		if !sleepCtx(ctx, outageProbe) {
			return ctx.Err()
		}
	}
	return nil
}

// watchCircuit notes a change of the edge's circuit breaker state (with an
// admin token).
func (r *Runner) watchCircuit(out *OutageResult, start time.Time) {
	if r.cfg.AdminToken == "" {
		return
	}
	st, err := r.edgeStatus()
	if err != nil || st.Circuit == "" {
		return
	}
	if n := len(out.Circuit); n == 0 || out.Circuit[n-1].Name != "circuit "+st.Circuit {
		out.Circuit = append(out.Circuit, PhaseMark{Name: "circuit " + st.Circuit, At: time.Since(start)})
	}
}

// probeOrder creates a one-line basket and an order from it, and fails the
// order at once (releasing its reservation); true if the order was created.
func (r *Runner) probeOrder() bool {
	cfg := r.cfg
	var basketID string
	items := []wire.Item{{ProductID: r.cat.Name(0), Quantity: 1}}
	r.edge.Send(callOf("probe-basket", wire.CreateBasket(cfg.Org, cfg.Site, items), func(st int, b []byte) string {
		basketID = wire.BasketID(b)
		return ""
	}))
	if basketID == "" {
		return false
	}
	var orderNo string
	r.edge.Send(callOf("probe-order", wire.CreateOrder(cfg.Org, cfg.Site, basketID), func(st int, b []byte) string {
		if wire.OrderOutcome(st, b) == wire.OutcomeCreated {
			orderNo = wire.OrderNo(b)
		}
		return ""
	}))
	if orderNo == "" {
		return false
	}
	r.edge.Send(callOf("probe-fail", wire.SetOrderStatus(cfg.Org, cfg.Site, orderNo, "failed"), nil))
	return true
}

// outageSource mixes lookups (browse's draws) and checkouts.
func (r *Runner) outageSource() load.Source {
	rng := workload.NewRand(r.cfg.Seed, "outage")
	browse, checkout := r.browseSource(), r.checkoutSource(nil)
	return load.SourceFunc(func(i int64) load.Op {
		if rng.Float64() < outageOrderShare {
			return checkout.Next(i)
		}
		return browse.Next(i)
	})
}

// outageVerdicts reports the outage's figures and checks them against
// DESIGN §3.4: lookups keep being served, order creation fails closed with
// 503, fast.
func (r *Runner) outageVerdicts(rep *Report, res *load.Result, out *OutageResult) {
	lookups := rowsPrefix(res, phaseDown, "availability-")
	served := sumCount(filterRows(lookups, okOutcomes...))
	total := sumCount(lookups)
	rep.headline(Headline{Name: headOutageLookups, Unit: "%", Value: pct(served, total),
		Note: fmt.Sprintf("%d of %d lookups answered 200 while the core was down", served, total)})
	rep.check("lookups served while the core is down", total > 0 && served == total,
		fmt.Sprintf("%d of %d answered 200 from the cache", served, total))
	orders := rowsPrefix(res, phaseDown, routeOrder)
	refused := filterRows(orders, wire.OutcomeCoreDown)
	rep.headline(Headline{Name: headOutageOrders, Unit: "%", Value: pct(sumCount(refused), sumCount(orders)),
		Note: fmt.Sprintf("%d of %d order creations answered 503 while the core was down", sumCount(refused), sumCount(orders))})
	p99 := maxP99(orders)
	rep.headline(Headline{Name: headOutageFast, Unit: "ms", Value: millis(p99), Lower: true,
		Note: "order creation while the core was down"})
	rep.check("orders fail closed with 503 while the core is down", sumCount(orders) > 0 && sumCount(refused) == sumCount(orders),
		fmt.Sprintf("%d of %d order creations answered 503", sumCount(refused), sumCount(orders)))
	rep.check("orders fail fast while the core is down", p99 <= time.Second,
		fmt.Sprintf("order-create p99 %s (bound 1s)", fmtDur(p99)))
	if out.Recovered > 0 {
		rep.headline(Headline{Name: headRecovery, Unit: "s", Value: (out.Recovered - out.Restarted).Seconds(), Lower: true,
			Baseline: "core restart → /readyz", BaselineValue: (out.CoreReady - out.Restarted).Seconds(),
			Note: "from the core's restart until the edge creates an order again"})
	}
}

// rowsPrefix returns the rows of phase whose route starts with prefix.
func rowsPrefix(res *load.Result, phase, prefix string) []load.Row {
	var out []load.Row
	for _, route := range routesWithPrefix(res, phase, prefix) {
		for _, row := range res.Rows {
			if row.Phase == phase && row.Route == route {
				out = append(out, row)
			}
		}
	}
	return out
}

// filterRows keeps the rows with one of outcomes.
func filterRows(rows []load.Row, outcomes ...string) []load.Row {
	var out []load.Row
	for _, row := range rows {
		for _, o := range outcomes {
			if row.Outcome == o {
				out = append(out, row)
				break
			}
		}
	}
	return out
}

func sumCount(rows []load.Row) int64 {
	var n int64
	for _, r := range rows {
		n += r.Count
	}
	return n
}

func pct(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

// sleepCtx waits d; false if ctx ended first.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
