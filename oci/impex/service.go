package impex

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"

	"ociedge/internal/kv"
)

// ErrClosed is returned by Wait once the Service is closing.
var ErrClosed = errors.New("impex: service closed")

// errStopped ends a job's goroutine when the Service closes; the job keeps
// its durable status and is resumed by the next New.
var errStopped = errors.New("impex: stopped by Close")

// Service runs the impex jobs of one core: availability imports,
// availability exports and location-graph exports (reference §5). Jobs run
// in goroutines the Service owns; their records are durable, so a job
// interrupted by Close or a crash resumes when the next Service opens on the
// same Store and Dir. It is safe for concurrent use.
type Service struct {
	cfg   Config
	core  Core
	store kv.Store
	log   *zap.Logger
	m     *Metrics

	mu     sync.Mutex // guards jobs, closed and the fields of every job
	jobs   map[string]*job
	closed bool

	// importMu is held by the import being applied, so imports apply one
	// at a time, in upload order as far as the mutex is fair. It guards
	// no memory.
	importMu  sync.Mutex
	exportSem chan struct{} // one token per running export

	stop chan struct{}  // closed by Close
	wg   sync.WaitGroup // every goroutine the Service started
}

// New opens the service: it loads the jobs from cfg.Store, removes files no
// job owns, resumes imports and exports that were pending or running when
// the previous process stopped, and starts the sweeper of expired jobs.
func New(cfg Config) (*Service, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Dir, 0o750); err != nil {
		return nil, fmt.Errorf("impex: cannot create Config.Dir: %w", err)
	}
	s := &Service{
		cfg: cfg, core: cfg.Core, store: cfg.Store, log: cfg.Logger, m: cfg.Metrics,
		jobs:      make(map[string]*job),
		exportSem: make(chan struct{}, cfg.MaxRunningExports),
		stop:      make(chan struct{}),
	}
	if err := s.load(); err != nil {
		return nil, err
	}
	s.removeOrphans()
	s.resume()
	s.wg.Add(1)
	go s.sweepLoop()
	return s, nil
}

func (s *Service) load() error {
	return s.store.Scan(prefixJob, func(k, v []byte) error {
		var r jobRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("impex: corrupt job record %q: %w", k, err)
		}
		s.jobs[r.ID] = newJob(r)
		return nil
	})
}

// removeOrphans deletes files of jobs that no longer exist (a crash
// between forgetting a job and removing its files).
func (s *Service) removeOrphans() {
	entries, err := os.ReadDir(s.cfg.Dir)
	if err != nil {
		s.log.Warn("cannot list the impex directory", zap.Error(err))
		return
	}
	for _, e := range entries {
		id, _, _ := strings.Cut(e.Name(), ".")
		if _, ok := s.jobs[id]; !ok {
			os.Remove(s.cfg.Dir + string(os.PathSeparator) + e.Name())
		}
	}
}

// resume restarts the jobs that were pending or running. An import goes on
// from its last checkpoint; an export starts over (it is a snapshot).
func (s *Service) resume() {
	ids := make([]string, 0, len(s.jobs))
	for id := range s.jobs {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(a, b int) bool { return s.jobs[ids[a]].Created.Before(s.jobs[ids[b]].Created) })
	for _, id := range ids {
		j := s.jobs[id]
		switch {
		case j.Status == StatusWaiting:
			os.Remove(s.uploadPath(id) + partSuffix)
		case j.Status == StatusPending || j.Status == StatusRunning:
			if j.Import != nil {
				j.Import.Counts = j.Import.Checkpoint.Counts
				if j.Status == StatusRunning {
					j.Import.Resumes++
				}
			}
			s.log.Info("resuming impex job", zap.String("id", id), zap.String("kind", string(j.Kind)),
				zap.String("status", string(j.Status)))
			s.start(j)
		}
	}
}

// Close stops every job at its next batch boundary (their durable state
// lets the next New resume them) and the sweeper, and waits for all of
// them. It does not close the store.
func (s *Service) Close() error {
	s.signalStop()
	s.wg.Wait()
	return nil
}

// signalStop tells every goroutine to stop, once.
func (s *Service) signalStop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.stop)
	}
}

// Wait blocks until the job with this id has finished (COMPLETED or
// FAILED) or was deleted, and returns its status. For an import that is
// after its upload. It returns ErrClosed when the Service closes first.
func (s *Service) Wait(ctx context.Context, id string) (Status, error) {
	s.mu.Lock()
	j := s.jobs[id]
	s.mu.Unlock()
	if j == nil {
		return "", notFound("job", id)
	}
	select {
	case <-j.done:
	case <-s.stop:
		return "", ErrClosed
	case <-ctx.Done():
		return "", ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return j.Status, nil
}

// start runs the job in a goroutine of the Service. After Close the job
// stays pending; the next New resumes it.
func (s *Service) start(j *job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if j.Kind == KindImport {
			s.runImport(j)
		} else {
			s.runExport(j)
		}
	}()
}

func (s *Service) stopping() bool {
	select {
	case <-s.stop:
		return true
	default:
		return false
	}
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }

// lookupLocked returns the job if it exists, belongs to org and is of kind.
func (s *Service) lookupLocked(org, id string, kind Kind) *job {
	j := s.jobs[id]
	if j == nil || j.Org != org || j.Kind != kind {
		return nil
	}
	return j
}

// add registers a new job and saves it.
func (s *Service) add(j *job) error {
	s.mu.Lock()
	s.jobs[j.ID] = j
	s.mu.Unlock()
	if err := s.save(j); err != nil {
		s.mu.Lock()
		delete(s.jobs, j.ID)
		s.mu.Unlock()
		return storeError(err)
	}
	s.m.job(j.Kind, "created")
	return nil
}

// markRunning moves a job to RUNNING.
func (s *Service) markRunning(j *job) error {
	s.mu.Lock()
	j.Status = StatusRunning
	if j.Started.IsZero() {
		j.Started = s.now()
	}
	s.mu.Unlock()
	s.m.running(j.Kind, 1)
	return s.save(j)
}

// finish moves a job to its final status, saves it and then wakes its
// waiters; failure, if set, says why.
func (s *Service) finish(j *job, st Status, failure string, edit func()) {
	s.mu.Lock()
	running := j.Status == StatusRunning
	if j.Started.IsZero() {
		j.Started = s.now()
	}
	j.Status, j.Ended = st, s.now()
	if failure != "" {
		j.Errors = append(j.Errors, failure)
	}
	if edit != nil {
		edit()
	}
	took := j.Ended.Sub(j.Started)
	s.mu.Unlock()
	if err := s.save(j); err != nil {
		s.log.Error("cannot save a finished job", zap.String("id", j.ID), zap.Error(err))
	}
	if running {
		s.m.running(j.Kind, -1)
	}
	s.m.job(j.Kind, st)
	s.m.ran(j.Kind, took)
	log := s.log.Info
	if st == StatusFailed {
		log = s.log.Warn
	}
	log("impex job finished", zap.String("id", j.ID), zap.String("kind", string(j.Kind)),
		zap.String("status", string(st)), zap.String("failure", failure), zap.Duration("took", took))
	s.mu.Lock()
	closeDone(j) // last: a waiter sees the final state saved and counted
	s.mu.Unlock()
}
