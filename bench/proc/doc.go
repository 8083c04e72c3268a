// Package proc reads and controls the server processes a benchmark measures,
// on Linux, through /proc and signals: the CPU time and resident memory of
// a process (DESIGN §6's CPU per request and bytes per cached record), and
// stopping a process and starting a command in its place (the outage
// scenario's core restart).
package proc
