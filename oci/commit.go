package oci

import (
	"sync"
	"sync/atomic"
	"time"

	"ociedge/internal/kv"
)

// committer makes state changes durable in the order they were applied, many
// at a time (group commit). Operations apply their change to memory and add
// its store mutations to the open group while holding the core's state lock;
// after releasing the lock they wait for that group's fsync. One goroutine
// writes groups one after another, so a group collects every change made
// while the previous one was being written: durability costs one fsync per
// group, not per operation.
type committer struct {
	store   kv.Store
	metrics *Metrics
	now     func() time.Time

	mu      sync.Mutex // guards open, last, closing, failed
	wake    *sync.Cond // signalled when open gets content or closing is set
	open    *commitGroup
	last    *commitGroup // the most recent group with content (open or being written)
	closing bool
	failed  error // the first write failure; every later write is refused

	durableSeq atomic.Uint64 // change-log sequence up to which everything is durable
	done       chan struct{} // closed when the writer goroutine exits
}

// commitGroup is a set of changes written and fsynced together.
type commitGroup struct {
	batch  kv.Batch
	maxSeq uint64
	ops    int
	done   chan struct{} // closed after the write; err is then set
	err    error
}

func newCommitGroup() *commitGroup { return &commitGroup{done: make(chan struct{})} }

func newCommitter(store kv.Store, m *Metrics, now func() time.Time, seq uint64) *committer {
	c := &committer{store: store, metrics: m, now: now, open: newCommitGroup(), done: make(chan struct{})}
	c.wake = sync.NewCond(&c.mu)
	c.durableSeq.Store(seq)
	go c.run()
	return c
}

// add appends mutations to the open group and returns it. The caller holds
// the state lock, so groups receive changes in the order they were applied.
func (c *committer) add(b *kv.Batch, seq uint64) *commitGroup {
	c.mu.Lock()
	defer c.mu.Unlock()
	g := c.open
	g.batch.Append(b)
	g.ops++
	if seq > g.maxSeq {
		g.maxSeq = seq
	}
	c.last = g
	c.wake.Signal()
	return g
}

// tail returns the latest group with content that is not yet durable, or
// nil. A reader holding the state lock waits on it so that it never returns
// values that a crash could take back.
func (c *committer) tail() *commitGroup {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.last == nil {
		return nil
	}
	select {
	case <-c.last.done:
		if c.last.err != nil {
			return c.last
		}
		return nil
	default:
		return c.last
	}
}

// err returns the sticky write failure, if any.
func (c *committer) err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.failed
}

func (c *committer) run() {
	defer close(c.done)
	for {
		c.mu.Lock()
		for c.open.ops == 0 && !c.closing {
			c.wake.Wait()
		}
		if c.open.ops == 0 && c.closing {
			c.mu.Unlock()
			return
		}
		g := c.open
		c.open = newCommitGroup()
		failed := c.failed
		c.mu.Unlock()
		c.write(g, failed)
	}
}

func (c *committer) write(g *commitGroup, failed error) {
	start := c.now()
	err := failed
	if err == nil {
		err = c.store.Write(&g.batch)
	}
	c.metrics.observeCommit(c.now().Sub(start), g.ops)
	if err != nil {
		c.mu.Lock()
		if c.failed == nil {
			c.failed = err
		}
		c.mu.Unlock()
		g.err = &Error{Code: StoreUnavailable, Err: err,
			Message: "the core's store cannot be written; the change was not saved"}
	} else if g.maxSeq > c.durableSeq.Load() {
		c.durableSeq.Store(g.maxSeq)
	}
	close(g.done)
}

// close writes what is pending and stops the writer.
func (c *committer) close() {
	c.mu.Lock()
	c.closing = true
	c.wake.Signal()
	c.mu.Unlock()
	<-c.done
}

// wait blocks until g is durable and returns its write error.
func (g *commitGroup) wait() error {
	if g == nil {
		return nil
	}
	<-g.done
	return g.err
}
