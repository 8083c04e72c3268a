package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// WrkResult is what a wrk run printed, and the CPU its process used.
type WrkResult struct {
	Requests     int64         `json:"requests"`
	Elapsed      time.Duration `json:"elapsedNs"`
	Rate         float64       `json:"ratePerSec"`
	P99          time.Duration `json:"p99Ns"`
	Non2xx       int64         `json:"non2xx"`
	SocketErrors int64         `json:"socketErrors"`
	CPU          time.Duration `json:"cpuNs"`
}

// runWrk runs wrk with threads threads and conns connections against url
// for d, with its latency distribution.
func runWrk(ctx context.Context, wrk string, threads, conns int, d time.Duration, url string) (WrkResult, error) {
	secs := max(1, int(d.Round(time.Second)/time.Second))
	cmd := exec.CommandContext(ctx, wrk, "-t"+strconv.Itoa(threads), "-c"+strconv.Itoa(conns),
		"-d"+strconv.Itoa(secs)+"s", "--timeout", "5s", "--latency", url)
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return WrkResult{}, fmt.Errorf("wrk: %w: %s", err, strings.TrimSpace(string(ee.Stderr)))
		}
		return WrkResult{}, fmt.Errorf("wrk (install it: apt-get install wrk; or name it with --wrk): %w", err)
	}
	res, err := parseWrk(string(out))
	if err != nil {
		return res, err
	}
	if ps := cmd.ProcessState; ps != nil {
		res.CPU = ps.UserTime() + ps.SystemTime()
	}
	return res, nil
}

var (
	wrkTotal  = regexp.MustCompile(`(\d+) requests in ([0-9.]+)(us|ms|s|m),`)
	wrkRate   = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkP99    = regexp.MustCompile(`^\s*99%\s+([0-9.]+)(us|ms|s|m)\s*$`)
	wrkNon2xx = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	wrkSocket = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
)

// parseWrk reads wrk's text output (wrk 4.x).
func parseWrk(out string) (WrkResult, error) {
	var r WrkResult
	m := wrkTotal.FindStringSubmatch(out)
	rate := wrkRate.FindStringSubmatch(out)
	if m == nil || rate == nil {
		return r, fmt.Errorf("wrk: cannot read its output:\n%s", out)
	}
	r.Requests, _ = strconv.ParseInt(m[1], 10, 64)
	r.Elapsed = wrkDuration(m[2], m[3])
	r.Rate, _ = strconv.ParseFloat(rate[1], 64)
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if p := wrkP99.FindStringSubmatch(sc.Text()); p != nil {
			r.P99 = wrkDuration(p[1], p[2])
		}
	}
	if n := wrkNon2xx.FindStringSubmatch(out); n != nil {
		r.Non2xx, _ = strconv.ParseInt(n[1], 10, 64)
	}
	if s := wrkSocket.FindStringSubmatch(out); s != nil {
		for _, v := range s[1:] {
			n, _ := strconv.ParseInt(v, 10, 64)
			r.SocketErrors += n
		}
	}
	return r, nil
}

func wrkDuration(v, unit string) time.Duration {
	f, _ := strconv.ParseFloat(v, 64)
	scale := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second, "m": time.Minute}[unit]
	return time.Duration(math.Round(f * float64(scale)))
}
