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
	var download string
	_, err = c.awaitJob(ctx, "graph-export-status", c.link(links.ExportStatusLink, job+"/status"), func(b []byte) (jobStatus, error) {
		var st struct {
			Status   string `json:"status"`
			Message  string `json:"message"`
			Download struct {
				Link string `json:"downloadLink"`
			} `json:"download"`
		}
		err := json.Unmarshal(b, &st)
		download = st.Download.Link
		return jobStatus{st.Status, st.Message}, err
	})
	if err != nil {
		return oci.Graph{}, 0, err
	}
	var w wireGraph
	err = c.do(ctx, &call{op: "graph-export-download", method: "GET", idempotent: true,
		path: c.link(download, job+"/file-content"), ok: func(_ int, b []byte) error { return json.Unmarshal(b, &w) }})
	if err != nil {
		return oci.Graph{}, 0, err
	}
	g := oci.Graph{Locations: make([]oci.Location, len(w.Locations)), Groups: w.Groups}
	for i, l := range w.Locations {
		g.Locations[i] = l.Location
	}
	return g, 0, nil
}
