// Package archtest keeps the dependency directions of DESIGN §1 true:
// cmd -> proxy -> {cache, modes, oci client}; cache -> oci types; modes ->
// stdlib only; oci never imports proxy, cache, modes or bench; bench talks to
// servers only over HTTP.
package archtest

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

type pkg struct {
	ImportPath string
	Deps       []string
	Imports    []string
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json=ImportPath,Deps,Imports", "ociedge/...")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(out)
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 5 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	return pkgs
}

// under reports whether path is root or inside it.
func under(path, root string) bool {
	return path == root || strings.HasPrefix(path, root+"/")
}

func isStdlib(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".") && first != "ociedge"
}

// transport packages of the core may speak HTTP; the rest of oci may not.
var ociTransport = []string{"ociedge/oci/httpapi", "ociedge/oci/client", "ociedge/oci/node", "ociedge/oci/adminui"}

type rule struct {
	name      string
	applies   func(path string) bool
	forbidden func(dep string) bool
	// direct limits the rule to the package's own imports. net/http comes
	// in transitively through zap and pebble; what matters is that the
	// domain's own code does not speak HTTP.
	direct bool
}

var rules = []rule{
	{
		name:      "modes imports only the standard library",
		applies:   func(p string) bool { return under(p, "ociedge/modes") },
		forbidden: func(d string) bool { return !isStdlib(d) },
	},
	{
		name:    "oci never imports proxy, cache, modes or bench",
		applies: func(p string) bool { return under(p, "ociedge/oci") },
		forbidden: func(d string) bool {
			return under(d, "ociedge/proxy") || under(d, "ociedge/cache") ||
				under(d, "ociedge/modes") || under(d, "ociedge/bench")
		},
	},
	{
		name: "the oci domain knows nothing of HTTP",
		applies: func(p string) bool {
			if !under(p, "ociedge/oci") {
				return false
			}
			for _, t := range ociTransport {
				if under(p, t) {
					return false
				}
			}
			return true
		},
		forbidden: func(d string) bool { return under(d, "github.com/valyala/fasthttp") },
	},
	{
		name: "the oci domain does not import net/http",
		applies: func(p string) bool {
			return under(p, "ociedge/oci") && !under(p, "ociedge/oci/httpapi") && !under(p, "ociedge/oci/client")
		},
		forbidden: func(d string) bool { return d == "net/http" },
		direct:    true,
	},
	{
		name:    "cache depends on oci types only, never on proxy, modes, bench or HTTP",
		applies: func(p string) bool { return under(p, "ociedge/cache") },
		forbidden: func(d string) bool {
			return under(d, "ociedge/proxy") || under(d, "ociedge/bench") || under(d, "ociedge/modes") ||
				under(d, "github.com/valyala/fasthttp")
		},
	},
	{
		name:    "bench talks to servers only over HTTP",
		applies: func(p string) bool { return under(p, "ociedge/bench") },
		forbidden: func(d string) bool {
			return under(d, "ociedge/oci") || under(d, "ociedge/cache") || under(d, "ociedge/modes") ||
				under(d, "ociedge/proxy")
		},
	},
	{
		name:      "proxy never imports bench",
		applies:   func(p string) bool { return under(p, "ociedge/proxy") },
		forbidden: func(d string) bool { return under(d, "ociedge/bench") },
	},
	{
		name:      "internal packages are leaves",
		applies:   func(p string) bool { return under(p, "ociedge/internal") && p != "ociedge/internal/archtest" },
		forbidden: func(d string) bool { return strings.HasPrefix(d, "ociedge/") && !under(d, "ociedge/internal") },
	},
}

func TestDependencyDirections(t *testing.T) {
	for _, p := range listPackages(t) {
		for _, r := range rules {
			if !r.applies(p.ImportPath) {
				continue
			}
			deps := p.Deps
			if r.direct {
				deps = p.Imports
			}
			for _, d := range deps {
				if r.forbidden(d) {
					t.Errorf("%s: %s depends on %s", r.name, p.ImportPath, d)
				}
			}
		}
	}
}

// TestRulesCatchViolations makes sure the rules above can fail.
func TestRulesCatchViolations(t *testing.T) {
	cases := []struct{ pkg, dep string }{
		{"ociedge/modes", "go.uber.org/zap"},
		{"ociedge/oci", "github.com/valyala/fasthttp"},
		{"ociedge/oci/store", "net/http"},
		{"ociedge/oci/httpapi", "ociedge/proxy"},
		{"ociedge/cache", "ociedge/proxy"},
		{"ociedge/bench", "ociedge/oci"},
		{"ociedge/proxy/orders", "ociedge/bench"},
	}
	for _, c := range cases {
		caught := false
		for _, r := range rules {
			if r.applies(c.pkg) && r.forbidden(c.dep) {
				caught = true
			}
		}
		if !caught {
			t.Errorf("no rule forbids %s -> %s", c.pkg, c.dep)
		}
	}
	if !rules[2].applies("ociedge/oci") || rules[2].applies("ociedge/oci/httpapi") || rules[3].applies("ociedge/oci/client") {
		t.Error("transport exemption is wrong")
	}
}

func isOCITransport(p string) bool {
	for _, t := range ociTransport {
		if under(p, t) {
			return true
		}
	}
	return false
}
