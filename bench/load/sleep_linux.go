package load

import (
	"syscall"
	"time"
)

// preciseSleep blocks the calling thread in nanosleep(2) for d: hrtimer
// precision (tens of µs), where Go timers wake up to 1ms late because the
// runtime's poller waits in whole milliseconds. Only the scheduler uses it,
// for the short waits between intended send times.
func preciseSleep(d time.Duration) {
	ts := syscall.NsecToTimespec(int64(d))
	_ = syscall.Nanosleep(&ts, nil) // EINTR just ends the wait early
}
