package proxy_test

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

const dashboardFile = "../deploy/grafana/ociedge-cache-fill.json"

// dashboard is the part of a Grafana dashboard JSON the tests read.
type dashboard struct {
	Inputs []struct {
		Name, Type, PluginID string
	} `json:"__inputs"`
	Title  string
	UID    string
	Panels []struct {
		Type, Title string
		Datasource  *struct{ Type, UID string }
		Targets     []struct {
			Expr       string
			Datasource *struct{ Type, UID string }
		}
	}
}

func readDashboard(t testing.TB) dashboard {
	t.Helper()
	b, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s is not JSON: %v", dashboardFile, err)
	}
	return d
}

// dashboardExprs returns every query of the dashboard.
func dashboardExprs(t testing.TB) []string {
	var out []string
	for _, p := range readDashboard(t).Panels {
		for _, tg := range p.Targets {
			out = append(out, tg.Expr)
		}
	}
	return out
}

// metricName finds the metric names in a PromQL expression: ours all start
// with ociedge_ or ocicore_.
var metricName = regexp.MustCompile(`\b(ociedge|ocicore)_[a-zA-Z0-9_]+`)

// TestOpsDashboardIsImportable: a standard dashboard JSON with a
// datasource input that every panel and query uses.
func TestOpsDashboardIsImportable(t *testing.T) {
	d := readDashboard(t)
	if len(d.Inputs) != 1 || d.Inputs[0].Name != "DS_PROMETHEUS" || d.Inputs[0].Type != "datasource" || d.Inputs[0].PluginID != "prometheus" {
		t.Errorf("__inputs: %+v", d.Inputs)
	}
	if d.UID == "" || d.Title == "" {
		t.Errorf("uid %q title %q", d.UID, d.Title)
	}
	queries := 0
	for _, p := range d.Panels {
		if p.Type == "row" {
			continue
		}
		if p.Datasource == nil || p.Datasource.UID != "${DS_PROMETHEUS}" {
			t.Errorf("panel %q does not use the datasource input", p.Title)
		}
		for _, tg := range p.Targets {
			queries++
			if tg.Datasource == nil || tg.Datasource.UID != "${DS_PROMETHEUS}" || !metricName.MatchString(tg.Expr) {
				t.Errorf("panel %q query %q", p.Title, tg.Expr)
			}
		}
	}
	wantTitles := []string{"Items cached", "Last cache update age", "Stream lag", "hit ratio", "fallbacks", "Reservation outcomes", "Auto-failed"}
	all := ""
	for _, p := range d.Panels {
		all += p.Title + "\n"
	}
	for _, w := range wantTitles {
		if !strings.Contains(strings.ToLower(all), strings.ToLower(w)) {
			t.Errorf("no panel about %q", w)
		}
	}
	if queries < 10 {
		t.Errorf("only %d queries", queries)
	}
}

// dashboardMetricsExist checks every metric a dashboard query names
// against what the edge and the core expose (a histogram's _bucket, _sum
// and _count belong to its family).
func dashboardMetricsExist(t *testing.T, edge, core families) {
	for _, expr := range dashboardExprs(t) {
		for _, name := range metricName.FindAllString(expr, -1) {
			if !exposed(name, edge, core) {
				t.Errorf("the dashboard queries %s, which neither process exposes (in %s)", name, expr)
			}
		}
	}
}

func exposed(name string, fams ...families) bool {
	for _, f := range fams {
		if _, ok := f[name]; ok {
			return true
		}
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			if base, ok := strings.CutSuffix(name, suffix); ok && f[base] != nil {
				return true
			}
		}
	}
	return false
}
