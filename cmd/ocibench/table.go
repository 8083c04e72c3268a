package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"ociedge/bench"
)

// tableCommand is "ocibench table": BENCHMARKS.md from the JSON reports of
// one run.
const tableCommand = "table"

// notes collects repeated --note flags.
type notes []string

func (n *notes) String() string     { return strings.Join(*n, "; ") }
func (n *notes) Set(v string) error { *n = append(*n, v); return nil }

// runTable is "ocibench table [--out FILE] [--gobench FILE] [--note TEXT]… LABEL=REPORT.json…".
func runTable(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ocibench table", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "write the table to `FILE` (default: stdout)")
	gobench := fs.String("gobench", "", "`FILE` of `go test -bench` output (allocations on the hit path)")
	command := fs.String("command", "make bench", "the command that reproduces the run")
	var ns notes
	fs.Var(&ns, "note", "a note for the end of the file (repeatable)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: ocibench table [--out FILE] [--gobench FILE] [--note TEXT]... LABEL=REPORT.json...\n"+
			"labels the table reads: browse-1 browse-24 fill freshness core-import core-reserve checkout flashsale crosscheck crosscheck-24 outage\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	in := bench.TableInput{Reports: map[string]*bench.Report{}, Machine: bench.ThisMachine(time.Now()), Command: *command, Notes: ns}
	for _, a := range fs.Args() {
		label, path, ok := strings.Cut(a, "=")
		if !ok || label == "" {
			fmt.Fprintf(stderr, "ocibench table: %q: want LABEL=REPORT.json\n", a)
			return exitUsage
		}
		rep, err := readReport(path)
		if err != nil {
			fmt.Fprintf(stderr, "ocibench table: %s: %v (left out)\n", label, err)
			continue
		}
		in.Reports[label] = rep
	}
	if *gobench != "" {
		f, err := os.Open(*gobench)
		if err == nil {
			in.GoBench, err = bench.ParseGoBench(f)
			f.Close()
		}
		if err != nil {
			fmt.Fprintf(stderr, "ocibench table: %v (Go benchmarks left out)\n", err)
		}
	}
	return writeTable(in, *out, stdout, stderr)
}

func readReport(path string) (*bench.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return bench.ReadReport(f)
}

func writeTable(in bench.TableInput, out string, stdout, stderr io.Writer) int {
	w := stdout
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			fmt.Fprintf(stderr, "ocibench table: %v\n", err)
			return exitFail
		}
		defer f.Close()
		w = f
	}
	if err := bench.WriteTable(w, in); err != nil {
		fmt.Fprintf(stderr, "ocibench table: %v\n", err)
		return exitFail
	}
	return exitOK
}
