package cache

import (
	"slices"
	"time"
)

// combinedGate holds the combined stream's membership changes back to
// B2C's nightly window when CombinedStreamWindow is set: lists join the
// combined stream (and so get their full import) only between 02:00 and
// 03:00 instance time, and only those that were waiting before 01:00; a list
// that joins later waits for the following night (reference §2.2).
//
// A list that leaves the combined stream leaves at once: its location is
// gone or became a group, so the stream could not export it any more (B2C
// notices this as an import error and re-imports). Re-imports after an
// error or an expired delta token also run at once.
//
// It is owned by the supervisor goroutine.
type combinedGate struct {
	enabled bool
	tz      *time.Location
	running []string             // the ids the combined stream serves now
	since   map[string]time.Time // ids waiting to join -> when first seen
}

// admit returns the ids the combined stream serves from now on, given the
// ids that belong in it, and the ids still waiting for the window.
func (g *combinedGate) admit(want []string, now time.Time) (ids, waiting []string) {
	if !g.enabled {
		g.running = want
		return want, nil
	}
	since := make(map[string]time.Time)
	for _, id := range want {
		if slices.Contains(g.running, id) {
			ids = append(ids, id)
			continue
		}
		first, ok := g.since[id]
		if !ok {
			first = now
		}
		if g.open(now) && first.Before(g.cutoff(now)) {
			ids = append(ids, id)
			continue
		}
		since[id] = first
		waiting = append(waiting, id)
	}
	g.since, g.running = since, ids
	return ids, waiting
}

// open reports whether now is inside the 02:00–03:00 window.
func (g *combinedGate) open(now time.Time) bool { return now.In(g.tz).Hour() == 2 }

// cutoff is 01:00 of now's day: changes seen before it are taken that night.
func (g *combinedGate) cutoff(now time.Time) time.Time {
	t := now.In(g.tz)
	return time.Date(t.Year(), t.Month(), t.Day(), 1, 0, 0, 0, g.tz)
}
