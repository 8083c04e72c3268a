package orders

import (
	"errors"
	"fmt"
	"ociedge/internal/kv"
	"strings"
)

// Error codes. The HTTP adapter maps each to one status and problem type
// (problemTable in http_problem.go).
const (
	EINVALID        = "EINVALID"        // bad input; Field names it
	ETOOLARGE       = "ETOOLARGE"       // a body larger than Config.MaxBodyBytes
	EMEDIATYPE      = "EMEDIATYPE"      // a body that is not JSON
	ESITENOTFOUND   = "ESITENOTFOUND"   // unknown siteId
	EBASKETNOTFOUND = "EBASKETNOTFOUND" // unknown basket (or another site's)
	EITEMNOTFOUND   = "EITEMNOTFOUND"   // unknown product item in the basket
	EORDERNOTFOUND  = "EORDERNOTFOUND"  // unknown order (or another site's)
	EUNAVAILABLE    = "EUNAVAILABLE"    // a product item is not available; ProductIDs names them
	ESTATUS         = "ESTATUS"         // the status change is not allowed from the current status
	EUNDOFAIL       = "EUNDOFAIL"       // failed -> created could not re-reserve
	EUNDOCANCEL     = "EUNDOCANCEL"     // cancelled -> new/completed could not re-reserve
	EUNREACHABLE    = "EUNREACHABLE"    // the reservation system did not answer (or the circuit is open)
	EINTERNAL       = "EINTERNAL"       // the edge's store failed
	ESTORE          = "ESTORE"          // the edge's store refuses writes (disk full, read-only); nothing was acknowledged
	ENOTFOUND       = "ENOTFOUND"       // no such route or organization (transport)
	EMETHOD         = "EMETHOD"         // the route does not take the method (transport)
)

// Error is the error every Service method returns.
type Error struct {
	Code    string
	Field   string // the offending request field, if any
	Message string
	// ProductIDs lists the products an EUNAVAILABLE error is about.
	ProductIDs []string
	Err        error // the cause, if any
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorCode returns the code of err: "" for nil, EINTERNAL for errors that
// are not an *Error.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

func errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

func invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

func internal(err error, what string) *Error {
	if errors.Is(err, kv.ErrUnwritable) {
		return &Error{Code: ESTORE, Message: "cannot " + what + ": the edge's store cannot be written (" + err.Error() + "); nothing was acknowledged", Err: err}
	}
	return &Error{Code: EINTERNAL, Message: "cannot " + what, Err: err}
}

func unavailable(products []string) *Error {
	return &Error{Code: EUNAVAILABLE, ProductIDs: products,
		Message: "product item is not available: " + strings.Join(products, ", ")}
}

func unreachable(system System, err error) *Error {
	return &Error{Code: EUNREACHABLE, Err: err,
		Message: fmt.Sprintf("the %s inventory did not answer; try again later", systemLabel(system))}
}

func systemLabel(s System) string {
	if s == SystemOCI {
		return "Omnichannel Inventory (OCI)"
	}
	return "Commerce Platform (B2C)"
}

func basketNotFound(id string) *Error {
	return errorf(EBASKETNOTFOUND, "No basket with ID '%s' could be found.", clip(id))
}

func orderNotFound(no string) *Error {
	return errorf(EORDERNOTFOUND, "No order with number '%s' was found.", clip(no))
}

// clip shortens hostile input before it goes into a message.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
