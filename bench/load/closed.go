package load

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// runClosed keeps Workers ops in flight: each worker takes the next op as
// soon as its last one finished. Workers draw ops from the source one at a
// time, in order, under a lock (no feeder goroutine: a hand-off through a
// channel would cost a goroutine wake-up per op, CPU the load tool takes
// from the server on a small machine), so the sequence stays deterministic
// whatever the interleaving.
func (d *driver) runClosed(ctx context.Context) {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	f := &feed{src: d.src}
	var claimed atomic.Int64
	var workers sync.WaitGroup
	for range d.cfg.Workers {
		workers.Go(func() { d.closedWorker(ctx, f, &claimed, stop) })
	}
	workers.Wait()
	d.schedEnd = time.Now()
}

// feed hands out op 0, 1, 2, … one caller at a time.
type feed struct {
	mu  sync.Mutex // guards src and i
	src Source
	i   int64
}

func (f *feed) next() Op {
	f.mu.Lock()
	defer f.mu.Unlock()
	op := f.src.Next(f.i)
	f.i++
	return op
}

// closedWorker runs ops until the window ends, ctx is done or MaxOps
// measured ops have been claimed, then stops the run.
func (d *driver) closedWorker(ctx context.Context, f *feed, claimed *atomic.Int64, stop context.CancelFunc) {
	for ctx.Err() == nil {
		op := f.next()
		now := time.Now()
		if !now.Before(d.end) {
			stop()
			return
		}
		measured := !now.Before(d.measureFrom)
		if measured {
			if n := claimed.Add(1); d.cfg.MaxOps > 0 && n > d.cfg.MaxOps {
				stop()
				return
			}
			d.rec.counter.scheduled.Add(1)
		} else {
			d.rec.counter.warmup.Add(1)
		}
		d.runJobAt(job{op: op, at: now, measured: measured}, now)
	}
}
