package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"

	"go.yaml.in/yaml/v3"
)

// Load reads the file at path with Parse. Errors name the file.
func Load(path string, getenv func(string) string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read config: %w", err)
	}
	c, err := Parse(data, getenv)
	if err != nil {
		return nil, fmt.Errorf("config %s:\n%w", path, err)
	}
	return c, nil
}

// Parse reads a configuration from YAML (or JSON) text: it starts from
// Default, applies the file, reads the secrets the file names by
// environment variable through getenv (nil means an empty environment) and
// validates the result. The error joins every problem found, one per line,
// each naming its field (or, for the file's syntax and types, its line).
func Parse(data []byte, getenv func(string) string) (*Config, error) {
	c := Default()
	errs, fatal := decode(data, c)
	if fatal {
		return nil, errors.Join(errs...)
	}
	errs = append(errs, c.resolveSecrets(getenv)...)
	if err := c.Validate(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// decode applies the single YAML document in data to c, rejecting unknown
// fields. Field-level errors (unknown fields, bad values) come back one per
// entry with fatal false, so that validation can still report the rest of
// the file; a file that is not one mapping of fields is fatal.
func decode(data []byte, c *Config) (errs []error, fatal bool) {
	if err := checkShape(data); err != nil {
		return []error{err}, true
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(c)
	var te *yaml.TypeError
	if err != nil && !errors.As(err, &te) {
		return []error{err}, true
	}
	if te == nil {
		return nil, false
	}
	return typeErrors(te)
}

// checkShape reports a syntax error, an empty file, a second document or a
// document that is not a mapping.
func checkShape(data []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc, extra yaml.Node
	if err := dec.Decode(&doc); err == io.EOF {
		return errors.New("the file holds no configuration")
	} else if err != nil {
		return err
	}
	if err := dec.Decode(&extra); err != io.EOF {
		return errors.New("the file holds more than one YAML document")
	}
	if root := doc.Content[0]; root.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: the file must hold a mapping of fields such as organizationId and core", root.Line)
	}
	return nil
}

var (
	unknownField = regexp.MustCompile(`^(line \d+): field (.*) not found in type \S+$`)
	duplicateKey = regexp.MustCompile(`^line \d+: mapping key .* already defined at line \d+$`)
)

// typeErrors splits yaml's TypeError into one error per problem, saying
// "unknown field" where yaml names a Go type the operator never wrote. A
// duplicate key is fatal: yaml skips the whole mapping that holds it, so
// validating what is left would report fields the file does set.
func typeErrors(te *yaml.TypeError) (errs []error, fatal bool) {
	errs = make([]error, len(te.Errors))
	for i, msg := range te.Errors {
		fatal = fatal || duplicateKey.MatchString(msg)
		msg = unknownField.ReplaceAllString(msg, `$1: unknown field "$2"`)
		errs[i] = errors.New(msg)
	}
	return errs, fatal
}
