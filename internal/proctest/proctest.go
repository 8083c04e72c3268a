// Package proctest runs the test binary again as a child process, for the
// crash tests that kill a real server with SIGKILL: the child is one test
// of the binary (run with an environment variable that makes it a server
// instead of a skip), the parent waits for the line the child prints once
// it serves, and at the end kills it and fails the test if the child's
// race detector or a panic spoke on its stderr.
package proctest

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// Config says which child to run and how to know it is ready.
type Config struct {
	// Test is the child's test: the binary runs with -test.run=^Test$.
	Test string
	// Env is added to this process's environment for the child.
	Env []string
	// Ready is the prefix of the child's first line of stdout, printed once
	// it is ready (e.g. "serving "); Start returns the rest of that line.
	Ready string
	// ReadyWithin bounds the wait for that line.
	ReadyWithin time.Duration
	// Timeout is the child's -test.timeout, which ends it should nobody
	// kill it; 0 leaves go test's default.
	Timeout time.Duration
}

// Child is a test binary re-run as a child process.
type Child struct {
	t      testing.TB
	test   string
	cmd    *exec.Cmd
	stderr *lockedBuffer
	exited chan struct{} // closed once the child was waited for
	once   sync.Once
}

// Start runs the child and waits until its first line of stdout, which
// must start with cfg.Ready, and returns the child and the rest of that
// line (e.g. the URL it serves). It fails the test if the child prints
// something else first, exits, or says nothing within cfg.ReadyWithin. The
// child is killed and waited for when the test ends, if not before.
func Start(t testing.TB, cfg Config) (*Child, string) {
	t.Helper()
	args := []string{"-test.run=^" + cfg.Test + "$"}
	if cfg.Timeout > 0 {
		args = append(args, "-test.timeout="+cfg.Timeout.String())
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), cfg.Env...)
	c := &Child{t: t, test: cfg.Test, cmd: cmd, stderr: &lockedBuffer{}, exited: make(chan struct{})}
	first := &firstLine{line: make(chan string, 1)}
	cmd.Stdout, cmd.Stderr = first, c.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		cmd.Wait()
		close(c.exited)
	}()
	t.Cleanup(c.Kill)
	var line string
	select {
	case line = <-first.line:
	case <-c.exited:
		// Wait copies all of stdout before it returns: a line is there now
		// or never.
		select {
		case line = <-first.line:
		default:
			t.Fatalf("child %s exited (%v) before it was ready; stderr:\n%s", cfg.Test, cmd.ProcessState, c.stderr)
		}
	case <-time.After(cfg.ReadyWithin):
		t.Fatalf("child %s did not start within %v; stderr:\n%s", cfg.Test, cfg.ReadyWithin, c.stderr)
	}
	rest, ok := strings.CutPrefix(line, cfg.Ready)
	if !ok {
		t.Fatalf("child %s: %q; stderr:\n%s", cfg.Test, line, c.stderr)
	}
	return c, rest
}

// Kill sends SIGKILL (no chance to flush or answer anything) and waits for
// the child; only the first call does so. A data race or a panic the child
// reported on its stderr fails the test.
func (c *Child) Kill() {
	c.once.Do(func() {
		c.cmd.Process.Kill() // an error means it has exited already
		<-c.exited
		if s := c.stderr.String(); strings.Contains(s, "DATA RACE") || strings.Contains(s, "panic:") {
			c.t.Errorf("child %s failed:\n%s", c.test, s)
		}
	})
}

// Stderr is what the child wrote to its stderr so far.
func (c *Child) Stderr() string { return c.stderr.String() }

// firstLine is the child's stdout: it sends the first line (without its
// line ending) on line and discards the rest.
type firstLine struct {
	line chan string // buffered 1
	buf  []byte
	sent bool
}

// Write is called from exec's copying goroutine only.
func (f *firstLine) Write(p []byte) (int, error) {
	if f.sent {
		return len(p), nil
	}
	f.buf = append(f.buf, p...)
	if i := bytes.IndexByte(f.buf, '\n'); i >= 0 {
		f.line <- strings.TrimSuffix(string(f.buf[:i]), "\r")
		f.sent, f.buf = true, nil
	}
	return len(p), nil
}

// lockedBuffer is a bytes.Buffer safe for concurrent use.
type lockedBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
