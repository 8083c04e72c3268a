package load

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// lean is a Target's keep-alive HTTP/1.1 client for plain calls (a body in
// memory, plain http): what the load itself sends. Uploads and TLS go
// through fasthttp's HostClient.
//
// Why not fasthttp here: on a 2-core machine the load tool takes its CPU
// from the server it measures. Driving the edge's 1-sku lookup with 64
// connections, fasthttp's HostClient path cost ~7.6 µs of CPU per request
// (URI parsing and re-serialization, header structures, three clock reads
// and two deadline resets per call) where wrk takes ~4.7 µs and a bare
// goroutine-per-connection Go client ~4.9 µs; the harness's rate then fell
// 20–35% short of wrk's on the same endpoint, beyond the 15% the
// cross-check allows (BENCHMARKS.md). This client writes one buffer per
// request, parses only the status, Content-Length, Transfer-Encoding and
// Connection of the answer, and moves a connection's deadline only every
// half timeout: ~5.5 µs per request on the same run, almost all of it the
// write and read system calls. It is safe for concurrent use.
type lean struct {
	addr    string
	host    string // the Host header
	timeout time.Duration
	wait    time.Duration // how long a call waits for a free connection
	max     int           // connections that may be open

	mu      sync.Mutex // guards the fields below
	idle    []*leanConn
	open    int           // connections open or being dialled
	waiters int           // calls waiting for a connection
	freed   chan struct{} // closed (and replaced) when a connection is given back with waiters
}

// leanConn is one connection and its buffers, used by one call at a time.
type leanConn struct {
	c        net.Conn
	br       *bufio.Reader
	wbuf     []byte
	body     []byte
	used     bool      // has carried a call: the server may have closed it since
	deadline time.Time // the connection's read and write deadline
}

func newLean(addr string, conns int, timeout, wait time.Duration) *lean {
	return &lean{addr: addr, host: addr, timeout: timeout, wait: wait, max: conns, freed: make(chan struct{})}
}

// errNoFreeConns is the lean path's fasthttp.ErrNoFreeConns.
var errNoFreeConns = errors.New("no free connections available to host")

// errTimeout is a call that ran past its timeout.
var errTimeout = errors.New("timeout")

// do sends c, starting at now, and returns the status and the outcome
// Parse gave (or ""). A call that finds its kept-alive connection closed by
// the server before any answer byte is sent once more on a fresh
// connection (stale counts those); any other failure is the measurement.
func (l *lean) do(c *Call, now time.Time, stale func()) (int, string, error) {
	timeout := orDuration(c.Timeout, l.timeout)
	for attempt := 0; ; attempt++ {
		lc, err := l.get()
		if err != nil {
			return 0, "", err
		}
		status, out, reuse, err := lc.roundTrip(l.host, c, now, timeout)
		l.giveBack(lc, err == nil && reuse)
		if err != nil && attempt == 0 && lc.used && errors.Is(err, errStale) {
			stale()
			continue
		}
		if err != nil {
			return 0, "", err
		}
		return status, out, nil
	}
}

// get returns an idle connection, dials a new one while fewer than max are
// open, or waits at most l.wait for one to be given back.
func (l *lean) get() (*leanConn, error) {
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	l.mu.Lock()
	for {
		if n := len(l.idle); n > 0 {
			lc := l.idle[n-1]
			l.idle = l.idle[:n-1]
			l.mu.Unlock()
			return lc, nil
		}
		if l.open < l.max {
			l.open++
			l.mu.Unlock()
			return l.dial()
		}
		if timer == nil {
			timer = time.NewTimer(l.wait)
		}
		freed := l.freed
		l.waiters++
		l.mu.Unlock()
		select {
		case <-freed:
		case <-timer.C:
			l.mu.Lock()
			l.waiters--
			l.mu.Unlock()
			return nil, errNoFreeConns
		}
		l.mu.Lock()
		l.waiters--
	}
}

func (l *lean) dial() (*leanConn, error) {
	c, err := net.DialTimeout("tcp", l.addr, l.timeout)
	if err != nil {
		l.giveBack(nil, false)
		return nil, err
	}
	return &leanConn{c: c, br: bufio.NewReaderSize(c, 16<<10)}, nil
}

// giveBack returns lc to the idle list (keep) or closes it, and wakes the
// calls waiting for a connection. lc may be nil: a dial that failed.
func (l *lean) giveBack(lc *leanConn, keep bool) {
	if lc != nil && !keep {
		lc.c.Close()
	}
	l.mu.Lock()
	if lc != nil && keep {
		lc.used = true
		l.idle = append(l.idle, lc)
	} else {
		l.open--
	}
	if l.waiters > 0 {
		close(l.freed)
		l.freed = make(chan struct{})
	}
	l.mu.Unlock()
}

// closeIdle closes the idle connections.
func (l *lean) closeIdle() {
	l.mu.Lock()
	idle := l.idle
	l.idle = nil
	l.open -= len(idle)
	l.mu.Unlock()
	for _, lc := range idle {
		lc.c.Close()
	}
}

// errStale is a kept-alive connection the server had closed: nothing of an
// answer came back.
var errStale = errors.New("connection closed by the server before an answer")

// roundTrip writes c and reads the answer; reuse is false when the server
// ends the connection with it.
func (lc *leanConn) roundTrip(host string, c *Call, now time.Time, timeout time.Duration) (status int, outcome string, reuse bool, err error) {
	if err := lc.setDeadline(now, timeout); err != nil {
		return 0, "", false, err
	}
	lc.wbuf = appendRequest(lc.wbuf[:0], host, c)
	if _, err := lc.c.Write(lc.wbuf); err != nil {
		return 0, "", false, netErr(err, true)
	}
	status, closeAfter, body, err := lc.readResponse()
	if err != nil {
		return 0, "", false, err
	}
	if c.Parse != nil {
		outcome = c.Parse(status, body)
	}
	return status, outcome, !closeAfter, nil
}

// setDeadline bounds the call at now + timeout, give or take: it moves the
// connection's deadline only when less than half the timeout is left, so
// that a call is bounded by between timeout/2 and timeout from its start
// without resetting the deadline (a timer change) on every call.
func (lc *leanConn) setDeadline(now time.Time, timeout time.Duration) error {
	if lc.deadline.Sub(now) >= timeout/2 && lc.deadline.Sub(now) <= timeout {
		return nil
	}
	lc.deadline = now.Add(timeout)
	return lc.c.SetDeadline(lc.deadline)
}

// appendRequest serializes c.
func appendRequest(b []byte, host string, c *Call) []byte {
	method := c.Method
	if method == "" {
		method = "GET"
	}
	b = append(b, method...)
	b = append(b, ' ')
	b = append(b, c.URI...)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	b = append(b, host...)
	b = append(b, "\r\n"...)
	if c.ContentType != "" {
		b = append(b, "Content-Type: "...)
		b = append(b, c.ContentType...)
		b = append(b, "\r\n"...)
	}
	if c.Auth != "" {
		b = append(b, "Authorization: "...)
		b = append(b, c.Auth...)
		b = append(b, "\r\n"...)
	}
	if len(c.Body) > 0 || method == "POST" || method == "PUT" || method == "PATCH" {
		b = append(b, "Content-Length: "...)
		b = strconv.AppendInt(b, int64(len(c.Body)), 10)
		b = append(b, "\r\n"...)
	}
	b = append(b, "\r\n"...)
	return append(b, c.Body...)
}

// maxLeanBody bounds an answer's body.
const maxLeanBody = 64 << 20

// readResponse reads one answer: its status, whether the connection ends
// with it, and its body (valid until the next call on lc).
func (lc *leanConn) readResponse() (status int, closeAfter bool, body []byte, err error) {
	line, err := lc.br.ReadSlice('\n')
	if err != nil {
		return 0, false, nil, netErr(err, len(line) == 0)
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, false, nil, fmt.Errorf("malformed status line %q", line)
	}
	status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, false, nil, fmt.Errorf("malformed status line %q", line)
	}
	closeAfter = line[7] == '0' // HTTP/1.0: no keep-alive unless asked
	length, chunked := -1, false
	for {
		h, err := lc.br.ReadSlice('\n')
		if err != nil {
			return 0, false, nil, netErr(err, false)
		}
		h = bytes.TrimRight(h, "\r\n")
		if len(h) == 0 {
			break
		}
		k, v, ok := bytes.Cut(h, []byte(":"))
		if !ok {
			continue
		}
		v = bytes.TrimSpace(v)
		switch {
		case bytes.EqualFold(k, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(v)); err != nil || length < 0 || length > maxLeanBody {
				return 0, false, nil, fmt.Errorf("bad Content-Length %q", v)
			}
		case bytes.EqualFold(k, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(v, []byte("chunked"))
		case bytes.EqualFold(k, []byte("Connection")):
			closeAfter = bytes.EqualFold(v, []byte("close"))
		}
	}
	switch {
	case status < 200 || status == 204 || status == 304:
		return status, closeAfter, nil, nil
	case chunked:
		body, err = lc.readChunked()
	case length >= 0:
		body, err = lc.readN(length)
	default: // the body runs until the server closes
		lc.body, err = readAll(lc.br, lc.body[:0])
		body, closeAfter = lc.body, true
	}
	return status, closeAfter, body, err
}

func (lc *leanConn) readN(n int) ([]byte, error) {
	if cap(lc.body) < n {
		lc.body = make([]byte, n)
	}
	lc.body = lc.body[:n]
	if _, err := io.ReadFull(lc.br, lc.body); err != nil {
		return nil, netErr(err, false)
	}
	return lc.body, nil
}

func (lc *leanConn) readChunked() ([]byte, error) {
	body := lc.body[:0]
	for {
		line, err := lc.br.ReadSlice('\n')
		if err != nil {
			return nil, netErr(err, false)
		}
		sz, _, _ := bytes.Cut(bytes.TrimRight(line, "\r\n"), []byte(";"))
		n, err := strconv.ParseInt(string(bytes.TrimSpace(sz)), 16, 64)
		if err != nil || n < 0 || int64(len(body))+n > maxLeanBody {
			return nil, fmt.Errorf("bad chunk size %q", line)
		}
		if n == 0 {
			break
		}
		start := len(body)
		body = append(body, make([]byte, n)...)
		if _, err := io.ReadFull(lc.br, body[start:]); err != nil {
			return nil, netErr(err, false)
		}
		if _, err := lc.br.Discard(2); err != nil { // the chunk's CRLF
			return nil, netErr(err, false)
		}
	}
	for { // trailers, up to the empty line
		line, err := lc.br.ReadSlice('\n')
		if err != nil {
			return nil, netErr(err, false)
		}
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			break
		}
	}
	lc.body = body
	return body, nil
}

func readAll(r io.Reader, b []byte) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if len(b) > maxLeanBody {
			return b, errors.New("body too large")
		}
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, netErr(err, false)
		}
	}
}

// netErr names a transport error: a timeout, or — when nothing of the
// answer was read — a connection the server had closed (errStale).
func netErr(err error, nothingRead bool) error {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return fmt.Errorf("%w: %w", errTimeout, err)
	case nothingRead && (errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)):
		return fmt.Errorf("%w: %w", errStale, err)
	case errors.Is(err, io.EOF):
		return fmt.Errorf("%w: %w", io.ErrUnexpectedEOF, err)
	}
	return err
}
