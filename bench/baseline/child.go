package baseline

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// ChildCommand is the hidden ocibench command that runs ServeChild.
const ChildCommand = "baseline-server"

// ServeChild is the body of "ocibench baseline-server SIZE": it serves a
// SIZE-byte FixedBody on a fresh loopback port, writes the server's URL as
// one line to out, and serves until in ends (the parent closed the pipe, or
// died), then stops.
func ServeChild(args []string, in io.Reader, out io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: ocibench %s BODY-SIZE", ChildCommand)
	}
	size, err := strconv.Atoi(args[0])
	if err != nil || size < 16 || size > 1<<20 {
		return fmt.Errorf("%s: body size %q must be 16..1048576", ChildCommand, args[0])
	}
	s, err := StartServer(FixedBody(size))
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(out, s.URL()); err != nil {
		s.Close()
		return err
	}
	_, _ = io.Copy(io.Discard, in)
	return s.Close()
}

// Child is a baseline server running as a process of its own (see
// ServeChild). Close stops it.
type Child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	url   string
}

// StartChild runs "exe baseline-server size" and waits for its URL.
func StartChild(exe string, size int) (*Child, error) {
	cmd := exec.Command(exe, ChildCommand, strconv.Itoa(size))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("baseline server process: %w", err)
	}
	c := &Child{cmd: cmd, stdin: stdin}
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		got <- strings.TrimSpace(line)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case c.url = <-got:
	case <-time.After(10 * time.Second):
	}
	if !strings.HasPrefix(c.url, "http://") {
		c.Close()
		return nil, errors.New("baseline server process did not say its URL")
	}
	return c, nil
}

// URL returns the server's base URL.
func (c *Child) URL() string { return c.url }

// PID returns the server's process id.
func (c *Child) PID() int { return c.cmd.Process.Pid }

// Close ends the server (closing its stdin) and waits for it, killing it
// after 5s.
func (c *Child) Close() error {
	_ = c.stdin.Close()
	done := make(chan error, 1)
	go func() { done <- c.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		_ = c.cmd.Process.Kill()
		return <-done
	}
}
