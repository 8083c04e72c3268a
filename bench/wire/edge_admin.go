package wire

import "encoding/json"

// The edge's admin API (DESIGN §3.5), behind Authorization: Bearer <admin
// token>:
//
//	GET  /admin/api/oci/status → {"mode","warnings","lists":[{"id","locationType",
//	     "itemsCached","state","lagMs","imported","importDurationMs",…}],"circuit",…}
//	POST /admin/api/oci/mode {"mode","force"} → 200 status, or 409 with the reason
const (
	adminStatusPath = "/admin/api/oci/status"
	adminModePath   = "/admin/api/oci/mode"
)

// The inventory modes.
const (
	ModeCommercePlatform = "COMMERCE_PLATFORM"
	ModeCacheEnabled     = "OCI_CACHE_ENABLED"
	ModeOmnichannel      = "OMNICHANNEL_INVENTORY"
)

// AdminStatus asks for the OCI integration status.
func AdminStatus() Request { return Request{Method: "GET", URI: adminStatusPath} }

// SetMode asks for a mode change.
func SetMode(mode string, force bool) Request {
	return jsonRequest("POST", adminModePath, struct {
		Mode  string `json:"mode"`
		Force bool   `json:"force"`
	}{mode, force})
}

// EdgeStatus is the part of the status the harness reads.
type EdgeStatus struct {
	Mode    string       `json:"mode"`
	Circuit string       `json:"circuit"`
	Lists   []ListStatus `json:"lists"`
}

// ListStatus is one list's cache status.
type ListStatus struct {
	ID               string `json:"id"`
	LocationType     string `json:"locationType"`
	ItemsCached      int64  `json:"itemsCached"`
	State            string `json:"state"`
	LagMs            int64  `json:"lagMs"`
	Imported         bool   `json:"imported"`
	ImportDurationMs int64  `json:"importDurationMs"`
	ImportRecords    int64  `json:"importRecords"`
}

// ParseEdgeStatus reads a status answer.
func ParseEdgeStatus(body []byte) (EdgeStatus, error) {
	var s EdgeStatus
	err := json.Unmarshal(body, &s)
	return s, err
}

// List returns the status of list id.
func (s EdgeStatus) List(id string) (ListStatus, bool) {
	for _, l := range s.Lists {
		if l.ID == id {
			return l, true
		}
	}
	return ListStatus{}, false
}
