package httpapi

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/oci"
	"ociedge/oci/auth"
)

// statusOf is the one table that maps domain error codes to HTTP statuses.
var statusOf = map[oci.Code]int{
	oci.InvalidRequest:               fasthttp.StatusBadRequest,
	oci.InvalidRequestParameter:      fasthttp.StatusBadRequest,
	oci.MissingParameter:             fasthttp.StatusBadRequest,
	oci.DuplicateSku:                 fasthttp.StatusBadRequest,
	oci.DuplicateGroupID:             fasthttp.StatusBadRequest,
	oci.DuplicateLocationID:          fasthttp.StatusBadRequest,
	oci.InvalidGroupID:               fasthttp.StatusBadRequest,
	oci.GroupMustNotBeEmpty:          fasthttp.StatusBadRequest,
	oci.PositiveQuantityRequired:     fasthttp.StatusBadRequest,
	oci.LocationDoesNotExist:         fasthttp.StatusBadRequest,
	oci.GroupDoesNotExist:            fasthttp.StatusBadRequest,
	oci.LocationNotInGroup:           fasthttp.StatusBadRequest,
	oci.EntityNotFound:               fasthttp.StatusNotFound,
	oci.ResourceNotFound:             fasthttp.StatusNotFound,
	oci.EntityExists:                 fasthttp.StatusConflict,
	oci.EntityAlreadyExists:          fasthttp.StatusConflict,
	oci.ReservationCancelled:         fasthttp.StatusConflict,
	oci.ReservationInvalidState:      fasthttp.StatusConflict,
	oci.ReservationAlreadyFinalized:  fasthttp.StatusConflict,
	oci.ConcurrentModification:       fasthttp.StatusConflict,
	oci.ImportInProgress:             fasthttp.StatusConflict,
	oci.ExportInProcess:              fasthttp.StatusConflict,
	oci.FileAlreadyReceived:          fasthttp.StatusConflict,
	oci.ExpiredDeltaLink:             fasthttp.StatusGone,
	oci.ExpiredUploadLink:            fasthttp.StatusGone,
	oci.ExpiredResultLink:            fasthttp.StatusGone,
	oci.StoreUnavailable:             fasthttp.StatusServiceUnavailable,
	oci.NotAppliedDueToAtomicFailure: fasthttp.StatusConflict,
	oci.Unknown:                      fasthttp.StatusInternalServerError,
	codeTooLarge:                     fasthttp.StatusRequestEntityTooLarge,
	codeUnsupportedMedia:             fasthttp.StatusUnsupportedMediaType,
	codeMethodNotAllowed:             fasthttp.StatusMethodNotAllowed,
}

// Transport-only codes.
const (
	codeTooLarge         oci.Code = "RequestEntityTooLarge"
	codeUnsupportedMedia oci.Code = "UnsupportedMediaType"
	codeMethodNotAllowed oci.Code = "MethodNotAllowed"
)

// problem is the application/problem+json body (reference §1.4).
type problem struct {
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	ErrorCode string `json:"errorCode"`
	Message   string `json:"message"`
	Parameter string `json:"parameterName,omitempty"`
	Location  string `json:"location,omitempty"`
	Group     string `json:"group,omitempty"`
}

// writeError renders err as a problem and returns the status it used.
func (s *Server) writeError(ctx *fasthttp.RequestCtx, err error) int {
	var e *oci.Error
	if !errors.As(err, &e) {
		e = &oci.Error{Code: oci.Unknown, Message: "An unknown internal error has occurred", Err: err}
	}
	status, ok := statusOf[e.Code]
	if !ok {
		status = fasthttp.StatusInternalServerError
	}
	if status >= 500 {
		s.log.Error("request failed", zapRoute(ctx), zapErr(err))
	}
	s.writeProblem(ctx, status, problem{Type: "about:blank", ErrorCode: string(e.Code), Message: e.Message,
		Parameter: e.Parameter, Location: e.Location, Group: e.Group})
	return status
}

func (s *Server) writeProblem(ctx *fasthttp.RequestCtx, status int, p problem) {
	b, _ := json.Marshal(p)
	ctx.SetStatusCode(status)
	ctx.SetContentType("application/problem+json")
	ctx.SetBody(b)
}

// writeAuthError renders the documented 401/403 shapes. Impex answers its
// 403 in the Spring style its RAML documents.
func (s *Server) writeAuthError(ctx *fasthttp.RequestCtx, err error, impex bool) {
	if errors.Is(err, auth.ErrForbidden) {
		if impex {
			b, _ := json.Marshal(map[string]any{"timestamp": s.now().UTC().Format("2006-01-02T15:04:05.000-0700"),
				"status": 403, "error": "Forbidden", "message": "No message available", "path": string(ctx.Path()), "type": "about:blank"})
			ctx.SetStatusCode(fasthttp.StatusForbidden)
			ctx.SetContentType("application/problem+json")
			ctx.SetBody(b)
			return
		}
		s.writeProblem(ctx, fasthttp.StatusForbidden, problem{Type: "about:blank", ErrorCode: "TenantNotProvisioned",
			Message: "The client is not correctly configured to access the system."})
		return
	}
	ctx.Response.Header.Set("WWW-Authenticate", `Bearer realm="ocicore"`)
	s.writeProblem(ctx, fasthttp.StatusUnauthorized, problem{Type: "about:blank", Title: "Unauthorized",
		ErrorCode: "Unauthorized", Message: "The bearer token is missing, invalid or expired: " + err.Error()})
}

func badRequest(format string, args ...any) error {
	return &oci.Error{Code: oci.InvalidRequestParameter, Message: sprintf(format, args...)}
}

func timeRFC3339(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
