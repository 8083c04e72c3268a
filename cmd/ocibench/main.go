// Command ocibench is the load harness: it drives the edge's storefront APIs
// or the core's OCI APIs with an open-model (or closed) load, measures the
// machine's baselines in the same run, and prints a text summary and
// optionally a JSON report (DESIGN §4, §7).
//
//	ocibench SCENARIO --target URL [--rate N] [--duration D] [--json FILE] [flags]
//
// main is wiring only: flags → bench.Config → bench.New → Run → Close.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"

	"ociedge/bench"
	"ociedge/bench/baseline"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // the run failed or a check failed (a flash sale oversold)
	exitUsage = 2
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == baseline.ChildCommand {
		// The bare HTTP baseline as a process of its own (bench.BaselineConfig.Exec).
		if err := baseline.ServeChild(os.Args[2:], os.Stdin, os.Stdout); err != nil {
			fmt.Fprintf(os.Stderr, "ocibench: %v\n", err)
			os.Exit(exitFail)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole command, for tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == tableCommand {
		return runTable(args[1:], stdout, stderr)
	}
	opts, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "ocibench: %v\n(ocibench --help lists scenarios and flags)\n", err)
		return exitUsage
	}
	r, err := bench.New(opts.cfg)
	if err != nil {
		fmt.Fprintf(stderr, "ocibench: %v\n", err)
		return exitUsage
	}
	if opts.cpuProfile != "" {
		stopProfile, err := startCPUProfile(opts.cpuProfile)
		if err != nil {
			r.Close()
			fmt.Fprintf(stderr, "ocibench: %v\n", err)
			return exitFail
		}
		defer stopProfile()
	}
	rep, runErr := r.Run(ctx)
	closeErr := r.Close()
	return report(rep, opts.jsonPath, errors.Join(runErr, closeErr), stdout, stderr)
}

// report prints the summary, writes the JSON report and picks the exit code.
func report(rep *bench.Report, jsonPath string, runErr error, stdout, stderr io.Writer) int {
	code := exitOK
	if rep != nil {
		_ = rep.WriteText(stdout)
		if jsonPath != "" {
			if err := writeJSON(rep, jsonPath); err != nil {
				fmt.Fprintf(stderr, "ocibench: %v\n", err)
				code = exitFail
			}
		}
		if rep.Failed() {
			fmt.Fprintln(stderr, "ocibench: a check failed")
			code = exitFail
		}
	}
	if runErr != nil {
		fmt.Fprintf(stderr, "ocibench: %v\n", runErr)
		code = exitFail
	}
	return code
}

func writeJSON(rep *bench.Report, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := rep.WriteJSON(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// startCPUProfile profiles this process into path until the returned
// function is called.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// splitList splits a comma list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
