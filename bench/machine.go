package bench

import (
	"bufio"
	"os"
	"runtime"
	"strings"
	"time"
)

// Machine is where a benchmark ran.
type Machine struct {
	Cores   int       `json:"cores"`
	CPU     string    `json:"cpu"`
	MemMiB  int64     `json:"memMiB"`
	Kernel  string    `json:"kernel"`
	Go      string    `json:"go"`
	Date    time.Time `json:"date"`
	Started time.Time `json:"started,omitzero"`
}

// ThisMachine describes the machine: cores, the CPU model from
// /proc/cpuinfo, memory from /proc/meminfo, the kernel release.
func ThisMachine(now time.Time) Machine {
	m := Machine{Cores: runtime.NumCPU(), CPU: "unknown", Go: runtime.Version(), Date: now.UTC()}
	if v := procField("/proc/cpuinfo", "model name"); v != "" {
		m.CPU = v
	}
	if v := procField("/proc/meminfo", "MemTotal"); v != "" {
		var kb int64
		for _, c := range strings.Fields(v)[0] {
			kb = kb*10 + int64(c-'0')
		}
		m.MemMiB = kb >> 10
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

// procField returns the value of the first "key : value" line in path.
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
