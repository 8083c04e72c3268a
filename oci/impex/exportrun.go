package impex

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"ociedge/oci"
)

// runExport writes an export's file. Exports run at most
// Config.MaxRunningExports at a time.
func (s *Service) runExport(j *job) {
	select {
	case s.exportSem <- struct{}{}:
	case <-s.stop:
		return
	}
	defer func() { <-s.exportSem }()
	var rec exportRecord
	err := s.markRunning(j)
	switch {
	case err != nil:
	case j.Kind == KindGraphExport:
		rec, err = s.writeGraph(j)
	case j.Kind == KindReservationExport:
		rec, err = s.writeReservations(j)
	default:
		rec, err = s.writeAvailability(j)
	}
	if errors.Is(err, errStopped) {
		s.m.running(j.Kind, -1)
		return
	}
	st, failure := StatusCompleted, ""
	if err != nil {
		st, failure = StatusFailed, err.Error()
	}
	s.finish(j, st, failure, func() {
		j.Export.Exported, j.Export.FileSize, j.Export.FileHash = rec.Exported, rec.FileSize, rec.FileHash
	})
}

// writeAvailability streams the places' records from the core into the
// export file: a header line per place, its record lines, and the delta
// token last (reference I-E3).
func (s *Service) writeAvailability(j *job) (exportRecord, error) {
	s.mu.Lock()
	groups, places := j.Export.Groups, j.Export.Places
	s.mu.Unlock()
	kind := oci.PlaceLocation
	if groups {
		kind = oci.PlaceGroup
	}
	var rec exportRecord
	err := s.writeFile(s.exportPath(j.ID), func(w *bufio.Writer) error {
		sink := &exportSink{w: w, stop: s.stop, m: s.m}
		token, err := s.core.Export(kind, places, sink)
		if err != nil {
			return err
		}
		b := append(w.AvailableBuffer(), `{"deltaToken":`...)
		b = append(appendString(b, token), "}\n"...)
		_, err = w.Write(b)
		rec.Exported = sink.records
		return err
	}, &rec)
	return rec, err
}

// graphFile is the location-graph export file (reference I-L3).
type graphFile struct {
	Locations []string    `json:"locations"`
	Groups    []oci.Group `json:"groups"`
}

func (s *Service) writeGraph(j *job) (exportRecord, error) {
	g, _ := s.core.Graph()
	out := graphFile{Locations: make([]string, len(g.Locations)), Groups: g.Groups}
	for i, l := range g.Locations {
		out.Locations[i] = l.ID
	}
	if out.Groups == nil {
		out.Groups = []oci.Group{}
	}
	body, err := json.Marshal(out)
	if err != nil {
		return exportRecord{}, fmt.Errorf("BUG: cannot encode the graph: %w", err)
	}
	sum := sha256.Sum256(body)
	rec := exportRecord{Exported: int64(len(g.Locations) + len(g.Groups)), FileHash: hex.EncodeToString(sum[:])}
	err = s.writeFile(s.exportPath(j.ID), func(w *bufio.Writer) error {
		_, err := w.Write(body)
		return err
	}, &rec)
	return rec, err
}

// writeFile writes a file through fill, durably: to a part file, synced,
// then renamed. It sets rec.FileSize.
func (s *Service) writeFile(path string, fill func(w *bufio.Writer) error, rec *exportRecord) error {
	part := path + partSuffix
	f, err := os.Create(part)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	err = fill(w)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if fi, serr := f.Stat(); serr == nil {
		rec.FileSize = fi.Size()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(part, path)
	}
	if err != nil {
		os.Remove(part)
		return err
	}
	return s.syncDir()
}

// exportSink writes the core's export as NDJSON, appending the JSON by
// hand: an export of millions of records fills an edge's cache.
type exportSink struct {
	w       *bufio.Writer
	stop    <-chan struct{}
	m       *Metrics
	group   bool
	records int64
}

func (e *exportSink) Place(kind oci.PlaceType, id string) error {
	e.group = kind == oci.PlaceGroup
	b := e.w.AvailableBuffer()
	if e.group {
		b = append(b, `{"groupId":`...)
	} else {
		b = append(b, `{"locationId":`...)
	}
	b = append(appendString(b, id), "}\n"...)
	_, err := e.w.Write(b)
	return err
}

func (e *exportSink) Records(vs []oci.Values) error {
	select {
	case <-e.stop:
		return errStopped
	default:
	}
	for i := range vs {
		if _, err := e.w.Write(appendValues(e.w.AvailableBuffer(), &vs[i], e.group)); err != nil {
			return err
		}
	}
	e.records += int64(len(vs))
	e.m.exported(len(vs))
	return nil
}

// appendValues appends one export record line (reference I-E3); the group
// fields only on group lines.
func appendValues(b []byte, v *oci.Values, group bool) []byte {
	b = append(b, `{"sku":`...)
	b = appendString(b, v.SKU)
	b = appendQty(b, `,"onHand":`, v.OnHand)
	b = appendQty(b, `,"reserved":`, v.Reserved)
	if group {
		b = appendQty(b, `,"groupReserved":`, v.GroupReserved)
		b = appendQty(b, `,"sharedGroupReserved":`, v.SharedReserved)
	}
	b = appendQty(b, `,"atf":`, v.ATF)
	b = appendQty(b, `,"ato":`, v.ATO)
	b = appendQty(b, `,"safetyStockCount":`, v.SafetyStock)
	if !v.EffectiveDate.IsZero() {
		b = appendTime(append(b, `,"effectiveDate":`...), v.EffectiveDate)
	}
	b = append(b, `,"futures":[`...)
	for i, f := range v.Futures {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendQty(b, `{"quantity":`, f.Quantity)
		b = appendTime(append(b, `,"expectedDate":`...), f.ExpectedDate)
		b = append(b, '}')
	}
	return append(b, "]}\n"...)
}

func appendQty(b []byte, key string, q oci.Qty) []byte {
	return q.AppendJSON(append(b, key...))
}

func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}
