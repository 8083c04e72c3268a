package bench

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"ociedge/bench/load"
)

// WriteText writes the human summary: the run, the per-route table,
// baselines, headlines with their ratios, checks and notes.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	r.writeHeader(&b)
	if r.Load != nil {
		writeRows(&b, r.Load.Rows)
	}
	if r.Import != nil {
		writeImport(&b, r.Import)
	}
	if r.Knee != nil {
		writeKnee(&b, r.Knee)
	}
	if f := r.Fill; f != nil {
		fmt.Fprintf(&b, "\nfill: %d items cached in %d lists; slowest import %v, %v from the mode change to the status showing it\n",
			f.Items, len(f.Lists), f.Import, f.Wall.Round(time.Millisecond))
		for _, l := range f.Lists {
			fmt.Fprintf(&b, "  %-20s %-9s %9d items, import %d ms, %s\n", l.ID, l.LocationType, l.ItemsCached, l.ImportDurationMs, l.State)
		}
		if f.RSSAfter > 0 {
			fmt.Fprintf(&b, "  edge RSS %d MiB before, %d MiB when done, %d MiB %v later\n", f.RSSBefore>>20, f.RSSAtImport>>20, f.RSSAfter>>20, fillSettle)
		}
	}
	if f := r.Freshness; f != nil {
		fmt.Fprintf(&b, "\nfreshness at %s: %d changes, %d seen at the edge, %d not seen within %v, %d superseded; %d edge asks\n",
			f.List, f.Changes, f.Seen, f.NotSeen, freshTimeout, f.Superseded, f.Polls)
		fmt.Fprintf(&b, "  core ack → edge shows it:   %s\n  intended send → edge shows it: %s\n", fmtPercentiles(f.Visible), fmtPercentiles(f.FromSend))
	}
	if r.HalfMax != nil {
		fmt.Fprintf(&b, "\nopen model at half of the maximum rate: target %.1f/s, achieved %.1f/s, %d late, %d dropped\n",
			r.HalfMax.TargetRate, r.HalfMax.AchievedRate, r.HalfMax.Late, r.HalfMax.Dropped)
		writeRows(&b, r.HalfMax.Rows)
	}
	r.writePhases(&b)
	r.writeTargets(&b)
	r.writeBaselines(&b)
	r.writeHeadlines(&b)
	r.writeChecks(&b)
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *Report) writeHeader(b *strings.Builder) {
	c := r.Config
	fmt.Fprintf(b, "ocibench %s → %s", r.Scenario, or(c.Target, "(no target)"))
	if c.Core != "" {
		fmt.Fprintf(b, ", core %s", c.Core)
	}
	fmt.Fprintf(b, "  seed %d, run %s\n", c.Seed, c.RunID)
	res := r.Load
	if res == nil || res.Mode == "import" {
		return
	}
	if res.Mode == "open" {
		fmt.Fprintf(b, "open model: target %.1f/s, offered %.1f/s, achieved %.1f/s (good %.1f/s), ≤ %d in flight\n",
			res.TargetRate, res.OfferedRate, res.AchievedRate, res.GoodRate, res.Workers)
	} else {
		fmt.Fprintf(b, "closed model: %d connections, achieved %.1f/s (good %.1f/s)\n", res.Workers, res.AchievedRate, res.GoodRate)
	}
	fmt.Fprintf(b, "window %v after %v warm-up (%d warm-up ops excluded); ops %d scheduled, %d completed, %d late, %d dropped\n",
		res.Window.Round(time.Millisecond), res.Warmup, res.WarmupOps, res.Scheduled, res.Completed, res.Late, res.Dropped)
	fmt.Fprintf(b, "op latency from intended start: %s\n", fmtPercentiles(res.OpLatency))
}

func writeRows(b *strings.Builder, rows []load.Row) {
	if len(rows) == 0 {
		return
	}
	phased := slices.ContainsFunc(rows, func(r load.Row) bool { return r.Phase != "" })
	b.WriteString("\n")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	if phased {
		fmt.Fprint(tw, "phase\t")
	}
	fmt.Fprintln(tw, "route\toutcome\tcount\trate/s\tp50\tp90\tp99\tp99.9\tmax\tsvc p50\tsvc p99\tlate\t")
	for _, row := range rows {
		if phased {
			fmt.Fprintf(tw, "%s\t", or(row.Phase, "-"))
		}
		l, s := row.Latency, row.Service
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.1f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t\n",
			row.Route, row.Outcome, row.Count, row.Rate,
			fmtDur(l.P50), fmtDur(l.P90), fmtDur(l.P99), fmtDur(l.P999), fmtDur(l.Max),
			fmtDur(s.P50), fmtDur(s.P99), row.Late)
	}
	_ = tw.Flush()
	b.WriteString("(latency from each request's intended send time; svc = from its actual send)\n")
}

func writeImport(b *strings.Builder, imp *ImportResult) {
	fmt.Fprintf(b, "\nimport %s: %s, %d of %d records processed (%d read, %d skipped), %d bytes\n",
		imp.ImportID, imp.Status, imp.Processed, imp.Records, imp.Read, imp.Skipped, imp.FileBytes)
	fmt.Fprintf(b, "  upload %v, upload to final status %v (%d polls): %.0f records/s\n",
		imp.Upload.Round(time.Millisecond), imp.Total.Round(time.Millisecond), imp.Polls, imp.Rate)
}

func writeKnee(b *strings.Builder, k *load.Knee) {
	unit := "/s offered"
	if k.Closed {
		unit = " connections"
	}
	b.WriteString("\nknee search:\n")
	for i, s := range k.Steps {
		mark := " "
		if i == k.Knee {
			mark = "*"
		}
		fmt.Fprintf(b, " %s %8.0f%s: %.1f good ops/s, p99 %s, %d dropped\n", mark, s.Load, unit, s.Throughput, fmtDur(s.P99), s.Dropped)
	}
	fmt.Fprintf(b, "  knee at %.0f%s: %.1f ops/s (stopped: %s)\n", k.At().Load, unit, k.At().Throughput, k.Reason)
}

func (r *Report) writeTargets(b *strings.Builder) {
	for _, t := range r.Targets {
		if t.NoFreeConns+t.StaleRetries > 0 {
			fmt.Fprintf(b, "%s %s: %d calls found no free connection, %d were resent on a fresh one after the server closed an idle one\n",
				t.Name, t.Host, t.NoFreeConns, t.StaleRetries)
		}
	}
}

func (r *Report) writeBaselines(b *strings.Builder) {
	if len(r.Baselines) == 0 {
		return
	}
	b.WriteString("\nbaselines (this machine, this run):\n")
	for _, bl := range r.Baselines {
		fmt.Fprintf(b, "  %-16s %12.1f %-9s %s\n", bl.Name, bl.Value, bl.Unit, fmtPercentiles(bl.Latency))
		if bl.CPUPerOp > 0 {
			fmt.Fprintf(b, "  %-16s server CPU %.1f µs per request\n", "", bl.CPUPerOp)
		}
		if bl.Detail != "" {
			fmt.Fprintf(b, "  %-16s %s\n", "", bl.Detail)
		}
	}
}

func (r *Report) writeHeadlines(b *strings.Builder) {
	if len(r.Headlines) == 0 {
		return
	}
	b.WriteString("\nheadlines:\n")
	for _, h := range r.Headlines {
		fmt.Fprintf(b, "  %-34s %12.1f %-9s", h.Name, h.Value, h.Unit)
		if h.BaselineValue > 0 {
			fmt.Fprintf(b, " vs %s %.1f: ratio %s", h.Baseline, h.BaselineValue, h.RatioText())
		} else if h.Baseline != "" {
			fmt.Fprintf(b, " (no %s baseline)", h.Baseline)
		}
		if bound := h.Bound(); bound != "" {
			verdict := "met"
			if !h.Met() {
				verdict = "NOT MET"
			}
			fmt.Fprintf(b, " (bound %s: %s)", bound, verdict)
		}
		if len(h.Samples) > 1 {
			fmt.Fprintf(b, " [median of %s]", fmtSamples(h.Samples))
		}
		if h.Note != "" {
			fmt.Fprintf(b, "  [%s]", h.Note)
		}
		b.WriteString("\n")
	}
}

// RatioText prints the ratio with two decimals, or three when two would
// round it onto its target (0.698 is not 0.70: it misses a ≥ 0.70 bound).
func (h Headline) RatioText() string {
	if h.Target > 0 && math.Abs(h.Ratio-h.Target) < 0.005 && h.Ratio != h.Target {
		return fmt.Sprintf("%.3f", h.Ratio)
	}
	return fmt.Sprintf("%.2f", h.Ratio)
}

// Bound says what is asked of h ("ratio ≥ 0.70, ≤ 15 µs"), or "".
func (h Headline) Bound() string {
	op := "≥"
	if h.Lower {
		op = "≤"
	}
	var parts []string
	if h.Goal != nil {
		parts = append(parts, fmt.Sprintf("%s %s %s", op, fmtNum(*h.Goal), h.Unit))
	}
	if h.Target > 0 {
		parts = append(parts, fmt.Sprintf("ratio %s %.2f", op, h.Target))
	}
	return strings.Join(parts, ", ")
}

func fmtSamples(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmtNum(x)
	}
	return strings.Join(s, ", ")
}

// fmtNum prints a figure with thousands separators and at most one
// decimal below 100.
func fmtNum(x float64) string {
	if x != 0 && x < 100 && x > -100 {
		return strings.TrimSuffix(strings.TrimSuffix(fmt.Sprintf("%.2f", x), "0"), ".0")
	}
	neg := x < 0
	digits := fmt.Sprintf("%.0f", math.Abs(x))
	var out []byte
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, digits[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

func (r *Report) writePhases(b *strings.Builder) {
	if len(r.Phases) == 0 {
		return
	}
	b.WriteString("\ntimeline:\n")
	for _, p := range r.Phases {
		fmt.Fprintf(b, "  %9s  %s\n", p.At.Round(time.Millisecond), p.Name)
	}
}

func (r *Report) writeChecks(b *strings.Builder) {
	if len(r.Checks) == 0 {
		return
	}
	b.WriteString("\nchecks:\n")
	for _, c := range r.Checks {
		verdict := "OK  "
		switch {
		case !c.OK && c.Warning:
			verdict = "WARN"
		case !c.OK:
			verdict = "FAIL"
		}
		fmt.Fprintf(b, "  %s %s: %s\n", verdict, c.Name, c.Detail)
	}
}

func fmtPercentiles(p load.Percentiles) string {
	if p == (load.Percentiles{}) {
		return ""
	}
	return fmt.Sprintf("p50 %s  p90 %s  p99 %s  p99.9 %s  max %s", fmtDur(p.P50), fmtDur(p.P90), fmtDur(p.P99), fmtDur(p.P999), fmtDur(p.Max))
}

// fmtDur prints a latency in µs below 10ms and in ms above.
func fmtDur(d time.Duration) string {
	switch {
	case d == 0:
		return "-"
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.0fµs", micros(d))
	case d < 10*time.Second:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	}
	return d.Round(time.Millisecond).String()
}
