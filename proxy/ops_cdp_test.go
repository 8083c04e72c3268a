package proxy_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// chromiumPath is Debian's Chromium; .ci/run installs it.
const chromiumPath = "/usr/bin/chromium"

// browser is a headless Chromium driven over the DevTools protocol on a
// pipe (--remote-debugging-pipe: Chromium reads commands on fd 3 and
// writes answers and events on fd 4, each a JSON message ending in NUL),
// so no websocket is needed. One page target is attached in flat mode.
// The process is killed and waited for in t.Cleanup.
type browser struct {
	t                    testing.TB
	cmd                  *exec.Cmd
	toChrome, fromChrome *os.File
	session              string
	readerDone           chan struct{}

	mu      sync.Mutex // guards nextID, pending, logs and stderr
	nextID  int
	pending map[int]chan cdpMessage
	logs    []string // console errors and uncaught exceptions of the page
	stderr  bytes.Buffer
}

// cdpMessage is an answer ({id, result | error}) or an event ({method, params}).
type cdpMessage struct {
	ID        int                       `json:"id"`
	Result    json.RawMessage           `json:"result"`
	Error     *struct{ Message string } `json:"error"`
	Method    string                    `json:"method"`
	Params    json.RawMessage           `json:"params"`
	SessionID string                    `json:"sessionId"`
}

// startBrowser launches Chromium with a fresh profile and attaches to a
// blank page. A missing Chromium fails the test: CI installs it.
func startBrowser(t testing.TB) *browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("chromium is required at %s for the admin page browser test: .ci/run installs it (apt-get install chromium): %v", chromiumPath, err)
	}
	cmdR, cmdW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	b := &browser{t: t, toChrome: cmdW, fromChrome: outR, pending: map[int]chan cdpMessage{}, readerDone: make(chan struct{})}
	b.cmd = exec.Command(chromiumPath, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--mute-audio", "--user-data-dir="+t.TempDir(), "--remote-debugging-pipe", "about:blank")
	b.cmd.ExtraFiles = []*os.File{cmdR, outW} // fd 3, fd 4
	b.cmd.Stderr = lockedWriter{&b.mu, &b.stderr}
	if err := b.cmd.Start(); err != nil {
		t.Fatalf("cannot start chromium: %v", err)
	}
	cmdR.Close()
	outW.Close()
	go b.readLoop()
	t.Cleanup(b.close)
	b.attach()
	return b
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.w.Len() > 64<<10 {
		return len(p), nil
	}
	return l.w.Write(p)
}

// close ends Chromium: a polite Browser.close, then kill, then wait; and
// waits for the reader goroutine.
func (b *browser) close() {
	done := make(chan error, 1)
	go func() { done <- b.cmd.Wait() }()
	b.sendRaw("", "Browser.close", nil) // no answer awaited
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		b.cmd.Process.Kill()
		<-done
	}
	b.toChrome.Close()
	<-b.readerDone
	b.fromChrome.Close()
	if b.t.Failed() {
		b.mu.Lock()
		b.t.Logf("page console: %s\nchromium stderr (tail): %s", strings.Join(b.logs, "\n"), tail(b.stderr.String(), 2000))
		b.mu.Unlock()
	}
}

func (b *browser) readLoop() {
	defer close(b.readerDone)
	r := bufio.NewReaderSize(b.fromChrome, 1<<16)
	for {
		line, err := r.ReadBytes(0)
		if err != nil {
			b.failPending()
			return
		}
		var m cdpMessage
		if json.Unmarshal(line[:len(line)-1], &m) != nil {
			continue
		}
		b.dispatch(m)
	}
}

func (b *browser) dispatch(m cdpMessage) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if m.ID != 0 {
		if ch := b.pending[m.ID]; ch != nil {
			ch <- m
			delete(b.pending, m.ID)
		}
		return
	}
	switch m.Method {
	case "Runtime.exceptionThrown", "Runtime.consoleAPICalled", "Log.entryAdded":
		if len(b.logs) < 200 {
			b.logs = append(b.logs, m.Method+" "+string(m.Params))
		}
	}
}

func (b *browser) failPending() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for id, ch := range b.pending {
		ch <- cdpMessage{ID: id, Error: &struct{ Message string }{"chromium closed the pipe"}}
		delete(b.pending, id)
	}
}

// sendRaw writes a command and returns the channel of its answer.
func (b *browser) sendRaw(session, method string, params any) chan cdpMessage {
	b.mu.Lock()
	b.nextID++
	id := b.nextID
	ch := make(chan cdpMessage, 1)
	b.pending[id] = ch
	b.mu.Unlock()
	msg := map[string]any{"id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if session != "" {
		msg["sessionId"] = session
	}
	data, _ := json.Marshal(msg)
	if _, err := b.toChrome.Write(append(data, 0)); err != nil {
		b.mu.Lock()
		delete(b.pending, id)
		b.mu.Unlock()
		ch <- cdpMessage{ID: id, Error: &struct{ Message string }{err.Error()}}
	}
	return ch
}

// call sends a command (to the page when session is set) and decodes its
// result into out.
func (b *browser) call(session, method string, params, out any) error {
	select {
	case m := <-b.sendRaw(session, method, params):
		if m.Error != nil {
			return fmt.Errorf("%s: %s", method, m.Error.Message)
		}
		if out != nil {
			return json.Unmarshal(m.Result, out)
		}
		return nil
	case <-time.After(15 * time.Second):
		return fmt.Errorf("%s: no answer from chromium", method)
	}
}

func (b *browser) must(session, method string, params, out any) {
	b.t.Helper()
	if err := b.call(session, method, params, out); err != nil {
		b.t.Fatal(err)
	}
}

// attach opens a page target and attaches to it in flat mode.
func (b *browser) attach() {
	b.t.Helper()
	var target struct{ TargetID string }
	b.must("", "Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var att struct{ SessionID string }
	b.must("", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att)
	b.session = att.SessionID
	for _, m := range []string{"Page.enable", "Runtime.enable", "Log.enable"} {
		b.must(b.session, m, nil, nil)
	}
}

// navigate loads url in the page.
func (b *browser) navigate(url string) {
	b.t.Helper()
	var res struct{ ErrorText string }
	b.must(b.session, "Page.navigate", map[string]any{"url": url}, &res)
	if res.ErrorText != "" {
		b.t.Fatalf("navigate %s: %s", url, res.ErrorText)
	}
}

// eval runs a JavaScript expression in the page (awaiting a promise) and
// returns its value.
func (b *browser) eval(expr string) (any, error) {
	var res struct {
		Result struct {
			Value any
		}
		ExceptionDetails *struct {
			Text      string
			Exception struct{ Description string }
		}
	}
	err := b.call(b.session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &res)
	if err != nil {
		return nil, err
	}
	if d := res.ExceptionDetails; d != nil {
		return nil, errors.New(d.Text + " " + d.Exception.Description)
	}
	return res.Result.Value, nil
}

// run evaluates expr and fails the test on an error.
func (b *browser) run(expr string) any {
	b.t.Helper()
	v, err := b.eval(expr)
	if err != nil {
		b.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// text returns the textContent of the first element matching selector,
// or "" when there is none.
func (b *browser) text(selector string) string {
	b.t.Helper()
	v, err := b.eval(fmt.Sprintf(`(document.querySelector(%q) || {textContent: ""}).textContent`, selector))
	if err != nil {
		return ""
	}
	s, _ := v.(string)
	return s
}

// await evaluates expr until it is true (an error, as while a page loads,
// counts as not yet), failing after d.
func (b *browser) await(d time.Duration, what, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(d)
	var last any
	var lastErr error
	for {
		v, err := b.eval(expr)
		if err == nil && v == true {
			return
		}
		last, lastErr = v, err
		if time.Now().After(deadline) {
			b.t.Fatalf("timed out waiting for %s (%s): last %v %v", what, expr, last, lastErr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// click clicks the element matching selector.
func (b *browser) click(selector string) {
	b.t.Helper()
	if v := b.run(fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) return false; e.click(); return true; })()`, selector)); v != true {
		b.t.Fatalf("nothing to click at %s", selector)
	}
}

// fill sets an input's value.
func (b *browser) fill(selector, value string) {
	b.t.Helper()
	if v := b.run(fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) return false; e.value = %q; return true; })()`, selector, value)); v != true {
		b.t.Fatalf("no input at %s", selector)
	}
}
