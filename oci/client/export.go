package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"go.uber.org/zap"

	"ociedge/oci"
)

// Export runs an availability export of the given groups or locations
// (reference §5.3): it starts the export, polls its status until it is
// COMPLETED, streams the file and calls fn with up to Config.ExportBatch
// records at a time — at least once per place, with an empty batch for a
// place that has no records — and returns the delta token of the file's
// last line. fn must not keep vs after it returns (it is reused; the
// strings and Futures in it may be kept). The file is parsed as it arrives,
// never held whole.
//
// An error from fn stops the export and is returned. A file that ends
// without its deltaToken line is an error wrapping ErrTruncated, so the
// records already handed to fn must then be treated as an incomplete
// import. The export job is deleted afterwards, best effort. The download
// is bounded by Config.TransferTimeout and ctx; it is retried only before
// its first byte was read.
func (c *Client) Export(ctx context.Context, kind oci.PlaceType, ids []string, fn func(place string, vs []oci.Values) error) (string, error) {
	if kind != oci.PlaceGroup && kind != oci.PlaceLocation {
		return "", fmt.Errorf("client: export: kind must be oci.PlaceGroup or oci.PlaceLocation, not %d", kind)
	}
	start := time.Now()
	id, statusLink, err := c.startExport(ctx, kind, ids)
	if err != nil {
		return "", err
	}
	base := c.paths.impex + "/availability-records/exports/" + escape(id)
	defer c.deleteJob(ctx, "delete-export", base)
	st, err := c.awaitExport(ctx, "export-status", c.link(statusLink, base+"/status"))
	if err != nil {
		return "", err
	}
	token, n, err := c.download(ctx, c.link(st.Download.Link, base+"/file-content"), kind, fn)
	if err == nil {
		c.log.Info("availability export read", zap.String("export", id), zap.Stringer("kind", kind),
			zap.Int("places", len(ids)), zap.Int("records", n), zap.Duration("took", time.Since(start)))
	}
	return token, err
}

// startExport initiates the export and returns its id and status link. The
// initiation creates a job, so it is retried only when the core refused it
// (429) or it never left.
func (c *Client) startExport(ctx context.Context, kind oci.PlaceType, ids []string) (string, string, error) {
	key := "locations"
	if kind == oci.PlaceGroup {
		key = "groups"
	}
	if ids == nil {
		ids = []string{}
	}
	body, err := json.Marshal(map[string]any{"objects": map[string][]string{key: ids}})
	if err != nil {
		return "", "", err
	}
	var ans struct {
		ExportID   string `json:"exportId"`
		StatusLink string `json:"exportStatusLink"`
	}
	err = c.do(ctx, &call{op: "start-export", method: "POST", body: body,
		path: c.paths.impex + "/availability-records/exports",
		ok:   func(_ int, b []byte) error { return json.Unmarshal(b, &ans) }})
	if err == nil && ans.ExportID == "" {
		err = fmt.Errorf("client: start-export: the answer has no exportId")
	}
	return ans.ExportID, ans.StatusLink, err
}

// download streams the export file at path through the line parser.
func (c *Client) download(ctx context.Context, path string, kind oci.PlaceType, fn func(string, []oci.Values) error) (string, int, error) {
	var token string
	var n int
	err := c.do(ctx, &call{op: "export-download", method: "GET", idempotent: true, path: path,
		timeout: c.cfg.TransferTimeout,
		stream: func(r io.Reader) (err error) {
			token, n, err = readExport(r, kind, c.cfg.ExportBatch, c.cfg.MaxLineBytes, fn)
			return err
		}})
	return token, n, err
}
