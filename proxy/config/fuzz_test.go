package config

import (
	"os"
	"reflect"
	"testing"
)

// FuzzParse checks that no input makes Parse panic, and that a config it
// accepts validates again, unchanged, and parses again to the same value.
// Seeds: testdata/fuzz/FuzzParse and example.yaml.
func FuzzParse(f *testing.F) {
	example, err := os.ReadFile("example.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example)
	f.Add([]byte(minimal))
	getenv := env(map[string]string{"SECRET": "from-env"})
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, getenv)
		if err != nil {
			if c != nil {
				t.Fatalf("Parse returned a config and an error: %v", err)
			}
			return
		}
		before := *c
		if err := c.Validate(); err != nil {
			t.Fatalf("accepted config does not validate again: %v", err)
		}
		if !reflect.DeepEqual(before, *c) {
			t.Fatalf("Validate changed the config")
		}
		again, err := Parse(data, getenv)
		if err != nil || !reflect.DeepEqual(c, again) {
			t.Fatalf("second Parse differs: %v", err)
		}
	})
}
