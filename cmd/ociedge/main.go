// Command ociedge runs the storefront-side inventory proxy.
//
//	ociedge --addr 127.0.0.1:8080 --data DIR --config FILE
//	ociedge demo [--addr 127.0.0.1:8080] [--core-addr 127.0.0.1:8081] [--data DIR] [--skus N]
//	ociedge check-cache --edge URL --token TOKEN [--settle 2s]
//	ociedge reconcile   --edge URL --token TOKEN [--repair]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"go.uber.org/zap"

	"ociedge/internal/logs"
	"ociedge/proxy"
	"ociedge/proxy/config"
	"ociedge/proxy/demo"
)

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "demo":
			os.Exit(runDemo(os.Args[2:]))
		case "check-cache", "reconcile":
			os.Exit(runCheck(os.Args[1], os.Args[2:]))
		}
	}
	os.Exit(runServe(os.Args[1:]))
}

func usage(fs *flag.FlagSet, line string) func() {
	return func() {
		fmt.Fprintln(os.Stderr, "usage: "+line)
		fs.PrintDefaults()
	}
}

func runServe(args []string) int {
	fs := flag.NewFlagSet("ociedge", flag.ContinueOnError)
	var cfg proxy.Config
	var configFile, logFormat string
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "listen address")
	fs.StringVar(&cfg.DataDir, "data", "", "data directory (required)")
	fs.StringVar(&configFile, "config", "", "configuration file, YAML or JSON (required)")
	fs.StringVar(&logFormat, "log", "json", "log format: json or console")
	fs.Usage = usage(fs, "ociedge --addr 127.0.0.1:8080 --data DIR --config FILE\n       ociedge demo [--addr 127.0.0.1:8080]")
	if err := fs.Parse(args); err != nil || cfg.DataDir == "" || configFile == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	log, err := logs.New(logFormat)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if cfg.App, err = config.Load(configFile, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	cfg.Logger = log
	e, err := proxy.New(cfg)
	if err != nil {
		log.Error("ociedge failed to start", zap.Error(err))
		return 1
	}
	return wait(log, e.Done(), e.Close)
}

func runDemo(args []string) int {
	fs := flag.NewFlagSet("ociedge demo", flag.ContinueOnError)
	var cfg demo.Config
	var logFormat string
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "the edge's listen address")
	fs.StringVar(&cfg.CoreAddr, "core-addr", "127.0.0.1:8081", "the in-process core's listen address")
	fs.StringVar(&cfg.DataDir, "data", "", "keep the demo's data here (default: a temporary directory)")
	fs.IntVar(&cfg.SKUs, "skus", 10_000, "skus to load")
	fs.StringVar(&logFormat, "log", "console", "log format: json or console")
	fs.Usage = usage(fs, "ociedge demo [--addr 127.0.0.1:8080]")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	log, err := logs.New(logFormat)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	cfg.Logger = log
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	d, err := demo.Start(ctx, cfg)
	if err != nil {
		log.Error("demo failed to start", zap.Error(err))
		return 1
	}
	fmt.Print(d.Banner())
	return wait(log, d.Edge.Done(), d.Close)
}

// wait blocks until a signal or the server's end, then closes.
func wait(log *zap.Logger, done <-chan error, closeFn func() error) int {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	select {
	case s := <-sig:
		log.Info("shutting down", zap.String("signal", s.String()))
	case err := <-done:
		if err != nil {
			log.Error("server stopped", zap.Error(err))
			closeFn()
			return 1
		}
	}
	if err := closeFn(); err != nil {
		log.Error("shutdown", zap.Error(err))
		return 1
	}
	return 0
}
