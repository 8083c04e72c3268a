package inventory

import (
	"errors"
	"fmt"
	"ociedge/internal/kv"
)

// Error codes. The transport maps each to one HTTP status (proxy/ocapi).
const (
	EINVALID        = "EINVALID"        // bad input; Field names the offending field
	ELISTNOTFOUND   = "ELISTNOTFOUND"   // no inventory list with that id
	ERECORDNOTFOUND = "ERECORDNOTFOUND" // no record for that product in the list
	ENOTFOUND       = "ENOTFOUND"       // no reservation or hold with that id
	ECONFLICT       = "ECONFLICT"       // an id was reused with a different request, or was released
	EREADONLY       = "EREADONLY"       // records are read-only (Omnichannel Inventory mode)
	EUNAVAILABLE    = "EUNAVAILABLE"    // not enough inventory; ProductIDs names the lines
	EINTERNAL       = "EINTERNAL"       // the store failed; nothing was applied
	ESTORE          = "ESTORE"          // the store refuses writes (disk full, read-only); nothing was applied
)

// ReadOnlyMessage is the message of the error that refuses a record write in
// Omnichannel Inventory mode.
const ReadOnlyMessage = "inventory records are read-only in Omnichannel Inventory mode"

// Error is the error every method of this package returns.
type Error struct {
	Code    string
	Field   string // the offending field (domain name), if any
	Message string
	// ProductIDs lists the products an EUNAVAILABLE error is about.
	ProductIDs []string
	Err        error // the cause, if any
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

func invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

func internal(err error, what string) *Error {
	if errors.Is(err, kv.ErrUnwritable) {
		return &Error{Code: ESTORE, Message: "cannot " + what + ": the edge's store cannot be written (" + err.Error() + ")", Err: err}
	}
	return &Error{Code: EINTERNAL, Message: "cannot " + what + ": " + err.Error(), Err: err}
}

// ErrReadOnly returns the error that refuses record writes in Omnichannel
// Inventory mode; the edge's Config.Writable hook returns it.
func ErrReadOnly() error { return &Error{Code: EREADONLY, Message: ReadOnlyMessage} }

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

// ErrorField returns the Field of an *Error, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
