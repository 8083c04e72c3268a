package impex

import (
	"io"
	"strings"

	"ociedge/oci"
)

// KindReservationExport is a reservations export (reference §5.5, I-R1..4).
const KindReservationExport Kind = "reservation-export"

// ReservationsExportRequest is the body of a reservations export request
// (I-R1): the documents' status ("open" or "closed", any case) and the
// window of their reservationTime, fromDate ≤ t < toDate. fromDate is
// required. Without toDate every document made so far is listed (the
// reference's "default now"; a client-given reservationTime may run ahead
// of the core's clock, and such a document is listed too).
type ReservationsExportRequest struct {
	Status   string `json:"status"`
	FromDate string `json:"fromDate"`
	ToDate   string `json:"toDate,omitempty"`
}

// closedStates are the states a "closed" export lists: every document that
// left OPEN.
var closedStates = []oci.ReservationState{oci.StateClosed, oci.StateCancelled, oci.StateExpired}

// filter validates the request and turns it into the core's filter.
func (r *ReservationsExportRequest) filter() (oci.ReservationFilter, error) {
	var f oci.ReservationFilter
	switch strings.ToLower(r.Status) {
	case "open":
		f.States = []oci.ReservationState{oci.StateOpen}
	case "closed":
		f.States = closedStates
	case "":
		return f, &oci.Error{Code: oci.MissingParameter, Parameter: "status", Message: "'status' is required: open or closed"}
	default:
		return f, paramError("status", "'status' must be open or closed, not %q", clip(r.Status))
	}
	if r.FromDate == "" {
		return f, &oci.Error{Code: oci.MissingParameter, Parameter: "fromDate", Message: "'fromDate' is required"}
	}
	var err error
	if f.From, err = oci.ParseTime("fromDate", r.FromDate); err != nil {
		return f, err
	}
	if r.ToDate == "" {
		return f, nil
	}
	if f.To, err = oci.ParseTime("toDate", r.ToDate); err != nil {
		return f, err
	}
	if !f.To.After(f.From) {
		return f, paramError("toDate", "'toDate' must be after 'fromDate'")
	}
	return f, nil
}

func reservationExportsPath(org string) string { return basePath(org) + "/reservations/exports" }

// InitiateReservationsExport starts an export of the reservation documents
// the request selects (I-R1). The export is a snapshot taken when it runs.
// Its job record keeps the request, so that an export a restart
// interrupted starts over, as an availability export does.
func (s *Service) InitiateReservationsExport(org string, req ReservationsExportRequest) (*ExportLinks, error) {
	if _, err := req.filter(); err != nil {
		return nil, err
	}
	return s.initiateExport(org, KindReservationExport, &exportRecord{Reservations: &req})
}

// ReservationsExportStatus returns the status of a reservations export
// (I-R4), in the shape of an availability export's status.
func (s *Service) ReservationsExportStatus(org, id string) (*ExportStatus, error) {
	return s.exportStatus(org, id, KindReservationExport)
}

// ReservationsExportFile opens the file of a completed reservations export
// (I-R3): one JSON document per line. It is ExportInProcess while the
// export runs and ExpiredResultLink once the download link expired.
func (s *Service) ReservationsExportFile(org, id string) (io.ReadCloser, int64, error) {
	return s.exportFile(org, id, KindReservationExport)
}

// DeleteReservationsExport deletes a finished reservations export and its
// file (I-R2).
func (s *Service) DeleteReservationsExport(org, id string) error {
	return s.deleteExport(org, id, KindReservationExport)
}
