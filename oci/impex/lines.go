package impex

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// lineReader splits an NDJSON stream into lines, without their "\n" or
// "\r\n", counting them from 1. A line longer than its limit is skipped
// whole and reported as too long. Not safe for concurrent use.
type lineReader struct {
	br  *bufio.Reader
	max int
	n   int64 // the number of the last line returned
}

func newLineReader(r io.Reader, limit int) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, max(limit+2, 256<<10)), max: limit}
}

var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// next returns the next line, valid until the following call. At the end
// of the stream it returns io.EOF.
func (lr *lineReader) next() (line []byte, tooLong bool, err error) {
	line, err = lr.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		for errors.Is(err, bufio.ErrBufferFull) {
			_, err = lr.br.ReadSlice('\n')
		}
		if err != nil && err != io.EOF {
			return nil, false, err
		}
		lr.n++
		return nil, true, nil
	}
	if err == io.EOF && len(line) > 0 {
		err = nil
	}
	if err != nil {
		return nil, false, err
	}
	lr.n++
	line = bytes.TrimSuffix(line, []byte{'\n'})
	line = bytes.TrimSuffix(line, []byte{'\r'})
	if lr.n == 1 {
		line = bytes.TrimPrefix(line, utf8BOM)
	}
	if len(line) > lr.max {
		return nil, true, nil
	}
	return line, false, nil
}

// skip reads past the first n lines (a resumed import).
func (lr *lineReader) skip(n int64) error {
	for lr.n < n {
		if _, _, err := lr.next(); err != nil {
			if err == io.EOF {
				return fmt.Errorf("the file has only %d lines, but %d were already imported", lr.n, n)
			}
			return err
		}
	}
	return nil
}

// blank reports whether a line holds only JSON whitespace.
func blank(line []byte) bool { return skipWS(line, 0) == len(line) }
