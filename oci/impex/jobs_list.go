package impex

import (
	"slices"
	"sort"
	"time"
)

// JobSummary is one impex job as the core's admin page lists it: read-only
// and detached from the job (safe to keep and encode).
type JobSummary struct {
	ID       string    `json:"id"`
	Org      string    `json:"org"`
	Kind     Kind      `json:"kind"`
	Status   Status    `json:"status"`
	Created  time.Time `json:"created"`
	Started  time.Time `json:"started,omitzero"`
	Ended    time.Time `json:"ended,omitzero"`
	FileName string    `json:"fileName,omitempty"` // imports
	Result   string    `json:"result,omitempty"`   // imports: the result file's status line
	// Read, Processed, Skipped and Failed count an import's records.
	Read      int64 `json:"recordsRead"`
	Processed int64 `json:"recordsProcessed"`
	Skipped   int64 `json:"recordsSkipped"`
	Failed    int64 `json:"recordsFailed"`
	// Exported counts an export's records; Places are its places.
	Exported int64    `json:"recordsExported"`
	Places   []string `json:"places,omitempty"`
	Errors   []string `json:"errors,omitempty"` // validation errors, or why it failed
}

// Jobs lists the jobs of the given organizations (of every organization
// when none is given), newest first, at most limit (all when limit <= 0).
// It copies what it returns under the service's lock.
func (s *Service) Jobs(limit int, orgs ...string) []JobSummary {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]JobSummary, 0, len(s.jobs))
	for _, j := range s.jobs {
		if len(orgs) == 0 || slices.Contains(orgs, j.Org) {
			out = append(out, s.summaryLocked(j))
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if !out[a].Created.Equal(out[b].Created) {
			return out[a].Created.After(out[b].Created)
		}
		return out[a].ID > out[b].ID
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

func (s *Service) summaryLocked(j *job) JobSummary {
	js := JobSummary{ID: j.ID, Org: j.Org, Kind: j.Kind, Status: j.Status, Created: j.Created,
		Started: j.Started, Ended: j.Ended, Errors: slices.Clone(j.Errors)}
	if im := j.Import; im != nil {
		js.Status = s.visibleStatus(j)
		js.FileName, js.Result = im.FileName, im.Result
		js.Read, js.Processed, js.Skipped, js.Failed = im.Counts.Read, im.Counts.Processed, im.Counts.Skipped, im.Counts.Failed
	}
	if ex := j.Export; ex != nil {
		js.Exported, js.Places = ex.Exported, slices.Clone(ex.Places)
	}
	return js
}
