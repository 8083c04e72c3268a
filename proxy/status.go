package proxy

import (
	"fmt"
	"time"

	"ociedge/cache"
	"ociedge/modes"
	"ociedge/proxy/orders"
)

// Status is the OCI Integration status: what GET /admin/api/oci/status
// returns and what the admin page shows. mode, warnings and lists are a
// contract (DESIGN §3.5); the rest is extra.
type Status struct {
	Mode             modes.Mode                `json:"mode"`
	ModeLabel        string                    `json:"modeLabel"`
	ModeSince        time.Time                 `json:"modeSince"`
	Warnings         []string                  `json:"warnings"`
	Lists            []ListStatus              `json:"lists"`
	StreamsRunning   bool                      `json:"streamsRunning"`
	Circuit          string                    `json:"circuit"`
	OpenReservations *orders.ReservationCounts `json:"openReservations,omitempty"`
	Checklist        []CheckItem               `json:"checklist"`
}

// ListStatus is one row of the Cache Status table.
type ListStatus struct {
	ID               string     `json:"id"`
	LocationType     string     `json:"locationType"`
	ItemsCached      int64      `json:"itemsCached"`
	LastCacheUpdate  *time.Time `json:"lastCacheUpdate"`
	State            string     `json:"state"`
	LagMs            int64      `json:"lagMs"`
	Stream           string     `json:"stream"`
	Imported         bool       `json:"imported"`
	ImportDurationMs int64      `json:"importDurationMs"`
	ImportRecords    int64      `json:"importRecords"`
	Site             bool       `json:"siteAssigned"`
	DefaultInStock   bool       `json:"defaultInStock"`
}

// Status gathers the integration status.
func (e *Edge) Status() Status {
	rec := e.mode.Record()
	st := Status{Mode: rec.Mode, ModeLabel: rec.Mode.Label(), ModeSince: rec.Since, Warnings: []string{},
		StreamsRunning: e.streams.Load(), Circuit: e.orders.CircuitState().String()}
	cs := e.cache.Status()
	for _, s := range cs {
		st.Lists = append(st.Lists, e.listStatus(s))
	}
	if counts, err := e.orders.OpenReservations(); err == nil {
		st.OpenReservations = &counts
	}
	st.Warnings = e.warnings(st, cs)
	st.Checklist = e.checklist(st)
	return st
}

func (e *Edge) listStatus(s cache.ListStatus) ListStatus {
	l := ListStatus{ID: s.ID, LocationType: string(s.LocationType), ItemsCached: s.ItemsCached, State: s.State,
		LagMs: s.LagMs(), Stream: s.Stream, Imported: s.Imported, ImportDurationMs: s.ImportDuration.Milliseconds(),
		ImportRecords: s.ImportRecords, Site: s.Site}
	if !s.LastCacheUpdate.IsZero() {
		t := s.LastCacheUpdate.UTC()
		l.LastCacheUpdate = &t
	}
	if cfg, ok := e.app.List(s.ID); ok {
		l.DefaultInStock = cfg.DefaultInStock
	}
	return l
}

// warnings are the problems the status page shows at its top ("warnings
// at the top of the page → configuration issue", reference §6.1).
func (e *Edge) warnings(st Status, cs []cache.ListStatus) []string {
	w := []string{}
	if !st.StreamsRunning && st.Mode != modes.CommercePlatform {
		w = append(w, "The cache streams are not running.")
	}
	for _, s := range cs {
		switch {
		case st.StreamsRunning && !s.Mapped():
			w = append(w, fmt.Sprintf("Inventory list %q has no location or location group with that External Reference in the core (Location Type N/A).", s.ID))
		case st.StreamsRunning && s.Imported && s.Lag > 30*time.Second:
			w = append(w, fmt.Sprintf("Inventory list %q is %s behind the core (%s).", s.ID, s.Lag.Round(time.Second), s.State))
		}
	}
	if st.Circuit != orders.CircuitClosed.String() {
		w = append(w, "Reservation calls to the core are failing: the circuit breaker is "+st.Circuit+".")
	}
	if st.Mode != modes.OmnichannelInventory && st.OpenReservations != nil {
		if n := st.OpenReservations.Orders[orders.SystemOCI]; n > 0 {
			w = append(w, fmt.Sprintf("%d open order reservations were made in Omnichannel Inventory; they are released there.", n))
		}
	}
	return w
}
