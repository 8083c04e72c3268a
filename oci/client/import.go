package client

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
)

// ImportOptions describe an availability import file. The zero value is a
// plain NDJSON file named availability.ndjson.
type ImportOptions struct {
	// FileName is sent as fileName and in the upload. Default
	// availability.ndjson.
	FileName string
	// GZIP says the reader yields gzip-compressed bytes (fileEncoding GZIP).
	GZIP bool
	// LinkDuration is the upload link's lifetime, in whole minutes (at most
	// 60). Zero leaves it to the core.
	LinkDuration time.Duration
}

// ImportStatus is the state of an import job when it ended.
type ImportStatus struct {
	ID               string
	Status           string // COMPLETED, FAILED, …
	ValidationStatus string
	ValidationErrors []string
	RecordsProcessed int64
	RecordsRead      int64
	RecordsSkipped   int64
	Start, End       time.Time // zero when the core did not say
	ResultsLink      string    // the result file; ImportResults reads it
}

// wireImportStatus is the import status answer (reference §5.2 I-I4).
type wireImportStatus struct {
	ImportID   string `json:"importId"`
	Status     string `json:"status"`
	Validation struct {
		Status string   `json:"status"`
		Errors []string `json:"errors"`
	} `json:"validation"`
	Import struct {
		Start     *time.Time `json:"startTimeUTC"`
		End       *time.Time `json:"endTimeUTC"`
		Processed int64      `json:"recordsProcessedCount"`
		Read      int64      `json:"recordsReadCount"`
		Skipped   int64      `json:"recordsSkippedCount"`
		Results   struct {
			Href string `json:"href"`
		} `json:"fullResults"`
	} `json:"import"`
}

func (w *wireImportStatus) status(id string) ImportStatus {
	st := ImportStatus{ID: firstOf(w.ImportID, id), Status: w.Status, ValidationStatus: w.Validation.Status,
		ValidationErrors: w.Validation.Errors, RecordsProcessed: w.Import.Processed, RecordsRead: w.Import.Read,
		RecordsSkipped: w.Import.Skipped, ResultsLink: w.Import.Results.Href}
	if w.Import.Start != nil {
		st.Start = *w.Import.Start
	}
	if w.Import.End != nil {
		st.End = *w.Import.End
	}
	return st
}

// Import runs an availability import (reference §5.2): it initiates the
// import, uploads r as multipart form field fileUpload to the upload link —
// streamed through a pipe, never buffered whole — and polls the status until
// the job ends. It returns the final status with its record counts; a
// FAILED job returns the status and an error wrapping ErrJobFailed.
// ImportResults reads the per-record failures. The upload is never retried
// (the reader is consumed); neither is the initiation, unless the core
// refused it (429) or it never left.
func (c *Client) Import(ctx context.Context, r io.Reader, opts ImportOptions) (*ImportStatus, error) {
	if opts.FileName == "" {
		opts.FileName = "availability.ndjson"
	}
	id, statusLink, uploadLink, err := c.startImport(ctx, opts)
	if err != nil {
		return nil, err
	}
	base := c.paths.impex + "/availability-records/imports/"
	if err := c.upload(ctx, c.link(uploadLink, base+"uploadlink/"+escape(id)), opts.FileName, r); err != nil {
		return nil, err
	}
	var st ImportStatus
	_, err = c.awaitJob(ctx, "import-status", c.link(statusLink, base+escape(id)+"/status"), func(b []byte) (jobStatus, error) {
		var w wireImportStatus
		err := json.Unmarshal(b, &w)
		st = w.status(id)
		return jobStatus{w.Status, strings.Join(w.Validation.Errors, "; ")}, err
	})
	if err != nil && !errors.Is(err, ErrJobFailed) {
		return nil, err
	}
	return &st, err
}

func (c *Client) startImport(ctx context.Context, opts ImportOptions) (id, statusLink, uploadLink string, err error) {
	req := map[string]any{"fileName": opts.FileName}
	if opts.GZIP {
		req["fileEncoding"] = "GZIP"
	}
	if opts.LinkDuration > 0 {
		req["linkDuration"] = int(opts.LinkDuration / time.Minute)
	}
	body, err := json.Marshal(req)
	if err != nil {
		return "", "", "", err
	}
	var ans struct {
		ImportID   string `json:"importId"`
		StatusLink string `json:"importStatusLink"`
		UploadLink string `json:"uploadLink"`
	}
	err = c.do(ctx, &call{op: "start-import", method: "POST", body: body,
		path: c.paths.impex + "/availability-records/imports",
		ok:   func(_ int, b []byte) error { return json.Unmarshal(b, &ans) }})
	if err == nil && ans.ImportID == "" {
		err = errors.New("client: start-import: the answer has no importId")
	}
	return ans.ImportID, ans.StatusLink, ans.UploadLink, err
}

// upload POSTs r as a multipart file to path, streamed.
func (c *Client) upload(ctx context.Context, path, fileName string, r io.Reader) error {
	var werr error
	err := c.do(ctx, &call{op: "import-upload", method: "POST", path: path, once: true, timeout: c.cfg.TransferTimeout,
		upload: func(req *fasthttp.Request) func() { return streamMultipart(req, fileName, r, &werr) }})
	if werr != nil {
		return fmt.Errorf("client: import-upload: cannot read the file: %w", werr)
	}
	return err
}

var errUploadEnded = errors.New("the upload ended")

// streamMultipart gives req a chunked multipart body that a goroutine writes
// from r through a pipe. The returned func stops the writer and joins it;
// a failure to read r is stored in werr.
func streamMultipart(req *fasthttp.Request, fileName string, r io.Reader, werr *error) func() {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	req.Header.SetContentType(mw.FormDataContentType())
	req.SetBodyStream(pr, -1)
	done := make(chan struct{})
	var readErr error
	go func() {
		defer close(done)
		part, err := mw.CreateFormFile("fileUpload", fileName)
		if err == nil {
			_, err = io.Copy(part, readerOnly{r, &readErr})
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	return func() {
		pr.CloseWithError(errUploadEnded)
		<-done
		*werr = readErr
	}
}

// readerOnly records the reader's own failures apart from the pipe's.
type readerOnly struct {
	r   io.Reader
	err *error
}

func (r readerOnly) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		*r.err = err
	}
	return n, err
}

// ImportFailure is one record an import did not apply, from its result file.
type ImportFailure struct {
	RecordID   string `json:"recordId"`
	LocationID string `json:"locationId"`
	SKU        string `json:"sku"`
	Message    string `json:"message"`
}

// ImportResults streams the result file of an ended import (reference §5.2
// I-I5) and calls fn for each failed record. It returns the file's status
// line: COMPLETED_WITHOUT_ERRORS, COMPLETED_WITH_PARTIAL_FAILURES or FAILED.
func (c *Client) ImportResults(ctx context.Context, st *ImportStatus, fn func(ImportFailure) error) (string, error) {
	path := c.link(st.ResultsLink, c.paths.impex+"/availability-records/imports/"+escape(st.ID)+"/file-content")
	var status string
	err := c.do(ctx, &call{op: "import-results", method: "GET", idempotent: true, path: path, timeout: c.cfg.TransferTimeout,
		stream: func(r io.Reader) (err error) { status, err = readResults(r, c.cfg.MaxLineBytes, fn); return err }})
	return status, err
}

func readResults(r io.Reader, maxLine int, fn func(ImportFailure) error) (string, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var long []byte
	status := ""
	for n := 1; ; n++ {
		b, rerr := readLine(br, &long, maxLine)
		if err := resultLine(b, &status, fn); err != nil {
			return status, fmt.Errorf("client: import result line %d: %w", n, err)
		}
		if rerr == io.EOF {
			return status, nil
		}
		if rerr != nil {
			return status, rerr
		}
	}
}

func resultLine(b []byte, status *string, fn func(ImportFailure) error) error {
	var s scanner
	if s.reset(b); s.atEnd() {
		return nil
	}
	if *status == "" {
		var st struct {
			Status string `json:"status"`
		}
		if err := json.Unmarshal(b, &st); err != nil || st.Status == "" {
			return fmt.Errorf("the first line must be {\"status\":…}: %s", b)
		}
		*status = st.Status
		return nil
	}
	var f ImportFailure
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	return fn(f)
}
