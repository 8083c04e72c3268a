// Package bench is the load harness behind bin/ocibench (DESIGN §4, §6, §7):
// scenarios that drive the edge's storefront APIs and the core's OCI APIs
// over HTTP, with baselines measured in the same run and a text and JSON
// report.
//
// The pieces live in sub-packages, one job each:
//
//	load      the open/closed load driver, knee finder and HDR recorder
//	workload  seeded draws: Zipf skus, lookup and basket sizes, list mix, ids
//	wire      route paths and bodies of every API the harness speaks
//	baseline  the bare fasthttp server, the fsync rate, the NDJSON decode rate
//
// This package holds Config, the Runner (New → Run → Close), one file per
// scenario, and the report. It talks to servers only over HTTP and imports
// no other ociedge package.
package bench
