package bench

import (
	"slices"
	"strings"
	"time"

	"ociedge/bench/load"
)

// okOutcomes are the outcomes that count as a served request in headline
// figures.
var okOutcomes = []string{"ok", "empty", "2xx", "reserved", "created", "placed", "failed", "insufficient"}

// okRows returns the rows of route in phase with a served outcome.
func okRows(res *load.Result, phase, route string) []load.Row {
	var out []load.Row
	for _, row := range res.Rows {
		if row.Phase == phase && row.Route == route && slices.Contains(okOutcomes, row.Outcome) {
			out = append(out, row)
		}
	}
	return out
}

// rowsWith returns the rows of route in phase with the given outcome.
func rowsWith(res *load.Result, phase, route, outcome string) []load.Row {
	var out []load.Row
	for _, row := range res.Rows {
		if row.Phase == phase && row.Route == route && row.Outcome == outcome {
			out = append(out, row)
		}
	}
	return out
}

// routesWithPrefix lists the routes of phase that start with prefix, in
// order.
func routesWithPrefix(res *load.Result, phase, prefix string) []string {
	var out []string
	for _, row := range res.Rows {
		if row.Phase == phase && strings.HasPrefix(row.Route, prefix) && !slices.Contains(out, row.Route) {
			out = append(out, row.Route)
		}
	}
	return out
}

func sumRate(rows []load.Row) float64 {
	total := 0.0
	for _, r := range rows {
		total += r.Rate
	}
	return total
}

// maxP99 is the largest p99 among rows: an upper bound of their merged p99.
func maxP99(rows []load.Row) time.Duration {
	var m time.Duration
	for _, r := range rows {
		m = max(m, r.Latency.P99)
	}
	return m
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

func (r *Runner) loadIsClosed() bool { return r.cfg.Load.Closed || r.cfg.Knee }
