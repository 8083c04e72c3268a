package adminstyle

import (
	"bytes"
	"testing"
)

func TestWith(t *testing.T) {
	if !bytes.Contains(Base, []byte(":root")) {
		t.Fatalf("base style sheet has no :root rule: %q", Base)
	}
	got := With([]byte(".own { color: red; }"))
	if !bytes.HasPrefix(got, Base) || !bytes.HasSuffix(got, []byte("\n.own { color: red; }")) {
		t.Fatalf("With: %q", got)
	}
	if &got[0] == &Base[0] {
		t.Fatal("With must not write into Base")
	}
}
