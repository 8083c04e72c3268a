package config

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestSecretIsRedacted(t *testing.T) {
	c := MustParse(t, minimal, nil)
	var outs []string
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		outs = append(outs, fmt.Sprintf(format, *c))
	}
	y, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	j, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, string(y), string(j))
	for _, out := range outs {
		if strings.Contains(out, "dev-secret") || strings.Contains(out, "change-me") || !strings.Contains(out, redacted) {
			t.Errorf("secret not redacted: %s", out)
		}
	}
	if Secret("").String() != "" {
		t.Error("an empty secret prints as redacted")
	}
}
