package wire

import (
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"strconv"
	"strings"
)

// OCI Impex availability import, served by the core (reference/oci-api.md
// §5.2):
//
//	POST /inventory/impex/v1/organizations/{tenant}/availability-records/imports {"fileName"}
//	     → 200 {"importId","importStatusLink","uploadLink","uploadMethod":"POST",…}
//	POST {uploadLink}  multipart/form-data, file field "fileUpload", NDJSON lines
//	     {"recordId","locationId","sku","onHand","effectiveDate"}
//	GET  {importStatusLink} → {"status", "import":{"recordsProcessedCount",…}}
//	     until status is COMPLETED or FAILED
const impexBase = "/inventory/impex/v1/organizations/"

// UploadField is the multipart field the file goes in.
const UploadField = "fileUpload"

// CreateImport starts an availability import of fileName.
func CreateImport(tenant, fileName string, gzipped bool) Request {
	body := struct {
		FileName     string `json:"fileName"`
		FileEncoding string `json:"fileEncoding,omitempty"`
	}{FileName: fileName}
	if gzipped {
		body.FileEncoding = "GZIP"
	}
	return jsonRequest("POST", impexBase+seg(tenant)+"/availability-records/imports", body)
}

// ImportLinks is the answer to CreateImport.
type ImportLinks struct {
	ImportID         string `json:"importId"`
	ImportStatusLink string `json:"importStatusLink"`
	UploadLink       string `json:"uploadLink"`
	UploadMethod     string `json:"uploadMethod"`
}

// ParseImportLinks reads CreateImport's answer.
func ParseImportLinks(body []byte) (ImportLinks, error) {
	var l ImportLinks
	if err := json.Unmarshal(body, &l); err != nil {
		return l, err
	}
	if l.UploadLink == "" || l.ImportStatusLink == "" {
		return l, fmt.Errorf("import answer lacks uploadLink or importStatusLink: %.200s", body)
	}
	return l, nil
}

// ImportRecord is one line of an import file (the per-line-location layout).
type ImportRecord struct {
	RecordID      string
	LocationID    string
	Sku           string
	OnHand        int64
	EffectiveDate string // RFC 3339
}

// AppendImportLine appends rec as one NDJSON line. Ids and skus are the
// harness's own (no characters that need JSON escaping).
func AppendImportLine(dst []byte, rec ImportRecord) []byte {
	dst = append(dst, `{"recordId":"`...)
	dst = append(dst, rec.RecordID...)
	dst = append(dst, `","locationId":"`...)
	dst = append(dst, rec.LocationID...)
	dst = append(dst, `","sku":"`...)
	dst = append(dst, rec.Sku...)
	dst = append(dst, `","onHand":`...)
	dst = strconv.AppendInt(dst, rec.OnHand, 10)
	dst = append(dst, `,"effectiveDate":"`...)
	dst = append(dst, rec.EffectiveDate...)
	return append(dst, "\"}\n"...)
}

// uploadBoundary is fixed so that the same file uploads as the same bytes.
const uploadBoundary = "ocibench-upload-boundary-7f3a9c"

// UploadParts returns what goes before and after a file of fileName in a
// multipart body (head + file bytes + tail), and the body's content type.
func UploadParts(fileName string) (head, tail []byte, contentType string) {
	var b strings.Builder
	w := multipart.NewWriter(&b)
	_ = w.SetBoundary(uploadBoundary)
	_, _ = w.CreateFormFile(UploadField, fileName)
	head = []byte(b.String())
	b.Reset()
	_ = w.Close()
	tail = []byte(b.String())
	return head, tail, w.FormDataContentType()
}

// UploadBody returns a reader of the whole multipart body around file.
func UploadBody(fileName string, file io.Reader) (body io.Reader, contentType string, overhead int) {
	head, tail, ct := UploadParts(fileName)
	return io.MultiReader(strings.NewReader(string(head)), file, strings.NewReader(string(tail))), ct, len(head) + len(tail)
}

// ImportStatus is the part of an import status answer the harness reads.
type ImportStatus struct {
	Status string `json:"status"`
	Import struct {
		Processed int64 `json:"recordsProcessedCount"`
		Read      int64 `json:"recordsReadCount"`
		Skipped   int64 `json:"recordsSkippedCount"`
	} `json:"import"`
}

// ParseImportStatus reads an import status answer.
func ParseImportStatus(body []byte) (ImportStatus, error) {
	var s ImportStatus
	err := json.Unmarshal(body, &s)
	return s, err
}

// Done reports whether the import has reached a final status.
func (s ImportStatus) Done() bool {
	switch strings.ToUpper(s.Status) {
	case "COMPLETED", "FAILED", "STOPPED", "EXPIRED",
		"COMPLETED_WITHOUT_ERRORS", "COMPLETED_WITH_PARTIAL_FAILURES":
		return true
	}
	return false
}

// Failed reports whether the import ended without applying the file.
func (s ImportStatus) Failed() bool {
	switch strings.ToUpper(s.Status) {
	case "FAILED", "STOPPED", "EXPIRED":
		return true
	}
	return false
}
