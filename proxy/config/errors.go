package config

import (
	"errors"
	"fmt"
)

// FieldError is a problem with one field of the configuration. Field is its
// path as the file spells it, such as "sites[1].inventoryList".
type FieldError struct {
	Field   string
	Message string
}

// Error returns "field: message".
func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// problems collects every FieldError of a validation, so that an operator
// fixes the file in one go.
type problems []error

// addf records a problem with field.
func (p *problems) addf(field, format string, args ...any) {
	*p = append(*p, &FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// err joins the problems, or returns nil if there are none.
func (p problems) err() error { return errors.Join(p...) }
