package bench

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// TableInput is what BENCHMARKS.md is written from: the reports of one
// `make bench` run by label ("browse-1", "fill", …), the Go benchmark
// results of the same run, the machine, and free notes.
type TableInput struct {
	Reports map[string]*Report
	GoBench []GoBenchResult
	Machine Machine
	Command string
	Notes   []string
}

// tableRow is one figure of the table: the headline named headline in the
// report labelled report, or the metric of a Go benchmark.
type tableRow struct {
	what     string
	report   string
	headline string
	gobench  string
	metric   string
}

// designRows are DESIGN §6's targets, in its order.
var designRows = []tableRow{
	{what: "Availability, 1 sku, cache hit, full Shopper Availability route: ≥ 70% of the bare fasthttp fixed-JSON handler's req/s (same tool, same connections)",
		report: "browse-1", headline: "availability-1 req/s"},
	{what: "Availability, 24 skus: ≥ 30% of the bare handler's req/s", report: "browse-24", headline: "availability-24 req/s"},
	{what: "Server CPU per 1-sku request ≤ 15 µs (edge utime+stime ÷ requests)", report: "browse-1", headline: headCPU},
	{what: "1-sku lookup p99 ≤ 1 ms at half of the maximum rate (open model)", report: "browse-1", headline: "availability-1" + headHalfMax},
	{what: "Zero allocations per request on the hit path (BenchmarkAvailabilityHit1)", gobench: "BenchmarkAvailabilityHit1", metric: "allocs/op"},
	{what: "Cache fill: ≥ 1,000,000 records into the cache in < 5 s from a core export", report: "fill", headline: headFill},
	{what: "Freshness: a core change visible at the edge in p99 < 100 ms at 1,000 changes/s", report: "freshness", headline: headFreshness},
	{what: "Import: ≥ 200,000 records/s from an NDJSON file into the core, durable, and ≥ 40% of a bare NDJSON decode", report: "core-import", headline: headImport},
	{what: "Reservations at the core: ≥ 20,000 durable single-line reservations/s at 64 clients, ≥ 1.5× the single-writer fsync rate", report: "core-reserve", headline: headReservations},
	{what: "Reservations at the core: p99 < 10 ms", report: "core-reserve", headline: headReserveP99},
	{what: "Orders through the edge in OCI mode: ≥ 5,000/s", report: "checkout", headline: headOrders},
	{what: "Orders through the edge: p99 < 20 ms", report: "checkout", headline: headOrderP99},
	{what: "Zero oversell in the flash-sale scenario", report: "flashsale", headline: headOversold},
	{what: "Memory: ≤ 400 bytes of RSS per cached record at 1,000,000 records", report: "fill", headline: headRSSPerRec},
}

// extraRows are figures beside the targets: the cross-check, the outage.
var extraRows = []tableRow{
	{what: "Cross-check: this harness's closed-model req/s vs wrk's, same endpoint and connections (agree within 15%)", report: "crosscheck", headline: headCross},
	{what: "Cross-check on a 24-sku lookup", report: "crosscheck-24", headline: headCross},
	{what: "Load tool CPU per request: this harness vs wrk", report: "crosscheck", headline: headCrossCPU},
	{what: "Cache fill rate vs a bare ristretto cache's Set rate", report: "fill", headline: headFillRate},
	{what: "Outage: lookups answered while the core is down", report: "outage", headline: headOutageLookups},
	{what: "Outage: order creations refused with 503 while the core is down", report: "outage", headline: headOutageOrders},
	{what: "Outage: order-create p99 while the core is down", report: "outage", headline: headOutageFast},
	{what: "Outage: core restart → the edge creates orders again", report: "outage", headline: headRecovery},
}

// WriteTable writes BENCHMARKS.md.
func WriteTable(w io.Writer, in TableInput) error {
	var b strings.Builder
	m := in.Machine
	b.WriteString("# Benchmarks\n\n")
	fmt.Fprintf(&b, "Measured on %s: %d cores, %s, %d MiB, Linux %s, %s.\n", m.Date.Format("2006-01-02 15:04 MST"),
		m.Cores, m.CPU, m.MemMiB, m.Kernel, m.Go)
	if in.Command != "" {
		fmt.Fprintf(&b, "Reproduce with `%s`; every figure is compared with a baseline measured in the same run, back to back "+
			"(DESIGN §6), and a figure repeated in rounds is the median of the rounds.\n", in.Command)
	}
	b.WriteString("\n## DESIGN §6 targets\n\n")
	met, judged := writeTableRows(&b, in, designRows)
	fmt.Fprintf(&b, "\n%d of %d targets met.\n", met, judged)
	b.WriteString("\n## Beside the targets\n\n")
	writeTableRows(&b, in, extraRows)
	writeChecks(&b, in)
	b.WriteString(methodology)
	writeRuns(&b, in)
	if len(in.Notes) > 0 {
		b.WriteString("\n## Notes\n\n")
		for _, n := range in.Notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// methodology says how each figure is measured; scripts/bench.sh runs it.
const methodology = `
## How the figures are measured

scripts/bench.sh starts an OCI core (bin/ocicore, the demo's location graph plus a bulk
location), loads 10,000 skus at two warehouses and three stores, starts an edge
(bin/ociedge) configured like the demo and walks it to OMNICHANNEL_INVENTORY, then runs
bin/ocibench scenarios against them on loopback. Every process is its own: the core, the
edge, the load tool, and the bare fixed-JSON baseline server (ocibench baseline-server).

- **Lookups** (browse): closed model, 64 connections, 1-sku (or 24-sku) lookups at the
  site's list, Zipf-skewed skus; each round runs the bare fasthttp server answering a body
  of the same size as the edge's 1-sku answer, with the same tool and connections, right
  before the edge. The ratio is the median of the rounds' ratios. Server CPU per request
  is the edge's utime+stime from /proc/PID/stat over the run ÷ its requests. The p99 at
  half of the maximum is an open-model run at half the closed model's median rate, after
  the bare server at the same rate.
- **Allocations**: BenchmarkAvailabilityHit1 in proxy/bench_test.go (go test -benchmem).
- **Cache fill and memory** (fill): 1,000,000 records are imported into the core's bulk
  location (core-import, two files of 500,000); a fresh edge whose one list is that
  location is switched to OCI_CACHE_ENABLED and timed until GET /admin/api/oci/status
  shows the list imported with 1,000,000 items; RSS per record is the edge's VmRSS one
  second after that minus before the fill, ÷ records. Baselines: a bare ristretto cache
  filled in ocibench.
- **Freshness**: batch-updates at the core at 1,000/s (open model), each writing a unique
  onHand at a store location with no safety stock or reservations; a watcher asks the
  edge for the changed skus every 2 ms and times each change from the core's answer to
  the first edge answer showing its value.
- **Import** (core-import): an NDJSON file through the impex upload path, from the upload
  to the COMPLETED status; baseline: encoding/json decoding the same file in ocibench.
- **Reservations** (core-reserve): single-line durable reservations at the core's group,
  64 connections, uniform skus; baseline: one writer's 128-byte append + fsync in the
  same directory as the core's data.
- **Orders** (checkout): basket → order (reserving at the core) → place or fail, closed,
  64 connections. **Flash sale**: 100 units of one sku written at the core, 64 buyers;
  accepted orders are checked against the stock and the core's reservations.
- **Outage**: lookups and checkouts at 500/s; a quarter into the window the core is
  killed (SIGKILL), halfway it is started again with the same command; recovery is the
  time from the restart until an order goes through the edge again.
- **Cross-check**: the harness's closed-model rate and wrk's (same endpoint, same
  connections and duration, alternating which goes first) must agree within 15%.
`

// writeTableRows writes one table and returns how many of its judged rows met
// their bound, and how many were judged.
func writeTableRows(b *strings.Builder, in TableInput, rows []tableRow) (met, judged int) {
	b.WriteString("| Figure | Measured | Baseline (same run) | Ratio | Bound | Met |\n")
	b.WriteString("|---|---|---|---|---|---|\n")
	for _, row := range rows {
		h, ok := row.find(in)
		if !ok {
			if row.report != "" && in.Reports[row.report] == nil && !slices.Contains(designRows, row) {
				continue // an optional figure that was not run
			}
			fmt.Fprintf(b, "| %s | not measured | | | | ❌ |\n", row.what)
			judged++
			continue
		}
		verdict := ""
		if h.Judged() {
			judged++
			verdict = "❌ no"
			if h.Met() {
				verdict = "✅ yes"
				met++
			}
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s |\n", row.what, measured(h), baselineCell(h), ratioCell(h), h.Bound(), verdict)
	}
	return met, judged
}

// find returns the row's figure as a headline.
func (row tableRow) find(in TableInput) (Headline, bool) {
	if row.gobench != "" {
		for _, g := range in.GoBench {
			if v, ok := g.Metrics[row.metric]; ok && g.Name == row.gobench {
				ns := g.Metrics["ns/op"]
				return Headline{Name: row.gobench, Unit: row.metric, Value: v, Lower: true, Goal: goal(0),
					Note: fmt.Sprintf("%.0f ns/op", ns)}, true
			}
		}
		return Headline{}, false
	}
	rep := in.Reports[row.report]
	if rep == nil {
		return Headline{}, false
	}
	return rep.headlineNamed(row.headline)
}

func measured(h Headline) string {
	s := fmtNum(h.Value) + " " + h.Unit
	if len(h.Samples) > 1 {
		s += fmt.Sprintf(" (median of %d: %s)", len(h.Samples), fmtSamples(h.Samples))
	}
	if h.Note != "" {
		s += "<br><sub>" + h.Note + "</sub>"
	}
	return s
}

func baselineCell(h Headline) string {
	if h.BaselineValue == 0 {
		return "—"
	}
	return fmt.Sprintf("%s: %s", h.Baseline, fmtNum(h.BaselineValue))
}

func ratioCell(h Headline) string {
	if h.BaselineValue == 0 {
		return "—"
	}
	return h.RatioText()
}

// writeChecks lists every check of every report.
func writeChecks(b *strings.Builder, in TableInput) {
	var lines []string
	for _, label := range sortedLabels(in) {
		for _, c := range in.Reports[label].Checks {
			verdict := "✅"
			switch {
			case !c.OK && c.Warning:
				verdict = "⚠️"
			case !c.OK:
				verdict = "❌"
			}
			lines = append(lines, fmt.Sprintf("- %s %s — %s: %s", verdict, label, c.Name, c.Detail))
		}
	}
	if len(lines) > 0 {
		b.WriteString("\n## Checks\n\n" + strings.Join(lines, "\n") + "\n")
	}
}

// writeRuns says what each run was.
func writeRuns(b *strings.Builder, in TableInput) {
	b.WriteString("\n## Runs\n\n| Label | Scenario | Load | Workload | Took |\n|---|---|---|---|---|\n")
	for _, label := range sortedLabels(in) {
		r := in.Reports[label]
		c := r.Config
		load := "—"
		switch {
		case r.Scenario == "crosscheck":
			load = fmt.Sprintf("closed, %d connections, %s, no warm-up (as wrk)", c.Connections, c.Duration)
		case r.Load == nil || r.Load.Mode == "import":
		case r.Load.Mode == "closed":
			load = fmt.Sprintf("closed, %d connections, %s (+%s warm-up)", c.Connections, c.Duration, c.Warmup)
		default:
			load = fmt.Sprintf("open, %g/s, ≤ %d in flight, %s (+%s warm-up)", c.Rate, c.Connections, c.Duration, c.Warmup)
		}
		if n := len(r.Rounds); n > 1 {
			load += fmt.Sprintf(", %d rounds", n)
		}
		work := fmt.Sprintf("%d skus, lookups %s, lists %s", c.Skus, c.LookupSizes, c.Lists)
		switch r.Scenario {
		case "checkout", "flashsale":
			work = fmt.Sprintf("%d skus, baskets %s", c.Skus, c.BasketSizes)
		case "core-import", "fill":
			work = fmt.Sprintf("%d records", c.Records)
		case "core-reserve":
			work = fmt.Sprintf("%d skus at %v", c.Skus, append(c.Groups, c.Locations...))
		case "freshness":
			work = fmt.Sprintf("%d skus", c.Skus)
		case "crosscheck":
			work = fmt.Sprintf("one fixed %s-sku lookup at the site's list", c.LookupSizes)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", label, r.Scenario, load, work, r.Finished.Sub(r.Started).Round(time.Second))
	}
}

func sortedLabels(in TableInput) []string {
	var labels []string
	for l := range in.Reports {
		labels = append(labels, l)
	}
	slices.Sort(labels)
	return labels
}
