package proctest

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const childEnv = "PROCTEST_CHILD"

// TestChild is the child the tests start; childEnv says how it behaves.
func TestChild(t *testing.T) {
	switch os.Getenv(childEnv) {
	case "":
		t.Skip("the child of the other tests; they run it")
	case "ready":
		fmt.Println("ready at http://127.0.0.1:1234")
		fmt.Println("more output, discarded")
	case "panic":
		fmt.Fprintln(os.Stderr, "panic: something went wrong")
		fmt.Println("ready now")
	case "error":
		fmt.Println("error cannot open the store")
		os.Exit(1)
	case "exit":
		os.Exit(3)
	case "silent":
	}
	time.Sleep(time.Hour) // until killed, or -test.timeout ends it
}

func config(behaviour string) Config {
	return Config{Test: "TestChild", Env: []string{childEnv + "=" + behaviour}, Ready: "ready ",
		ReadyWithin: 30 * time.Second, Timeout: time.Minute}
}

func TestStartAndKill(t *testing.T) {
	c, rest := Start(t, config("ready"))
	if rest != "at http://127.0.0.1:1234" {
		t.Fatalf("Start returned %q", rest)
	}
	c.Kill()
	ws, ok := c.cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the child ended %v; want killed by SIGKILL", c.cmd.ProcessState)
	}
	c.Kill() // a second kill does nothing
}

func TestKillReportsPanic(t *testing.T) {
	f := &fakeTB{TB: t}
	f.run(func(tb testing.TB) {
		_, rest := Start(tb, config("panic"))
		if rest != "now" {
			t.Errorf("Start returned %q", rest)
		}
	})
	if len(f.failures) != 1 || !strings.Contains(f.failures[0], "panic: something went wrong") {
		t.Fatalf("failures %q; want one naming the panic", f.failures)
	}
}

func TestStartFails(t *testing.T) {
	for _, c := range []struct {
		behaviour string
		within    time.Duration
		want      string
	}{
		{"error", 30 * time.Second, `"error cannot open the store"`},
		{"exit", 30 * time.Second, "exited (exit status 3) before it was ready"},
		{"silent", 200 * time.Millisecond, "did not start within 200ms"},
	} {
		t.Run(c.behaviour, func(t *testing.T) {
			f := &fakeTB{TB: t}
			cfg := config(c.behaviour)
			cfg.ReadyWithin = c.within
			returned := false
			f.run(func(tb testing.TB) {
				Start(tb, cfg)
				returned = true
			})
			if returned || len(f.failures) != 1 || !strings.Contains(f.failures[0], c.want) {
				t.Fatalf("Start returned %v, failures %q; want it stopped by a failure saying %s", returned, f.failures, c.want)
			}
		})
	}
}

// fakeTB records failures instead of failing the test, so that a test can
// check Start and Kill fail when they should.
type fakeTB struct {
	testing.TB // the real test, for the rest
	mu         sync.Mutex
	failures   []string
	cleanups   []func()
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures = append(f.failures, fmt.Sprintf(format, args...))
}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	runtime.Goexit()
}

func (f *fakeTB) Fatal(args ...any) { f.Fatalf("%s", fmt.Sprint(args...)) }

func (f *fakeTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }

// run calls fn in a goroutine of its own (Fatal ends it), then the
// cleanups fn registered, last first.
func (f *fakeTB) run(fn func(testing.TB)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
}
