package impex

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/google/uuid"

	"ociedge/oci"
)

// ExportObjects are the places of an availability export request, the
// `objects` of reference I-E1: groups or locations, not both.
type ExportObjects struct {
	Groups    []string `json:"groups,omitempty"`
	Locations []string `json:"locations,omitempty"`
}

// ExportLinks answers an export request (I-E1, I-L1).
type ExportLinks struct {
	ExportID         string `json:"exportId"`
	ExportStatusLink string `json:"exportStatusLink"`
}

// ExportStatus is the status of an availability or location-graph export
// (I-E2, I-L2); it marshals to the documented JSON. Message says why a
// FAILED export failed (not in OCI's schema).
type ExportStatus struct {
	ID         string          `json:"id"`
	Status     Status          `json:"status"`
	Export     ExportStats     `json:"export"`
	Download   *DownloadInfo   `json:"download,omitempty"`
	Validation *FileValidation `json:"validation,omitempty"`
	Message    string          `json:"message,omitempty"`
}

// ExportStats are the counts and times of an export; Groups or Locations
// list an availability export's places.
type ExportStats struct {
	StartTimeUTC          *time.Time `json:"startTimeUTC,omitempty"`
	EndTimeUTC            *time.Time `json:"endTimeUTC,omitempty"`
	RecordsProcessedCount int64      `json:"recordsProcessedCount"`
	RecordsExportedCount  int64      `json:"recordsExportedCount"`
	Groups                []string   `json:"groups,omitempty"`
	Locations             []string   `json:"locations,omitempty"`
}

// DownloadInfo links a completed export's file.
type DownloadInfo struct {
	DownloadLink              string    `json:"downloadLink"`
	DownloadLinkExpirationUTC time.Time `json:"downloadLinkExpirationUTC"`
}

// FileValidation describes an export file.
type FileValidation struct {
	FileHash     string `json:"fileHash,omitempty"`
	FileHashType string `json:"fileHashType,omitempty"`
	FileSize     int64  `json:"fileSize"`
}

func exportsPath(org string, kind Kind) string {
	switch kind {
	case KindGraphExport:
		return basePath(org) + "/location-graph/exports"
	case KindReservationExport:
		return reservationExportsPath(org)
	}
	return basePath(org) + "/availability-records/exports"
}

// InitiateExport starts an availability export of the given places (I-E1).
// Every place must exist: an unknown one is LocationDoesNotExist or
// GroupDoesNotExist naming it, and nothing starts.
func (s *Service) InitiateExport(org string, objs ExportObjects) (*ExportLinks, error) {
	groups, ids, err := s.checkExport(objs)
	if err != nil {
		return nil, err
	}
	return s.initiateExport(org, KindExport, &exportRecord{Groups: groups, Places: ids})
}

// InitiateGraphExport starts an export of the location graph (I-L1).
func (s *Service) InitiateGraphExport(org string) (*ExportLinks, error) {
	return s.initiateExport(org, KindGraphExport, &exportRecord{})
}

func (s *Service) initiateExport(org string, kind Kind, rec *exportRecord) (*ExportLinks, error) {
	j := newJob(jobRecord{ID: uuid.NewString(), Org: org, Kind: kind, Status: StatusPending, Created: s.now(), Export: rec})
	if err := s.add(j); err != nil {
		return nil, err
	}
	s.start(j)
	return &ExportLinks{ExportID: j.ID, ExportStatusLink: exportsPath(org, kind) + "/" + j.ID + "/status"}, nil
}

func (s *Service) checkExport(objs ExportObjects) (groups bool, ids []string, err error) {
	switch {
	case len(objs.Groups) > 0 && len(objs.Locations) > 0:
		return false, nil, paramError("objects", "Locations and Groups not allowed in the same request.")
	case len(objs.Groups)+len(objs.Locations) == 0:
		return false, nil, paramError("objects", "Either 'objects.groups' or 'objects.locations' must list at least one place.")
	}
	groups, ids = len(objs.Groups) > 0, objs.Locations
	param := "objects.locations"
	if groups {
		ids, param = objs.Groups, "objects.groups"
	}
	g, _ := s.core.Graph()
	known := make(map[string]bool, len(g.Locations)+len(g.Groups))
	if groups {
		for _, gr := range g.Groups {
			known[gr.ID] = true
		}
	} else {
		for _, l := range g.Locations {
			known[l.ID] = true
		}
	}
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		p := fmt.Sprintf("%s[%d]", param, i)
		if err := oci.ValidatePlaceID(p, id); err != nil {
			return false, nil, err
		}
		if seen[id] {
			return false, nil, paramError(p, "'%s' is listed twice", id)
		}
		seen[id] = true
		if !known[id] {
			return false, nil, unknownPlace(groups, id, p)
		}
	}
	return groups, append([]string(nil), ids...), nil
}

func unknownPlace(group bool, id, param string) error {
	if group {
		return &oci.Error{Code: oci.GroupDoesNotExist, Group: id, Parameter: param,
			Message: fmt.Sprintf("No group exists with ID '%s'", id)}
	}
	return &oci.Error{Code: oci.LocationDoesNotExist, Location: id, Parameter: param,
		Message: fmt.Sprintf("No location exists with ID '%s'", id)}
}

// ExportStatus returns the status of an availability export (I-E2).
func (s *Service) ExportStatus(org, id string) (*ExportStatus, error) {
	return s.exportStatus(org, id, KindExport)
}

// GraphExportStatus returns the status of a location-graph export (I-L2).
func (s *Service) GraphExportStatus(org, id string) (*ExportStatus, error) {
	return s.exportStatus(org, id, KindGraphExport)
}

func (s *Service) exportStatus(org, id string, kind Kind) (*ExportStatus, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j := s.lookupLocked(org, id, kind)
	if j == nil {
		return nil, notFound("export", id)
	}
	ex := j.Export
	st := &ExportStatus{ID: j.ID, Status: j.Status, Export: ExportStats{
		StartTimeUTC: timePtr(j.Started), EndTimeUTC: timePtr(j.Ended),
		RecordsProcessedCount: ex.Exported, RecordsExportedCount: ex.Exported,
	}}
	if kind == KindExport && ex.Groups {
		st.Export.Groups = append([]string{}, ex.Places...)
	} else if kind == KindExport {
		st.Export.Locations = append([]string{}, ex.Places...)
	}
	if len(j.Errors) > 0 {
		st.Message = j.Errors[0]
	}
	if j.Status == StatusCompleted {
		st.Download = &DownloadInfo{
			DownloadLink:              exportsPath(org, kind) + "/" + j.ID + "/file-content",
			DownloadLinkExpirationUTC: j.Ended.Add(s.cfg.ResultTTL),
		}
		st.Validation = &FileValidation{FileSize: ex.FileSize}
		if ex.FileHash != "" {
			st.Validation.FileHash, st.Validation.FileHashType = ex.FileHash, HashSHA256
		}
	}
	return st, nil
}

// ExportFile opens the file of a completed availability export (I-E3) and
// returns it with its size. It is ExportInProcess while the export runs and
// ExpiredResultLink once the download link expired.
func (s *Service) ExportFile(org, id string) (io.ReadCloser, int64, error) {
	return s.exportFile(org, id, KindExport)
}

// GraphExportFile opens the file of a completed location-graph export (I-L3).
func (s *Service) GraphExportFile(org, id string) (io.ReadCloser, int64, error) {
	return s.exportFile(org, id, KindGraphExport)
}

func (s *Service) exportFile(org, id string, kind Kind) (io.ReadCloser, int64, error) {
	s.mu.Lock()
	j := s.lookupLocked(org, id, kind)
	var err error
	switch {
	case j == nil:
		err = notFound("export", id)
	case !j.Status.Finished():
		err = exportInProcess(id)
	case j.Status == StatusFailed:
		err = &oci.Error{Code: oci.EntityNotFound, Message: fmt.Sprintf("Export %s failed and has no file: %s", id, firstOf(j.Errors))}
	case j.FilesRemoved || !s.now().Before(j.Ended.Add(s.cfg.ResultTTL)):
		err = expiredResult()
	}
	s.mu.Unlock()
	if err != nil {
		return nil, 0, err
	}
	f, err := os.Open(s.exportPath(id))
	if err != nil {
		return nil, 0, expiredResult()
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, storeError(err)
	}
	return f, fi.Size(), nil
}

// DeleteExport deletes an availability export and its file (I-E4).
func (s *Service) DeleteExport(org, id string) error { return s.deleteExport(org, id, KindExport) }

// DeleteGraphExport deletes a location-graph export and its file (I-L4).
func (s *Service) DeleteGraphExport(org, id string) error {
	return s.deleteExport(org, id, KindGraphExport)
}

func (s *Service) deleteExport(org, id string, kind Kind) error {
	s.mu.Lock()
	j := s.lookupLocked(org, id, kind)
	if j == nil {
		s.mu.Unlock()
		return notFound("export", id)
	}
	if !j.Status.Finished() {
		s.mu.Unlock()
		return exportInProcess(id)
	}
	j.deleted = true
	delete(s.jobs, id)
	s.mu.Unlock()
	if err := s.forget(j); err != nil {
		return storeError(err)
	}
	return nil
}

func firstOf(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	return ss[0]
}
