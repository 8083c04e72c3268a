package adminui

import (
	"encoding/json"
	"sort"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/internal/adminstyle"
	"ociedge/oci"
	"ociedge/oci/impex"
)

// How often the expensive parts are recomputed, however often the page
// polls: Stats and CheckInvariants walk every sku under the read lock.
const (
	statsEvery      = time.Second
	invariantsEvery = 10 * time.Second
	checkNowEvery   = time.Second // the floor for an explicit check=1
	maxListed       = 100         // violations, overcommitments and jobs shown
)

// Data is what the page shows (GET /admin?view=data).
type Data struct {
	Time          time.Time          `json:"time"`
	Tenants       []string           `json:"tenants"`
	StoreError    string             `json:"storeError,omitempty"`
	Stats         oci.Stats          `json:"stats"`
	NotDurable    uint64             `json:"notYetDurable"` // changes applied but not yet fsynced
	Graph         GraphView          `json:"graph"`
	GraphChanging bool               `json:"graphChanging"`
	Jobs          []impex.JobSummary `json:"jobs"`
	Invariants    Invariants         `json:"invariants"`
}

// GraphView is the location graph with what the page says of each place.
type GraphView struct {
	Epoch     uint64         `json:"epoch"`
	Locations []LocationView `json:"locations"`
	Groups    []oci.Group    `json:"groups"`
}

// LocationView is one location, its groups and its record count.
type LocationView struct {
	oci.Location
	Groups  []string `json:"groups"`
	Records int      `json:"records"`
}

// Invariants is the last invariant check.
type Invariants struct {
	CheckedAt     time.Time            `json:"checkedAt"`
	TookMs        int64                `json:"tookMs"`
	OK            bool                 `json:"ok"`
	Violations    []oci.Violation      `json:"violations"`
	ViolationsN   int                  `json:"violationCount"`
	Overcommitted []oci.Overcommitment `json:"overcommitted"`
	OvercommitN   int                  `json:"overcommittedCount"`
}

// snapshot returns the data, recomputing what is older than its period.
func (p *page) snapshot(tenants []string, check bool) Data {
	now := p.cfg.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.snap.val == nil || now.Sub(p.snap.at) >= statsEvery {
		p.snap = cached{now, p.collect()}
	}
	due := now.Sub(p.inv.at) >= invariantsEvery || check && now.Sub(p.inv.at) >= checkNowEvery
	if p.inv.val == nil || due {
		p.inv = cached{now, p.check(now)}
	}
	d := p.snap.val.(Data)
	d.Time, d.Tenants, d.Invariants = now, tenants, p.inv.val.(Invariants)
	if p.cfg.Impex != nil {
		d.Jobs = p.cfg.Impex.Jobs(maxListed, tenants...)
	}
	if d.Jobs == nil {
		d.Jobs = []impex.JobSummary{}
	}
	return d
}

func (p *page) collect() Data {
	c := p.cfg.Core
	d := Data{Stats: c.Stats(), GraphChanging: c.GraphChanging()}
	if err := c.Healthy(); err != nil {
		d.StoreError = err.Error()
	}
	if d.Stats.Seq > d.Stats.DurableSeq {
		d.NotDurable = d.Stats.Seq - d.Stats.DurableSeq
	}
	g, epoch := c.Graph()
	d.Graph = graphView(g, epoch, d.Stats.RecordsByLocation)
	return d
}

func graphView(g oci.Graph, epoch uint64, records map[string]int) GraphView {
	member := map[string][]string{}
	for _, gr := range g.Groups {
		for _, l := range gr.Locations {
			member[l] = append(member[l], gr.ID)
		}
	}
	v := GraphView{Epoch: epoch, Groups: g.Groups, Locations: make([]LocationView, 0, len(g.Locations))}
	for _, l := range g.Locations {
		gs := member[l.ID]
		if gs == nil {
			gs = []string{}
		}
		v.Locations = append(v.Locations, LocationView{Location: l, Groups: gs, Records: records[l.ID]})
	}
	sort.Slice(v.Locations, func(a, b int) bool { return v.Locations[a].ID < v.Locations[b].ID })
	if v.Groups == nil {
		v.Groups = []oci.Group{}
	}
	return v
}

func (p *page) check(now time.Time) Invariants {
	c := p.cfg.Core
	viol, over := c.CheckInvariants(), c.Overcommitted()
	inv := Invariants{CheckedAt: now, TookMs: p.cfg.Now().Sub(now).Milliseconds(), OK: len(viol) == 0 && len(over) == 0,
		ViolationsN: len(viol), OvercommitN: len(over)}
	inv.Violations = capped(viol)
	inv.Overcommitted = capped(over)
	return inv
}

// capped returns at most maxListed elements, never nil.
func capped[T any](s []T) []T {
	if len(s) > maxListed {
		s = s[:maxListed]
	}
	if s == nil {
		s = []T{}
	}
	return s
}

func writeJSON(ctx *fasthttp.RequestCtx, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic("BUG: cannot encode the admin data: " + err.Error())
	}
	ctx.Response.Header.Set("Cache-Control", "no-store")
	adminstyle.Write(ctx, fasthttp.StatusOK, "application/json", b)
}

// problem writes an error in the core's problem shape.
func problem(ctx *fasthttp.RequestCtx, status int, code, message string) {
	b, _ := json.Marshal(map[string]string{"type": "about:blank", "title": fasthttp.StatusMessage(status),
		"errorCode": code, "message": message})
	adminstyle.Write(ctx, status, "application/problem+json", b)
}
