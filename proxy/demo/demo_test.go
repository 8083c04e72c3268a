package demo

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"ociedge/modes"
)

// TestDemo: `ociedge demo` (what `make run` starts) comes up in
// Omnichannel Inventory mode without logging a warning on the way (a
// refused mode change would be one), and the banner's first curl answers
// from the cache.
func TestDemo(t *testing.T) {
	core, logs := observer.New(zapcore.WarnLevel)
	d, err := Start(context.Background(), Config{Addr: "127.0.0.1:0", CoreAddr: "127.0.0.1:0",
		DataDir: t.TempDir(), SKUs: 500, Logger: zap.New(core)})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if m := d.Edge.Mode(); m != modes.OmnichannelInventory {
		t.Fatalf("mode %s", m)
	}
	for _, e := range logs.All() {
		t.Errorf("logged %s: %s %v", e.Level, e.Message, e.ContextMap())
	}
	banner := d.Banner()
	start := strings.Index(banner, "curl -s '") + len("curl -s '")
	url := banner[start : start+strings.Index(banner[start:], "'")]
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("x-ociedge-cache") == "" || !strings.Contains(string(body), `"ats"`) {
		t.Fatalf("%s: %d %q cache %q", url, resp.StatusCode, body, resp.Header.Get("x-ociedge-cache"))
	}
}
