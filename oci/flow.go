package oci

import "sync"

// flowNet is a small max-flow network (Dinic's algorithm) used to decide
// whether group reservations — promises against any of a group's locations —
// can all still be kept. A reservation is accepted exactly when some
// assignment of every open group promise to member locations fits each
// location's capacity: OCI "exhausts all possibilities to accommodate a
// group reservation before resulting in failure" (reference §4.1).
//
// Not safe for concurrent use; get one from netPool.
type flowNet struct {
	head  []int32
	edges []flowEdge
	level []int32
	iter  []int32
	queue []int32
}

type flowEdge struct {
	to   int32
	next int32
	cap  Qty
}

// infQty is larger than any sum of quantities the core can hold.
const infQty = Qty(1) << 62

var netPool = sync.Pool{New: func() any { return new(flowNet) }}

func (f *flowNet) reset(n int) {
	f.head = f.head[:0]
	for range n {
		f.head = append(f.head, -1)
	}
	f.edges = f.edges[:0]
}

func (f *flowNet) node() int {
	f.head = append(f.head, -1)
	return len(f.head) - 1
}

// edge adds u→v with the capacity and its residual v→u.
func (f *flowNet) edge(u, v int, c Qty) {
	f.edges = append(f.edges, flowEdge{to: int32(v), next: f.head[u], cap: c})
	f.head[u] = int32(len(f.edges) - 1)
	f.edges = append(f.edges, flowEdge{to: int32(u), next: f.head[v], cap: 0})
	f.head[v] = int32(len(f.edges) - 1)
}

// maxflow pushes as much flow from s to t as the residual network allows and
// returns the amount pushed by this call. Calling it again after adding
// edges continues from the current flow.
func (f *flowNet) maxflow(s, t int) Qty {
	var total Qty
	for f.bfs(s, t) {
		f.iter = append(f.iter[:0], f.head...)
		for {
			pushed := f.dfs(s, t, infQty)
			if pushed == 0 {
				break
			}
			total += pushed
		}
	}
	return total
}

func (f *flowNet) bfs(s, t int) bool {
	f.level = f.level[:0]
	for range f.head {
		f.level = append(f.level, -1)
	}
	f.level[s] = 0
	f.queue = append(f.queue[:0], int32(s))
	for i := 0; i < len(f.queue); i++ {
		u := f.queue[i]
		for e := f.head[u]; e >= 0; e = f.edges[e].next {
			if v := f.edges[e].to; f.edges[e].cap > 0 && f.level[v] < 0 {
				f.level[v] = f.level[u] + 1
				f.queue = append(f.queue, v)
			}
		}
	}
	return f.level[t] >= 0
}

func (f *flowNet) dfs(u, t int, limit Qty) Qty {
	if u == t {
		return limit
	}
	for ; f.iter[u] >= 0; f.iter[u] = f.edges[f.iter[u]].next {
		e := f.iter[u]
		v := int(f.edges[e].to)
		if f.edges[e].cap <= 0 || f.level[v] != f.level[u]+1 {
			continue
		}
		if d := f.dfs(v, t, minQty(limit, f.edges[e].cap)); d > 0 {
			f.edges[e].cap -= d
			f.edges[e^1].cap += d
			return d
		}
	}
	return 0
}

// skuFlow is the network for one sku: a source feeding one node per group
// with open promises, each group node feeding its members' supply, and each
// location's supply split in two — its on-hand part (ATF) and its futures
// part (ATO − ATF) — so that fulfill-only demand can be limited to on-hand.
type skuFlow struct {
	net    *flowNet
	s, t   int
	onHand map[placeIdx]int // location -> its ATF supply node
	future map[placeIdx]int // location -> its futures supply node
	base   Qty              // flow routed for the existing promises
}

// newSKUFlow builds the network for s with every open group promise routed
// as far as it goes. Release it with done.
func newSKUFlow(gi *graphIndex, s *skuState) *skuFlow {
	f := &skuFlow{net: netPool.Get().(*flowNet), onHand: map[placeIdx]int{}, future: map[placeIdx]int{}}
	f.net.reset(2)
	f.s, f.t = 0, 1
	for g, held := range s.groupHeld {
		if held <= 0 {
			continue
		}
		n := f.net.node()
		f.net.edge(f.s, n, held)
		for _, l := range gi.members[g] {
			f.feed(n, s, l, false)
		}
	}
	f.base = f.net.maxflow(f.s, f.t)
	return f
}

// supply returns the two supply nodes of location l, creating them.
func (f *skuFlow) supply(s *skuState, l placeIdx) (onHand, future int) {
	if n, ok := f.onHand[l]; ok {
		return n, f.future[l]
	}
	var atf, ato Qty
	if r := s.loc(l); r != nil {
		atf, ato = r.atf(), r.ato()
	}
	onHand, future = f.net.node(), f.net.node()
	f.net.edge(onHand, f.t, atf)
	f.net.edge(future, f.t, ato-atf)
	f.onHand[l], f.future[l] = onHand, future
	return onHand, future
}

// feed connects demand node n to location l's supply; fulfillOnly demand
// reaches only the on-hand part.
func (f *skuFlow) feed(n int, s *skuState, l placeIdx, fulfillOnly bool) {
	oh, fu := f.supply(s, l)
	f.net.edge(n, oh, infQty)
	if !fulfillOnly {
		f.net.edge(n, fu, infQty)
	}
}

// extra returns the largest quantity that a new demand at the given
// locations could still take without breaking an existing promise.
func (f *skuFlow) extra(s *skuState, locs []placeIdx, fulfillOnly bool) Qty {
	n := f.net.node()
	f.net.edge(f.s, n, infQty)
	for _, l := range locs {
		f.feed(n, s, l, fulfillOnly)
	}
	return f.net.maxflow(f.s, f.t)
}

func (f *skuFlow) done() {
	netPool.Put(f.net)
	f.net = nil
}

// extraAt returns how much more of s can be reserved at place p (against ATF
// when fulfillOnly) while every open group promise stays satisfiable. Without
// group promises it is plain arithmetic over the location records.
func extraAt(gi *graphIndex, s *skuState, kind PlaceType, p placeIdx, fulfillOnly bool) Qty {
	locs := []placeIdx{p}
	if kind == PlaceGroup {
		locs = gi.members[p]
	}
	if !s.hasGroupHolds() {
		var sum Qty
		for _, l := range locs {
			if r := s.loc(l); r != nil {
				sum += pick(fulfillOnly, r.atf(), r.ato())
			}
		}
		return sum
	}
	f := newSKUFlow(gi, s)
	defer f.done()
	return f.extra(s, locs, fulfillOnly)
}

func pick(cond bool, a, b Qty) Qty {
	if cond {
		return a
	}
	return b
}
