package modes

import "errors"

// Error codes. The transport maps each to one HTTP status in a single table
// (EINVALID → 400, EREFUSED → 409).
const (
	// EINVALID: the request names something that is not a mode.
	EINVALID = "invalid"
	// EREFUSED: a valid request that the current state does not allow.
	EREFUSED = "refused"
)

// Error is the error this package returns. Message is written for an
// operator and is safe to show in an API response as it is.
//
// An Error is immutable once returned and safe for concurrent use.
type Error struct {
	Code    string // EINVALID or EREFUSED
	Message string
	// NotReady lists, sorted, the ids of the inventory lists that kept
	// OmnichannelInventory from being entered. It is non-empty exactly
	// when forcing the same transition would succeed.
	NotReady []string
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

// ErrorCode returns the code of the first *Error in err's chain, or "" if
// there is none.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
