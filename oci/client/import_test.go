package client

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"sync"
	"testing"

	"github.com/valyala/fasthttp"
)

const importBase = "/inventory/impex/v1/organizations/" + tenant + "/availability-records/imports"

// importFake serves the availability import routes of reference §5.2. It
// reads the upload as a stream and counts its lines.
type importFake struct {
	*fake
	final string // the final status; default COMPLETED

	mu       sync.Mutex // guards the fields below
	init     string     // the initiation body
	lines    int64      // lines of the uploaded file
	fileName string
	chunked  bool // the upload came without a Content-Length
	failed   error
}

func newImportFake(t testing.TB) *importFake {
	x := &importFake{final: "COMPLETED"}
	x.fake = newFake(t, x.handle)
	return x
}

func (x *importFake) handle(_ *fake, ctx *fasthttp.RequestCtx) {
	path, method := string(ctx.Path()), string(ctx.Method())
	switch {
	case method == "POST" && path == importBase:
		body, _ := io.ReadAll(ctx.RequestBodyStream())
		x.mu.Lock()
		x.init = string(body)
		x.mu.Unlock()
		ctx.SetContentType("application/json")
		fmt.Fprintf(ctx, `{"importId":"i-1","importStatusLink":%q,"uploadLink":%q,"uploadMethod":"POST","uploadLinkExpirationUTC":"2026-03-01T13:00:00Z"}`,
			importBase+"/i-1/status", importBase+"/uploadlink/i-1")
	case method == "POST" && path == importBase+"/uploadlink/i-1":
		x.upload(ctx)
	case method == "GET" && path == importBase+"/i-1/status":
		x.mu.Lock()
		defer x.mu.Unlock()
		ctx.SetContentType("application/json")
		fmt.Fprintf(ctx, `{"importId":"i-1","status":%q,"validation":{"status":"Success","errors":[]},"upload":{"fileName":%q},`+
			`"import":{"startTimeUTC":"2026-03-01T12:00:00Z","endTimeUTC":"2026-03-01T12:00:01Z","recordsProcessedCount":%d,`+
			`"recordsReadCount":%d,"recordsSkippedCount":1,"fullResults":{"href":%q}}}`,
			x.final, x.fileName, x.lines-1, x.lines, importBase+"/i-1/file-content")
	case method == "GET" && path == importBase+"/i-1/file-content":
		ctx.SetContentType("application/x-ndjson")
		ctx.SetBodyString("{\"status\":\"COMPLETED_WITH_PARTIAL_FAILURES\"}\n" +
			"{\"recordId\":\"r-9\",\"locationId\":\"wh-a\",\"sku\":\"s-9\",\"message\":\"'quantity' quantity must be a positive value\"}\n")
	default:
		problem(ctx, 404, "ResourceNotFound", method+" "+path)
	}
}

// upload reads the multipart body as it arrives.
func (x *importFake) upload(ctx *fasthttp.RequestCtx) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.chunked = ctx.Request.Header.ContentLength() < 0
	_, params, err := mime.ParseMediaType(string(ctx.Request.Header.ContentType()))
	if err != nil {
		x.failed = err
		problem(ctx, 400, "InvalidRequest", err.Error())
		return
	}
	part, err := multipart.NewReader(ctx.RequestBodyStream(), params["boundary"]).NextPart()
	if err != nil || part.FormName() != "fileUpload" {
		x.failed = fmt.Errorf("part %v: %v", part, err)
		problem(ctx, 400, "InvalidRequest", "want a fileUpload part")
		return
	}
	x.fileName = part.FileName()
	sc := bufio.NewScanner(part)
	for sc.Scan() {
		x.lines++
	}
	x.failed = sc.Err()
	ctx.SetContentType("application/json")
	ctx.SetBodyString(`{"status":"PENDING","importId":"i-1"}`)
}

// importLines generates an import file of n lines without holding it.
type importLines struct{ n, i int }

func (r *importLines) Read(p []byte) (int, error) {
	w := 0
	for r.i < r.n {
		line := fmt.Sprintf(`{"recordId":"r-%d","locationId":"wh-a","sku":"s-%d","onHand":%d,"effectiveDate":"2026-03-01T12:00:00Z"}`+"\n", r.i, r.i, r.i%100)
		if w+len(line) > len(p) {
			if w == 0 {
				return 0, errors.New("buffer too small")
			}
			return w, nil
		}
		w += copy(p[w:], line)
		r.i++
	}
	if w == 0 {
		return 0, io.EOF
	}
	return w, nil
}

func TestImportStreamsTheFileAndReportsTheResult(t *testing.T) {
	x := newImportFake(t)
	c := mustClient(t, x.url)
	st, err := c.Import(context.Background(), &importLines{n: 100_000}, ImportOptions{FileName: "stock.ndjson", GZIP: true})
	if err != nil {
		t.Fatal(err)
	}
	x.mu.Lock()
	init, chunked, failed := x.init, x.chunked, x.failed
	x.mu.Unlock()
	if failed != nil || !chunked {
		t.Fatalf("upload: failed %v, chunked %v: want a streamed multipart upload", failed, chunked)
	}
	if init != `{"fileEncoding":"GZIP","fileName":"stock.ndjson"}` {
		t.Fatalf("initiation %s", init)
	}
	if st.ID != "i-1" || st.Status != "COMPLETED" || st.RecordsRead != 100_000 || st.RecordsProcessed != 99_999 ||
		st.RecordsSkipped != 1 || st.ValidationStatus != "Success" || st.End.IsZero() {
		t.Fatalf("status %+v", st)
	}
	var fails []ImportFailure
	status, err := c.ImportResults(context.Background(), st, func(f ImportFailure) error { fails = append(fails, f); return nil })
	if err != nil || status != "COMPLETED_WITH_PARTIAL_FAILURES" || len(fails) != 1 || fails[0].RecordID != "r-9" || fails[0].SKU != "s-9" {
		t.Fatalf("results %q %+v %v", status, fails, err)
	}
}

func TestFailedImportReturnsItsStatus(t *testing.T) {
	x := newImportFake(t)
	x.final = "FAILED"
	c := mustClient(t, x.url)
	st, err := c.Import(context.Background(), strings.NewReader("{}\n"), ImportOptions{})
	if !errors.Is(err, ErrJobFailed) || st == nil || st.Status != "FAILED" {
		t.Fatalf("status %+v err %v", st, err)
	}
}

type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

func TestImportOfAnUnreadableFileSaysSo(t *testing.T) {
	x := newImportFake(t)
	c := mustClient(t, x.url)
	disk := errors.New("disk on fire")
	_, err := c.Import(context.Background(), io.MultiReader(strings.NewReader("{}\n"), failingReader{disk}), ImportOptions{})
	if !errors.Is(err, disk) || Retryable(err) {
		t.Fatalf("err %v, want the reader's error", err)
	}
}
