package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/oci"
)

// ErrUnavailable marks a failure that says nothing about the request itself:
// the core could not be reached, reset the connection, did not answer in
// time, or answered 5xx or 429. The edge's circuit breaker and the cache
// streams decide on it; Retryable reports it.
var ErrUnavailable = errors.New("core unavailable")

// ErrJobFailed is wrapped by the error of an import or export job that ended
// FAILED, STOPPED or EXPIRED.
var ErrJobFailed = errors.New("job failed")

// Retryable reports whether err is a failure worth trying again later:
// errors.Is(err, ErrUnavailable).
func Retryable(err error) bool { return errors.Is(err, ErrUnavailable) }

// APIError is a non-2xx answer from the core. Unwrap returns the equivalent
// *oci.Error, so oci.ErrorCode(err) gives Code. 5xx and 429 answers also
// match ErrUnavailable.
type APIError struct {
	Op         string // the call, e.g. "get-availability"
	Status     int
	Code       oci.Code // errorCode; for the token endpoint, the OAuth error
	Message    string
	Parameter  string        // parameterName
	Location   string        // the offending location, if any
	Group      string        // the offending group, if any
	RetryAfter time.Duration // from Retry-After on 429 and 503; 0 if absent
	oci        *oci.Error
}

func (e *APIError) Error() string {
	return fmt.Sprintf("client: %s: %d %s: %s", e.Op, e.Status, e.Code, e.Message)
}

// Unwrap returns the *oci.Error with the same code and members.
func (e *APIError) Unwrap() error { return e.oci }

// Is makes 5xx and 429 answers match ErrUnavailable.
func (e *APIError) Is(target error) bool {
	return target == ErrUnavailable && (e.Status >= 500 || e.Status == fasthttp.StatusTooManyRequests)
}

// problemBody is the union of the error bodies the core sends: the OCI
// problem (§1.4), the impex Spring-style 403 and the OAuth token error.
type problemBody struct {
	ErrorCode  string          `json:"errorCode"`
	Message    string          `json:"message"`
	Parameter  string          `json:"parameterName"`
	Location   string          `json:"location"`
	Group      string          `json:"group"`
	Title      string          `json:"title"`
	Detail     string          `json:"detail"`
	OAuthError json.RawMessage `json:"error"` // a string (OAuth) or a reason phrase (Spring)
	OAuthDesc  string          `json:"error_description"`
}

// newAPIError builds the error of a non-2xx answer from its status, body
// and Retry-After header.
func newAPIError(op string, status int, body []byte, retryAfter time.Duration) *APIError {
	var p problemBody
	_ = json.Unmarshal(body, &p) // a body that is not a problem leaves p empty
	var oauth string
	_ = json.Unmarshal(p.OAuthError, &oauth)
	e := &APIError{Op: op, Status: status, Code: oci.Code(p.ErrorCode), Message: firstOf(p.Message, p.Detail, p.OAuthDesc, p.Title),
		Parameter: p.Parameter, Location: p.Location, Group: p.Group, RetryAfter: retryAfter}
	if e.Code == "" && p.OAuthDesc != "" {
		e.Code = oci.Code(oauth)
	}
	if e.Code == "" {
		e.Code = codeForStatus(status)
	}
	if e.Message == "" {
		e.Message = fasthttp.StatusMessage(status) + bodySnippet(body)
	}
	e.oci = &oci.Error{Code: e.Code, Message: e.Message, Parameter: e.Parameter, Location: e.Location, Group: e.Group}
	return e
}

// codeForStatus names an answer that carried no errorCode.
func codeForStatus(status int) oci.Code {
	switch status {
	case fasthttp.StatusUnauthorized:
		return "Unauthorized"
	case fasthttp.StatusForbidden:
		return "TenantNotProvisioned"
	case fasthttp.StatusNotFound:
		return oci.ResourceNotFound
	case fasthttp.StatusTooManyRequests:
		return "TooManyRequests"
	}
	return oci.Unknown
}

func bodySnippet(b []byte) string {
	s := strings.TrimSpace(string(b[:min(len(b), 200)]))
	if s == "" {
		return ""
	}
	return ": " + s
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP date.
func parseRetryAfter(v []byte, now time.Time) time.Duration {
	if len(v) == 0 {
		return 0
	}
	if n, err := strconv.Atoi(string(v)); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := time.Parse("Mon, 02 Jan 2006 15:04:05 GMT", string(v)); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// transportError is a failure to get an answer at all: dial errors, resets,
// timeouts, a closed pool. It matches ErrUnavailable, and the context's
// error when the call's context ended it.
type transportError struct {
	op     string
	err    error
	ctxErr error
}

func (e *transportError) Error() string {
	s := "client: " + e.op + ": " + ErrUnavailable.Error() + ": " + e.err.Error()
	if e.ctxErr != nil {
		s += " (" + e.ctxErr.Error() + ")"
	}
	return s
}

func (e *transportError) Unwrap() []error {
	if e.ctxErr != nil {
		return []error{e.err, e.ctxErr}
	}
	return []error{e.err}
}

func (e *transportError) Is(target error) bool { return target == ErrUnavailable }

func unavailable(op string, err error, ctx context.Context) error {
	return &transportError{op: op, err: err, ctxErr: ctx.Err()}
}

// notSent reports whether a failure happened before the request left: such
// a request may be retried even when it is not idempotent.
func notSent(err error) bool {
	if errors.Is(err, fasthttp.ErrNoFreeConns) || errors.Is(err, fasthttp.ErrDialTimeout) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// staleConn reports an error of a reused connection that the other side
// had already closed: nothing was answered on it.
func staleConn(err error) bool {
	var te *transportError
	if !errors.As(err, &te) || te.ctxErr != nil {
		return false
	}
	return errors.Is(err, fasthttp.ErrConnectionClosed) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// rateLimited reports whether err is a 429: the core refused the request
// before acting on it, so it may be retried even when it is not idempotent.
func rateLimited(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Status == fasthttp.StatusTooManyRequests
}

func retryAfterOf(err error) time.Duration {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.RetryAfter
	}
	return 0
}

func statusOf(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Status
	}
	return 0
}
