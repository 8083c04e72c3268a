package load

import (
	"context"
	"sync"
	"time"
)

// runOpen starts the worker pool, schedules ops at their intended times and
// waits for the pool to drain.
func (d *driver) runOpen(ctx context.Context) {
	jobs := make(chan job) // unbuffered: a send succeeds only if a worker is free
	var wg sync.WaitGroup
	for range d.cfg.Workers {
		wg.Go(func() {
			for j := range jobs {
				d.runJob(j)
			}
		})
	}
	d.schedule(ctx, jobs)
	d.schedEnd = time.Now()
	close(jobs)
	wg.Wait()
}

// schedule hands op i to a worker at its intended time, for every i whose
// time falls in the run, until MaxOps measured ops or ctx is done. It never
// waits for the server: an op that finds no free worker by its drop deadline
// is dropped, and the next op keeps its own intended time.
func (d *driver) schedule(ctx context.Context, jobs chan<- job) {
	sched := newSchedule(d.cfg)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	var measured int64
	for i := int64(0); ; i++ {
		at := d.start.Add(sched.offset(i))
		if !at.Before(d.end) {
			sleepUntil(ctx, timer, d.end) // the window lasts its duration
			return
		}
		j := job{at: at, measured: !at.Before(d.measureFrom)}
		if j.measured && d.cfg.MaxOps > 0 && measured >= d.cfg.MaxOps {
			return
		}
		if !sleepUntil(ctx, timer, at) {
			return
		}
		j.op = d.src.Next(i)
		if j.measured {
			measured++
			d.rec.counter.scheduled.Add(1)
		} else {
			d.rec.counter.warmup.Add(1)
		}
		d.dispatch(ctx, timer, jobs, j)
	}
}

// dispatch gives j to a free worker, waiting at most until its drop deadline.
func (d *driver) dispatch(ctx context.Context, timer *time.Timer, jobs chan<- job, j job) {
	select {
	case jobs <- j:
		return
	default:
	}
	if wait := time.Until(j.at.Add(d.cfg.DropAfter)); wait > 0 {
		timer.Reset(wait)
		select {
		case jobs <- j:
			timer.Stop()
			return
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
		}
	}
	if j.measured {
		d.rec.drop(d.rec.Phase(), j.op.Name())
	}
}

// preciseWait is the longest wait sleepUntil makes with preciseSleep
// (not interruptible by ctx); longer waits use the timer.
const preciseWait = 5 * time.Millisecond

// sleepUntil waits for t; false if ctx ended first.
func sleepUntil(ctx context.Context, timer *time.Timer, t time.Time) bool {
	wait := time.Until(t)
	if wait <= 0 {
		return ctx.Err() == nil
	}
	if wait <= preciseWait {
		preciseSleep(wait)
		return ctx.Err() == nil
	}
	timer.Reset(wait)
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		timer.Stop()
		return false
	}
}
