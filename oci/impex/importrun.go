package impex

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"ociedge/oci"
)

// runImport applies an uploaded file. Imports run one at a time and never
// start during a location-graph change. Whatever fails the import is
// reported in its validation errors.
func (s *Service) runImport(j *job) {
	s.importMu.Lock()
	defer s.importMu.Unlock()
	if !s.awaitGraph() {
		return
	}
	err := s.markRunning(j)
	if err == nil {
		err = s.importFile(j)
	}
	if errors.Is(err, errStopped) {
		s.m.running(KindImport, -1)
		return
	}
	s.finishImport(j, err)
}

// awaitGraph waits until no location-graph change is being applied. It
// polls: the core offers no notification, and graph changes are rare and
// short. False means the Service is closing.
func (s *Service) awaitGraph() bool {
	for wait := 10 * time.Millisecond; s.core.GraphChanging(); wait = min(2*wait, time.Second) {
		t := time.NewTimer(wait)
		select {
		case <-s.stop:
			t.Stop()
			return false
		case <-t.C:
		}
	}
	return !s.stopping()
}

func (s *Service) finishImport(j *job, err error) {
	st, failure := StatusCompleted, ""
	if err != nil {
		st, failure = StatusFailed, err.Error()
	}
	s.finish(j, st, failure, func() {
		c := j.Import.Counts
		switch {
		case err != nil:
			j.Import.Result = ResultFailed
		case c.Failed == 0:
			j.Import.Result = ResultWithoutErrors
		case c.Processed+c.Skipped > 0:
			j.Import.Result = ResultPartialFailures
		default:
			j.Import.Result = ResultFailed
		}
	})
}

// importFile checks a compressed file whole, then applies the file from
// its last checkpoint.
func (s *Service) importFile(j *job) error {
	s.mu.Lock()
	gz, validated, cp := j.Import.Gzip, j.Import.Validated, j.Import.Checkpoint
	s.mu.Unlock()
	if gz && !validated {
		if err := s.checkGzip(j); err != nil {
			return err
		}
	}
	f, err := os.Open(s.uploadPath(j.ID))
	if err != nil {
		return fmt.Errorf("the uploaded file is gone: %w", err)
	}
	defer f.Close()
	src, err := s.decoded(f, gz)
	if err != nil {
		return fmt.Errorf("File is not a valid GZIP stream (%v)' Invalid value", err)
	}
	fw, err := openFailures(s.failuresPath(j.ID), cp.FailBytes)
	if err != nil {
		return fmt.Errorf("cannot write the result file: %w", err)
	}
	defer fw.close()
	run := &importRun{s: s, j: j, fw: fw, cp: cp}
	return run.run(src)
}

// decoded returns the file's content, decompressed if it is gzip, bounded
// by Config.MaxDecompressedBytes.
func (s *Service) decoded(f *os.File, gz bool) (io.Reader, error) {
	var r io.Reader = f
	if gz {
		zr, err := gzip.NewReader(bufio.NewReaderSize(f, 256<<10))
		if err != nil {
			return nil, err
		}
		r = zr
	}
	return &boundedReader{r: r, left: s.cfg.MaxDecompressedBytes}, nil
}

// checkGzip reads a compressed file whole before any of it is applied: a
// corrupt or truncated stream, or one that decompresses beyond the bound,
// fails the import with nothing applied.
func (s *Service) checkGzip(j *job) error {
	f, err := os.Open(s.uploadPath(j.ID))
	if err != nil {
		return fmt.Errorf("the uploaded file is gone: %w", err)
	}
	defer f.Close()
	src, err := s.decoded(f, true)
	if err == nil {
		_, err = io.CopyBuffer(io.Discard, &stopReader{r: src, stop: s.stop}, make([]byte, 256<<10))
	}
	switch {
	case errors.Is(err, errStopped):
		return err
	case errors.Is(err, errTooBig):
		return fmt.Errorf("File is larger than %d bytes once decompressed' Invalid value", s.cfg.MaxDecompressedBytes)
	case err != nil:
		return fmt.Errorf("File is not a valid GZIP stream (%v)' Invalid value", err)
	}
	s.mu.Lock()
	j.Import.Validated = true
	s.mu.Unlock()
	return s.save(j)
}

var errTooBig = errors.New("too big")

// boundedReader fails with errTooBig past its limit.
type boundedReader struct {
	r    io.Reader
	left int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var one [1]byte
		n, err := b.r.Read(one[:])
		if n > 0 {
			return 0, errTooBig
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

// stopReader ends a long read when the Service closes.
type stopReader struct {
	r    io.Reader
	stop <-chan struct{}
}

func (s *stopReader) Read(p []byte) (int, error) {
	select {
	case <-s.stop:
		return 0, errStopped
	default:
		return s.r.Read(p)
	}
}

// checkpointEvery is how many batches an import applies between two
// checkpoints. A checkpoint costs an fsync of its own; on a busy disk,
// one per batch slowed a 1,000,000-line import by a fifth. A crash makes
// the import read again at most this many batches, which the core skips.
const checkpointEvery = 8

// importRun applies one file: a reader goroutine parses lines into batches
// while this one applies the previous batch, writes its failures and
// checkpoints.
type importRun struct {
	s       *Service
	j       *job
	fw      *failureWriter
	cp      checkpoint // where reading starts
	next    checkpoint // the checkpoint after the batches applied so far
	applied int        // batches applied
	// pending waits until the last batch handed to the core is durable;
	// the next batch is applied meanwhile, so parsing and applying overlap
	// the fsync. A checkpoint settles it first: it never records progress
	// that a crash could take back.
	pending func() error
}

// settle waits for the batch the core is still making durable.
func (r *importRun) settle() error {
	if r.pending == nil {
		return nil
	}
	err := r.pending()
	r.pending = nil
	if err != nil {
		return fmt.Errorf("the core could not make the lines up to %d durable: %w", r.next.Lines, err)
	}
	return nil
}

func (r *importRun) run(src io.Reader) error {
	full, free := make(chan *batch, 2), make(chan *batch, 4)
	quit := make(chan struct{})
	go r.read(src, full, free, quit)
	defer func() {
		close(quit)
		for range full { // wait for the reader to exit
		}
	}()
	for b := range full {
		if b.err != nil {
			return b.err
		}
		if r.s.stopping() {
			if err := r.checkpoint(); err != nil {
				return err
			}
			return errStopped
		}
		if err := r.apply(b); err != nil {
			return err
		}
		if r.applied%checkpointEvery == 0 {
			if err := r.checkpoint(); err != nil {
				return err
			}
		}
		b.reset()
		select {
		case free <- b:
		default:
		}
	}
	return r.checkpoint()
}

// read parses src from the checkpoint on and sends full batches; the last
// one carries a read error, if any.
func (r *importRun) read(src io.Reader, full chan<- *batch, free <-chan *batch, quit <-chan struct{}) {
	defer close(full)
	cfg := &r.s.cfg
	lr := newLineReader(src, cfg.MaxLineBytes)
	rd := &reader{state: r.cp.State, p: newLineParser(), maxLine: cfg.MaxLineBytes}
	b := &batch{}
	send := func() bool {
		b.endLine, b.state = lr.n, rd.state
		select {
		case full <- b:
		case <-quit:
			return false
		}
		select {
		case b = <-free:
		default:
			b = &batch{}
		}
		return true
	}
	if err := lr.skip(r.cp.Lines); err != nil {
		b.err = err
		send()
		return
	}
	for {
		line, tooLong, err := lr.next()
		if err != nil {
			if err != io.EOF {
				b.err = readError(lr.n, err)
			}
			send()
			return
		}
		rd.add(b, lr.n, line, tooLong)
		if b.size() >= cfg.BatchRecords && !send() {
			return
		}
	}
}

func readError(line int64, err error) error {
	if errors.Is(err, errTooBig) {
		return fmt.Errorf("File is larger than the allowed size once decompressed (after line %d)' Invalid value", line)
	}
	return fmt.Errorf("cannot read the file after line %d: %w", line, err)
}

// apply sends a batch's records to the core, records the failures, and
// checkpoints.
func (r *importRun) apply(b *batch) error {
	c := importCounts{Read: int64(b.size())}
	r.s.m.lineFailures(len(b.fails))
	if len(b.recs) > 0 {
		res, wait, err := r.s.core.ApplyImportAsync(b.recs)
		if err != nil {
			return fmt.Errorf("the core could not apply the lines up to %d: %w", b.endLine, err)
		}
		if err := r.settle(); err != nil {
			return err
		}
		r.pending = wait
		for i, x := range res {
			switch x.Outcome {
			case oci.ImportApplied:
				c.Processed++
			case oci.ImportSkipped:
				c.Skipped++
			default:
				u := &b.recs[i]
				b.fails = append(b.fails, failure{line: b.lines[i], recordID: u.ID, location: u.Location, sku: u.SKU, msg: x.Message})
			}
		}
		sort.SliceStable(b.fails, func(x, y int) bool { return b.fails[x].line < b.fails[y].line })
	}
	c.Failed = int64(len(b.fails))
	if err := r.fw.write(b.fails); err != nil {
		return fmt.Errorf("cannot write the result file: %w", err)
	}
	r.applied++
	r.s.mu.Lock()
	r.j.Import.Counts.add(c) // the status shows progress batch by batch
	r.next = checkpoint{Lines: b.endLine, FailBytes: r.fw.size, Counts: r.j.Import.Counts, State: b.state}
	r.s.mu.Unlock()
	return nil
}

// checkpoint makes the progress so far durable: the failures written, then
// the job record saying how far the file was applied.
func (r *importRun) checkpoint() error {
	if err := r.settle(); err != nil {
		return err
	}
	if r.next.Lines == r.cp.Lines {
		return nil
	}
	if err := r.fw.sync(); err != nil {
		return fmt.Errorf("cannot write the result file: %w", err)
	}
	r.s.mu.Lock()
	r.j.Import.Checkpoint = r.next
	r.s.mu.Unlock()
	r.cp = r.next
	return r.s.save(r.j)
}
