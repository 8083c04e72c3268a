package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/oci"
)

// readBody reads a JSON request body of at most the configured size.
func (s *Server) readBody(ctx *fasthttp.RequestCtx) ([]byte, error) {
	limit := s.cfg.MaxBodyBytes
	if n := ctx.Request.Header.ContentLength(); n > limit {
		drain(ctx)
		return nil, tooLarge(limit)
	}
	if ct := string(ctx.Request.Header.ContentType()); ct != "" && !strings.Contains(ct, "json") {
		return nil, &oci.Error{Code: codeUnsupportedMedia, Message: "the request body must be application/json, not " + ct}
	}
	var r io.Reader = bytes.NewReader(nil)
	if st := ctx.RequestBodyStream(); st != nil {
		r = st
	} else if b := ctx.PostBody(); b != nil {
		r = bytes.NewReader(b)
	}
	body, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, badRequest("cannot read the request body: %v", err)
	}
	if len(body) > limit {
		drain(ctx)
		return nil, tooLarge(limit)
	}
	return body, nil
}

// maxDrain bounds how much of an oversize body is read and dropped so that
// the client, still writing, gets to see the 413 instead of a reset.
const maxDrain = 64 << 20

func drain(ctx *fasthttp.RequestCtx) {
	if st := ctx.RequestBodyStream(); st != nil {
		io.CopyN(io.Discard, st, maxDrain)
	}
	ctx.SetConnectionClose()
}

func tooLarge(limit int) error {
	return &oci.Error{Code: codeTooLarge, Message: sprintf("the request body is larger than %d bytes", limit)}
}

// decode reads the body into v, turning JSON errors into 400 problems that
// name the field.
func (s *Server) decode(ctx *fasthttp.RequestCtx, v any) error {
	body, err := s.readBody(ctx)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return &oci.Error{Code: oci.InvalidRequest, Message: "The format of the message is incorrect: the body is empty"}
	}
	return decodeJSON(body, v)
}

func decodeJSON(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return &oci.Error{Code: oci.InvalidRequest, Message: "The format of the message is incorrect: data after the JSON value"}
	}
	return nil
}

func jsonError(err error) error {
	var oe *oci.Error
	if errors.As(err, &oe) {
		return oe
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &oci.Error{Code: oci.InvalidRequestParameter, Parameter: te.Field,
			Message: sprintf("'%s' must be %s, not %s", te.Field, kindName(te.Type.String()), te.Value)}
	}
	var pe *time.ParseError
	if errors.As(err, &pe) {
		return &oci.Error{Code: oci.InvalidRequestParameter, Message: sprintf("%q is not an RFC 3339 date-time", pe.Value)}
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &oci.Error{Code: oci.InvalidRequest, Message: sprintf("The format of the message is incorrect: %v at offset %d", se, se.Offset)}
	}
	return &oci.Error{Code: oci.InvalidRequest, Message: "The format of the message is incorrect: " + err.Error()}
}

func kindName(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "an array"
	case t == "string":
		return "a string"
	case t == "bool":
		return "a boolean"
	case strings.Contains(t, "int") || strings.Contains(t, "Qty"):
		return "a number"
	}
	return "an object"
}

// opt is an optional JSON field that tells absent, null and a value apart:
// Set says the field was present, Null that it was null.
type opt[T any] struct {
	Set  bool
	Null bool
	V    T
}

func (o *opt[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Null = true
		return nil
	}
	return json.Unmarshal(b, &o.V)
}

// field converts o to a domain field: absent → unset; null → set to zero
// when nullClears (imports, batch-update: "an empty value deletes it"),
// unset otherwise (PATCH: "null … doesn't update that field").
func field[T any](o opt[T], nullClears bool) oci.Field[T] {
	if !o.Set || (o.Null && !nullClears) {
		return oci.Field[T]{}
	}
	return oci.Field[T]{Set: true, V: o.V}
}
