package impex

import (
	"fmt"

	"ociedge/oci"
)

// FileTooLarge is the code of an upload beyond Config.MaxFileBytes. It is
// not in OCI's enum — OCI's gateway refuses such a body before OCI sees it —
// so the transport maps it to 413 Payload Too Large itself. The upload link
// stays valid: the client may send the file again, compressed.
const FileTooLarge oci.Code = "FileTooLarge"

func notFound(what, id string) error {
	return &oci.Error{Code: oci.EntityNotFound, Message: fmt.Sprintf("No %s exists with ID '%s'.", what, clip(id))}
}

func paramError(param, format string, args ...any) error {
	return &oci.Error{Code: oci.InvalidRequestParameter, Parameter: param, Message: fmt.Sprintf(format, args...)}
}

func importInProgress(id string) error {
	return &oci.Error{Code: oci.ImportInProgress, Message: fmt.Sprintf("Import %s is in progress.", id)}
}

func exportInProcess(id string) error {
	return &oci.Error{Code: oci.ExportInProcess, Message: fmt.Sprintf("Export %s is in progress.", id)}
}

func expiredResult() error {
	return &oci.Error{Code: oci.ExpiredResultLink, Message: "The download link has expired or is no longer valid."}
}

func expiredUpload() error {
	return &oci.Error{Code: oci.ExpiredUploadLink, Message: "The upload link has expired or is no longer valid."}
}

func alreadyReceived() error {
	return &oci.Error{Code: oci.FileAlreadyReceived, Message: "The file for this uploadLink has already been received."}
}

// clip shortens hostile input before it goes into a message.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

func storeError(err error) error {
	return &oci.Error{Code: oci.StoreUnavailable, Err: err,
		Message: "the impex job store cannot be written; restart the core once the disk is fixed"}
}
