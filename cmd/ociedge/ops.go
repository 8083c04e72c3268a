package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// runCheck is `ociedge check-cache` and `ociedge reconcile`: they ask a
// running edge's admin API and print its report. The exit status is 0 when
// the report is clean, 1 when it found something, 2 on usage errors and 3
// when the edge could not answer.
func runCheck(cmd string, args []string) int {
	fs := flag.NewFlagSet("ociedge "+cmd, flag.ContinueOnError)
	edge := fs.String("edge", "http://127.0.0.1:8080", "the edge's base URL")
	token := fs.String("token", os.Getenv("OCIEDGE_ADMIN_TOKEN"), "admin token (default $OCIEDGE_ADMIN_TOKEN)")
	settle := fs.Duration("settle", 2*time.Second, "check-cache: how long a difference may take to settle")
	repair := fs.Bool("repair", false, "reconcile: fix what is out of step")
	fs.Usage = usage(fs, "ociedge check-cache|reconcile --edge URL --token TOKEN [--settle 2s] [--repair]")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *token == "" {
		fs.Usage()
		return 2
	}
	method, path, field := "GET", "/admin/api/oci/check-cache?settle="+settle.String(), "converged"
	if cmd == "reconcile" {
		method, path, field = "GET", "/admin/api/oci/reconcile", "clean"
		if *repair {
			method, path = "POST", path+"?repair=true"
		}
	}
	body, err := askEdge(method, strings.TrimRight(*edge, "/")+path, *token)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	os.Stdout.Write(append(body, '\n'))
	var rep map[string]any
	if json.Unmarshal(body, &rep) != nil || rep[field] != true {
		return 1
	}
	return 0
}

func askEdge(method, url, token string) ([]byte, error) {
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	c := &http.Client{Timeout: 3 * time.Minute}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s %s: %s: %s", method, url, resp.Status, body)
	}
	return body, nil
}
