package impex

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"ociedge/internal/kv"
)

// Kind is the kind of an impex job.
type Kind string

// The job kinds.
const (
	KindImport      Kind = "import"       // availability import (reference §5.2)
	KindExport      Kind = "export"       // availability export (§5.3)
	KindGraphExport Kind = "graph-export" // location-graph export (§5.4)
)

// Status is a job status (reference §5.1, GenericStatuses).
type Status string

// The statuses a job goes through: an import is WAITING for its file (or
// EXPIRED when its upload link passed unused), then PENDING, RUNNING and
// COMPLETED or FAILED; an export starts PENDING.
const (
	StatusWaiting   Status = "WAITING"
	StatusExpired   Status = "EXPIRED"
	StatusPending   Status = "PENDING"
	StatusRunning   Status = "RUNNING"
	StatusCompleted Status = "COMPLETED"
	StatusFailed    Status = "FAILED"
)

// Finished reports whether s is final.
func (s Status) Finished() bool { return s == StatusCompleted || s == StatusFailed }

// The first line of an import result file (reference §5.2, I-I5).
const (
	ResultWithoutErrors   = "COMPLETED_WITHOUT_ERRORS"
	ResultPartialFailures = "COMPLETED_WITH_PARTIAL_FAILURES"
	ResultFailed          = "FAILED"
)

// jobRecord is a job as the store keeps it: JSON at impex/j/<id>.
type jobRecord struct {
	ID           string        `json:"id"`
	Org          string        `json:"org"`
	Kind         Kind          `json:"kind"`
	Status       Status        `json:"status"`
	Created      time.Time     `json:"created"`
	Started      time.Time     `json:"started,omitzero"`
	Ended        time.Time     `json:"ended,omitzero"`
	Errors       []string      `json:"errors,omitempty"` // validation errors, or why the job failed
	FilesRemoved bool          `json:"filesRemoved,omitempty"`
	Import       *importRecord `json:"import,omitempty"`
	Export       *exportRecord `json:"export,omitempty"`
}

// importRecord is the import-only part of a job.
type importRecord struct {
	FileName      string       `json:"fileName"`
	Gzip          bool         `json:"gzip,omitempty"`
	HashType      string       `json:"hashType,omitempty"`
	Hash          string       `json:"hash,omitempty"` // lower-case hex
	UploadExpires time.Time    `json:"uploadExpires"`
	UploadedBytes int64        `json:"uploadedBytes,omitempty"`
	Validated     bool         `json:"validated,omitempty"` // the file passed the pre-apply checks
	Result        string       `json:"result,omitempty"`    // the result file's status line, once finished
	Counts        importCounts `json:"counts"`
	Checkpoint    checkpoint   `json:"checkpoint"`
	Resumes       int          `json:"resumes,omitempty"` // times it was resumed after a restart
}

// importCounts are the record counts of an import. Read = Processed +
// Skipped + Failed; Failed lines are in the result file.
type importCounts struct {
	Read      int64 `json:"read"`
	Processed int64 `json:"processed"`
	Skipped   int64 `json:"skipped"`
	Failed    int64 `json:"failed"`
}

// checkpoint is how far an import got durably: everything before line
// Lines+1 is applied and its failures are the first FailBytes bytes of the
// failures file. A resumed import starts reading there.
type checkpoint struct {
	Lines     int64        `json:"lines"`
	FailBytes int64        `json:"failBytes"`
	Counts    importCounts `json:"counts"`
	State     layoutState  `json:"state"`
}

// exportRecord is the export-only part of a job.
type exportRecord struct {
	Groups   bool     `json:"groups,omitempty"` // the places are groups (else locations)
	Places   []string `json:"places,omitempty"`
	Exported int64    `json:"exported"`
	FileSize int64    `json:"fileSize"`
	FileHash string   `json:"fileHash,omitempty"` // SHA-256, graph exports
	Token    bool     `json:"token,omitempty"`
	// Reservations is a reservations export's request, kept so that a
	// restart can run the export again.
	Reservations *ReservationsExportRequest `json:"reservations,omitempty"`
}

// job is a job in memory. Its fields are guarded by Service.mu.
type job struct {
	jobRecord
	receiving bool          // an upload is being streamed to it
	deleted   bool          // removed by Delete or the sweeper
	done      chan struct{} // closed when the job finishes or is deleted

	// saveMu orders this job's store writes: a record is marshalled and
	// written under it, so a later state never loses to an earlier one.
	// It guards no memory.
	saveMu sync.Mutex
}

func newJob(r jobRecord) *job {
	j := &job{jobRecord: r, done: make(chan struct{})}
	if r.Status.Finished() {
		close(j.done)
	}
	return j
}

var prefixJob = []byte("impex/j/")

func jobKey(id string) []byte { return append(append([]byte(nil), prefixJob...), id...) }

// save writes the job's current record durably.
func (s *Service) save(j *job) error {
	j.saveMu.Lock()
	defer j.saveMu.Unlock()
	s.mu.Lock()
	if j.deleted {
		s.mu.Unlock()
		return nil
	}
	v, err := json.Marshal(&j.jobRecord)
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("BUG: cannot encode job %s: %w", j.ID, err)
	}
	var b kv.Batch
	b.Set(jobKey(j.ID), v)
	if err := s.store.Write(&b); err != nil {
		return fmt.Errorf("cannot save job %s: %w", j.ID, err)
	}
	return nil
}

// forget removes the job's record and files. The caller has marked it
// deleted under s.mu.
func (s *Service) forget(j *job) error {
	j.saveMu.Lock()
	defer j.saveMu.Unlock()
	var b kv.Batch
	b.Delete(jobKey(j.ID))
	if err := s.store.Write(&b); err != nil {
		return fmt.Errorf("cannot delete job %s: %w", j.ID, err)
	}
	s.removeFiles(j.ID)
	return nil
}

// The files of a job, all named after its id (ids are generated here,
// never taken from a request, so they are safe in paths).
func (s *Service) uploadPath(id string) string   { return filepath.Join(s.cfg.Dir, id+".upload") }
func (s *Service) failuresPath(id string) string { return filepath.Join(s.cfg.Dir, id+".failures") }
func (s *Service) exportPath(id string) string   { return filepath.Join(s.cfg.Dir, id+".export") }

const partSuffix = ".part"

func (s *Service) removeFiles(id string) {
	for _, p := range []string{s.uploadPath(id), s.failuresPath(id), s.exportPath(id)} {
		os.Remove(p)
		os.Remove(p + partSuffix)
	}
}

// syncDir makes renames and creations in the job directory durable.
func (s *Service) syncDir() error {
	d, err := os.Open(s.cfg.Dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
