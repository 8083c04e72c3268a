package bench

import (
	"context"
	"slices"
)

// inRounds runs round Config.Rounds times, each into a report of its own,
// and puts the medians in rep (DESIGN §6 on a noisy machine: a figure and
// its baseline back to back, a few short rounds, medians). With one round
// the round's report is rep's.
func (r *Runner) inRounds(ctx context.Context, rep *Report, round func(ctx context.Context, rr *Report) error) error {
	if r.cfg.Rounds <= 1 {
		return round(ctx, rep)
	}
	var rounds []*Report
	for i := range r.cfg.Rounds {
		r.logf("%s: round %d of %d", r.sc.name, i+1, r.cfg.Rounds)
		rr := &Report{}
		if err := round(ctx, rr); err != nil {
			return err
		}
		rounds = append(rounds, rr)
	}
	mergeRounds(rep, rounds)
	return nil
}

// mergeRounds puts the rounds' medians in rep: each baseline's and each
// headline's value, and each headline's ratio as the median of the rounds'
// ratios (each round's figure is compared with its own baseline). The last
// round's load result stands for the detail; checks and notes are kept.
func mergeRounds(rep *Report, rounds []*Report) {
	last := rounds[len(rounds)-1]
	rep.Load, rep.Knee = last.Load, last.Knee
	for _, rr := range rounds {
		rep.Rounds = append(rep.Rounds, Round{Baselines: rr.Baselines, Headlines: rr.Headlines})
		rep.Checks = append(rep.Checks, rr.Checks...)
		for _, n := range rr.Notes {
			if !slices.Contains(rep.Notes, n) {
				rep.Notes = append(rep.Notes, n)
			}
		}
	}
	for _, b := range rounds[0].Baselines {
		rep.Baselines = append(rep.Baselines, medianBaseline(b.Name, rounds))
	}
	for _, h := range rounds[0].Headlines {
		rep.Headlines = append(rep.Headlines, medianHeadline(h, rounds))
	}
}

// medianBaseline is the round whose value is the median (the lower middle
// one for an even count), so that its latencies go with its value.
func medianBaseline(name string, rounds []*Report) Baseline {
	var all []Baseline
	for _, rr := range rounds {
		if b, ok := rr.baseline(name); ok {
			all = append(all, b)
		}
	}
	slices.SortFunc(all, func(a, b Baseline) int { return cmpFloat(a.Value, b.Value) })
	m := all[(len(all)-1)/2]
	var cpu []float64
	for _, b := range all {
		if b.CPUPerOp > 0 {
			cpu = append(cpu, b.CPUPerOp)
		}
	}
	m.CPUPerOp = median(cpu)
	return m
}

func medianHeadline(first Headline, rounds []*Report) Headline {
	var vals, bases, ratios []float64
	for _, rr := range rounds {
		for _, h := range rr.Headlines {
			if h.Name != first.Name {
				continue
			}
			vals = append(vals, h.Value)
			if h.BaselineValue > 0 {
				bases, ratios = append(bases, h.BaselineValue), append(ratios, h.Ratio)
			}
		}
	}
	h := first
	h.Samples = vals
	h.Value, h.BaselineValue, h.Ratio = median(vals), median(bases), median(ratios)
	return h
}

// median of xs (the mean of the middle two for an even count); 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
