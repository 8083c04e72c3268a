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

// headImport names the import rate headline.
const headImport = "import records/s"

// importPoll is how often the import status is asked for; importTimeout
// bounds an import.
const (
	importPoll    = 20 * time.Millisecond
	importTimeout = 10 * time.Minute
)

// runCoreImport imports Records lines per round; round k writes the k-th
// Records skus of the catalog (round the catalog), so that rounds of
// Records each over Rounds × Records skus leave that many distinct records
// at the core (how the fill benchmark loads 1,000,000 in files of 500,000).
func runCoreImport(ctx context.Context, r *Runner, rep *Report) error {
	if _, err := r.tok.get(); err != nil {
		return err
	}
	round := 0
	return r.inRounds(ctx, rep, func(ctx context.Context, rr *Report) error {
		path, err := r.writeImportFile(round)
		if err != nil {
			return err
		}
		round++
		defer os.Remove(path)
		if err := r.decodeBaseline(rr, path); err != nil {
			return err
		}
		if err := r.fsyncBaseline(ctx, rr); err != nil {
			return err
		}
		rec := load.NewRecorder()
		res, err := r.runImport(ctx, rec, path)
		rep.Import, rr.Import = res, res
		if err != nil {
			return err
		}
		rr.Load = &load.Result{Mode: "import", Rows: rec.Rows(0)}
		r.importHeadline(rr)
		return nil
	})
}

func (r *Runner) importHeadline(rep *Report) {
	rep.headline(Headline{Name: headImport, Unit: "records/s", Value: rep.Import.Rate, Baseline: baseDecode,
		Target: 0.40, Goal: goal(200_000), Note: "upload start to COMPLETED status, durable"})
}

// maxUpload is the core's upload limit (DESIGN §2: 100 MB).
const maxUpload = 100 << 20

// writeImportFile writes Records lines: skus in order from round × Records
// (grouped, as the high-performance layout wants), each at every location
// in turn, with record ids drawn from the seed, the run id and the round,
// and quantities from the seed.
func (r *Runner) writeImportFile(round int) (string, error) {
	dir, err := r.scratch()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, fmt.Sprintf("import-%s-%d.ndjson", r.cfg.RunID, round))
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	r.appendImportLines(w, round)
	if err := w.Flush(); err != nil {
		return "", err
	}
	if info, err := f.Stat(); err == nil && info.Size() > maxUpload {
		return "", fmt.Errorf("core-import: %d records make a %d MB file, over the core's 100 MB upload limit: "+
			"import fewer per round (--records) in more rounds (--rounds)", r.cfg.Records, info.Size()>>20)
	}
	r.logf("core-import: wrote %d records to %s", r.cfg.Records, path)
	return path, f.Close()
}

func (r *Runner) appendImportLines(w *bufio.Writer, round int) {
	ids := workload.NewRand(r.cfg.Seed, fmt.Sprintf("import-ids/%s/%d", r.cfg.RunID, round))
	qty := workload.NewRand(r.cfg.Seed, "import-quantities")
	date := r.cfg.Now().UTC().Truncate(time.Second).Format(time.RFC3339)
	locs := r.cfg.Locations
	lo := r.cfg.OnHand / 2
	first := round * ((r.cfg.Records + len(locs) - 1) / len(locs)) // skus per round
	var line []byte
	for i := range r.cfg.Records {
		line = wire.AppendImportLine(line[:0], wire.ImportRecord{
			RecordID:      workload.UUID(ids),
			LocationID:    locs[i%len(locs)],
			Sku:           r.cat.Name(int32((first + i/len(locs)) % r.cfg.Skus)),
			OnHand:        lo + qty.Int64N(r.cfg.OnHand-lo),
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
