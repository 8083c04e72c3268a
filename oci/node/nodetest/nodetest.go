// Package nodetest starts a real OCI core on loopback for the tests of
// other packages, with the development client they all sign in as.
package nodetest

import (
	"testing"

	"ociedge/oci/client"
	"ociedge/oci/node"
)

// The core's tenant and development client.
const (
	Tenant       = "tenant1"
	ClientID     = "dev"
	ClientSecret = "secret"
)

// Start opens a core on a free loopback port and a fresh directory; it is
// closed when tb ends.
func Start(tb testing.TB) *node.Node {
	tb.Helper()
	n, err := node.Open(node.Config{Addr: "127.0.0.1:0", DataDir: tb.TempDir(), DevClient: ClientID + ":" + ClientSecret})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { n.Close() })
	return n
}

// Client is a client of the core at baseURL as the development client,
// with cfg's other settings; it is closed when tb ends.
func Client(tb testing.TB, baseURL string, cfg client.Config) *client.Client {
	tb.Helper()
	cfg.BaseURL, cfg.Tenant, cfg.ClientID, cfg.ClientSecret = baseURL, Tenant, ClientID, ClientSecret
	cl, err := client.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(cl.Close)
	return cl
}
