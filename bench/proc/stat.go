package proc

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"
)

// ClockTick is the unit of the CPU times in /proc/PID/stat: USER_HZ, which
// is 100 on every Linux architecture Go supports. A CPU figure is therefore
// good to 10ms; measure over seconds.
const ClockTick = 10 * time.Millisecond

// Sample is one reading of a process.
type Sample struct {
	// CPU is user + system time since the process started.
	CPU time.Duration
	// RSS is the resident set size (VmRSS), in bytes.
	RSS int64
}

// Read samples pid from /proc/PID/stat (utime + stime) and
// /proc/PID/status (VmRSS).
func Read(pid int) (Sample, error) {
	cpu, _, err := readStat(pid)
	if err != nil {
		return Sample{}, err
	}
	rss, err := readRSS(pid)
	if err != nil {
		return Sample{}, err
	}
	return Sample{CPU: cpu, RSS: rss}, nil
}

// readStat returns the CPU time and the state letter of pid.
func readStat(pid int) (time.Duration, byte, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0, fmt.Errorf("proc: process %d: %w", pid, err)
	}
	return parseStat(b)
}

// parseStat reads /proc/PID/stat: "pid (comm) state ppid …"; utime and
// stime are fields 14 and 15 (1-based). comm may hold spaces and
// parentheses, so the fields are counted from the last ')'.
func parseStat(b []byte) (time.Duration, byte, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, 0, errors.New("proc: malformed stat: no ')'")
	}
	f := bytes.Fields(b[i+1:]) // f[0] is field 3 (state)
	if len(f) < 13 || len(f[0]) != 1 {
		return 0, 0, errors.New("proc: malformed stat: too few fields")
	}
	utime, err1 := strconv.ParseInt(string(f[11]), 10, 64)
	stime, err2 := strconv.ParseInt(string(f[12]), 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, 0, fmt.Errorf("proc: malformed stat: %w", err)
	}
	return time.Duration(utime+stime) * ClockTick, f[0][0], nil
}

// readRSS returns VmRSS of pid in bytes.
func readRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("proc: process %d: %w", pid, err)
	}
	return parseRSS(b)
}

// parseRSS finds "VmRSS:   1234 kB" in /proc/PID/status.
func parseRSS(b []byte) (int64, error) {
	for line := range bytes.Lines(b) {
		rest, ok := bytes.CutPrefix(line, []byte("VmRSS:"))
		if !ok {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) != 2 || string(f[1]) != "kB" {
			return 0, fmt.Errorf("proc: malformed VmRSS line %q", line)
		}
		kb, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("proc: malformed VmRSS line %q", line)
		}
		return kb << 10, nil
	}
	return 0, errors.New("proc: no VmRSS (a zombie, or not Linux)")
}

// Alive reports whether pid is a running process (not gone, not a zombie
// waiting for its parent).
func Alive(pid int) bool {
	_, state, err := readStat(pid)
	return err == nil && state != 'Z' && state != 'X'
}
