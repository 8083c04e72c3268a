// Package sdk_test drives a real edge with the public commerce-sdk npm
// clients (ShopperAvailability, ShopperBasketsV2, ShopperOrders, Orders),
// the way a storefront does, and checks what they get against the core.
//
// Each test starts a core and an edge on loopback ports and one node
// process running driver.mjs, which turns JSON command lines into SDK calls
// and answers with JSON result lines, so that the test can check the core
// between two calls. Every exchange is logged (shown with -v or on
// failure). node is required (.ci/run installs it); the SDK is installed
// with npm ci from package-lock.json when node_modules does not hold the
// locked version.
package sdk_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// TestMain fails on leaked goroutines, except fasthttp's process-wide
// cleaners that outlive the tests by their idle timeouts.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*Client).mCleaner"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*HostClient).connsCleaner"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*workerPool).Start.func2"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.updateServerDate.func1"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*TCPDialer).tcpAddrsClean"),
	)
}

const (
	callTimeout    = 10 * time.Second // one SDK call, node's start included
	installTimeout = 5 * time.Minute  // npm ci
)

var (
	installOnce sync.Once
	installErr  error
)

// nodeBinary returns node's path, installing the locked SDK first when
// node_modules does not hold it. A missing node fails the test: these
// tests are part of make test, and .ci/run installs node and npm.
func nodeBinary(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is not installed, but the commerce-sdk tests need node (>= 18) and npm; "+
			".ci/run installs them (apt-get install nodejs npm): %v", err)
	}
	installOnce.Do(func() { installErr = installSDK() })
	if installErr != nil {
		t.Fatal(installErr)
	}
	return bin
}

// installSDK runs npm ci when node_modules lacks the commerce-sdk version
// that package-lock.json pins.
func installSDK() error {
	want, err := lockedVersion()
	if err != nil {
		return err
	}
	if have, _ := installedVersion(); have == want {
		return nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return errors.New("npm is not installed, but test/sdk/node_modules needs npm ci; .ci/run installs it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), installTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--loglevel=error").CombinedOutput()
	if err != nil {
		return errors.New("npm ci in test/sdk failed: " + err.Error() + "\n" + string(out))
	}
	if have, err := installedVersion(); err != nil || have != want {
		return errors.New("after npm ci, node_modules holds commerce-sdk " + have + ", want " + want)
	}
	return nil
}

func lockedVersion() (string, error) {
	var lock struct {
		Packages map[string]struct {
			Version string `json:"version"`
		} `json:"packages"`
	}
	b, err := os.ReadFile("package-lock.json")
	if err == nil {
		err = json.Unmarshal(b, &lock)
	}
	if v := lock.Packages["node_modules/commerce-sdk"].Version; err == nil && v != "" {
		return v, nil
	}
	return "", errors.New("test/sdk/package-lock.json does not pin commerce-sdk")
}

func installedVersion() (string, error) {
	var pkg struct {
		Version string `json:"version"`
	}
	b, err := os.ReadFile(filepath.Join("node_modules", "commerce-sdk", "package.json"))
	if err == nil {
		err = json.Unmarshal(b, &pkg)
	}
	return pkg.Version, err
}

// sdk is a running driver.mjs: one SDK call at a time.
type sdk struct {
	t      testing.TB
	cmd    *exec.Cmd
	cancel context.CancelFunc
	in     io.WriteCloser
	lines  chan []byte // stdout lines; closed at EOF
	stderr *lockedBuffer
	next   int
}

// startSDK runs driver.mjs against the world's edge; the test's cleanup
// ends it.
func startSDK(w *world) *sdk {
	t := w.t
	t.Helper()
	bin := nodeBinary(t)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "driver.mjs")
	cmd.Env = append(os.Environ(), "EDGE_URL="+w.edge.URL(), "ORG="+org, "SITE="+site)
	s := &sdk{t: t, cmd: cmd, cancel: cancel, lines: make(chan []byte, 1), stderr: &lockedBuffer{}}
	cmd.Stderr = s.stderr
	out, err := cmd.StdoutPipe()
	if err == nil {
		s.in, err = cmd.StdinPipe()
	}
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		cancel()
		t.Fatalf("cannot start node driver.mjs: %v", err)
	}
	done := make(chan struct{})
	go s.read(out, done)
	t.Cleanup(func() { s.close(done) })
	return s
}

func (s *sdk) read(out io.Reader, done chan struct{}) {
	defer close(done)
	defer close(s.lines)
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 0, 64<<10), 8<<20)
	for sc.Scan() {
		s.lines <- bytes.Clone(sc.Bytes())
	}
}

// close ends node by closing its stdin, or kills it after a grace period.
func (s *sdk) close(done chan struct{}) {
	s.in.Close()
	timer := time.AfterFunc(callTimeout, s.cancel)
	for range s.lines {
	}
	<-done
	err := s.cmd.Wait()
	timer.Stop()
	s.cancel()
	if err != nil && !s.t.Failed() {
		s.t.Errorf("node driver.mjs: %v\n%s", err, s.stderr)
	}
}

// result is one driver answer.
type result struct {
	ID          int               `json:"id"`
	OK          bool              `json:"ok"`
	Status      int               `json:"status"`
	ContentType string            `json:"contentType"`
	Headers     map[string]string `json:"headers"`
	Body        json.RawMessage   `json:"body"`
	Error       string            `json:"error"`
}

// problemType starts every SCAPI problem type.
const problemType = "https://api.commercecloud.salesforce.com/documentation/error/v1/errors/"

// problem is a SCAPI problem body.
type problem struct {
	Title  string `json:"title"`
	Type   string `json:"type"`
	Detail string `json:"detail"`
}

func (r result) problem() problem {
	var p problem
	json.Unmarshal(r.Body, &p)
	return p
}

// decode unmarshals the body into v, failing the test if it cannot.
func (r result) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("result %d: body is not the expected JSON (%v): %s", r.ID, err, r.Body)
	}
}

// command is one driver command (see driver.mjs).
type command struct {
	ID         int            `json:"id"`
	Client     string         `json:"client,omitempty"`
	Method     string         `json:"method,omitempty"`
	Parameters map[string]any `json:"parameters,omitempty"`
	Body       any            `json:"body,omitempty"`
	Raw        bool           `json:"raw,omitempty"`
	Fetch      *fetchCommand  `json:"fetch,omitempty"`
}

type fetchCommand struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	Body   any    `json:"body,omitempty"`
}

// params are an SDK call's parameters (merged over the client's
// organizationId, siteId and shortCode).
type params = map[string]any

// call runs client.method(options) in node and returns its answer.
func (s *sdk) call(client, method string, p params, body any) result {
	s.t.Helper()
	return s.send(command{Client: client, Method: method, Parameters: p, Body: body})
}

// raw is call with rawResponse, so that the answer's status and headers
// show.
func (s *sdk) raw(client, method string, p params, body any) result {
	s.t.Helper()
	return s.send(command{Client: client, Method: method, Parameters: p, Body: body, Raw: true})
}

// must is call that fails the test unless the SDK returned a 2xx DTO.
func (s *sdk) must(client, method string, p params, body any) result {
	s.t.Helper()
	r := s.call(client, method, p, body)
	if !r.OK {
		s.t.Fatalf("%s.%s(%v): %d %s %s", client, method, p, r.Status, r.Body, r.Error)
	}
	return r
}

// fetch is a plain fetch to the edge from node (for the edge's extensions).
func (s *sdk) fetch(method, path string, body any) result {
	s.t.Helper()
	return s.send(command{Fetch: &fetchCommand{Method: method, Path: path, Body: body}})
}

func (s *sdk) send(c command) result {
	s.t.Helper()
	s.next++
	c.ID = s.next
	b, err := json.Marshal(c)
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.in.Write(append(b, '\n')); err != nil {
		s.t.Fatalf("node driver.mjs stopped: %v\n%s", err, s.stderr)
	}
	select {
	case line, ok := <-s.lines:
		if !ok {
			s.t.Fatalf("node driver.mjs exited:\n%s", s.stderr)
		}
		var r result
		if err := json.Unmarshal(line, &r); err != nil || r.ID != c.ID {
			s.t.Fatalf("driver.mjs answered %q to command %d (%v)", line, c.ID, err)
		}
		s.t.Logf("-> %s\n<- %s", clipLog(b), clipLog(line))
		if r.Error != "" {
			s.t.Fatalf("%s.%s: the call failed without an HTTP answer: %s", c.Client, c.Method, r.Error)
		}
		return r
	case <-time.After(callTimeout):
		s.t.Fatalf("no answer from driver.mjs within %v to %s\n%s", callTimeout, b, s.stderr)
	}
	return result{}
}

// clipLog shortens a logged command or answer.
func clipLog(b []byte) []byte {
	if len(b) > 2000 {
		return append(b[:2000:2000], "…"...)
	}
	return b
}

// lockedBuffer collects node's stderr; exec writes it from a goroutine of
// its own.
type lockedBuffer struct {
	mu  sync.Mutex // guards buf
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
