package impex

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"

	"go.uber.org/zap"

	"ociedge/oci"
)

// UploadResult answers an upload (reference I-I3).
type UploadResult struct {
	Status   Status `json:"status"`
	ImportID string `json:"importId"`
}

// The validation errors of an uploaded file. The first is OCI's own
// message (reference §5.2, I-I4).
const (
	msgGzipUndeclared = "File is in GZIP format where the encoding type was not specified as GZIP' Invalid value"
	msgGzipMissing    = "File is not in GZIP format where the encoding type was specified as GZIP' Invalid value"
)

// Upload receives the file of an import (I-I3) from r — the multipart file
// part, streamed to disk, never held in memory — and queues the import.
//
// A file beyond Config.MaxFileBytes is refused with FileTooLarge, and a
// stream that ends in an error is refused too (the file is dropped and
// nothing is imported); in both cases the link stays valid for another
// try. A file whose first bytes contradict its declared fileEncoding, or
// whose digest differs from the declared fileHash, is received: the import
// then FAILS with a validation error, and the link is used up. The link
// answers FileAlreadyReceived once a file was received, ExpiredUploadLink
// after it expired, and ImportInProgress while the location graph is being
// changed (reference §5.2: no imports during graph changes).
func (s *Service) Upload(org, uploadLinkID string, r io.Reader) (*UploadResult, error) {
	j, err := s.beginUpload(org, uploadLinkID)
	if err != nil {
		return nil, err
	}
	rcv, err := s.receive(j, r)
	if err != nil {
		s.mu.Lock()
		j.receiving = false
		s.mu.Unlock()
		return nil, err
	}
	s.m.uploaded(rcv.size)
	if problems := checkReceived(j.Import, rcv); len(problems) > 0 {
		return s.refuseFile(j, rcv, problems)
	}
	return s.acceptFile(j, rcv)
}

func (s *Service) beginUpload(org, id string) (*job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j := s.lookupLocked(org, id, KindImport)
	switch {
	case j == nil:
		return nil, notFound("upload link", id)
	case j.Status != StatusWaiting || j.receiving:
		return nil, alreadyReceived()
	case !s.now().Before(j.Import.UploadExpires):
		return nil, expiredUpload()
	case s.core.GraphChanging():
		return nil, &oci.Error{Code: oci.ImportInProgress,
			Message: "A location graph change is in progress; upload the file again when it is done."}
	}
	j.receiving = true
	return j, nil
}

// received describes a file written to the part file.
type received struct {
	size  int64
	magic [2]byte // the first two bytes
	sum   []byte  // the declared hash of the file, if one was declared
}

// receive streams r to the job's part file, durably.
func (s *Service) receive(j *job, r io.Reader) (received, error) {
	path := s.uploadPath(j.ID) + partSuffix
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o640)
	if err != nil {
		return received{}, storeError(err)
	}
	w := &uploadWriter{f: f, h: newHash(j.Import.HashType)}
	n, rerr := io.CopyBuffer(w, io.LimitReader(r, s.cfg.MaxFileBytes+1), make([]byte, 256<<10))
	if rerr == nil && w.werr == nil && n <= s.cfg.MaxFileBytes {
		rerr = f.Sync()
	}
	f.Close()
	switch {
	case w.werr != nil:
		os.Remove(path)
		return received{}, storeError(w.werr)
	case rerr != nil:
		os.Remove(path)
		return received{}, &oci.Error{Code: oci.InvalidRequest, Err: rerr, Message: fmt.Sprintf(
			"The upload was interrupted after %d bytes; nothing was imported. Upload the file again.", n)}
	case n > s.cfg.MaxFileBytes:
		os.Remove(path)
		return received{}, &oci.Error{Code: FileTooLarge, Message: fmt.Sprintf(
			"The file is larger than %d bytes; compress it with GZIP (fileEncoding GZIP).", s.cfg.MaxFileBytes)}
	}
	rcv := received{size: n, magic: w.magic}
	if w.h != nil {
		rcv.sum = w.h.Sum(nil)
	}
	return rcv, nil
}

func newHash(typ string) hash.Hash {
	switch typ {
	case HashSHA256:
		return sha256.New()
	case HashSHA512:
		return sha512.New()
	}
	return nil
}

// uploadWriter writes to the part file, hashing and keeping the first two
// bytes. A write error is kept apart from read errors: it is the disk's
// fault, not the client's.
type uploadWriter struct {
	f     *os.File
	h     hash.Hash
	n     int64
	magic [2]byte
	werr  error
}

func (w *uploadWriter) Write(p []byte) (int, error) {
	for i := 0; w.n+int64(i) < 2 && i < len(p); i++ {
		w.magic[w.n+int64(i)] = p[i]
	}
	if w.h != nil {
		w.h.Write(p)
	}
	n, err := w.f.Write(p)
	w.n += int64(n)
	if err != nil {
		w.werr = err
	}
	return n, err
}

func isGzip(rcv received) bool { return rcv.size >= 2 && rcv.magic == [2]byte{0x1f, 0x8b} }

// checkReceived returns the validation errors of a received file.
func checkReceived(im *importRecord, rcv received) []string {
	var problems []string
	switch gz := isGzip(rcv); {
	case gz && !im.Gzip:
		problems = append(problems, msgGzipUndeclared)
	case !gz && im.Gzip:
		problems = append(problems, msgGzipMissing)
	}
	if im.Hash != "" && hex.EncodeToString(rcv.sum) != im.Hash {
		problems = append(problems, fmt.Sprintf("File %s %s does not match the declared fileHash %s' Invalid value",
			im.HashType, hex.EncodeToString(rcv.sum), im.Hash))
	}
	return problems
}

// refuseFile fails the import with validation errors: the link is used up,
// the file dropped, and the result file says FAILED.
func (s *Service) refuseFile(j *job, rcv received, problems []string) (*UploadResult, error) {
	os.Remove(s.uploadPath(j.ID) + partSuffix)
	s.mu.Lock()
	now := s.now()
	j.receiving = false
	j.Status, j.Started, j.Ended, j.Errors = StatusFailed, now, now, problems
	j.Import.UploadedBytes, j.Import.Result = rcv.size, ResultFailed
	s.mu.Unlock()
	s.m.job(KindImport, StatusFailed)
	s.log.Warn("import file refused", zap.String("id", j.ID), zap.Strings("errors", problems))
	err := s.save(j)
	s.mu.Lock()
	closeDone(j)
	s.mu.Unlock()
	if err != nil {
		return nil, storeError(err)
	}
	return &UploadResult{Status: StatusFailed, ImportID: j.ID}, nil
}

// acceptFile makes the received file the import's and queues the import.
func (s *Service) acceptFile(j *job, rcv received) (*UploadResult, error) {
	part := s.uploadPath(j.ID) + partSuffix
	if err := os.Rename(part, s.uploadPath(j.ID)); err != nil {
		os.Remove(part)
		s.mu.Lock()
		j.receiving = false
		s.mu.Unlock()
		return nil, storeError(err)
	}
	if err := s.syncDir(); err != nil {
		s.log.Warn("cannot sync the impex directory", zap.Error(err))
	}
	s.mu.Lock()
	j.receiving = false
	j.Status = StatusPending
	j.Import.UploadedBytes = rcv.size
	j.Import.Validated = !j.Import.Gzip // a gzip stream is checked before it is applied
	s.mu.Unlock()
	if err := s.save(j); err != nil {
		s.finish(j, StatusFailed, err.Error(), nil) // it cannot be queued durably
		return nil, storeError(err)
	}
	s.log.Info("import file received", zap.String("id", j.ID), zap.Int64("bytes", rcv.size))
	s.start(j)
	return &UploadResult{Status: StatusPending, ImportID: j.ID}, nil
}
