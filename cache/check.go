package cache

import (
	"context"
	"fmt"
	"time"

	"ociedge/oci"
)

// CheckReport is the convergence checker's answer: every cached (list, sku)
// compared with the core's own values.
type CheckReport struct {
	// Converged is true when no difference remained after settling.
	Converged   bool         `json:"converged"`
	Checked     int          `json:"checked"`
	Lists       []ListCheck  `json:"lists"`
	Differences []Difference `json:"differences"`
}

// ListCheck is one list's part of a check.
type ListCheck struct {
	ID           string       `json:"id"`
	LocationType LocationType `json:"locationType"`
	Checked      bool         `json:"checked"`
	Reason       string       `json:"reason,omitempty"` // why it was not checked
	CoreRecords  int          `json:"coreRecords"`
	ItemsCached  int64        `json:"itemsCached"`
	Differences  int          `json:"differences"`
	LagMs        int64        `json:"lagMs"`
}

// Difference is a (list, sku) whose cached values differ from the core's.
type Difference struct {
	List   string    `json:"list"`
	SKU    string    `json:"sku"`
	Cache  string    `json:"cache"` // the lookup result: hit, miss, stale, tombstone
	Cached *Snapshot `json:"cached,omitempty"`
	Core   *Snapshot `json:"core,omitempty"`
}

// Snapshot is the compared values of one (list, sku).
type Snapshot struct {
	OnHand, Reserved, SafetyStock, ATF, ATO, Futures oci.Qty
	InStock, Effective                               uint32 `json:",omitempty"`
}

func snapshotOf(v Value) *Snapshot {
	return &Snapshot{v.OnHand, v.Reserved, v.SafetyStock, v.ATF, v.ATO, v.Futures, v.InStock, v.Effective}
}

// CheckOptions tune Check. The zero value works.
type CheckOptions struct {
	// Settle bounds how long a difference may take to go away (a change in
	// flight between the export and the stream). Default 2 s.
	Settle time.Duration
	// MaxDifferences bounds the differences reported. Default 1000.
	MaxDifferences int
}

// Check compares every record the core holds for each mapped list with the
// cache, and the list's Items Cached with the core's record count. A
// difference may be a change still travelling through the stream, so each
// one is re-checked against the core's current values once the list's
// stream has caught up past the first comparison, until Settle runs out;
// what remains is a real divergence. Safe for concurrent use.
func (c *Cache) Check(ctx context.Context, opt CheckOptions) (*CheckReport, error) {
	if opt.Settle == 0 {
		opt.Settle = 2 * time.Second
	}
	if opt.MaxDifferences == 0 {
		opt.MaxDifferences = 1000
	}
	rep := &CheckReport{Converged: true, Differences: []Difference{}}
	for _, l := range c.lists.Load().lists {
		lc, diffs, err := c.checkList(ctx, l, opt)
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", l.id, err)
		}
		rep.Checked += lc.CoreRecords
		rep.Lists = append(rep.Lists, lc)
		if len(diffs) > 0 || (lc.Checked && lc.ItemsCached != int64(lc.CoreRecords)) {
			rep.Converged = false
		}
		room := max(0, opt.MaxDifferences-len(rep.Differences))
		rep.Differences = append(rep.Differences, diffs[:min(len(diffs), room)]...)
	}
	return rep, nil
}

func (c *Cache) checkList(ctx context.Context, l *listState, opt CheckOptions) (ListCheck, []Difference, error) {
	lc := ListCheck{ID: l.id, LocationType: l.locationType()}
	kind, ok := placeKind(lc.LocationType)
	if !ok {
		lc.Reason = "not in the location graph"
		return lc, nil, nil
	}
	if !l.snapshot().imported {
		lc.Reason = "first full import not completed"
		return lc, nil, nil
	}
	start := c.cfg.Now()
	var diffs []string
	_, err := c.cfg.Core.Export(ctx, kind, []string{l.id}, func(_ string, vs []oci.Values) error {
		for i := range vs {
			lc.CoreRecords++
			if !same(c, l, vs[i].SKU, valueOf(&vs[i])) {
				diffs = append(diffs, vs[i].SKU)
			}
		}
		return nil
	})
	if err != nil {
		return lc, nil, err
	}
	remaining, err := c.settle(ctx, l, kind, diffs, start, opt.Settle)
	if err != nil {
		return lc, nil, err
	}
	lc.Checked, lc.Differences = true, len(remaining)
	lc.ItemsCached = l.items()
	if lag := l.status(c.cfg.Now()).Lag; lag >= 0 {
		lc.LagMs = lag.Milliseconds()
	}
	return lc, remaining, nil
}

func placeKind(t LocationType) (oci.PlaceType, bool) {
	switch t {
	case TypeGroup:
		return oci.PlaceGroup, true
	case TypeLocation:
		return oci.PlaceLocation, true
	}
	return 0, false
}

// same reports whether the cache holds want for sku in l.
func same(c *Cache, l *listState, sku string, want Value) bool {
	got, st := c.LookupString(l.idx, sku)
	if want.noRecord {
		return st == Tombstone || st == Miss
	}
	return st == Hit && *snapshotOf(got) == *snapshotOf(want)
}

// settle re-checks the differing skus against the core's current values
// after the stream has caught up past since, until none is left or the
// time is up, and returns what still differs. Its deadline is wall-clock
// time (it waits for the streams), whatever clock the cache was given.
func (c *Cache) settle(ctx context.Context, l *listState, kind oci.PlaceType, skus []string, since time.Time, d time.Duration) ([]Difference, error) {
	deadline := time.Now().Add(d)
	for {
		if len(skus) == 0 {
			return nil, nil
		}
		c.awaitCaughtUp(ctx, l, since, deadline)
		since = c.cfg.Now()
		core, err := c.coreValues(ctx, l.id, kind, skus)
		if err != nil {
			return nil, err
		}
		var still []string
		for i, sku := range skus {
			if !same(c, l, sku, core[i]) {
				still = append(still, sku)
			}
		}
		if len(still) == 0 || !time.Now().Before(deadline) || ctx.Err() != nil {
			return c.differences(l, still, skus, core), nil
		}
		skus = still
	}
}

// awaitCaughtUp waits until the list's stream confirmed it was caught up
// after since, or the deadline.
func (c *Cache) awaitCaughtUp(ctx context.Context, l *listState, since, deadline time.Time) {
	for l.snapshot().caughtUp.Before(since) && time.Now().Before(deadline) && ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case <-time.After(c.cfg.PollInterval):
		}
	}
}

// coreValues asks the core for the skus' current values at the list's place.
func (c *Cache) coreValues(ctx context.Context, id string, kind oci.PlaceType, skus []string) ([]Value, error) {
	out := make([]Value, 0, len(skus))
	for start := 0; start < len(skus); start += oci.MaxCombinations {
		chunk := skus[start:min(start+oci.MaxCombinations, len(skus))]
		q := &oci.AvailabilityQuery{SKUs: chunk}
		if kind == oci.PlaceGroup {
			q.Groups = []string{id}
		} else {
			q.Locations = []string{id}
		}
		a, err := c.cfg.Core.GetAvailability(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, answerValues(append(a.Locations, a.Groups...), id, chunk)...)
	}
	return out, nil
}

func (c *Cache) differences(l *listState, still, skus []string, core []Value) []Difference {
	byID := make(map[string]Value, len(skus))
	for i, s := range skus {
		byID[s] = core[i]
	}
	out := make([]Difference, 0, len(still))
	for _, sku := range still {
		got, st := c.LookupString(l.idx, sku)
		d := Difference{List: l.id, SKU: sku, Cache: st.String()}
		if st == Hit || st == Stale {
			d.Cached = snapshotOf(got)
		}
		if want := byID[sku]; !want.noRecord {
			d.Core = snapshotOf(want)
		}
		out = append(out, d)
	}
	return out
}
