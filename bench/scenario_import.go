package bench

import (
	"context"
	"fmt"
	"sync"
	"time"

	"ociedge/bench/load"
)

var importScenario = &scenario{
	name: "import",
	summary: "core-import into --core while browse runs against the edge; import records/s " +
		"and lookup p99 before, during and after the import",
	edge: needRequired,
	core: needRequired,
	load: true,
	run:  runImportWhileBrowsing,
}

// Phases of the import scenario.
const (
	phaseBefore = "before"
	phaseImport = "import"
	phaseAfter  = "after"
)

// runImportWhileBrowsing starts browse load, starts the import a quarter of
// the way into the measured window, and labels lookups by phase.
func runImportWhileBrowsing(ctx context.Context, r *Runner, rep *Report) error {
	if _, err := r.tok.get(); err != nil {
		return err
	}
	path, err := r.writeImportFile(0)
	if err != nil {
		return err
	}
	if err := r.decodeBaseline(rep, path); err != nil {
		return err
	}
	if err := r.httpBaseline(ctx, rep, r.probeAnswerSize()); err != nil {
		return err
	}
	rec := load.NewRecorder()
	rec.SetPhase(phaseBefore)
	var res *load.Result
	var runErr error
	var wg sync.WaitGroup
	wg.Go(func() { res, runErr = load.Run(ctx, r.cfg.Load, r.browseSource(), rec) })
	imp, impErr := r.importDuring(ctx, rec, path)
	wg.Wait()
	rep.Load, rep.Import = res, imp
	if err := firstErr(runErr, impErr); err != nil {
		return err
	}
	r.importPhaseHeadlines(rep)
	return nil
}

// importDuring waits for a quarter of the measured window, then imports.
func (r *Runner) importDuring(ctx context.Context, rec *load.Recorder, path string) (*ImportResult, error) {
	lc, _ := r.cfg.Load.Normalized()
	wait := time.NewTimer(lc.Warmup + lc.Duration/4)
	defer wait.Stop()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-wait.C:
	}
	r.logf("import: starting the import of %d records", r.cfg.Records)
	rec.SetPhase(phaseImport)
	defer rec.SetPhase(phaseAfter)
	return r.runImport(ctx, rec, path)
}

func (r *Runner) importPhaseHeadlines(rep *Report) {
	r.importHeadline(rep)
	before := maxP99(okRowsPrefix(rep.Load, phaseBefore, "availability-"))
	during := maxP99(okRowsPrefix(rep.Load, phaseImport, "availability-"))
	rep.headline(Headline{Name: "lookup p99 during import", Unit: "µs", Value: micros(during),
		Baseline: "lookup p99 before import", BaselineValue: micros(before)})
	if during == 0 {
		rep.Notes = append(rep.Notes, "no lookups were measured during the import: lengthen --duration")
	}
}

// okRowsPrefix returns the served rows of phase whose route starts with
// prefix.
func okRowsPrefix(res *load.Result, phase, prefix string) []load.Row {
	var out []load.Row
	for _, route := range routesWithPrefix(res, phase, prefix) {
		out = append(out, okRows(res, phase, route)...)
	}
	return out
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
	}
	return nil
}
