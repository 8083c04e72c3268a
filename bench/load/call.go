package load

import (
	"io"
	"strconv"
	"time"
)

// Outcomes the package assigns by itself. Ops may use any other label for a
// domain outcome ("reserved", "insufficient", …); the empty outcome from a
// Parse function means "use the status class" ("2xx", "4xx", …).
const (
	OutcomeTimeout     = "timeout"
	OutcomeConnError   = "conn-error"
	OutcomeNoFreeConns = "no-free-conns"
	OutcomeDropped     = "dropped"
)

// A Call is one HTTP request an Op makes. Fields are read during Session.Do
// only; a Call may be reused after Do returns.
type Call struct {
	// Route labels the call in the report ("availability-1", "reserve").
	Route string
	// Method defaults to GET.
	Method string
	// URI is the path and query, e.g. "/inventory/…/get-availability".
	URI         string
	Body        []byte
	ContentType string
	// Auth, if set, is sent as the Authorization header.
	Auth string
	// BodyStream, if set, is sent instead of Body; BodySize is its length.
	BodyStream io.Reader
	BodySize   int
	// Timeout overrides the target's timeout for this call.
	Timeout time.Duration
	// Parse, if set, sees the status and body before they are released and
	// returns the outcome label ("" = the status class). It must copy any
	// bytes it keeps: the body is reused as soon as Parse returns.
	Parse func(status int, body []byte) string
}

// A Reply is what became of a Call.
type Reply struct {
	Status  int    // 0 when there was no response
	Outcome string // the label the sample was recorded under
	Err     error  // transport error, if any
}

// OK reports whether the call got a 2xx response.
func (r Reply) OK() bool { return r.Err == nil && r.Status >= 200 && r.Status < 300 }

// StatusClass returns "2xx", "4xx", … for an HTTP status.
func StatusClass(status int) string {
	if status < 100 || status > 599 {
		return "status-" + strconv.Itoa(status)
	}
	return statusClasses[status/100-1]
}

var statusClasses = [...]string{"1xx", "2xx", "3xx", "4xx", "5xx"}
