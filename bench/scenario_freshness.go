package bench

import (
	"context"
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	"ociedge/bench/load"
	"ociedge/bench/wire"
	"ociedge/bench/workload"
)

var freshnessScenario = &scenario{
	name: "freshness",
	summary: "changes at the core (--core) at --rate, each a unique onHand at --fresh-list, and the time until " +
		"the edge (--target) shows each one",
	edge: needRequired,
	core: needRequired,
	load: true,
	run:  runFreshness,
}

// Freshness parameters: how often the edge is asked, how many skus one ask
// carries, how many asks are in flight, and how long a change may take
// before it counts as not seen.
const (
	freshPoll     = 2 * time.Millisecond
	freshBatch    = 24
	freshInFlight = 8
	freshTimeout  = 5 * time.Second
	// stamps are onHand values 100,000 … 899,999: below the edge's 999,999
	// cap and unlike any value an import writes.
	stampBase, stampSpan = 100_000, 800_000
)

// Headline names of the freshness figures.
const headFreshness = "freshness p99"

// FreshnessResult is what the freshness scenario saw.
type FreshnessResult struct {
	List string `json:"list"`
	// Changes acknowledged by the core in the measured window; Seen at the
	// edge; NotSeen within the timeout; Superseded by a later change of the
	// same sku before they were seen.
	Changes    int64 `json:"changes"`
	Seen       int64 `json:"seen"`
	NotSeen    int64 `json:"notSeen"`
	Superseded int64 `json:"superseded"`
	Polls      int64 `json:"polls"`
	// Visible runs from the core's acknowledgement to the edge's first
	// answer showing the change; FromSend from the change's intended send.
	Visible  load.Percentiles `json:"visible"`
	FromSend load.Percentiles `json:"fromSend"`
}

func runFreshness(ctx context.Context, r *Runner, rep *Report) error {
	if _, err := r.tok.get(); err != nil {
		return err
	}
	w := newWatcher(r)
	r.logf("freshness: changes at %s, watched at the edge every %v", r.cfg.FreshList, freshPoll)
	var wg sync.WaitGroup
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	wg.Go(func() { w.run(watchCtx) })
	res, err := r.drive(ctx, rep, func() load.Source { return r.freshSource(w) })
	w.drain(ctx)
	stopWatch()
	wg.Wait()
	if err != nil {
		return err
	}
	rep.Freshness = w.result()
	r.freshHeadlines(rep, res)
	return nil
}

func (r *Runner) freshHeadlines(rep *Report, res *load.Result) {
	f := rep.Freshness
	acks := okRows(res, "", routeChange)
	rep.headline(Headline{Name: headFreshness, Unit: "ms", Value: millis(f.Visible.P99), Lower: true, Goal: goal(100),
		Baseline: "batch-update p99", BaselineValue: millis(maxP99(acks)),
		Note: fmt.Sprintf("%.0f changes/s at %s; core ack to first edge answer showing it", sumRate(acks), f.List)})
	seen := f.Changes > 0 && f.NotSeen == 0
	rep.check("every change seen at the edge", seen, fmt.Sprintf("%d changes, %d seen, %d not seen within %v, %d superseded",
		f.Changes, f.Seen, f.NotSeen, freshTimeout, f.Superseded))
}

const routeChange = "change"

// freshSource makes change i: sku i (round the catalog), stamped with a
// value unique in the run (salted by the run id, so that a rerun against
// the same core writes other values).
func (r *Runner) freshSource(w *watcher) load.Source {
	ids := workload.NewRand(r.cfg.Seed, "fresh-ids/"+r.cfg.RunID)
	h := fnv.New64a()
	h.Write([]byte(r.cfg.RunID))
	salt := int64(h.Sum64() % stampSpan)
	return load.SourceFunc(func(i int64) load.Op {
		return &changeOp{r: r, w: w, id: workload.UUID(ids), sku: r.cat.Name(int32(i % int64(r.cfg.Skus))),
			stamp: stampBase + (salt+i)%stampSpan}
	})
}

type changeOp struct {
	r     *Runner
	w     *watcher
	id    string
	sku   string
	stamp int64
}

func (o *changeOp) Name() string { return routeChange }

func (o *changeOp) Run(s *load.Session) {
	date := time.Now().UTC().Format(time.RFC3339Nano)
	c := callOf(routeChange, wire.BatchStamp(o.r.cfg.Tenant, []wire.StampRecord{wire.Stamp(o.id, o.r.cfg.FreshList, o.sku, o.stamp, date)}), nil)
	c.Auth = o.r.tok.bearer()
	if rep := s.Do(o.r.core, c); rep.Status == 204 {
		o.w.add(o.sku, change{stamp: o.stamp, sent: s.Intended(), acked: time.Now(), measured: s.Measured()})
	} else {
		s.Fail()
	}
}

// change is one acknowledged change the watcher waits to see.
type change struct {
	stamp       int64
	sent, acked time.Time
	measured    bool
}

// watcher asks the edge for the skus with pending changes until each shows
// its stamp. Safe for concurrent use.
type watcher struct {
	r       *Runner
	visible *load.Histogram
	fromSnd *load.Histogram

	mu         sync.Mutex // guards the fields below
	pending    map[string]change
	order      []string // skus in the order their changes came
	changes    int64
	seen       int64
	notSeen    int64
	superseded int64
	polls      int64
}

func newWatcher(r *Runner) *watcher {
	return &watcher{r: r, visible: load.NewHistogram(), fromSnd: load.NewHistogram(), pending: map[string]change{}}
}

func (w *watcher) add(sku string, c change) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if old, ok := w.pending[sku]; ok && old.measured {
		w.superseded++
	} else if !ok {
		w.order = append(w.order, sku)
	}
	w.pending[sku] = c
	if c.measured {
		w.changes++
	}
}

// run polls until ctx ends.
func (w *watcher) run(ctx context.Context) {
	t := time.NewTicker(freshPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			w.pollOnce()
		}
	}
}

// drain waits until nothing is pending (or the timeout has passed for
// everything that is).
func (w *watcher) drain(ctx context.Context) {
	deadline := time.Now().Add(freshTimeout + time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		w.mu.Lock()
		n := len(w.pending)
		w.mu.Unlock()
		if n == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// pollOnce expires old changes, then asks for the pending skus in batches,
// a few batches at a time.
func (w *watcher) pollOnce() {
	batches := w.batches()
	var wg sync.WaitGroup
	sem := make(chan struct{}, freshInFlight)
	for _, b := range batches {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			w.ask(b)
		})
	}
	wg.Wait()
}

// batches returns the pending skus, oldest first, freshBatch to a batch,
// after dropping the ones past the timeout.
func (w *watcher) batches() [][]string {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := time.Now()
	keep := w.order[:0]
	for _, sku := range w.order {
		c, ok := w.pending[sku]
		switch {
		case !ok:
		case now.Sub(c.acked) > freshTimeout:
			delete(w.pending, sku)
			if c.measured {
				w.notSeen++
			}
		default:
			keep = append(keep, sku)
		}
	}
	w.order = keep
	var out [][]string
	for i := 0; i < len(keep); i += freshBatch {
		out = append(out, append([]string(nil), keep[i:min(i+freshBatch, len(keep))]...))
	}
	return out
}

// ask asks the edge for skus at the list and records every change it shows.
func (w *watcher) ask(skus []string) {
	r := w.r
	var ans wire.ShopperAvailability
	var perr error
	req := wire.Availability(r.cfg.Org, r.cfg.Site, skus, []string{r.cfg.FreshList})
	rep := r.edge.Send(callOf("watch", req, func(status int, body []byte) string {
		if status == 200 {
			ans, perr = wire.ParseShopperAvailability(body)
		}
		return ""
	}))
	now := time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.polls++
	if rep.Status != 200 || perr != nil {
		return
	}
	for _, sku := range skus {
		c, ok := w.pending[sku]
		if !ok {
			continue
		}
		if ats, found := ans.ATS(sku, r.cfg.FreshList); found && ats == c.stamp {
			delete(w.pending, sku)
			if c.measured {
				w.seen++
				w.visible.Record(now.Sub(c.acked))
				w.fromSnd.Record(now.Sub(c.sent))
			}
		}
	}
}

func (w *watcher) result() *FreshnessResult {
	w.mu.Lock()
	defer w.mu.Unlock()
	return &FreshnessResult{List: w.r.cfg.FreshList, Changes: w.changes, Seen: w.seen, NotSeen: w.notSeen + int64(len(w.pending)),
		Superseded: w.superseded, Polls: w.polls, Visible: w.visible.Percentiles(), FromSend: w.fromSnd.Percentiles()}
}

func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
