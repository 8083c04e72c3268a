package load

import "time"

// Result is the outcome of one Run. It is plain data that round-trips
// through JSON.
type Result struct {
	Mode     string        `json:"mode"`
	Rate     float64       `json:"rate,omitempty"`   // configured start rate (open)
	RampTo   float64       `json:"rampTo,omitempty"` // configured end rate (open, ramping)
	Workers  int           `json:"workers"`
	Duration time.Duration `json:"durationNs"`
	Warmup   time.Duration `json:"warmupNs"`
	MaxOps   int64         `json:"maxOps,omitempty"`
	// Window is the measured time: from the end of warm-up until the last op
	// finished.
	Window time.Duration `json:"windowNs"`
	// Ops scheduled (or claimed, closed) in the window, started by a worker,
	// completed, and completed without a transport error or 5xx.
	Scheduled int64 `json:"scheduled"`
	Started   int64 `json:"started"`
	Completed int64 `json:"completed"`
	Good      int64 `json:"good"`
	Late      int64 `json:"late"`
	Dropped   int64 `json:"dropped"`
	// WarmupOps were scheduled during warm-up and are in no other count.
	WarmupOps int64 `json:"warmupOps"`
	// TargetRate is the mean intended rate (open); OfferedRate what was
	// scheduled per second until scheduling stopped; AchievedRate
	// completions and GoodRate good completions per second of the window.
	TargetRate   float64 `json:"targetRate,omitempty"`
	OfferedRate  float64 `json:"offeredRate"`
	AchievedRate float64 `json:"achievedRate"`
	GoodRate     float64 `json:"goodRate"`
	// OpLatency is whole ops, from intended start to end.
	OpLatency Percentiles `json:"opLatency"`
	Rows      []Row       `json:"rows"`
}

func (d *driver) result(now time.Time) *Result {
	c := &d.rec.counter
	res := &Result{
		Mode: d.cfg.Mode(), Workers: d.cfg.Workers,
		Duration: d.cfg.Duration, Warmup: d.cfg.Warmup, MaxOps: d.cfg.MaxOps,
		Window:    max(0, now.Sub(d.measureFrom)),
		Scheduled: c.scheduled.Load(), Started: c.started.Load(),
		Completed: c.completed.Load(), Good: c.good.Load(),
		Late: c.late.Load(), Dropped: c.dropped.Load(), WarmupOps: c.warmup.Load(),
		OpLatency: d.rec.OpLatency(),
	}
	if !d.cfg.Closed {
		res.Rate, res.RampTo = d.cfg.Rate, d.cfg.RampTo
		res.TargetRate = d.cfg.Rate
		if d.cfg.RampTo > 0 {
			res.TargetRate = (d.cfg.Rate + d.cfg.RampTo) / 2
		}
	}
	if w := d.schedEnd.Sub(d.measureFrom).Seconds(); w > 0 {
		res.OfferedRate = float64(res.Scheduled) / w
	}
	if w := res.Window.Seconds(); w > 0 {
		res.AchievedRate = float64(res.Completed) / w
		res.GoodRate = float64(res.Good) / w
	}
	res.Rows = d.rec.Rows(res.Window)
	return res
}

// Find returns the rows for route (any phase, any outcome).
func (r *Result) Find(route string) []Row {
	var out []Row
	for _, row := range r.Rows {
		if row.Route == route {
			out = append(out, row)
		}
	}
	return out
}
