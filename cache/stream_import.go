package cache

import (
	"context"
	"fmt"
	"runtime/debug"

	"go.uber.org/zap"

	"ociedge/oci"
)

// fullImport exports the stream's places into the cache under a new
// generation of each list, and returns the export's delta token. Values the
// export does not rewrite keep their older generation and become stale
// once it completes; until then the previous import's values keep serving.
// A failed import changes no floor: whatever it wrote is current data.
func (s *stream) fullImport(ctx context.Context) (string, error) {
	s.setState(stImporting, "")
	start := s.c.cfg.Now()
	run := importRun{ctx: ctx, s: s, gens: make([]uint32, len(s.lists)), records: make([]int64, len(s.lists))}
	for i, l := range s.lists {
		run.gens[i] = l.beginImport()
	}
	token, err := s.c.core.Export(ctx, s.spec.places, s.spec.ids, run.write)
	took := s.c.cfg.Now().Sub(start)
	if ctx.Err() == nil { // a stream stopped mid-import did not fail
		s.c.m.fullImport(s.spec.kind, took.Seconds(), err)
	}
	if err != nil {
		return "", fmt.Errorf("full import: %w", err)
	}
	now := s.c.cfg.Now()
	var total int64
	for i, l := range s.lists {
		l.finishImport(run.gens[i], now, took, run.records[i])
		total += run.records[i]
	}
	s.c.log.Info("full import completed", zap.String("stream", s.spec.name), zap.Int64("records", total), zap.Duration("took", took))
	s.setState(stStreaming, "")
	if total >= bigImport {
		releaseImportGarbage()
	}
	return token, nil
}

// bigImport is the size of a full import after which the memory its
// parsing used is handed back to the OS at once: a large cache's RSS is
// then its live records, not the garbage of the one-off import
// (DESIGN §6 counts RSS per cached record).
const bigImport = 100_000

// releaseImportGarbage runs a GC and returns freed memory to the OS. It
// costs tens of milliseconds on the import's goroutine, once per big
// import, never on a lookup.
func releaseImportGarbage() { debug.FreeOSMemory() }

// importRun is one full import in progress.
type importRun struct {
	ctx     context.Context
	s       *stream
	gens    []uint32 // per list: the generation this import writes
	records []int64  // per list: records written
}

// write stores one batch of an export. vs is not retained.
func (r *importRun) write(place string, vs []oci.Values) error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	li, ok := r.s.index[place]
	if !ok {
		return fmt.Errorf("the export sent place %q, which the stream did not ask for", place)
	}
	l := r.s.lists[li]
	b := r.s.c.store.begin(l)
	ver := b.versions(len(vs))
	for i := range vs {
		v := valueOf(&vs[i])
		v.gen, v.version = r.gens[li], ver+uint64(i)
		b.put(vs[i].SKU, v)
	}
	b.end()
	r.records[li] += int64(len(vs))
	return nil
}
