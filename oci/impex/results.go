package impex

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"strconv"
)

// failureWriter appends failed lines to an import's failures file, the
// body of its result file (reference I-I5), one JSON object per line:
// {"recordId","locationId","sku","message","line"}.
type failureWriter struct {
	f    *os.File
	w    *bufio.Writer
	size int64 // bytes written (durable after sync)
	buf  []byte
}

// openFailures opens the failures file and cuts it to size: what a resumed
// import wrote after its last checkpoint is written again.
func openFailures(path string, size int64) (*failureWriter, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return nil, err
	}
	if err := f.Truncate(size); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(size, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return &failureWriter{f: f, w: bufio.NewWriterSize(f, 64<<10), size: size}, nil
}

// write appends fs; sync makes them durable.
func (fw *failureWriter) write(fs []failure) error {
	if len(fs) == 0 {
		return nil
	}
	for i := range fs {
		fw.buf = appendFailure(fw.buf[:0], &fs[i])
		if _, err := fw.w.Write(fw.buf); err != nil {
			return err
		}
		fw.size += int64(len(fw.buf))
	}
	return fw.w.Flush()
}

func (fw *failureWriter) sync() error { return fw.f.Sync() }

func (fw *failureWriter) close() error { return fw.f.Close() }

func appendFailure(b []byte, f *failure) []byte {
	b = append(b, `{"recordId":`...)
	b = appendString(b, f.recordID)
	b = append(b, `,"locationId":`...)
	b = appendString(b, f.location)
	b = append(b, `,"sku":`...)
	b = appendString(b, f.sku)
	b = append(b, `,"message":`...)
	b = appendString(b, f.msg)
	b = append(b, `,"line":`...)
	b = strconv.AppendInt(b, f.line, 10)
	return append(b, "}\n"...)
}

// ImportResults opens the result file of a finished import (reference
// I-I5) and returns it with its size: a status line
// ({"status":"COMPLETED_WITHOUT_ERRORS"}, COMPLETED_WITH_PARTIAL_FAILURES or
// FAILED), then one line per failed record. It is ImportInProgress until the
// import finished, ExpiredUploadLink for an import whose file never came,
// and ExpiredResultLink once its link expired.
func (s *Service) ImportResults(org, id string) (io.ReadCloser, int64, error) {
	s.mu.Lock()
	j := s.lookupLocked(org, id, KindImport)
	var err error
	var status string
	switch {
	case j == nil:
		err = notFound("import", id)
	case s.visibleStatus(j) == StatusExpired:
		err = expiredUpload()
	case !j.Status.Finished():
		err = importInProgress(id)
	case j.FilesRemoved || !s.now().Before(j.Ended.Add(s.cfg.ResultTTL)):
		err = expiredResult()
	default:
		status = j.Import.Result
	}
	s.mu.Unlock()
	if err != nil {
		return nil, 0, err
	}
	head := append(appendString(append([]byte(nil), `{"status":`...), status), "}\n"...)
	f, ferr := os.Open(s.failuresPath(id))
	if ferr != nil {
		return io.NopCloser(bytes.NewReader(head)), int64(len(head)), nil
	}
	fi, ferr := f.Stat()
	if ferr != nil {
		f.Close()
		return nil, 0, storeError(ferr)
	}
	return resultFile{io.MultiReader(bytes.NewReader(head), io.LimitReader(f, fi.Size())), f},
		int64(len(head)) + fi.Size(), nil
}

type resultFile struct {
	io.Reader
	io.Closer
}
