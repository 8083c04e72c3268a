//go:build !linux

package load

import "time"

// preciseSleep sleeps for d (time.Sleep precision on this platform).
func preciseSleep(d time.Duration) { time.Sleep(d) }
