package proc

import (
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"
)

func TestParseStat(t *testing.T) {
	// comm with a space and a parenthesis; utime 250, stime 50 ticks.
	line := "4242 (my (odd) srv) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 8 0 100 1000000 500 18446744073709551615"
	cpu, state, err := parseStat([]byte(line))
	if err != nil || cpu != 3*time.Second || state != 'S' {
		t.Fatalf("cpu %v state %c err %v", cpu, state, err)
	}
	for _, bad := range []string{"", "1 (x", "1 (x) S 1 2"} {
		if _, _, err := parseStat([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestParseRSS(t *testing.T) {
	rss, err := parseRSS([]byte("Name:\tx\nVmPeak:\t  900 kB\nVmRSS:\t    1234 kB\nThreads: 4\n"))
	if err != nil || rss != 1234*1024 {
		t.Fatalf("%d %v", rss, err)
	}
	if _, err := parseRSS([]byte("Name:\tx\n")); err == nil {
		t.Fatal("no VmRSS accepted")
	}
}

func TestReadSelf(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc")
	}
	s, err := Read(os.Getpid())
	if err != nil || s.RSS <= 0 || s.CPU < 0 {
		t.Fatalf("%+v %v", s, err)
	}
	if !Alive(os.Getpid()) {
		t.Fatal("this process is not alive")
	}
}

// A detached process is started, found alive, written to a pid file, and
// stopped.
func TestStartAndStop(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc")
	}
	dir := t.TempDir()
	log := filepath.Join(dir, "out.log")
	pid, err := StartDetached([]string{"/bin/sh", "-c", "echo started; exec sleep 30"}, log)
	if err != nil {
		t.Fatal(err)
	}
	if !Alive(pid) {
		t.Fatal("not alive after start")
	}
	file := filepath.Join(dir, "pid")
	if err := WritePIDFile(file, pid); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadPIDFile(file); err != nil || got != pid {
		t.Fatalf("pid file %d %v", got, err)
	}
	if err := Stop(t.Context(), pid, syscall.SIGKILL, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if Alive(pid) {
		t.Fatal("alive after Stop")
	}
	if err := Stop(t.Context(), 1, syscall.SIGKILL, time.Second); err == nil {
		t.Fatal("signalled pid 1")
	}
}
