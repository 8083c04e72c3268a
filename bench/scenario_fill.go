package bench

import (
	"context"
	"fmt"
	"slices"
	"time"

	"ociedge/bench/baseline"
	"ociedge/bench/proc"
	"ociedge/bench/wire"
)

var fillScenario = &scenario{
	name: "fill",
	summary: "cache fill: an edge (--target) in COMMERCE_PLATFORM mode with an empty cache is switched to " +
		"OCI_CACHE_ENABLED and timed until its lists are imported (--records items); RSS per record with --edge-pid",
	edge: needRequired,
	run:  runFill,
}

// Fill parameters: how often the status is read and how long a fill may
// take.
const (
	fillPoll    = 20 * time.Millisecond
	fillTimeout = 5 * time.Minute
)

// Headline names of the fill figures.
const (
	headFill      = "cache fill"
	headFillRate  = "cache fill records/s"
	headRSSPerRec = "RSS per cached record"
)

// Baseline name of the bare ristretto cache.
const baseRistretto = "ristretto"

// FillResult is what the fill scenario saw.
type FillResult struct {
	Lists []wire.ListStatus `json:"lists"`
	Items int64             `json:"items"`
	// Wall is from the mode change to the status showing every list
	// imported (the headline, as a storefront operator would time it);
	// Import the slowest list's importDurationMs, the edge's own figure.
	Wall   time.Duration `json:"wallNs"`
	Import time.Duration `json:"importNs"`
	// RSSBefore is the edge's VmRSS before the fill, RSSAtImport when the
	// status shows it done, RSSAfter fillSettle later (0 without
	// --edge-pid).
	RSSBefore   int64 `json:"rssBefore"`
	RSSAtImport int64 `json:"rssAtImport"`
	RSSAfter    int64 `json:"rssAfter"`
}

func runFill(ctx context.Context, r *Runner, rep *Report) error {
	if err := r.needAdmin(); err != nil {
		return err
	}
	st, err := r.edgeStatus()
	if err != nil {
		return err
	}
	if st.Mode != wire.ModeCommercePlatform {
		return fmt.Errorf("fill: the edge is in %s; it needs an edge in %s with an empty cache (a fresh --data directory)",
			st.Mode, wire.ModeCommercePlatform)
	}
	if err := r.ristrettoBaseline(rep); err != nil {
		return err
	}
	res := &FillResult{}
	if pid := r.cfg.Procs.EdgePID; pid > 0 {
		s, err := proc.Read(pid)
		if err != nil {
			return err
		}
		res.RSSBefore = s.RSS
	}
	start := time.Now()
	rep.Phases = append(rep.Phases, PhaseMark{Name: "mode → " + wire.ModeCacheEnabled})
	if err := r.setEdgeMode(wire.ModeCacheEnabled); err != nil {
		return err
	}
	if err := r.awaitFill(ctx, res); err != nil {
		return err
	}
	res.Wall = time.Since(start)
	rep.Phases = append(rep.Phases, PhaseMark{Name: "every list imported", At: res.Wall})
	if pid := r.cfg.Procs.EdgePID; pid > 0 {
		if err := r.rssAfter(ctx, pid, res); err != nil {
			return err
		}
		rep.Phases = append(rep.Phases, PhaseMark{Name: "RSS read", At: time.Since(start)})
	}
	rep.Fill = res
	r.fillHeadlines(rep, res)
	return nil
}

// fillSettle is how long after the fill the edge's RSS is read: the import's
// own garbage (download buffers, parsing) is not the cache's memory, and
// the edge may hand it back to the OS when the import completes.
const fillSettle = time.Second

// rssAfter reads the edge's RSS at once and fillSettle later; the second
// is the figure.
func (r *Runner) rssAfter(ctx context.Context, pid int, res *FillResult) error {
	s, err := proc.Read(pid)
	if err != nil {
		return err
	}
	res.RSSAtImport = s.RSS
	if !sleepCtx(ctx, fillSettle) {
		return ctx.Err()
	}
	if s, err = proc.Read(pid); err != nil {
		return err
	}
	res.RSSAfter = s.RSS
	return nil
}

// ristrettoBaseline fills a bare ristretto cache with Records entries in
// this process: the ceiling of the fill rate, the floor of the memory.
func (r *Runner) ristrettoBaseline(rep *Report) error {
	if r.cfg.Baselines.Skip {
		return nil
	}
	r.logf("baseline %s: %d entries in a bare ristretto cache", baseRistretto, r.cfg.Records)
	m, err := baseline.RistrettoMemory(r.cfg.Records)
	if err != nil {
		return err
	}
	rep.Baselines = append(rep.Baselines,
		Baseline{Name: baseRistretto + " sets", Unit: "records/s", Value: float64(m.Entries) / m.Elapsed.Seconds(),
			Detail: fmt.Sprintf("bare ristretto, %d Sets of 72-byte values from one goroutine, in ocibench", m.Entries)},
		Baseline{Name: baseRistretto + " RSS", Unit: "B/entry", Value: m.RSSPerEntry,
			Detail: fmt.Sprintf("bare ristretto, %d entries: ocibench's RSS growth per entry (heap %.0f B/entry)", m.Entries, m.HeapPerEntry)})
	return nil
}

// awaitFill polls the status until the lists fill waits for are imported
// and hold Records items between them.
func (r *Runner) awaitFill(ctx context.Context, res *FillResult) error {
	deadline := time.Now().Add(fillTimeout)
	for {
		st, err := r.edgeStatus()
		if err != nil {
			return err
		}
		lists, items, done := r.filled(st)
		if done {
			res.Lists, res.Items = lists, items
			for _, l := range lists {
				res.Import = max(res.Import, time.Duration(l.ImportDurationMs)*time.Millisecond)
			}
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("fill: not done after %v: %d of %d items cached", fillTimeout, items, r.cfg.Records)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(fillPoll):
		}
	}
}

// filled returns the lists fill waits for (FillList, or every mapped list),
// their items, and whether they are all imported with Records items.
func (r *Runner) filled(st wire.EdgeStatus) ([]wire.ListStatus, int64, bool) {
	var lists []wire.ListStatus
	for _, l := range st.Lists {
		if r.cfg.FillList == l.ID || r.cfg.FillList == "" && l.LocationType != "N/A" {
			lists = append(lists, l)
		}
	}
	var items int64
	done := len(lists) > 0
	for _, l := range lists {
		items += l.ItemsCached
		done = done && l.Imported
	}
	return lists, items, done && items >= int64(r.cfg.Records)
}

func (r *Runner) fillHeadlines(rep *Report, res *FillResult) {
	ids := make([]string, len(res.Lists))
	for i, l := range res.Lists {
		ids[i] = l.ID
	}
	slices.Sort(ids)
	secs := res.Wall.Seconds()
	var bareSecs float64 // the bare cache's time for as many Sets
	if b, ok := rep.baseline(baseRistretto + " sets"); ok && b.Value > 0 {
		bareSecs = float64(res.Items) / b.Value
	}
	rep.headline(Headline{Name: headFill, Unit: "s", Value: secs, Lower: true, Goal: goal(5),
		Baseline: baseRistretto + " fill", BaselineValue: bareSecs,
		Note: fmt.Sprintf("%d items in %v: from the mode change to the status showing them imported (the edge's importDurationMs: %v)",
			res.Items, ids, res.Import)})
	if secs > 0 {
		rep.headline(Headline{Name: headFillRate, Unit: "records/s", Value: float64(res.Items) / secs, Baseline: baseRistretto + " sets"})
	}
	if res.RSSAfter > 0 && res.Items > 0 {
		rep.headline(Headline{Name: headRSSPerRec, Unit: "B", Value: float64(res.RSSAfter-res.RSSBefore) / float64(res.Items),
			Lower: true, Goal: goal(400), Baseline: baseRistretto + " RSS",
			Note: fmt.Sprintf("edge VmRSS %d MiB before the fill, %d MiB when the status showed it done, %d MiB %v later",
				res.RSSBefore>>20, res.RSSAtImport>>20, res.RSSAfter>>20, fillSettle)})
	}
}
