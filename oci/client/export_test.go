package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/valyala/fasthttp"

	"ociedge/oci"
)

// impexFake serves the availability export routes of reference §5.3 as the
// RAML documents them: initiate, status (RUNNING for the first polls), file
// content and delete.
type impexFake struct {
	*fake
	file    []byte // the export file
	running int    // polls answered RUNNING before COMPLETED
	final   string // the final status; default COMPLETED

	mu      sync.Mutex // guards the fields below
	bodies  []string   // initiation bodies
	polls   int
	deleted []string
	limited int // file-content requests still answered 429
}

const impexBase = "/inventory/impex/v1/organizations/" + tenant + "/availability-records/exports"

func newImpexFake(t testing.TB, file []byte, running int) *impexFake {
	x := &impexFake{file: file, running: running, final: "COMPLETED"}
	x.fake = newFake(t, x.handle)
	return x
}

func (x *impexFake) handle(_ *fake, ctx *fasthttp.RequestCtx) {
	path, method := string(ctx.Path()), string(ctx.Method())
	x.mu.Lock()
	defer x.mu.Unlock()
	switch {
	case method == "POST" && path == impexBase:
		body, _ := io.ReadAll(ctx.RequestBodyStream())
		x.bodies = append(x.bodies, string(body))
		ctx.SetContentType("application/json")
		fmt.Fprintf(ctx, `{"exportId":"e-1","exportStatusLink":%q}`, impexBase+"/e-1/status")
	case method == "GET" && path == impexBase+"/e-1/status":
		x.status(ctx)
	case method == "GET" && path == impexBase+"/e-1/file-content":
		if x.limited > 0 {
			x.limited--
			ctx.Response.Header.Set("Retry-After", "1")
			problem(ctx, 429, "TooManyRequests", "slow down")
			return
		}
		ctx.SetContentType("application/x-ndjson")
		ctx.SetBodyStream(bytes.NewReader(x.file), -1) // chunked, as a streamed file would be
	case method == "DELETE" && path == impexBase+"/e-1":
		x.deleted = append(x.deleted, "e-1")
		ctx.SetStatusCode(204)
	default:
		problem(ctx, 404, "ResourceNotFound", method+" "+path)
	}
}

// seen returns what the fake has seen so far.
func (x *impexFake) seen() (bodies []string, polls, deleted int) {
	x.mu.Lock()
	defer x.mu.Unlock()
	return append([]string(nil), x.bodies...), x.polls, len(x.deleted)
}

func (x *impexFake) status(ctx *fasthttp.RequestCtx) {
	x.polls++
	st := "RUNNING"
	if x.polls > x.running {
		st = x.final
	}
	ctx.SetContentType("application/json")
	fmt.Fprintf(ctx, `{"id":"e-1","status":%q,"export":{"recordsProcessedCount":3,"recordsExportedCount":3},`+
		`"download":{"downloadLink":%q,"downloadLinkExpirationUTC":"2026-03-02T12:00:00Z"}}`, st, impexBase+"/e-1/file-content")
}

const groupFile = `{"groupId":"online"}
{"sku":"sku-1","atf":14.25,"ato":24.5,"onHand":15.25,"reserved":0,"safetyStockCount":1,"groupReserved":0,"sharedGroupReserved":0,"effectiveDate":"2026-03-01T12:00:00Z","futures":[{"expectedDate":"2026-03-03T12:00:00Z","quantity":10.25}]}
{"sku":"sku-2","atf":0.001,"ato":0.001,"onHand":2.5,"reserved":2.499,"safetyStockCount":0,"groupReserved":1.25,"sharedGroupReserved":0.75,"futures":[]}
{"groupId":"outlet"}
{"deltaToken":"T-1"}
`

// collect gathers what an export hands over, copying each batch.
type collect struct {
	places []string
	recs   map[string][]oci.Values
}

func (c *collect) fn(place string, vs []oci.Values) error {
	if c.recs == nil {
		c.recs = map[string][]oci.Values{}
	}
	if len(c.places) == 0 || c.places[len(c.places)-1] != place {
		c.places = append(c.places, place)
	}
	c.recs[place] = append(c.recs[place], vs...)
	return nil
}

func TestExportStreamsPlacesRecordsAndToken(t *testing.T) {
	x := newImpexFake(t, []byte(groupFile), 3)
	c := mustClient(t, x.url, func(cfg *Config) { cfg.After = newClock().After })
	var got collect
	tok, err := c.Export(context.Background(), oci.PlaceGroup, []string{"online", "outlet"}, got.fn)
	if err != nil || tok != "T-1" {
		t.Fatalf("token %q, err %v", tok, err)
	}
	if strings.Join(got.places, ",") != "online,outlet" || len(got.recs["online"]) != 2 || len(got.recs["outlet"]) != 0 {
		t.Fatalf("places %v, records %v", got.places, got.recs)
	}
	s1, s2 := got.recs["online"][0], got.recs["online"][1]
	if s1.SKU != "sku-1" || s1.OnHand != q("15.25") || s1.ATO != q("24.5") || s1.Futures[0].Quantity != q("10.25") || !s1.Exists {
		t.Fatalf("sku-1 %+v", s1)
	}
	if s2.ATF != q("0.001") || s2.Reserved != q("2.499") || s2.GroupReserved != q("1.25") || s2.SharedReserved != q("0.75") {
		t.Fatalf("sku-2 %+v", s2)
	}
	bodies, polls, deleted := x.seen()
	if len(bodies) != 1 || bodies[0] != `{"objects":{"groups":["online","outlet"]}}` {
		t.Fatalf("initiation bodies %q", bodies)
	}
	if polls != 4 || deleted != 1 {
		t.Fatalf("%d polls, %d deletes: want 4 polls and the export deleted", polls, deleted)
	}
}

func TestTruncatedExportIsAnError(t *testing.T) {
	cut := groupFile[:strings.Index(groupFile, `{"deltaToken"`)]
	x := newImpexFake(t, []byte(cut), 0)
	c := mustClient(t, x.url)
	_, err := c.Export(context.Background(), oci.PlaceGroup, []string{"online", "outlet"}, (&collect{}).fn)
	if !errors.Is(err, ErrTruncated) || Retryable(err) {
		t.Fatalf("err %v, want ErrTruncated", err)
	}
	if _, _, deleted := x.seen(); deleted != 1 {
		t.Fatal("the export was not deleted")
	}
}

func TestFailedExportIsAnError(t *testing.T) {
	x := newImpexFake(t, []byte(groupFile), 1)
	x.final = "FAILED"
	c := mustClient(t, x.url, func(cfg *Config) { cfg.After = newClock().After })
	if _, err := c.Export(context.Background(), oci.PlaceGroup, []string{"online"}, (&collect{}).fn); !errors.Is(err, ErrJobFailed) {
		t.Fatalf("err %v, want ErrJobFailed", err)
	}
}

func TestExportCallbackErrorStopsIt(t *testing.T) {
	x := newImpexFake(t, []byte(groupFile), 0)
	c := mustClient(t, x.url)
	stop := errors.New("cache full")
	_, err := c.Export(context.Background(), oci.PlaceGroup, []string{"online"}, func(string, []oci.Values) error { return stop })
	if !errors.Is(err, stop) {
		t.Fatalf("err %v, want the callback's", err)
	}
}

func TestExportDownloadIsRetriedBeforeItsFirstByte(t *testing.T) {
	x := newImpexFake(t, []byte(groupFile), 0)
	x.limited = 1 // file-content is limited to 40 requests/s per tenant
	c := mustClient(t, x.url, func(cfg *Config) { cfg.After = newClock().After })
	tok, err := c.Export(context.Background(), oci.PlaceGroup, []string{"online"}, (&collect{}).fn)
	if err != nil || tok != "T-1" || c.Stats().Retries != 1 {
		t.Fatalf("token %q err %v stats %+v", tok, err, c.Stats())
	}
}

func TestExportOfLocationsSendsLocations(t *testing.T) {
	file := "{\"locationId\":\"wh-a\"}\n{\"sku\":\"s\",\"onHand\":1}\n{\"deltaToken\":\"T\"}\n"
	x := newImpexFake(t, []byte(file), 0)
	c := mustClient(t, x.url)
	var got collect
	if _, err := c.Export(context.Background(), oci.PlaceLocation, []string{"wh-a"}, got.fn); err != nil {
		t.Fatal(err)
	}
	if bodies, _, _ := x.seen(); bodies[0] != `{"objects":{"locations":["wh-a"]}}` || got.recs["wh-a"][0].OnHand != q("1") {
		t.Fatalf("body %q, records %v", bodies, got.recs)
	}
}
