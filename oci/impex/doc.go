// Package impex is the OCI Impex domain (reference oci-api.md §5):
// availability imports from NDJSON files, availability exports with their
// delta token, location-graph exports and reservations exports, each an
// asynchronous job with a status, a file to download and a delete. It knows
// nothing of HTTP: the transport decodes requests into the types here,
// streams upload bodies into Upload and file downloads out of the
// io.ReadCloser it gets back, and maps the oci.Error codes to statuses
// (plus FileTooLarge → 413).
//
// # Imports
//
// Initiate creates an import WAITING for its file; Upload streams the file
// to disk and queues it (PENDING); a goroutine of the Service parses it
// (scan.go and line.go: a strict hand-written JSON scanner, fuzzed against
// encoding/json) while the previous batch is applied through
// oci.Core.ApplyImport (RUNNING), and the import ends COMPLETED or FAILED.
// Records are applied in batches of Config.BatchRecords, each durable when
// ApplyImport returns; every few batches (checkpointEvery), on Close and at
// the end, the import checkpoints how far it got. An import interrupted by
// a crash or Close resumes from its last checkpoint when the next Service
// opens: the records of batches applied but not checkpointed are read again
// and skipped by the core's recordId deduplication, never applied twice.
// An export is a snapshot: one that was interrupted starts over from its
// saved request.
//
// # Store layout
//
//	impex/j/<id>   a job record (JSON, see jobRecord): kind, organization,
//	               status, times, validation errors, counts, checkpoint
//
// and in Config.Dir, named after the job id (generated, never taken from a
// request):
//
//	<id>.upload        an import's file as uploaded (compressed or not)
//	<id>.failures      an import's failed lines: the result file without its status line
//	<id>.export        an export's file
//	<id>.*.part        a file being written; removed on restart
package impex
