// Package demo runs `ociedge demo`: an OCI core in-process, a demo location
// graph and ~10,000 skus loaded through the real import path, and an edge
// configured for them and walked to Omnichannel Inventory mode.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.uber.org/zap"

	"ociedge/modes"
	"ociedge/oci/client"
	"ociedge/oci/node"
	"ociedge/proxy"
	"ociedge/proxy/config"
)

// Config configures the demo. The zero value works (temporary data).
type Config struct {
	// Addr is the edge's address. Default 127.0.0.1:8080.
	Addr string
	// CoreAddr is the core's address. Default 127.0.0.1:8081.
	CoreAddr string
	// DataDir keeps the data; empty means a temporary directory removed on Close.
	DataDir string
	// SKUs to load. Default 10,000.
	SKUs int
	// Logger defaults to a no-op logger.
	Logger *zap.Logger
}

// Demo is a running demo.
type Demo struct {
	Core   *node.Node
	Edge   *proxy.Edge
	client *client.Client
	tmp    string
	cfg    Config
}

// The demo's identities.
const (
	Org        = "f_ecom_zzzz_001"
	AdminToken = "demo-admin-token"
	Site       = "RefArch"
)

// Start brings the whole demo up and walks the edge to OCI mode.
func Start(ctx context.Context, cfg Config) (*Demo, error) {
	setDefaults(&cfg)
	d := &Demo{cfg: cfg}
	if cfg.DataDir == "" {
		tmp, err := os.MkdirTemp("", "ociedge-demo-")
		if err != nil {
			return nil, err
		}
		d.tmp, d.cfg.DataDir = tmp, tmp
	}
	if err := d.start(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func setDefaults(cfg *Config) {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:8080"
	}
	if cfg.CoreAddr == "" {
		cfg.CoreAddr = "127.0.0.1:8081"
	}
	if cfg.SKUs == 0 {
		cfg.SKUs = 10_000
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
}

func (d *Demo) start(ctx context.Context) error {
	log := d.cfg.Logger
	var err error
	d.Core, err = node.Open(node.Config{Addr: d.cfg.CoreAddr, DataDir: filepath.Join(d.cfg.DataDir, "core"),
		DevClient: "dev:dev-secret", Logger: log.Named("ocicore")})
	if err != nil {
		return fmt.Errorf("core: %w", err)
	}
	d.client, err = client.New(client.Config{BaseURL: d.Core.URL(), Tenant: "tenant1", ClientID: "dev", ClientSecret: "dev-secret",
		Logger: log.Named("client")})
	if err != nil {
		return err
	}
	if err := d.load(ctx); err != nil {
		return err
	}
	app, err := config.Parse([]byte(d.configYAML()), nil)
	if err != nil {
		return fmt.Errorf("demo config: %w", err)
	}
	d.Edge, err = proxy.New(proxy.Config{App: app, DataDir: filepath.Join(d.cfg.DataDir, "edge"), Addr: d.cfg.Addr,
		Logger: log.Named("ociedge")})
	if err != nil {
		return fmt.Errorf("edge: %w", err)
	}
	return d.activate(ctx)
}

// load puts the graph and the skus into the core through its APIs, once.
func (d *Demo) load(ctx context.Context) error {
	g, _, err := d.client.Graph(ctx)
	if err != nil {
		return err
	}
	if len(g.Locations) > 0 {
		return nil // loaded by an earlier run on the same data directory
	}
	if err := d.client.PutGraph(ctx, demoGraph); err != nil {
		return err
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeImport(pw, d.cfg.SKUs, time.Now())) }()
	st, err := d.client.Import(ctx, pr, client.ImportOptions{FileName: "demo-availability.ndjson"})
	if err != nil {
		return fmt.Errorf("demo import: %w", err)
	}
	if st.Status != "COMPLETED" {
		return fmt.Errorf("demo import ended %s: %v", st.Status, st.ValidationErrors)
	}
	d.cfg.Logger.Info("demo inventory imported into the core", zap.Int64("records", st.RecordsProcessed))
	return nil
}

func (d *Demo) configYAML() string {
	return strings.NewReplacer("CORE", d.Core.URL(), "ADMIN", AdminToken).Replace(`
organizationId: f_ecom_zzzz_001
core: {url: CORE, tenantGroupId: tenant1, clientId: dev, clientSecret: dev-secret}
admin: {token: ADMIN}
sites:
  - {id: RefArch, inventoryList: online-us, failNonPlacedOrdersAfter: 30m}
stores:
  - {id: phoenix, inventoryList: store-phoenix}
  - {id: austin, inventoryList: store-austin}
  - {id: seattle, inventoryList: store-seattle}
inventoryLists:
  - {id: online-us}
  - {id: store-phoenix}
  - {id: store-austin}
  - {id: store-seattle}
`)
}

// activate walks the edge CPI → OCI Cache Enabled → (cache ready) → OCI.
func (d *Demo) activate(ctx context.Context) error {
	if d.Edge.Mode() == modes.OmnichannelInventory {
		return nil
	}
	if _, err := d.Edge.SetMode(modes.OCICacheEnabled, false); err != nil {
		return err
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		// Ask only once every list is imported: asking earlier is refused
		// (and logged as a refusal), which is not what a demo should show.
		var err error
		if allImported(d.Edge.Status()) {
			if _, err = d.Edge.SetMode(modes.OmnichannelInventory, false); err == nil {
				return nil
			}
		} else {
			err = errors.New("the cache streams have not imported every list yet")
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("the cache did not fill in time: %w", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func allImported(st proxy.Status) bool {
	for _, l := range st.Lists {
		if !l.Imported {
			return false
		}
	}
	return len(st.Lists) > 0
}

// Banner is the ready-to-curl text `ociedge demo` prints.
func (d *Demo) Banner() string {
	e, c := d.Edge.URL(), d.Core.URL()
	avail := e + "/product/shopper-availability/v1/organizations/" + Org + "/availability?siteId=" + Site
	return fmt.Sprintf(`ociedge demo is running (mode %s, %d skus).

  Shopper Availability (site list):
    curl -s '%s&productIds=%s,%s' | jq
  ... at two stores (BOPIS lists):
    curl -s '%s&productIds=%s&inventoryIds=store-phoenix,store-austin' | jq
  OCI Integration admin page:    %s/admin/oci   (token: %s)
  Status JSON:   curl -s -H 'Authorization: Bearer %s' %s/admin/api/oci/status | jq
  Metrics:       curl -s %s/metrics | grep ociedge_
  The OCI core:  %s   (client dev:dev-secret; token: curl -s -u dev:dev-secret -d 'grant_type=client_credentials&scope=SALESFORCE_COMMERCE_API:tenant1 sfcc.inventory.availability' %s/dwsso/oauth2/access_token)
  Core page:     %s/admin

Press Ctrl-C to stop.
`, d.Edge.Mode(), d.cfg.SKUs, avail, SKU(1), SKU(2), avail, SKU(3), e, AdminToken, AdminToken, e, e, c, c, c)
}

// Close stops the edge and the core and removes temporary data.
func (d *Demo) Close() error {
	var errs []error
	if d.Edge != nil {
		errs = append(errs, d.Edge.Close())
	}
	if d.client != nil {
		d.client.Close()
	}
	if d.Core != nil {
		errs = append(errs, d.Core.Close())
	}
	if d.tmp != "" {
		errs = append(errs, os.RemoveAll(d.tmp))
	}
	return errors.Join(errs...)
}
