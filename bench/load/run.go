package load

import (
	"context"
	"time"
)

// driver is the state of one Run.
type driver struct {
	cfg         Config
	src         Source
	rec         *Recorder
	start       time.Time // the run's time zero: op 0's intended send time
	measureFrom time.Time // start + Warmup
	end         time.Time // measureFrom + Duration: nothing is scheduled after it
	schedEnd    time.Time // when scheduling stopped
}

// job is one op handed to a worker.
type job struct {
	op       Op
	at       time.Time // intended send time
	measured bool
}

// Run drives ops from src at cfg's load, records every call in rec and
// returns when the run is over and every op it started has finished. It
// stops at the end of the window, after MaxOps measured ops, or when ctx is
// done, whichever comes first; ops already started run to completion (each
// call is bounded by its target's timeout). Use one Recorder per Run; calls
// made outside the run through rec.Session are reported with it.
func Run(ctx context.Context, cfg Config, src Source, rec *Recorder) (*Result, error) {
	cfg, err := cfg.Normalized()
	if err != nil {
		return nil, err
	}
	d := &driver{cfg: cfg, src: src, rec: rec, start: time.Now()}
	d.measureFrom = d.start.Add(cfg.Warmup)
	d.end = d.measureFrom.Add(cfg.Duration)
	if cfg.Closed {
		d.runClosed(ctx)
	} else {
		d.runOpen(ctx)
	}
	return d.result(time.Now()), nil
}

// runJob runs one op on the calling worker.
func (d *driver) runJob(j job) { d.runJobAt(j, time.Now()) }

// runJobAt runs one op that actually starts at now.
func (d *driver) runJobAt(j job, now time.Time) {
	late := now.Sub(j.at) > d.cfg.LateAfter
	if j.measured {
		d.rec.counter.started.Add(1)
		if late {
			d.rec.counter.late.Add(1)
		}
	}
	s := d.rec.newSession(j.at, now, j.measured, late)
	j.op.Run(s)
	s.finish()
}
