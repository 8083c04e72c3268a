package node_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"ociedge/internal/proctest"
	"ociedge/oci/client"
	"ociedge/oci/node"
)

// The crash tests run a real core process: this test binary again, as the
// child that TestReliabilityChild turns into a core serving on a loopback
// port. They SIGKILL it and start it again on the same data directory.

const (
	tenant   = "tenant1"
	childEnv = "OCIEDGE_RELIABILITY_CHILD_DIR"
)

// TestReliabilityChild is not a test of its own: run with childEnv set, it
// is the core process the crash tests start and kill. It prints
// "serving URL" once the core serves, then serves until it is killed (or
// the -test.timeout its parent gave it ends it).
func TestReliabilityChild(t *testing.T) {
	dir := os.Getenv(childEnv)
	if dir == "" {
		t.Skip("the core process of the crash tests; they run it")
	}
	n, err := node.Open(node.Config{Addr: "127.0.0.1:0", DataDir: dir, DevClient: "dev:secret"})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	fmt.Println("serving", n.URL())
	err = <-n.Done()
	fmt.Println("error", err)
	os.Exit(1)
}

// coreProc is a running core process.
type coreProc struct {
	*proctest.Child
	url string
}

// startCore starts a core process on dir and waits until it serves. The
// process is killed and waited for when the test ends, if not before.
func startCore(t *testing.T, dir string) *coreProc {
	t.Helper()
	c, url := proctest.Start(t, proctest.Config{Test: "TestReliabilityChild", Env: []string{childEnv + "=" + dir},
		Ready: "serving ", ReadyWithin: 60 * time.Second, Timeout: 3 * time.Minute})
	return &coreProc{Child: c, url: url}
}

// client returns a client of the process. With retries false every call
// is made once, so that a failure means "fate unknown", never "retried".
func (p *coreProc) client(t *testing.T, retries bool) *client.Client {
	t.Helper()
	cfg := client.Config{BaseURL: p.url, Tenant: tenant, ClientID: "dev", ClientSecret: "secret",
		Timeout: 30 * time.Second, MaxConns: 64, MaxConnWait: 10 * time.Second}
	if !retries {
		cfg.Retries = -1
	}
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// getJSON GETs path with a token of every scope and decodes the answer.
func getJSON(t *testing.T, base, path string, v any) int {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token(t, base))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	return resp.StatusCode
}

// token fetches a bearer token of the development client with every scope.
func token(t *testing.T, base string) string {
	t.Helper()
	scope := "SALESFORCE_COMMERCE_API:" + tenant + " " + strings.Join(client.DefaultScopes, " ")
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {scope}}
	req, _ := http.NewRequest("POST", base+"/dwsso/oauth2/access_token", strings.NewReader(form.Encode()))
	req.SetBasicAuth("dev", "secret")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token: %d %v", resp.StatusCode, err)
	}
	return tok.AccessToken
}

// mustInvariants checks the core's invariants over HTTP: no violation and
// nothing reserved beyond supply (oversell).
func mustInvariants(t *testing.T, base string) {
	t.Helper()
	var inv struct {
		OK            bool  `json:"ok"`
		Violations    []any `json:"violations"`
		Overcommitted []any `json:"overcommitted"`
	}
	if st := getJSON(t, base, "/inventory/admin/v1/organizations/"+tenant+"/invariants", &inv); st != 200 {
		t.Fatalf("invariants: status %d", st)
	}
	if !inv.OK || len(inv.Overcommitted) > 0 {
		t.Fatalf("invariants broken: violations %v, overcommitted %v", inv.Violations, inv.Overcommitted)
	}
}

// awaitCond polls cond until it holds or the timeout passes. The core is
// another process: polling is the only way to see it change.
func awaitCond(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(timeout); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func bg() context.Context { return context.Background() }
