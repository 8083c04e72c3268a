package orders

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"ociedge/oci"
)

// ReconcileReport compares the reservation documents the edge believes are
// open at the core with the documents the core has open under the edge's
// id prefix. Normally every list is empty: the order flows and the
// auto-fail job keep the two in step.
type ReconcileReport struct {
	Prefix        string     `json:"prefix"`
	EdgeDocuments int        `json:"edgeDocuments"`
	CoreDocuments int        `json:"coreDocuments"`
	Pending       int        `json:"pending"`       // documents with work in flight, left to the job
	OrphansAtCore []ReconDoc `json:"orphansAtCore"` // open at the core, not believed by the edge
	MissingAtCore []ReconDoc `json:"missingAtCore"` // believed by the edge, not open at the core
	Mismatched    []ReconDoc `json:"mismatched"`    // open in both with other quantities
	Repaired      int        `json:"repaired"`
	Clean         bool       `json:"clean"`
}

// ReconDoc is one document found out of step.
type ReconDoc struct {
	DocID  string           `json:"docId"`
	Kind   string           `json:"kind"` // order or basket
	Key    string           `json:"key"`  // order number or basket id
	Edge   map[string]int64 `json:"edge,omitempty"`
	Core   map[string]int64 `json:"core,omitempty"`
	Action string           `json:"action,omitempty"` // what repair did
}

// edgeDoc is a document the edge believes open, with its lines.
type edgeDoc struct {
	kind, key string
	pending   bool
	lines     []Line
}

// Reconcile compares the edge's open OCI documents with core, the open
// documents the core listed (by id), and with repair fixes what is out of
// step: a document open at the core that the edge does not believe in is
// cancelled there; a basket reservation gone at the core is dropped at the
// edge; an order reservation gone at the core is reserved again under a new
// id; quantities that differ are set to the edge's. Every finding is
// checked again against the core's live document under the record's lock
// first, so work that was in flight is never "repaired".
func (s *Service) Reconcile(ctx context.Context, core map[string]oci.ReservationView, repair bool) (*ReconcileReport, error) {
	edge, err := s.openDocuments()
	if err != nil {
		return nil, err
	}
	rep := &ReconcileReport{Prefix: s.cfg.IDPrefix, EdgeDocuments: len(edge), CoreDocuments: len(core)}
	for id, d := range edge {
		if d.pending {
			rep.Pending++
			continue
		}
		cv, open := core[id]
		switch {
		case !open:
			s.recheck(ctx, rep, id, d, repair)
		case !sameTotals(edgeTotals(d.lines), viewTotals(cv)):
			s.recheck(ctx, rep, id, d, repair)
		}
	}
	for id := range core {
		if _, ok := edge[id]; !ok && strings.HasPrefix(id, s.cfg.IDPrefix+"-") {
			s.recheckOrphan(ctx, rep, id, repair)
		}
	}
	rep.Clean = len(rep.OrphansAtCore)+len(rep.MissingAtCore)+len(rep.Mismatched) == 0
	return rep, nil
}

// openDocuments lists the OCI documents the edge's index says are open.
func (s *Service) openDocuments() (map[string]edgeDoc, error) {
	out := map[string]edgeDoc{}
	err := s.repo.scan("r/"+string(SystemOCI)+"/", func(id, _ string) error {
		kind, key, _ := strings.Cut(id, "/")
		doc, d, ok, err := s.documentOf(kind, key)
		if err != nil || !ok {
			return err
		}
		out[doc] = d
		return nil
	})
	if err != nil {
		return nil, internal(err, "list open documents")
	}
	return out, nil
}

// documentOf reads the document an order ("o") or basket ("b") holds.
func (s *Service) documentOf(kind, key string) (string, edgeDoc, bool, error) {
	if kind == "o" {
		o, ok, err := s.repo.order(key)
		if err != nil || !ok || o.Res.System != SystemOCI || !o.Res.Open() {
			return "", edgeDoc{}, false, err
		}
		return o.Res.DocID, edgeDoc{kind: "order", key: key, pending: o.Res.State != ResHeld, lines: o.Res.Lines}, true, nil
	}
	b, ok, err := s.repo.basket(key)
	if err != nil || !ok || b.Res == nil || b.Res.System != SystemOCI || !b.Res.Live(s.now()) {
		return "", edgeDoc{}, false, err
	}
	return b.Res.DocID, edgeDoc{kind: "basket", key: key, pending: b.Res.PendingPut != nil, lines: b.Res.Lines}, true, nil
}

func edgeTotals(ls []Line) map[string]int64 {
	out := map[string]int64{}
	for _, l := range ls {
		out[l.SKU] += l.Quantity * int64(oci.Unit)
	}
	return out
}

// viewTotals sums what a document holds per sku, wherever it was moved.
func viewTotals(v oci.ReservationView) map[string]int64 {
	out := map[string]int64{}
	for _, ps := range [][]oci.PlaceHolding{v.Locations, v.Groups} {
		for _, p := range ps {
			for _, it := range p.Items {
				out[it.SKU] += int64(it.Quantity)
			}
		}
	}
	return out
}

func sameTotals(a, b map[string]int64) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	for k, v := range b {
		if a[k] != v {
			return false
		}
	}
	return true
}

// recheck looks at a believed document again, under its record's lock and
// against the core's live copy, and repairs it if asked.
func (s *Service) recheck(ctx context.Context, rep *ReconcileReport, id string, d edgeDoc, repair bool) {
	unlock := s.lockFor(d.kind, d.key)
	defer unlock()
	doc, cur, ok, err := s.documentOf(kindLetter(d.kind), d.key)
	if err != nil || !ok || doc != id || cur.pending {
		return // it changed meanwhile: no longer a finding
	}
	v, err := s.core.view(ctx, id)
	if err != nil && !gone(err) {
		return // the core did not answer: try again next time
	}
	want := edgeTotals(cur.lines)
	if err == nil && v.State == oci.StateOpen {
		have := viewTotals(v)
		if sameTotals(want, have) {
			return
		}
		f := ReconDoc{DocID: id, Kind: d.kind, Key: d.key, Edge: want, Core: have}
		if repair {
			f.Action = s.repairQuantities(ctx, id, cur.lines, have)
			rep.countRepair(f.Action)
		}
		rep.Mismatched = append(rep.Mismatched, f)
		return
	}
	f := ReconDoc{DocID: id, Kind: d.kind, Key: d.key, Edge: want}
	if repair {
		f.Action = s.repairMissing(ctx, d.kind, d.key)
		rep.countRepair(f.Action)
	}
	rep.MissingAtCore = append(rep.MissingAtCore, f)
}

// recheckOrphan confirms that no record of the edge holds an open
// document and cancels it if asked.
func (s *Service) recheckOrphan(ctx context.Context, rep *ReconcileReport, id string, repair bool) {
	kind, key, ok := s.parseDocID(id)
	if ok {
		unlock := s.lockFor(kind, key)
		defer unlock()
		if doc, _, held, err := s.documentOf(kindLetter(kind), key); err != nil || (held && doc == id) {
			return // believed after all (it was being created)
		}
	}
	v, err := s.core.view(ctx, id)
	if err != nil || v.State != oci.StateOpen {
		return
	}
	f := ReconDoc{DocID: id, Kind: kind, Key: key, Core: viewTotals(v)}
	if repair {
		f.Action = "cancelled at the core"
		if err := s.core.cancel(ctx, id); err != nil {
			f.Action = "cancel failed: " + err.Error()
		}
		rep.countRepair(f.Action)
	}
	rep.OrphansAtCore = append(rep.OrphansAtCore, f)
}

func (r *ReconcileReport) countRepair(action string) {
	if action != "" && !strings.HasSuffix(action, "failed") && !strings.Contains(action, "failed:") {
		r.Repaired++
	}
}

func kindLetter(kind string) string {
	if kind == "order" {
		return "o"
	}
	return "b"
}

func (s *Service) lockFor(kind, key string) func() {
	if kind == "order" {
		return s.orders.lock(key)
	}
	return s.baskets.lock(key)
}

// parseDocID reads <prefix>-o-<orderNo>-<gen> and <prefix>-b-<basketId>-<gen>.
func (s *Service) parseDocID(id string) (kind, key string, ok bool) {
	rest, ok := strings.CutPrefix(id, s.cfg.IDPrefix+"-")
	if !ok || len(rest) < 3 || rest[1] != '-' {
		return "", "", false
	}
	i := strings.LastIndexByte(rest, '-')
	if i <= 2 {
		return "", "", false
	}
	if _, err := strconv.Atoi(rest[i+1:]); err != nil {
		return "", "", false
	}
	switch rest[0] {
	case 'o':
		return "order", rest[2:i], true
	case 'b':
		return "basket", rest[2:i], true
	}
	return "", "", false
}

// repairQuantities sets the document's lines to the edge's (and the skus
// the edge does not hold to 0).
func (s *Service) repairQuantities(ctx context.Context, id string, ls []Line, have map[string]int64) string {
	want := edgeTotals(ls)
	var zero []Line
	for sku := range have {
		if _, ok := want[sku]; !ok && len(ls) > 0 {
			z := ls[0]
			z.SKU, z.Quantity = sku, 0
			zero = append(zero, z)
		}
	}
	sort.Slice(zero, func(i, j int) bool { return zero[i].SKU < zero[j].SKU })
	locs, groups := placeLines(append(append([]Line(nil), ls...), zero...))
	res, err := s.core.update(ctx, id, &oci.ReservationUpdate{Locations: locs, Groups: groups})
	switch {
	case err != nil:
		return "update failed: " + err.Error()
	case !res.Success:
		return "update failed: the core cannot hold the edge's quantities"
	}
	return "quantities set to the edge's"
}

// repairMissing drops a basket reservation the core no longer holds, or
// reserves an order's lines again under the next document id.
func (s *Service) repairMissing(ctx context.Context, kind, key string) string {
	if kind == "basket" {
		b, ok, err := s.repo.basket(key)
		if err != nil || !ok || b.Res == nil {
			return "basket changed"
		}
		old := b.clone()
		b.Res = nil
		if err := s.basketSaver(old, b)(); err != nil {
			return "drop failed: " + err.Error()
		}
		return "basket reservation dropped at the edge"
	}
	return s.reserveOrderAgain(ctx, key)
}

// reserveOrderAgain PUTs the order's lines as a fresh document (intent
// first: the new id is recorded before the call, so a crash leaves work the
// job can settle).
func (s *Service) reserveOrderAgain(ctx context.Context, no string) string {
	o, ok, err := s.repo.order(no)
	if err != nil || !ok {
		return "order changed"
	}
	old := o.clone()
	save := s.orderSaver(old, o)
	o.Res.Gen++
	o.Res.DocID = s.orderDocID(no, o.Res.Gen)
	o.Res.FromBasket, o.Res.Zero = false, nil
	if err := save(); err != nil {
		return "reserve failed: " + err.Error()
	}
	res, err := s.core.reserve(ctx, o.Res.DocID, putRequest(no, o.Res.Lines, 0))
	if err != nil || !res.Success {
		if err == nil {
			_ = s.core.cancel(ctx, o.Res.DocID)
		}
		return "reserve failed: the core could not reserve the order's lines again"
	}
	return "reserved again as " + o.Res.DocID
}
