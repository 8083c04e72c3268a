package client

import (
	"context"
	"encoding/json"

	"ociedge/oci"
)

// wireGraph is the admin API's graph: the locations as objects or bare id
// strings, the groups, and the graph's epoch (it grows with every change).
type wireGraph struct {
	Locations []wireLocation `json:"locations"`
	Groups    []oci.Group    `json:"groups"`
	Epoch     uint64         `json:"epoch"`
}

type wireLocation struct{ oci.Location }

func (w *wireLocation) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &w.ID)
	}
	return json.Unmarshal(b, &w.Location)
}

// Graph returns the location graph and its epoch (GET the core's admin
// location-graph; needs the admin scope). The epoch changes with every
// graph change, so a cache stream can tell that it must re-import.
// Idempotent: retried.
func (c *Client) Graph(ctx context.Context) (oci.Graph, uint64, error) {
	var w wireGraph
	err := c.do(ctx, &call{op: "get-graph", method: "GET", idempotent: true, path: c.paths.admin + "/location-graph",
		ok: func(_ int, b []byte) error { return json.Unmarshal(b, &w) }})
	if err != nil {
		return oci.Graph{}, 0, err
	}
	g := oci.Graph{Locations: make([]oci.Location, len(w.Locations)), Groups: w.Groups}
	for i, l := range w.Locations {
		g.Locations[i] = l.Location
	}
	return g, w.Epoch, nil
}

// PutGraph replaces the whole location graph (admin PUT; validated and
// applied atomically by the core). Whole-graph replace is idempotent:
// retried.
func (c *Client) PutGraph(ctx context.Context, g oci.Graph) error {
	body, err := json.Marshal(g)
	if err != nil {
		return err
	}
	return c.do(ctx, &call{op: "put-graph", method: "PUT", idempotent: true, body: body,
		path: c.paths.admin + "/location-graph"})
}

// Invariants runs the core's invariant check over its whole store (admin):
// ok is true when nothing is violated; violations are the core's reports
// ({"rule","place","sku","message"}). Idempotent: retried.
func (c *Client) Invariants(ctx context.Context) (ok bool, violations []map[string]any, err error) {
	var w struct {
		OK         bool             `json:"ok"`
		Violations []map[string]any `json:"violations"`
	}
	err = c.do(ctx, &call{op: "invariants", method: "GET", idempotent: true, path: c.paths.admin + "/invariants",
		ok: func(_ int, b []byte) error { return json.Unmarshal(b, &w) }})
	return w.OK, w.Violations, err
}
