package impex

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"ociedge/oci"
)

// InitiateImport is the body of an import request (reference §5.2, I-I1).
type InitiateImport struct {
	FileName     string `json:"fileName"`
	FileFormat   string `json:"fileFormat,omitempty"`   // JSON (the default) is the only format
	FileEncoding string `json:"fileEncoding,omitempty"` // GZIP if compressed
	FileHash     string `json:"fileHash,omitempty"`     // hex digest of the file as uploaded
	FileHashType string `json:"fileHashType,omitempty"` // SHA-256 (default) or SHA-512
	LinkDuration *int   `json:"linkDuration,omitempty"` // minutes the upload link lives, 1..60
}

// ImportLinks answers an import request.
type ImportLinks struct {
	ImportID             string    `json:"importId"`
	ImportStatusLink     string    `json:"importStatusLink"`
	UploadLink           string    `json:"uploadLink"`
	UploadMethod         string    `json:"uploadMethod"`
	UploadLinkExpiration time.Time `json:"uploadLinkExpirationUTC"`
}

// ImportStatus is the status of an import (reference I-I4); it marshals to
// the documented JSON.
type ImportStatus struct {
	ImportID   string      `json:"importId"`
	Status     Status      `json:"status"`
	Validation Validation  `json:"validation"`
	Upload     UploadInfo  `json:"upload"`
	Import     ImportStats `json:"import"`
}

// Validation is the file validation part of an import status: status is
// PENDING until the file was checked, then COMPLETED or FAILED with errors.
type Validation struct {
	Status string   `json:"status"`
	Errors []string `json:"errors"`
}

// UploadInfo names the uploaded file.
type UploadInfo struct {
	FileName string `json:"fileName"`
}

// ImportStats are the counts and times of an import. Read counts the
// record lines read (and lines that failed), Processed those applied,
// Skipped those not applied because their recordId was imported before or
// their effectiveDate is older than the stored one; the rest failed and
// are listed in the result file.
type ImportStats struct {
	StartTimeUTC          *time.Time   `json:"startTimeUTC,omitempty"`
	EndTimeUTC            *time.Time   `json:"endTimeUTC,omitempty"`
	RecordsProcessedCount int64        `json:"recordsProcessedCount"`
	RecordsReadCount      int64        `json:"recordsReadCount"`
	RecordsSkippedCount   int64        `json:"recordsSkippedCount"`
	FullResults           *FullResults `json:"fullResults,omitempty"`
}

// FullResults links the result file of a finished import.
type FullResults struct {
	Href                      string    `json:"href"`
	ExportResultExpirationUTC time.Time `json:"exportResultExpirationUTC"`
}

// The hash algorithms of fileHashType.
const (
	HashSHA256 = "SHA-256"
	HashSHA512 = "SHA-512"
)

func basePath(org string) string {
	return "/inventory/impex/v1/organizations/" + url.PathEscape(org)
}

func importsPath(org string) string { return basePath(org) + "/availability-records/imports" }

// Initiate creates an import that waits for its file (I-I1). The links it
// returns are paths under the organization org.
func (s *Service) Initiate(org string, req InitiateImport) (*ImportLinks, error) {
	rec, ttl, err := s.checkInitiate(req)
	if err != nil {
		return nil, err
	}
	now := s.now()
	rec.UploadExpires = now.Add(ttl)
	j := newJob(jobRecord{ID: uuid.NewString(), Org: org, Kind: KindImport, Status: StatusWaiting, Created: now, Import: rec})
	if err := s.add(j); err != nil {
		return nil, err
	}
	return &ImportLinks{
		ImportID:             j.ID,
		ImportStatusLink:     importsPath(org) + "/" + j.ID + "/status",
		UploadLink:           importsPath(org) + "/uploadlink/" + j.ID,
		UploadMethod:         "POST",
		UploadLinkExpiration: rec.UploadExpires,
	}, nil
}

func (s *Service) checkInitiate(req InitiateImport) (*importRecord, time.Duration, error) {
	rec := &importRecord{FileName: req.FileName}
	switch {
	case req.FileName == "" || len(req.FileName) > 1024:
		return nil, 0, &oci.Error{Code: oci.InvalidRequestParameter, Parameter: "fileName",
			Message: "'fileName' is required (1 to 1024 characters)"}
	case req.FileFormat != "" && !strings.EqualFold(req.FileFormat, "JSON"):
		return nil, 0, paramError("fileFormat", "'fileFormat' %q is not supported; only JSON is", clip(req.FileFormat))
	case req.FileEncoding != "" && !strings.EqualFold(req.FileEncoding, "GZIP"):
		return nil, 0, paramError("fileEncoding", "'fileEncoding' %q is not supported; only GZIP is", clip(req.FileEncoding))
	}
	rec.Gzip = req.FileEncoding != ""
	if err := checkHash(req, rec); err != nil {
		return nil, 0, err
	}
	ttl := s.cfg.DefaultLinkDuration
	if req.LinkDuration != nil {
		max := int(s.cfg.MaxLinkDuration / time.Minute)
		if *req.LinkDuration < 1 || *req.LinkDuration > max {
			return nil, 0, paramError("linkDuration", "'linkDuration' must be 1 to %d minutes", max)
		}
		ttl = time.Duration(*req.LinkDuration) * time.Minute
	}
	return rec, ttl, nil
}

func checkHash(req InitiateImport, rec *importRecord) error {
	typ, digits := HashSHA256, 64
	switch {
	case req.FileHashType == "" || strings.EqualFold(req.FileHashType, HashSHA256):
	case strings.EqualFold(req.FileHashType, HashSHA512):
		typ, digits = HashSHA512, 128
	default:
		return paramError("fileHashType", "'fileHashType' %q is not supported; use SHA-256 or SHA-512", clip(req.FileHashType))
	}
	if req.FileHash == "" {
		return nil
	}
	h := strings.ToLower(req.FileHash)
	if len(h) != digits || strings.Trim(h, "0123456789abcdef") != "" {
		return paramError("fileHash", "'fileHash' must be the %s of the file as %d hex digits", typ, digits)
	}
	rec.HashType, rec.Hash = typ, h
	return nil
}

// ImportStatus returns the status of an import (I-I4).
func (s *Service) ImportStatus(org, id string) (*ImportStatus, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j := s.lookupLocked(org, id, KindImport)
	if j == nil {
		return nil, notFound("import", id)
	}
	return s.importStatusLocked(j), nil
}

func (s *Service) importStatusLocked(j *job) *ImportStatus {
	im := j.Import
	st := &ImportStatus{
		ImportID:   j.ID,
		Status:     s.visibleStatus(j),
		Validation: Validation{Status: "PENDING", Errors: append([]string{}, j.Errors...)},
		Upload:     UploadInfo{FileName: im.FileName},
		Import: ImportStats{
			StartTimeUTC: timePtr(j.Started), EndTimeUTC: timePtr(j.Ended),
			RecordsProcessedCount: im.Counts.Processed, RecordsReadCount: im.Counts.Read,
			RecordsSkippedCount: im.Counts.Skipped,
		},
	}
	switch {
	case len(j.Errors) > 0:
		st.Validation.Status = string(StatusFailed)
	case im.Validated:
		st.Validation.Status = string(StatusCompleted)
	}
	if j.Status.Finished() {
		st.Import.FullResults = &FullResults{
			Href:                      importsPath(j.Org) + "/" + j.ID + "/file-content",
			ExportResultExpirationUTC: j.Ended.Add(s.cfg.ResultTTL),
		}
	}
	return st
}

// visibleStatus is EXPIRED for an import whose upload link passed unused.
func (s *Service) visibleStatus(j *job) Status {
	if j.Status == StatusWaiting && !j.receiving && !s.now().Before(j.Import.UploadExpires) {
		return StatusExpired
	}
	return j.Status
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// DeleteImport deletes an import and its files (I-I6). An import whose file
// is being received or applied cannot be deleted (ImportInProgress).
func (s *Service) DeleteImport(org, id string) error {
	s.mu.Lock()
	j := s.lookupLocked(org, id, KindImport)
	if j == nil {
		s.mu.Unlock()
		return notFound("import", id)
	}
	if j.receiving || j.Status == StatusPending || j.Status == StatusRunning {
		s.mu.Unlock()
		return importInProgress(id)
	}
	j.deleted = true
	delete(s.jobs, id)
	closeDone(j)
	s.mu.Unlock()
	if err := s.forget(j); err != nil {
		return storeError(err)
	}
	return nil
}

// ListImports returns the ids of the organization's imports, oldest first
// (I-I2); with availableOnly, only those whose upload link can still be
// used.
func (s *Service) ListImports(org string, availableOnly bool) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var js []*job
	for _, j := range s.jobs {
		if j.Org != org || j.Kind != KindImport {
			continue
		}
		if availableOnly && s.visibleStatus(j) != StatusWaiting || availableOnly && j.receiving {
			continue
		}
		js = append(js, j)
	}
	sort.Slice(js, func(a, b int) bool {
		if !js[a].Created.Equal(js[b].Created) {
			return js[a].Created.Before(js[b].Created)
		}
		return js[a].ID < js[b].ID
	})
	ids := make([]string, len(js))
	for i, j := range js {
		ids[i] = j.ID
	}
	return ids
}

func (c *importCounts) add(o importCounts) {
	c.Read += o.Read
	c.Processed += o.Processed
	c.Skipped += o.Skipped
	c.Failed += o.Failed
}

func (c importCounts) String() string {
	return fmt.Sprintf("read %d, processed %d, skipped %d, failed %d", c.Read, c.Processed, c.Skipped, c.Failed)
}
