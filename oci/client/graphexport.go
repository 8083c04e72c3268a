package client

import (
	"context"
	"encoding/json"
	"fmt"

	"ociedge/oci"
)

// GraphExport reads the location graph through the documented headless
// location-graph export (reference §5.4: initiate, poll the status,
// download, delete; scope sfcc.inventory.impex-graphs), so it works against
// any OCI tenant. The export has no epoch; 0 is returned.
func (c *Client) GraphExport(ctx context.Context) (oci.Graph, uint64, error) {
	var links struct {
		ExportID         string `json:"exportId"`
		ExportStatusLink string `json:"exportStatusLink"`
	}
	base := c.paths.impex + "/location-graph/exports"
	err := c.do(ctx, &call{op: "graph-export", method: "POST", path: base,
		ok: func(_ int, b []byte) error { return json.Unmarshal(b, &links) }})
	if err != nil {
		return oci.Graph{}, 0, err
	}
	if links.ExportID == "" {
		return oci.Graph{}, 0, fmt.Errorf("client: graph-export: the answer has no exportId")
	}
	job := base + "/" + escape(links.ExportID)
	defer c.deleteJob(ctx, "delete-graph-export", job)
	st, err := c.awaitExport(ctx, "graph-export-status", c.link(links.ExportStatusLink, job+"/status"))
	if err != nil {
		return oci.Graph{}, 0, err
	}
	var w wireGraph
	err = c.do(ctx, &call{op: "graph-export-download", method: "GET", idempotent: true,
		path: c.link(st.Download.Link, job+"/file-content"), ok: func(_ int, b []byte) error { return json.Unmarshal(b, &w) }})
	if err != nil {
		return oci.Graph{}, 0, err
	}
	g := oci.Graph{Locations: make([]oci.Location, len(w.Locations)), Groups: w.Groups}
	for i, l := range w.Locations {
		g.Locations[i] = l.Location
	}
	return g, 0, nil
}
