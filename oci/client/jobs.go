package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"go.uber.org/zap"
)

// jobEnd says whether an impex job status is final (reference §5.1).
type jobEnd uint8

const (
	jobRunning jobEnd = iota
	jobDone
	jobFailed
)

func jobState(status string) jobEnd {
	switch strings.ToUpper(status) {
	case "COMPLETED", "COMPLETED_WITHOUT_ERRORS", "COMPLETED_WITH_PARTIAL_FAILURES":
		return jobDone
	case "FAILED", "STOPPED", "EXPIRED":
		return jobFailed
	}
	return jobRunning
}

// jobStatus is what a status answer says of a job: its status and, when it
// failed, why.
type jobStatus struct {
	status string
	why    string
}

// awaitJob polls a job's status path until the job ends; read parses one
// status answer. Polls back off from PollInterval by half each time up to
// 1s. A failed job is an error wrapping ErrJobFailed.
func (c *Client) awaitJob(ctx context.Context, op, path string, read func(b []byte) (jobStatus, error)) (string, error) {
	wait := c.cfg.PollInterval
	for {
		var st jobStatus
		err := c.do(ctx, &call{op: op, method: "GET", idempotent: true, path: path,
			ok: func(_ int, b []byte) (err error) { st, err = read(b); return err }})
		if err != nil {
			return "", err
		}
		switch jobState(st.status) {
		case jobDone:
			return st.status, nil
		case jobFailed:
			return st.status, fmt.Errorf("client: %s: %w: status %s: %s", op, ErrJobFailed, st.status, st.why)
		}
		if err := c.wait(ctx, wait); err != nil {
			return "", fmt.Errorf("client: %s: %w", op, err)
		}
		wait = min(wait*3/2, time.Second)
	}
}

// exportStatus is what the client reads of an export's status answer.
type exportStatus struct {
	Status   string `json:"status"`
	Message  string `json:"message"` // the core's reason for a failure
	Download struct {
		Link string `json:"downloadLink"`
	} `json:"download"`
	Export struct {
		Exported int64 `json:"recordsExportedCount"`
	} `json:"export"`
}

// awaitExport polls an export's status path until the export ends, and
// returns its last status answer (download link, count).
func (c *Client) awaitExport(ctx context.Context, op, path string) (exportStatus, error) {
	var last exportStatus
	_, err := c.awaitJob(ctx, op, path, func(b []byte) (jobStatus, error) {
		last = exportStatus{}
		err := json.Unmarshal(b, &last)
		return jobStatus{last.Status, last.Message}, err
	})
	return last, err
}

// link turns a link from a job answer into a request path. A path under the
// tenant's impex base, bare or as a URL on the core's own host, is used as
// given; anything else (a missing link, another host, the odd paths of the
// RAML examples) falls back to the documented path.
func (c *Client) link(link, fallback string) string {
	if rest, ok := strings.CutPrefix(link, c.prefix); ok && strings.HasPrefix(link, "http") {
		link = rest
	}
	if strings.HasPrefix(link, c.paths.impex+"/") {
		return link
	}
	return fallback
}

// deleteJob removes a finished job, best effort: its failure is only logged.
// It runs even when ctx is done, bounded by the call timeout.
func (c *Client) deleteJob(ctx context.Context, op, path string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.Timeout)
	defer cancel()
	if err := c.do(ctx, &call{op: op, method: "DELETE", idempotent: true, path: path}); err != nil {
		c.log.Debug("cannot delete an impex job", zap.String("op", op), zap.String("path", path), zap.Error(err))
	}
}

func escape(id string) string { return url.PathEscape(id) }
