package orders

import (
	"container/heap"
	"context"
	"sync"
	"time"

	"go.uber.org/zap"
)

// autoFailQueue holds the orders in status created of the sites with an
// auto-fail time, earliest due first. Entries are not removed when an
// order is placed; the job skips them when they come due. Safe for
// concurrent use.
type autoFailQueue struct {
	after map[string]time.Duration // site -> failNonPlacedOrdersAfter; read-only

	mu sync.Mutex // guards q
	q  dueHeap
}

type dueEntry struct {
	due time.Time
	no  string
}

type dueHeap []dueEntry

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].due.Before(h[j].due) }
func (h dueHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)        { *h = append(*h, x.(dueEntry)) }
func (h *dueHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

func (q *autoFailQueue) init(ix edgeIndex) {
	q.after = map[string]time.Duration{}
	for id, si := range ix.sites {
		if si.autoFail > 0 {
			q.after[id] = si.autoFail
		}
	}
}

// add queues an order created at created on site.
func (q *autoFailQueue) add(site, no string, created time.Time) {
	d, ok := q.after[site]
	if !ok {
		return
	}
	q.mu.Lock()
	heap.Push(&q.q, dueEntry{due: created.Add(d), no: no})
	q.mu.Unlock()
}

func (q *autoFailQueue) push(o *Order) { q.add(o.SiteID, o.No, o.Created) }

// due removes and returns the entries due at now.
func (q *autoFailQueue) due(now time.Time) []dueEntry {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []dueEntry
	for len(q.q) > 0 && !q.q[0].due.After(now) {
		out = append(out, heap.Pop(&q.q).(dueEntry))
	}
	return out
}

func (q *autoFailQueue) requeue(e dueEntry) {
	q.mu.Lock()
	heap.Push(&q.q, e)
	q.mu.Unlock()
}

// loadAutoFail queues the stored orders in status created.
func (s *Service) loadAutoFail() error {
	err := s.repo.scan("c/", func(no, v string) error {
		if site, created, ok := createdEntry(v); ok {
			s.af.add(site, no, created)
		}
		return nil
	})
	if err != nil {
		return internal(err, "load the orders to auto-fail")
	}
	return nil
}

// autoFailDue fails every order still created after its site's
// failNonPlacedOrdersAfter, releasing its reservation. The intent (status
// failed, reservation releasing) is durable before the release, so a
// restart in between finishes the release and never fails an order twice.
func (s *Service) autoFailDue(ctx context.Context) (int, error) {
	n := 0
	for _, e := range s.af.due(s.now()) {
		failed, err := s.autoFailOne(ctx, e.no)
		if err != nil {
			s.af.requeue(e)
			return n, err
		}
		if failed {
			n++
		}
	}
	return n, nil
}

func (s *Service) autoFailOne(ctx context.Context, no string) (bool, error) {
	unlock := s.orders.lock(no)
	defer unlock()
	o, found, err := s.repo.order(no)
	if err != nil {
		return false, internal(err, "read order "+no)
	}
	if !found || o.Status != StatusCreated || o.Res.State == ResReserving {
		return false, nil // placed, failed or cancelled since
	}
	if d := s.af.after[o.SiteID]; d <= 0 || o.Created.Add(d).After(s.now()) {
		return false, nil
	}
	if _, err := s.releaseTo(ctx, o, StatusFailed, "auto-fail"); err != nil {
		return false, err
	}
	s.log.Info("order auto-failed", zap.String("order", no), zap.String("site", o.SiteID),
		zap.Time("created", o.Created), zap.String("reservation", string(o.Res.State)))
	return true, nil
}
