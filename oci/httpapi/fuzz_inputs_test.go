package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"strings"
	"testing"
	"time"

	"ociedge/oci"
	"ociedge/oci/httpapi"
	ociimpex "ociedge/oci/impex"
)

// FuzzParseGraph: the location-graph body (the admin PUT and --graph FILE)
// never panics the parser or the validator, and a graph that validates is
// applied unless it would orphan the reservations the core holds.
func FuzzParseGraph(f *testing.F) {
	fc := newFuzzCore(f)
	for _, s := range []string{demoGraph, `{"locations":[],"groups":[]}`, `{"locations":["a"],"groups":[{"id":"a","locations":["a"]}]}`,
		`{"locations":[{"id":"wh-a","address":{"x":"y"}},"wh-a"]}`, `{"groups":[{"id":"g","locations":["zz"]}]}`, `{"locations":[1]}`,
		`{"locations":["ab","cd"],"groups":[{"id":"gg","locations":["ab","cd","ab"]}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := httpapi.ParseGraph(b)
		if err != nil {
			if oci.ErrorCode(err) == oci.Unknown {
				t.Fatalf("ParseGraph(%q) = %v; want a coded 4xx error", b, err)
			}
			return
		}
		if g.Validate() != nil {
			return
		}
		if err := fc.core.ReplaceGraph(g); err != nil && !strings.Contains(err.Error(), "reservations") {
			t.Fatalf("a valid graph %q was refused: %v", b, err)
		}
	})
}

// FuzzTokenEndpoint: any Authorization header, content type and form body
// at the token endpoint answers 200 with a token that works, 400 or 401 —
// never 5xx, never a panic.
func FuzzTokenEndpoint(f *testing.F) {
	fc := newFuzzCore(f)
	form := "grant_type=client_credentials&scope=SALESFORCE_COMMERCE_API:" + tenant + "+sfcc.inventory.availability"
	f.Add("Basic ZGV2OnNlY3JldA==", "application/x-www-form-urlencoded", form)
	f.Add("", "application/x-www-form-urlencoded", form+"&client_id=dev&client_secret=secret")
	f.Add("Basic !!!", "", "grant_type=password")
	f.Add("basic ZGV2", "text/plain", "%zz=%")
	f.Add("Bearer x", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials\r\n--x--")
	f.Fuzz(func(t *testing.T, authorization, contentType, body string) {
		status, answer := fc.do("POST", "/dwsso/oauth2/access_token", contentType, authorization, []byte(body))
		switch status {
		case 200:
			var tok struct {
				AccessToken string `json:"access_token"`
			}
			if err := json.Unmarshal(answer, &tok); err != nil {
				t.Fatalf("200 without a token: %s", answer)
			}
			if _, err := fc.auth.Verify(tok.AccessToken); err != nil {
				t.Fatalf("the endpoint issued a token that does not verify: %v", err)
			}
		case 400, 401:
		default:
			t.Fatalf("token endpoint (%q, %q, %q): %d %s", authorization, contentType, body, status, answer)
		}
	})
}

// uploadSink stands in for the impex service behind the upload route: it
// takes the file it is handed and remembers it, so that the target tests
// the route's multipart handling without running imports. Only Upload may
// be called.
type uploadSink struct {
	httpapi.Impex
	calls int
	got   []byte
	err   error // reading the file handed on failed (a cut multipart body)
}

func (u *uploadSink) Upload(org, id string, r io.Reader) (*ociimpex.UploadResult, error) {
	u.calls++
	u.got, u.err = io.ReadAll(io.LimitReader(r, 1<<20))
	if u.err != nil {
		return nil, &oci.Error{Code: oci.InvalidRequest, Message: "cannot read the file: " + u.err.Error()}
	}
	return &ociimpex.UploadResult{Status: ociimpex.StatusPending, ImportID: id}, nil
}

// FuzzUploadBody: any bytes with any content type posted to an upload link
// — multipart with or without a boundary or a file part, or a bare body —
// never panic the route and never answer 5xx; the file it hands on is the
// multipart file part (form field fileUpload, or the first part with a
// file name) or, for a body that is not multipart, the body itself; and a
// 4xx hands on nothing, or a file that could not be read to its end.
func FuzzUploadBody(f *testing.F) {
	fc := newFuzzCore(f)
	sink := &uploadSink{}
	srv, err := httpapi.New(httpapi.Config{Core: fc.core, Auth: fc.auth, Impex: sink, Now: func() time.Time { return fuzzNow },
		Limits: httpapi.Limits{API: 1e15, Impex: 1e15, ImpexFile: 1e15}})
	if err != nil {
		f.Fatal(err)
	}
	fc.srv = srv
	line := `{"recordId":"u1","locationId":"wh-a","sku":"sku-9","onHand":1,"effectiveDate":"2026-01-01T00:00:00Z"}`
	mp := "--b\r\nContent-Disposition: form-data; name=\"fileUpload\"; filename=\"a.json\"\r\nContent-Type: application/json\r\n\r\n" + line + "\r\n--b--\r\n"
	f.Add("multipart/form-data; boundary=b", []byte(mp))
	f.Add("multipart/form-data; boundary=b", []byte(mp[:40]))
	f.Add("multipart/form-data", []byte(mp))
	f.Add("multipart/mixed; boundary=\"b\"", []byte("--b\r\n\r\n--b--"))
	f.Add("multipart/form-data; boundary=b", []byte("--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\ny\r\n--b--\r\n"))
	f.Add("application/x-ndjson", []byte(line+"\n"))
	f.Add("", []byte{0x1f, 0x8b, 0x08, 0x00})
	path := impex("/availability-records/imports/uploadlink/u-1")
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		sink.calls, sink.got, sink.err = 0, nil, nil
		status, answer := fc.do("POST", path, contentType, "Bearer "+fc.token, body)
		switch {
		case status >= 500 || status < 200:
			t.Fatalf("upload (%q, %q): %d %s", contentType, body, status, answer)
		case status >= 400 && sink.calls > 0 && sink.err == nil:
			t.Fatalf("upload (%q, %q) answered %d %s after handing on a whole file", contentType, body, status, answer)
		case status < 300 && sink.calls != 1:
			t.Fatalf("upload (%q, %q) answered %d but handed on %d files", contentType, body, status, sink.calls)
		case status < 300 && !isMultipart(contentType) && !bytes.Equal(sink.got, body):
			t.Fatalf("a bare body was handed on as %q, not %q", sink.got, body)
		}
	})
}

func isMultipart(contentType string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	return strings.HasPrefix(mt, "multipart/")
}
