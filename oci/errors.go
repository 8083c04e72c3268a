package oci

import (
	"errors"
	"fmt"
)

// Code is an OCI `errorCode`. The values are the documented enum (reference
// oci-api.md §1.4); the transport maps each to an HTTP status in one table.
type Code string

// The error codes the core returns.
const (
	InsufficientQuantity         Code = "InsufficientQuantity"
	DuplicateGroupID             Code = "DuplicateGroupId"
	InvalidGroupID               Code = "InvalidGroupId"
	DuplicateSku                 Code = "DuplicateSku"
	MissingParameter             Code = "MissingParameter"
	InvalidRequest               Code = "InvalidRequest"
	InvalidRequestParameter      Code = "InvalidRequestParameter"
	EntityAlreadyExists          Code = "EntityAlreadyExists"
	EntityExists                 Code = "EntityExists"
	PositiveQuantityRequired     Code = "PositiveQuantityRequired"
	ReservationInvalidState      Code = "ReservationInvalidState"
	ReservationCancelled         Code = "ReservationCancelled"
	ReservationAlreadyFinalized  Code = "ReservationAlreadyFinalized"
	EntityNotFound               Code = "EntityNotFound"
	ExportInProcess              Code = "ExportInProcess"
	Unknown                      Code = "Unknown"
	ConcurrentModification       Code = "ConcurrentModification"
	GroupDoesNotExist            Code = "GroupDoesNotExist"
	LocationDoesNotExist         Code = "LocationDoesNotExist"
	LocationNotInGroup           Code = "LocationNotInGroup"
	NotAppliedDueToAtomicFailure Code = "NotAppliedDueToAtomicFailure"
	ImportInProgress             Code = "ImportInProgress"
	ExpiredDeltaLink             Code = "ExpiredDeltaLink"
	GroupMustNotBeEmpty          Code = "GroupMustNotBeEmpty"
	DuplicateLocationID          Code = "DuplicateLocationId"
	ExpiredUploadLink            Code = "ExpiredUploadLink"
	ExpiredResultLink            Code = "ExpiredResultLink"
	FileAlreadyReceived          Code = "FileAlreadyReceived"
	ResourceNotFound             Code = "ResourceNotFound"

	// StoreUnavailable is not an OCI code: the core's store refused a write
	// (disk full, read-only directory). The transport answers 503.
	StoreUnavailable Code = "StoreUnavailable"
)

// Error is a domain error with an OCI error code and the optional problem
// members the API documents (`parameterName`, `location`, `group`).
type Error struct {
	Code      Code
	Message   string
	Parameter string // parameterName: the request field that was invalid
	Location  string // the unknown or offending location, if any
	Group     string // the unknown or offending group, if any
	Err       error  // the underlying cause, if any
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return string(e.Code) + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorCode returns the code of err, Unknown if it carries none, or "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Unknown
}

func errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

func paramErrorf(param string, format string, args ...any) *Error {
	return &Error{Code: InvalidRequestParameter, Parameter: param, Message: fmt.Sprintf(format, args...)}
}

func noLocation(id string) *Error {
	return &Error{Code: LocationDoesNotExist, Location: id,
		Message: fmt.Sprintf("No location exists with ID '%s'", id)}
}

func noGroup(id string) *Error {
	return &Error{Code: GroupDoesNotExist, Group: id,
		Message: fmt.Sprintf("No group exists with ID '%s'", id)}
}
