package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"ociedge/bench/load"
	"ociedge/bench/wire"
	"ociedge/bench/workload"
)

var coreImportScenario = &scenario{
	name: "core-import",
	summary: "an N-line NDJSON availability import through the core's impex upload path " +
		"(--target is the core); records/s against a bare NDJSON decode",
	core: needRequired,
	run:  runCoreImport,
}

// Import routes.
const (
	routeImportCreate = "import-create"
	routeImportUpload = "import-upload"
	routeImportStatus = "import-status"
)

// importPoll is how often the import status is asked for; importTimeout
// bounds an import.
const (
	importPoll    = 20 * time.Millisecond
	importTimeout = 10 * time.Minute
)

func runCoreImport(ctx context.Context, r *Runner, rep *Report) error {
	if _, err := r.tok.get(); err != nil {
		return err
	}
	path, err := r.writeImportFile()
	if err != nil {
		return err
	}
	if err := r.decodeBaseline(rep, path); err != nil {
		return err
	}
	if err := r.fsyncBaseline(ctx, rep); err != nil {
		return err
	}
	rec := load.NewRecorder()
	res, err := r.runImport(ctx, rec, path)
	rep.Import = res
	if err != nil {
		return err
	}
	rep.Load = &load.Result{Mode: "import", Rows: rec.Rows(0)}
	r.importHeadline(rep)
	return nil
}

func (r *Runner) importHeadline(rep *Report) {
	rep.headline(Headline{Name: "import records/s", Unit: "records/s", Value: rep.Import.Rate, Baseline: baseDecode,
		Target: 0.40, Note: "DESIGN §6: ≥ 200,000 records/s, durable"})
}

// writeImportFile writes Records lines: skus in order (grouped, as the
// high-performance layout wants), each at every location in turn, with
// record ids drawn from the seed and the run id and quantities from the seed.
func (r *Runner) writeImportFile() (string, error) {
	dir, err := r.scratch()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "import-"+r.cfg.RunID+".ndjson")
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	r.appendImportLines(w)
	if err := w.Flush(); err != nil {
		return "", err
	}
	r.logf("core-import: wrote %d records to %s", r.cfg.Records, path)
	return path, f.Close()
}

func (r *Runner) appendImportLines(w *bufio.Writer) {
	ids := workload.NewRand(r.cfg.Seed, "import-ids/"+r.cfg.RunID)
	qty := workload.NewRand(r.cfg.Seed, "import-quantities")
	date := r.cfg.Now().UTC().Truncate(time.Second).Format(time.RFC3339)
	locs := r.cfg.Locations
	var line []byte
	for i := range r.cfg.Records {
		line = wire.AppendImportLine(line[:0], wire.ImportRecord{
			RecordID:      workload.UUID(ids),
			LocationID:    locs[i%len(locs)],
			Sku:           r.cat.Name(int32((i / len(locs)) % r.cfg.Skus)),
			OnHand:        int64(qty.IntN(1000)),
			EffectiveDate: date,
		})
		_, _ = w.Write(line) // the error comes back from Flush
	}
}

// runImport creates an import, uploads path to it and polls its status
// until it is done; the calls are recorded in rec.
func (r *Runner) runImport(ctx context.Context, rec *load.Recorder, path string) (*ImportResult, error) {
	s := rec.Session()
	links, err := r.createImport(s, filepath.Base(path))
	if err != nil {
		return nil, err
	}
	res := &ImportResult{ImportID: links.ImportID, Records: int64(r.cfg.Records)}
	start := time.Now()
	if err := r.upload(s, links, path, res); err != nil {
		return res, err
	}
	res.Upload = time.Since(start)
	st, err := r.pollImport(ctx, s, links, res)
	res.Total = time.Since(start)
	res.Status, res.Processed, res.Read, res.Skipped = st.Status, st.Import.Processed, st.Import.Read, st.Import.Skipped
	res.Rate = float64(res.Processed) / res.Total.Seconds()
	if err == nil && st.Failed() {
		err = fmt.Errorf("import %s ended %s", links.ImportID, st.Status)
	}
	return res, err
}

func (r *Runner) createImport(s *load.Session, fileName string) (wire.ImportLinks, error) {
	var links wire.ImportLinks
	var perr error
	c := callOf(routeImportCreate, wire.CreateImport(r.cfg.Tenant, fileName, false), func(st int, b []byte) string {
		if st == 200 {
			links, perr = wire.ParseImportLinks(b)
		}
		return ""
	})
	c.Auth = r.tok.bearer()
	if rep := s.Do(r.core, c); !rep.OK() {
		return links, callError("creating the import", c, rep)
	}
	return links, perr
}

func (r *Runner) upload(s *load.Session, links wire.ImportLinks, path string, res *ImportResult) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	res.FileBytes = info.Size()
	body, ct, overhead := wire.UploadBody(filepath.Base(path), f)
	c := &load.Call{
		Route: routeImportUpload, Method: or(links.UploadMethod, "POST"), URI: wire.PathOf(links.UploadLink),
		ContentType: ct, BodyStream: body, BodySize: int(info.Size()) + overhead,
		Auth: r.tok.bearer(), Timeout: importTimeout,
	}
	if rep := s.Do(r.core, c); !rep.OK() {
		return callError("uploading the import file", c, rep)
	}
	return nil
}

// pollImport asks for the status until it is final, ctx ends or the import
// has taken importTimeout.
func (r *Runner) pollImport(ctx context.Context, s *load.Session, links wire.ImportLinks, res *ImportResult) (wire.ImportStatus, error) {
	tick := time.NewTicker(importPoll)
	defer tick.Stop()
	deadline := time.Now().Add(importTimeout)
	for {
		st, err := r.importStatus(s, links)
		res.Polls++
		if err != nil || st.Done() {
			return st, err
		}
		if time.Now().After(deadline) {
			return st, errors.New("import did not finish within " + importTimeout.String())
		}
		select {
		case <-ctx.Done():
			return st, ctx.Err()
		case <-tick.C:
		}
	}
}

func (r *Runner) importStatus(s *load.Session, links wire.ImportLinks) (wire.ImportStatus, error) {
	var st wire.ImportStatus
	var perr error
	c := callOf(routeImportStatus, wire.Request{Method: "GET", URI: wire.PathOf(links.ImportStatusLink)}, func(code int, b []byte) string {
		if code == 200 {
			st, perr = wire.ParseImportStatus(b)
		}
		return ""
	})
	c.Auth = r.tok.bearer()
	if rep := s.Do(r.core, c); !rep.OK() {
		return st, callError("asking for the import status", c, rep)
	}
	return st, perr
}

// callError says which call failed and how.
func callError(what string, c *load.Call, rep load.Reply) error {
	if rep.Err != nil {
		return fmt.Errorf("%s (%s %s): %w", what, c.Method, c.URI, rep.Err)
	}
	return fmt.Errorf("%s (%s %s): status %d", what, c.Method, c.URI, rep.Status)
}
