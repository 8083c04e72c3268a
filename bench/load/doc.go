// Package load drives HTTP work at a target and measures it the way an
// open-model load tester should (DESIGN §4, reference/peers.md §4):
//
//   - an arrival-rate scheduler (constant or ramping) hands each Op to a
//     bounded worker pool at its intended send time; an Op that no worker
//     takes within Config.DropAfter is dropped, one that starts later than
//     Config.LateAfter is late, and both are counted — the schedule never
//     slows down to suit the server;
//   - latency is measured from the intended send time (no coordinated
//     omission); service time, from the actual send, is recorded beside it;
//   - a closed mode (N workers as fast as they can) and a knee finder that
//     steps the load up until throughput stops growing or p99 explodes;
//   - HDR histograms per (phase, route, outcome), warm-up excluded;
//   - every run is bounded by a duration and optionally a count, and stops.
//
// Ops come from a Source that the driver calls from one goroutine, in order,
// so a seeded Source sends the same requests in every run.
package load
