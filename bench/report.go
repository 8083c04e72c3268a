package bench

import (
	"encoding/json"
	"io"
	"time"

	"ociedge/bench/load"
)

// Report is everything a run found. It is plain data: WriteJSON and
// ReadReport round-trip it, WriteText renders it for people.
type Report struct {
	Scenario string       `json:"scenario"`
	Config   ReportConfig `json:"config"`
	Started  time.Time    `json:"started"`
	Finished time.Time    `json:"finished"`
	// Load is the main load phase (for a knee search, the knee step's run).
	Load *load.Result `json:"load,omitempty"`
	Knee *load.Knee   `json:"knee,omitempty"`
	// HalfMax is browse's open run at half of the closed model's rate.
	HalfMax   *load.Result     `json:"halfMax,omitempty"`
	Import    *ImportResult    `json:"import,omitempty"`
	Freshness *FreshnessResult `json:"freshness,omitempty"`
	Fill      *FillResult      `json:"fill,omitempty"`
	Outage    *OutageResult    `json:"outage,omitempty"`
	// Wrk are crosscheck's wrk runs, one per round.
	Wrk       []WrkResult   `json:"wrk,omitempty"`
	Targets   []TargetStats `json:"targets,omitempty"`
	Baselines []Baseline    `json:"baselines,omitempty"`
	Headlines []Headline    `json:"headlines,omitempty"`
	Checks    []Check       `json:"checks,omitempty"`
	Notes     []string      `json:"notes,omitempty"`
	// Rounds are the rounds' own baselines and headlines when the run had
	// more than one; Baselines and Headlines are then their medians.
	Rounds []Round `json:"rounds,omitempty"`
	// Phases are the timeline of a multi-phase scenario (outage, fill).
	Phases []PhaseMark `json:"phases,omitempty"`
}

// Round is one round of a repeated run.
type Round struct {
	Baselines []Baseline `json:"baselines,omitempty"`
	Headlines []Headline `json:"headlines,omitempty"`
}

// PhaseMark is a moment in a scenario's timeline, from the run's start.
type PhaseMark struct {
	Name string        `json:"name"`
	At   time.Duration `json:"atNs"`
}

// ReportConfig is what the run was asked to do.
type ReportConfig struct {
	Target      string   `json:"target,omitempty"`
	Core        string   `json:"core,omitempty"`
	Mode        string   `json:"mode"`
	Rate        float64  `json:"rate,omitempty"`
	RampTo      float64  `json:"rampTo,omitempty"`
	Connections int      `json:"connections"`
	Duration    string   `json:"duration"`
	Warmup      string   `json:"warmup"`
	MaxRequests int64    `json:"maxRequests,omitempty"`
	Knee        bool     `json:"knee,omitempty"`
	Seed        uint64   `json:"seed"`
	RunID       string   `json:"runId"`
	Skus        int      `json:"skus"`
	SkuFormat   string   `json:"skuFormat"`
	Zipf        float64  `json:"zipf"`
	LookupSizes string   `json:"lookupSizes"`
	Lists       string   `json:"lists"`
	BasketSizes string   `json:"basketSizes"`
	PlaceShare  float64  `json:"placeShare"`
	Groups      []string `json:"groups,omitempty"`
	Locations   []string `json:"locations,omitempty"`
	Records     int      `json:"records,omitempty"`
	Stock       int64    `json:"stock,omitempty"`
}

// TargetStats are a target's client-side counts over the whole run.
type TargetStats struct {
	Name string `json:"name"` // "edge" or "core"
	Host string `json:"host"`
	// NoFreeConns counts calls that found every connection busy.
	NoFreeConns int64 `json:"noFreeConns"`
	// StaleRetries counts calls sent again because the server had closed
	// the idle connection under them.
	StaleRetries int64 `json:"staleRetries"`
}

// Baseline is one ceiling measured in the run.
type Baseline struct {
	Name    string           `json:"name"` // "http-fixed-json", "fsync", "ndjson-decode"
	Unit    string           `json:"unit"` // "req/s", "syncs/s", "records/s"
	Value   float64          `json:"value"`
	Latency load.Percentiles `json:"latency"`
	// CPUPerOp is the server's CPU time per request in µs, when it ran as a
	// process of its own.
	CPUPerOp float64 `json:"cpuPerOpMicros,omitempty"`
	Detail   string  `json:"detail,omitempty"`
}

// Headline is a figure of interest next to its baseline.
type Headline struct {
	Name          string  `json:"name"`
	Unit          string  `json:"unit"`
	Value         float64 `json:"value"`
	Baseline      string  `json:"baseline,omitempty"`
	BaselineValue float64 `json:"baselineValue,omitempty"`
	// Ratio is Value / BaselineValue (0 when there is no baseline).
	Ratio float64 `json:"ratio,omitempty"`
	// Target is the ratio DESIGN §6 asks for, when it names one: a floor,
	// or a ceiling when Lower is set.
	Target float64 `json:"target,omitempty"`
	// Goal is the bound DESIGN §6 puts on Value itself, when it names one
	// ("≥ 200,000 records/s"): a floor, or a ceiling when Lower is set
	// ("p99 < 10 ms", "0 allocations").
	Goal *float64 `json:"goal,omitempty"`
	// Lower says that lower values are better (latencies, CPU, bytes).
	Lower bool `json:"lower,omitempty"`
	// Samples are the rounds' values when Value is their median.
	Samples []float64 `json:"samples,omitempty"`
	Note    string    `json:"note,omitempty"`
}

// Judged reports whether DESIGN §6 sets a bound on the headline.
func (h Headline) Judged() bool { return h.Target > 0 || h.Goal != nil }

// goal returns a Goal.
func goal(v float64) *float64 { return &v }

// Met reports whether the headline meets every bound DESIGN §6 sets on it
// (true when it sets none).
func (h Headline) Met() bool {
	ok := func(v, bound float64) bool {
		if h.Lower {
			return v <= bound
		}
		return v >= bound
	}
	switch {
	case h.Target > 0 && (h.Ratio == 0 || !ok(h.Ratio, h.Target)):
		return false
	case h.Goal != nil && !ok(h.Value, *h.Goal):
		return false
	}
	return true
}

// Check is a correctness verdict (a flash sale's oversell check). A failed
// check that is not a Warning fails the run.
type Check struct {
	Name    string `json:"name"`
	OK      bool   `json:"ok"`
	Warning bool   `json:"warning,omitempty"`
	Detail  string `json:"detail"`
}

// ImportResult is one import through the impex upload path.
type ImportResult struct {
	ImportID  string        `json:"importId"`
	Status    string        `json:"status"`
	Records   int64         `json:"records"`   // lines in the file
	FileBytes int64         `json:"fileBytes"` // size of the file
	Processed int64         `json:"processed"` // recordsProcessedCount
	Read      int64         `json:"read"`
	Skipped   int64         `json:"skipped"`
	Upload    time.Duration `json:"uploadNs"` // the upload call
	Total     time.Duration `json:"totalNs"`  // upload start to final status seen
	Rate      float64       `json:"recordsPerSec"`
	Polls     int           `json:"polls"`
}

// Failed reports whether any non-warning check failed.
func (r *Report) Failed() bool {
	for _, c := range r.Checks {
		if !c.OK && !c.Warning {
			return true
		}
	}
	return false
}

// WriteJSON writes r as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// ReadReport reads a report written by WriteJSON.
func ReadReport(rd io.Reader) (*Report, error) {
	var r Report
	if err := json.NewDecoder(rd).Decode(&r); err != nil {
		return nil, err
	}
	return &r, nil
}

func (r *Report) baseline(name string) (Baseline, bool) {
	for _, b := range r.Baselines {
		if b.Name == name {
			return b, true
		}
	}
	return Baseline{}, false
}

// headline adds a figure with its ratio to the named baseline's value (or
// to base when given explicitly).
func (r *Report) headline(h Headline) {
	if b, ok := r.baseline(h.Baseline); ok && h.BaselineValue == 0 {
		h.BaselineValue = b.Value
	}
	if h.BaselineValue > 0 {
		h.Ratio = h.Value / h.BaselineValue
	}
	r.Headlines = append(r.Headlines, h)
}

// headlineNamed returns the headline called name.
func (r *Report) headlineNamed(name string) (Headline, bool) {
	for _, h := range r.Headlines {
		if h.Name == name {
			return h, true
		}
	}
	return Headline{}, false
}

func (r *Report) check(name string, ok bool, detail string) {
	r.Checks = append(r.Checks, Check{Name: name, OK: ok, Detail: detail})
}

func (r *Report) warnCheck(name string, ok bool, detail string) {
	r.Checks = append(r.Checks, Check{Name: name, OK: ok, Warning: true, Detail: detail})
}
