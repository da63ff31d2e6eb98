// Package echokit holds what the Echo adapters (problemecho for Echo v4,
// problemecho5 for Echo v5) share and what depends on no Echo type: the
// problems of request bodies that fail to decode, of broken gzip bodies and
// of values that fail to parse, and the rules for an HTTP error's message.
package echokit

import (
	"compress/flate"
	"compress/gzip"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/errs"
	"github.com/problemkit/problemkit/internal/restate"
	"github.com/problemkit/problemkit/internal/wire"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
)

// New returns the Middleware of an Echo adapter's error handler: opts
// (nil means the defaults) with the adapter's mappers, made for the
// catalog in use, after the options' own.
func New(opts *middleware.Options, mappers func(*catalog.Catalog) []problem.Mapper) *middleware.Middleware {
	var o middleware.Options
	if opts != nil {
		o = *opts
	}
	cat := o.Catalog
	if cat == nil {
		cat = catalog.Default()
	}
	o.Mappers = append(append([]problem.Mapper(nil), o.Mappers...), mappers(cat)...)
	return middleware.New(&o)
}

// Store is what an Echo context keeps for a request (Get and Set of both
// Echo versions' contexts).
type Store interface {
	Get(key string) any
	Set(key string, val any)
}

// reportedKey marks, in an Echo context, an error reported as lost.
const reportedKey = "problemkit.reported"

// encodingKey keeps, in an Echo context, the Content-Encoding the response
// had as Echo began the request (see KeepEncoding).
const encodingKey = "problemkit.encoding"

// keptEncoding is a Content-Encoding kept under encodingKey.
type keptEncoding []string

// KeepEncoding returns the work of an Echo adapter's KeepEncoding
// middleware, which runs as Echo begins a request: it keeps in c the
// Content-Encoding of h, the response's header, when it has one. That one
// was set by a compressor outside Echo, which also encodes what Echo
// writes; Prepare restores it.
func KeepEncoding() func(c Store, h http.Header) {
	return func(c Store, h http.Header) {
		if ce, ok := h["Content-Encoding"]; ok {
			c.Set(encodingKey, keptEncoding(ce))
		}
	}
}

// Prepare returns err as an Echo error handler passes it to WriteError for
// the response to req, whose header is h and which committed says has gone
// out, and reports whether to pass it at all:
//
//   - Not committed: for a request whose Content-Encoding is gzip, the
//     error of reading a broken gzip body (see IsGzipError) becomes its
//     400, and the response's Content-Encoding is the one c keeps (see
//     KeepEncoding), or none: whatever was set since Echo began the
//     request (by the handler, or by a middleware) was for content that is
//     not being sent.
//   - Committed with a response of the handler's: the error is lost, and
//     Echo may pass it a second time (RequestLogger with HandleError
//     does). c keeps it, and the same error passed again is not passed on,
//     so that it is reported once. (A second error after a problem
//     WriteError wrote is taken for the same one by WriteError itself,
//     without a context map on every error.)
func Prepare(c Store, req *http.Request, h http.Header, committed bool, err error) (error, bool) {
	switch {
	case !committed:
		if IsGzipError(err) && req.Header.Get("Content-Encoding") == "gzip" {
			err = GzipBodyProblem(err)
		}
		restoreEncoding(c, h)
	case !wire.Responded(h):
		if reported, ok := c.Get(reportedKey).(error); ok && SameError(reported, err) {
			return err, false
		}
		c.Set(reportedKey, err)
	}
	return err, true
}

// restoreEncoding gives h, the header of a response not yet sent, the
// Content-Encoding c keeps in place of the one it has, or none. A response
// without one, the most frequent case, is left so without a look at c: a
// Content-Encoding set before Echo began is still there unless code inside
// removed it, and that code then owns what goes out.
func restoreEncoding(c Store, h http.Header) {
	if _, ok := h["Content-Encoding"]; !ok {
		return
	}
	if ce, ok := c.Get(encodingKey).(keptEncoding); ok {
		h["Content-Encoding"] = ce
		return
	}
	delete(h, "Content-Encoding")
}

// SameError reports whether a and b are the same error: the same value,
// or, for values that == cannot compare (a struct holding a slice, or an
// interface that holds one), of the same type and deeply equal. It calls
// no method of either, so an error whose Error method panics is compared
// as safely as any other.
func SameError(a, b error) (same bool) {
	t := reflect.TypeOf(a)
	if t != reflect.TypeOf(b) {
		return false
	}
	if t.Comparable() {
		defer func() {
			if recover() != nil { // a comparable type holding values that are not
				same = reflect.DeepEqual(a, b)
			}
		}()
		return a == b
	}
	return reflect.DeepEqual(a, b)
}

// BodyProblem turns the errors of decoding a request body (Echo's binder
// wraps them in a 400 HTTPError with the error as its message) into
// problems that name no Go types and no offsets. done is false for errors
// it leaves to the rest of the resolution.
func BodyProblem(err error) (p *problem.Problem, done bool) {
	if ute, ok := errs.As[*json.UnmarshalTypeError](err); ok {
		// encoding/json names the field by its path of object keys, without
		// array indices or map keys, so the path cannot be a JSON Pointer:
		// the detail names it as encoding/json does.
		detail := "The request body has a value of the wrong type: it must be " + jsonKind(ute.Type) + ", not " + article(ute.Value) + "."
		if ute.Field != "" {
			detail = fmt.Sprintf("The request body has a value of the wrong type at %q: it must be %s, not %s.", ute.Field, jsonKind(ute.Type), article(ute.Value))
		}
		return BadInput(err, detail), true
	}
	if _, ok := errs.As[*json.SyntaxError](err); ok {
		return BadInput(err, "The request body is not valid JSON."), true
	}
	if _, ok := errs.As[*xml.SyntaxError](err); ok {
		return BadInput(err, "The request body is not valid XML."), true
	}
	if errs.Is(err, io.ErrUnexpectedEOF) {
		return BadInput(err, "The request body ended early."), true
	}
	if _, corrupt := errs.As[flate.CorruptInputError](err); corrupt || errs.Is(err, gzip.ErrHeader) || errs.Is(err, gzip.ErrChecksum) {
		return GzipBodyProblem(err), true
	}
	if _, ok := errs.As[*strconv.NumError](err); ok {
		return BadInput(err, "A value in the request "+ValueMessage(err)+"."), true
	}
	if _, ok := errs.As[*json.InvalidUnmarshalError](err); ok {
		return problem.Wrap(err, http.StatusInternalServerError), true // a bad binding target
	}
	if _, ok := errs.As[*xml.UnsupportedTypeError](err); ok {
		return problem.Wrap(err, http.StatusInternalServerError), true
	}
	return nil, false
}

// BadInput is a 400 for request input that err says is broken.
func BadInput(err error, detail string) *problem.Problem {
	p := problem.Wrap(err, http.StatusBadRequest)
	p.Detail = detail
	return p
}

// jsonKind names the JSON type a Go type decodes from.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "another type"
}

// article puts "a" or "an" before the JSON kind encoding/json reports
// ("string", "number", "number -1", ...), without the value.
func article(kind string) string {
	kind, _, _ = strings.Cut(kind, " ")
	switch kind {
	case "array", "object":
		return "an " + kind
	case "bool":
		return "a boolean"
	case "":
		return "this"
	}
	return "a " + kind
}

// ValueMessage says what a value that failed to parse must be.
func ValueMessage(err error) string {
	if ne, ok := errs.As[*strconv.NumError](err); ok {
		switch ne.Func {
		case "ParseBool":
			return "must be true or false"
		case "ParseInt", "ParseUint":
			return "must be an integer"
		}
		return "must be a number"
	}
	if _, ok := errs.As[*time.ParseError](err); ok {
		return "must be a time"
	}
	return "is not valid"
}

// GzipBodyProblem is the 400 for a request body that is not valid gzip.
func GzipBodyProblem(err error) *problem.Problem {
	return BadInput(err, "The request body is not valid gzip.")
}

// IsGzipError reports whether err is one that reading a broken gzip
// stream returns, as Echo's Decompress and a handler reading the body it
// set up return them: unwrapped. (A gzip body too short for its header
// gives io.ErrUnexpectedEOF, which says nothing of gzip by itself.)
func IsGzipError(err error) bool {
	switch err.(type) {
	case flate.CorruptInputError:
		return true
	}
	return err == gzip.ErrHeader || err == gzip.ErrChecksum || err == io.ErrUnexpectedEOF
}

// CarriesInternal reports whether msg, an HTTPError's message, carries the
// text of an error in the tree of its Internal error, as
// echo.NewHTTPError(400, err.Error()).SetInternal(err) does, or one made
// with "bind: "+err.Error(): whether msg contains, ignoring case, the text
// of one of them with its surrounding white space trimmed. A blank text
// carries nothing.
func CarriesInternal(msg string, internal error) bool {
	if internal == nil {
		return false
	}
	msg = strings.ToLower(msg)
	return errs.Walk(internal, func(e error) bool {
		text := strings.TrimSpace(e.Error())
		return text != "" && strings.Contains(msg, strings.ToLower(text))
	})
}

// HTTPErrorProblem is the problem of an Echo HTTP error, err, with the
// status code, the message msg and the cause internal (v4's Internal, what
// v5's Unwrap returns): for a 400 whose cause is a body decoding error,
// that error's problem (see BodyProblem); else a problem of status code
// with err as its cause. A string msg of a 4xx becomes its detail when it
// says more than the status and carries no text of internal's tree (see
// CarriesInternal); an error msg is internal text, logged and not sent;
// any other non-nil msg of a 4xx (a map, a struct) becomes its "message"
// member. 5xx messages are not sent.
func HTTPErrorProblem(err error, code int, msg any, internal error, cat *catalog.Catalog) *problem.Problem {
	if code == http.StatusBadRequest && internal != nil {
		if p, done := BodyProblem(internal); done {
			return p
		}
	}
	p := problem.Wrap(err, code) // a cause of its own: Resolve need not copy it to set one
	if code < 400 || code > 499 {
		return p
	}
	switch msg := msg.(type) {
	case nil, error:
		// An error as the message is internal text: logged, not sent.
	case string:
		if !CarriesInternal(msg, internal) && restate.IsDetail(msg, code, cat.Title(code)) {
			p.Detail = msg
		}
	default:
		p.Extensions = map[string]any{"message": msg}
	}
	return p
}

// ParameterProblem is the problem of err, a request parameter named field
// whose value failed to parse with cause: status (a 4xx) with an "errors"
// item that names the parameter and says what its value must be.
func ParameterProblem(err error, status int, field string, cause error) *problem.Problem {
	p := problem.Wrap(err, status) // a cause of its own: Resolve need not copy it to set one
	p.Detail = fmt.Sprintf("The value of parameter %q is not valid.", field)
	p.Extensions = map[string]any{"errors": problem.InputErrors{{Detail: ValueMessage(cause), Parameter: field}}}
	return p
}

// MissingParameter returns the mapper of key, Echo's ErrNonExistentKey,
// which Echo's generic parameter helpers (echo.QueryParam[T] and its like)
// return, unwrapped and without the key's name, when a parameter is
// absent: a 400.
func MissingParameter(key error) problem.Mapper {
	return func(err error) *problem.Problem {
		if err == key {
			return BadInput(err, "A required parameter is missing.")
		}
		return nil
	}
}
