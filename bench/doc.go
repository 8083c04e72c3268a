// Package bench is the load harness behind bin/ocibench (DESIGN §4, §6, §7):
// scenarios that drive the edge's storefront APIs and the core's OCI APIs
// over HTTP, with baselines measured in the same run, text and JSON
// reports, and the BENCHMARKS.md table of one `make bench` run.
//
// The pieces live in sub-packages, one job each:
//
//	load      the open/closed load driver, knee finder and HDR recorder
//	workload  seeded draws: Zipf skus, lookup and basket sizes, list mix, ids
//	wire      route paths and bodies of every API the harness speaks
//	baseline  the bare fasthttp server (in process or as its own process),
//	          the fsync rate, the NDJSON decode rate, a bare ristretto cache
//	proc      CPU time and RSS of a server process from /proc; stopping a
//	          process and starting a command in its place
//
// This package holds Config, the Runner (New → Run → Close), one file per
// scenario, the report and the table. It talks to servers only over HTTP
// (and, for the figures DESIGN §6 defines on a process, /proc and signals)
// and imports no other ociedge package.
//
// Process control. The harness does not start the servers it measures: a
// script (scripts/bench.sh) or an operator does, and names them —
// --edge-pid for the edge's CPU per request and RSS per record, and for the
// outage scenario --core-pid or --core-pid-file (the process to kill) with
// --core-cmd (the command that starts it again, on the same address and
// data directory). The outage kills the core with SIGKILL — a crash, the
// outage a durable store must survive — starts the command again detached
// (it outlives ocibench) and writes the new process id to --core-pid-file,
// so that whoever cleans up by that file stops the new core too. Only the
// bare HTTP baseline server is the harness's own child ("ocibench
// baseline-server", Config.Baselines.Exec), so that it runs in a process of
// its own like the edge.
package bench
