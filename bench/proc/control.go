//go:build unix

package proc

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Stop sends sig to pid and waits until the process is gone (or a zombie:
// its resources, listening sockets and file locks included, are released
// then), at most for wait.
func Stop(ctx context.Context, pid int, sig syscall.Signal, wait time.Duration) error {
	if pid <= 1 {
		return fmt.Errorf("proc: refusing to signal process %d", pid)
	}
	if err := syscall.Kill(pid, sig); err != nil {
		return fmt.Errorf("proc: signal %v to process %d: %w", sig, pid, err)
	}
	deadline := time.Now().Add(wait)
	for Alive(pid) {
		if time.Now().After(deadline) {
			return fmt.Errorf("proc: process %d still running %v after %v", pid, wait, sig)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	return nil
}

// StartDetached starts argv (no shell) in a session of its own, with its
// output appended to logPath ("" discards it), and does not wait for it: the
// process outlives the caller, whose caller must stop it. It returns the
// process id.
func StartDetached(argv []string, logPath string) (int, error) {
	if len(argv) == 0 {
		return 0, fmt.Errorf("proc: empty command")
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if logPath != "" {
		f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return 0, fmt.Errorf("proc: %w", err)
		}
		defer f.Close()
		cmd.Stdout, cmd.Stderr = f, f
	}
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("proc: starting %s: %w", argv[0], err)
	}
	pid := cmd.Process.Pid
	go cmd.Wait() //nolint:errcheck // reaps the child if it ends while we run
	return pid, nil
}

// ReadPIDFile reads a process id written as decimal text.
func ReadPIDFile(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("proc: %w", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 1 {
		return 0, fmt.Errorf("proc: %s does not hold a process id", path)
	}
	return pid, nil
}

// WritePIDFile replaces path's content with pid (written to a temporary
// file and renamed, so that a reader never sees half of it).
func WritePIDFile(path string, pid int) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(strconv.Itoa(pid)+"\n"), 0o644); err != nil {
		return fmt.Errorf("proc: %w", err)
	}
	return os.Rename(tmp, path)
}
