package cache

import (
	"context"
	"time"

	"go.uber.org/zap"
)

// supervisor fetches the location graph every GraphPollInterval, works out
// each list's Location Type and the streams the lists need, and starts,
// restarts and stops streams to match. It is owned by the goroutine Start
// launches; nothing else touches it.
type supervisor struct {
	c       *Cache
	gate    combinedGate
	running map[string]*stream // by streamSpec.key
}

func newSupervisor(c *Cache) *supervisor {
	return &supervisor{
		c:       c,
		gate:    combinedGate{enabled: c.cfg.CombinedStreamWindow, tz: c.cfg.TimeZone},
		running: make(map[string]*stream),
	}
}

// run ticks until ctx is done, then stops every stream and waits for it.
func (sv *supervisor) run(ctx context.Context) {
	defer sv.stopAll()
	for {
		sv.tick(ctx)
		if !sleep(ctx, sv.c.cfg.GraphPollInterval) {
			return
		}
	}
}

func (sv *supervisor) tick(ctx context.Context) {
	g, _, err := sv.c.core.Graph(ctx)
	if err != nil {
		if ctx.Err() == nil {
			sv.c.logError("graph", "cannot fetch the location graph; streams keep running", err)
		}
		return
	}
	lists := sv.c.lists.Load().lists
	specs, types := plan(lists, newGraphView(&g))
	specs, waiting := sv.gateCombined(specs)
	sv.reconcile(ctx, specs, lists, types, waiting)
	sv.c.graphKnown.Store(true)
	sv.c.graphOnce.Do(func() { close(sv.c.graphReady) })
}

// gateCombined applies the combined stream's import window to the plan.
func (sv *supervisor) gateCombined(specs []streamSpec) ([]streamSpec, []string) {
	for i, s := range specs {
		if s.kind != kindCombined {
			continue
		}
		ids, waiting := sv.gate.admit(s.ids, sv.c.cfg.Now())
		if len(ids) == 0 {
			return append(specs[:i], specs[i+1:]...), waiting
		}
		specs[i] = newSpec(kindCombined, s.places, ids, nil)
		return specs, waiting
	}
	sv.gate.admit(nil, sv.c.cfg.Now())
	return specs, nil
}

// reconcile stops the streams that are no longer wanted before it touches
// the lists they wrote, then starts the missing ones, so that a list is
// never written by two streams at once.
func (sv *supervisor) reconcile(ctx context.Context, specs []streamSpec, lists []*listState, types []LocationType, waiting []string) {
	want := make(map[string]bool, len(specs))
	for _, s := range specs {
		want[s.key] = true
	}
	for key, st := range sv.running {
		if !want[key] {
			sv.c.log.Info("stopping stream", zap.String("stream", st.spec.name), zap.String("reason", "graph or membership changed"))
			st.stop()
			delete(sv.running, key)
		}
	}
	sv.applyTypes(lists, types)
	t := sv.c.lists.Load()
	for _, id := range waiting {
		t.lists[t.byID[id]].setState("", stWaitingWindow, "")
	}
	for _, s := range specs {
		if sv.running[s.key] == nil {
			sv.running[s.key] = startStream(ctx, sv.c, s)
		}
	}
}

// applyTypes records each list's Location Type. A list that was mapped and
// is now N/A or of the other type has its cached values made stale at once:
// they describe a place that is gone.
func (sv *supervisor) applyTypes(lists []*listState, types []LocationType) {
	for i, l := range lists {
		old := l.locType.Load()
		if old != nil && *old == types[i] {
			continue
		}
		t := types[i]
		l.locType.Store(&t)
		if old != nil && *old != TypeNA {
			l.invalidate()
			sv.c.log.Info("inventory list changed Location Type", zap.String("list", l.id),
				zap.String("from", string(*old)), zap.String("to", string(t)))
		}
		if t == TypeNA {
			l.setState("", stNotMapped, "")
		}
	}
}

func (sv *supervisor) stopAll() {
	for key, st := range sv.running {
		st.stop()
		delete(sv.running, key)
	}
}

// sleep waits d or until ctx is done; false when ctx is done.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// logError logs a noisy failure, at most once per LogEvery per key, with
// the number of lines held back.
func (c *Cache) logError(key, msg string, err error, fields ...zap.Field) {
	ok, held := c.logs.Allow(key)
	if !ok {
		return
	}
	c.log.Warn(msg, append(fields, zap.Error(err), zap.Int("suppressed", held))...)
}
