package load

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// runClosed keeps Workers ops in flight: each worker takes the next op as
// soon as its last one finished. A feeder goroutine draws ops from the source
// in order, so the sequence stays deterministic whatever the interleaving.
func (d *driver) runClosed(ctx context.Context) {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	ops := make(chan Op)
	var feeder, workers sync.WaitGroup
	feeder.Go(func() { d.feed(ctx, ops) })
	var claimed atomic.Int64
	for range d.cfg.Workers {
		workers.Go(func() { d.closedWorker(ops, &claimed, stop) })
	}
	workers.Wait()
	d.schedEnd = time.Now()
	stop()
	feeder.Wait()
}

// feed sends op 0, 1, 2, … until ctx is done, then closes ops.
func (d *driver) feed(ctx context.Context, ops chan<- Op) {
	defer close(ops)
	for i := int64(0); ; i++ {
		op := d.src.Next(i)
		select {
		case ops <- op:
		case <-ctx.Done():
			return
		}
	}
}

// closedWorker runs ops until the window ends or MaxOps measured ops have
// been claimed, then stops the run.
func (d *driver) closedWorker(ops <-chan Op, claimed *atomic.Int64, stop context.CancelFunc) {
	for op := range ops {
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
		d.runJob(job{op: op, at: now, measured: measured})
	}
}
