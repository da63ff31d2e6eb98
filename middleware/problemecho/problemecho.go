// Package problemecho makes every error of an Echo v4
// (github.com/labstack/echo/v4) application come out as an RFC 9457
// problem, written by the same resolver and writer as problemkit's net/http
// middleware, so both stacks send the same bytes for the same error.
//
// Install it as Echo's error handler:
//
//	e := echo.New()
//	e.HTTPErrorHandler = problemecho.ErrorHandler(nil) // or &middleware.Options{...}
//	e.Validator = problemvalidator.New(nil)            // optional: 422 problems for c.Validate
//	e.Use(echomw.Recover())                            // Echo's own: panics reach the handler
//
// Handlers keep returning errors: problems, *echo.HTTPError values (Echo's
// sentinels included, wrapped or not), or any other error, which becomes a
// 500 that reveals nothing. Echo's router and middleware errors come out
// right too: 404 and 405 (with Allow), BodyLimit's 413 "Content Too Large",
// RateLimiter's 429, KeyAuth's and BasicAuth's 400 and 401 (with a
// WWW-Authenticate challenge), CSRF's 400 and 403, ContextTimeout's 503,
// Decompress's broken gzip bodies (400, not 500), binding errors (400,
// naming the parameter or the body field).
//
// Handlers mounted with echo.WrapHandler bypass Echo's error handler: an
// http.Error they write goes out as text. Wrap such a handler with the
// net/http middleware's Wrap (same options) to rewrite it too.
package problemecho

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

	"github.com/labstack/echo/v4"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/errs"
	"github.com/problemkit/problemkit/internal/restate"
	"github.com/problemkit/problemkit/internal/wire"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
)

// reportedKey marks, in an echo.Context, an error reported as lost.
const reportedKey = "problemkit.reported"

// ErrorHandler returns an echo.HTTPErrorHandler that writes each error as a
// problem, configured by opts as middleware.New describes (nil means the
// defaults). Echo's Debug mode turns ExposeErrors on for that request: the
// cause of a problem of any status (an HTTPError's Internal) is sent, as
// middleware.Options.ExposeErrors describes, in the same bytes as on
// net/http. The default correlation id includes the X-Request-Id that
// Echo's RequestID middleware puts on the response.
//
// To the resolution order of problem.Resolve, after the mappers of opts, it
// adds Echo's errors:
//
//   - *echo.BindingError (Echo's ValueBinder and its generic helpers): 400
//     with an "errors" item naming the parameter.
//   - *echo.HTTPError, found anywhere in the chain: its code. An HTTPError
//     whose Internal is another HTTPError stands for that one, as in Echo's
//     own handler. A string Message becomes the detail of a 4xx when it says
//     more than the status and carries no error text of Internal's tree,
//     padded, wrapped or in another case ("bind: "+err.Error() carries
//     err's text); an error Message is internal and only logged; any other
//     Message (a map,
//     a struct) becomes the "message" member of a 4xx. 5xx messages are
//     logged and not sent. Internal is the cause: logged, and sent only
//     with ExposeErrors or Echo's Debug, for a 4xx as for a 5xx: as the
//     detail when the problem has none, else as its "cause" member.
//   - Body decoding errors from Echo's binder: 400 without Go type names or
//     offsets; a JSON value of the wrong type is named by its field path.
//     A bad binding target (not a pointer) is a 500. echo.ErrNonExistentKey
//     (a missing parameter) is a 400; echo.ContextGet returns it too, for a
//     key missing from the context, so wrap that case in an error of your
//     own that says so (fmt.Errorf with %v, not %w).
//   - Before all of these, for a request whose Content-Encoding is gzip:
//     the errors of reading a broken gzip body, as Echo's Decompress (or a
//     handler reading the body) returns them, unwrapped: 400. Elsewhere
//     they are the server's and 500s.
//
// A Content-Encoding on a response not yet sent was set for content that is
// not being sent, and is removed; a compressing middleware such as Echo's
// Gzip sets its own as it compresses the problem. (A compressor that sets
// Content-Encoding before the handler runs, and compresses whatever it is
// given, would lose its header when this handler runs inside it, from
// Recover or RequestLogger; Echo's own and the common net/http ones set it
// as they start to compress.)
//
// A response that is already committed is not written again: the error is
// logged as lost. When Echo calls the handler twice for one error (its
// RequestLogger with HandleError does), the second call does nothing.
func ErrorHandler(opts *middleware.Options) echo.HTTPErrorHandler {
	var o middleware.Options
	if opts != nil {
		o = *opts
	}
	cat := o.Catalog
	if cat == nil {
		cat = catalog.Default()
	}
	o.Mappers = append(append([]problem.Mapper(nil), o.Mappers...), mappers(cat)...)
	m := middleware.New(&o)

	return func(err error, c echo.Context) {
		if err == nil {
			return
		}
		res, req := c.Response(), c.Request()
		switch {
		case !res.Committed:
			if isGzipError(err) && req.Header.Get("Content-Encoding") == "gzip" {
				err = gzipBodyProblem(err)
			}
			if h := res.Header(); len(h) > 0 {
				delete(h, "Content-Encoding") // for content not being sent
			}
		case !wire.Responded(res.Header()):
			// Committed with a response of the handler's: the error is
			// lost, and Echo may pass it a second time (RequestLogger with
			// HandleError does). Report it once. (A second error after a
			// problem WriteError wrote is taken for the same one by
			// WriteError itself, without a context map on every error.)
			if reported, ok := c.Get(reportedKey).(error); ok && sameError(reported, err) {
				return
			}
			c.Set(reportedKey, err)
		}
		if c.Echo().Debug {
			m.WriteError(debugResponse{response{res}}, req, err)
			return
		}
		m.WriteError(response{res}, req, err)
	}
}

// response is Echo's response as WriteError takes it from an adapter: a
// writer that tells whether it was written (Echo's Committed) and with what
// status, by the methods middleware.WriteError documents. It holds the
// pointer alone, so it converts to an interface without allocating.
type response struct{ *echo.Response }

// Written reports whether the response has gone out.
func (r response) Written() bool { return r.Response.Committed }

// Status returns the status the response went out with.
func (r response) Status() int { return r.Response.Status }

// debugResponse is response in Echo's Debug mode, which asks WriteError to
// expose internal error text for it. It too is pointer-shaped.
type debugResponse struct{ response }

// ExposeErrors reports true: Echo's Debug mode exposes errors.
func (debugResponse) ExposeErrors() bool { return true }

// sameError reports whether a and b are the same error: the same value,
// or, for values that == cannot compare (a struct holding a slice, or an
// interface that holds one), of the same type and deeply equal. It calls
// no method of either, so an error whose Error method panics is compared
// as safely as any other.
func sameError(a, b error) (same bool) {
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

// mappers are the mappers for Echo's errors, in the order they are tried.
func mappers(cat *catalog.Catalog) []problem.Mapper {
	return []problem.Mapper{
		problem.MapAs(bindingProblem),
		problem.MapAs(newSentinels(cat, echoSentinels).problem),
		missingParameter,
	}
}

// sentinels holds the problems of Echo's exported HTTPError values
// (echo.ErrNotFound and its like), made once: they are what Echo's router
// returns for every 404 and 405 and what much of its middleware returns, so
// the most frequent errors need no problem of their own. Any other
// HTTPError is turned into a problem each time.
type sentinels struct {
	cat   *catalog.Catalog
	known [512 - 400]sentinel // by code - 400; Echo has one sentinel per code
}

type sentinel struct {
	he *echo.HTTPError
	// msg is the message the problem was made from: Echo's sentinels are
	// shared, exported variables, and a program could change one. (A
	// changed code moves it to another slot, where it is not found.)
	msg string
	p   *problem.Problem
}

// echoSentinels are Echo's exported HTTPError values.
var echoSentinels = []*echo.HTTPError{
	echo.ErrBadRequest, echo.ErrUnauthorized, echo.ErrPaymentRequired, echo.ErrForbidden,
	echo.ErrNotFound, echo.ErrMethodNotAllowed, echo.ErrNotAcceptable, echo.ErrProxyAuthRequired,
	echo.ErrRequestTimeout, echo.ErrConflict, echo.ErrGone, echo.ErrLengthRequired,
	echo.ErrPreconditionFailed, echo.ErrStatusRequestEntityTooLarge, echo.ErrRequestURITooLong,
	echo.ErrUnsupportedMediaType, echo.ErrRequestedRangeNotSatisfiable, echo.ErrExpectationFailed,
	echo.ErrTeapot, echo.ErrMisdirectedRequest, echo.ErrUnprocessableEntity, echo.ErrLocked,
	echo.ErrFailedDependency, echo.ErrTooEarly, echo.ErrUpgradeRequired, echo.ErrPreconditionRequired,
	echo.ErrTooManyRequests, echo.ErrRequestHeaderFieldsTooLarge, echo.ErrUnavailableForLegalReasons,
	echo.ErrInternalServerError, echo.ErrNotImplemented, echo.ErrBadGateway,
	echo.ErrServiceUnavailable, echo.ErrGatewayTimeout, echo.ErrHTTPVersionNotSupported,
	echo.ErrVariantAlsoNegotiates, echo.ErrInsufficientStorage, echo.ErrLoopDetected,
	echo.ErrNotExtended, echo.ErrNetworkAuthenticationRequired,
}

func newSentinels(cat *catalog.Catalog, hes []*echo.HTTPError) *sentinels {
	s := &sentinels{cat: cat}
	for _, he := range hes {
		msg, ok := he.Message.(string)
		i := he.Code - 400
		if !ok || he.Internal != nil || i < 0 || i >= len(s.known) || s.known[i].he != nil {
			continue
		}
		s.known[i] = sentinel{he: he, msg: msg, p: httpErrorProblem(he, cat)}
	}
	return s
}

// problem turns he into a problem: the one made for it when he is one of
// Echo's sentinels as Echo made it, else a new one.
func (s *sentinels) problem(he *echo.HTTPError) *problem.Problem {
	if i := he.Code - 400; i >= 0 && i < len(s.known) {
		if k := &s.known[i]; k.he == he && he.Internal == nil {
			if msg, ok := he.Message.(string); ok && msg == k.msg {
				return k.p
			}
		}
	}
	return httpErrorProblem(he, s.cat)
}

// missingParameter maps echo.ErrNonExistentKey, which Echo's generic
// parameter helpers (echo.QueryParam[T] and its like) return, unwrapped and
// without the key's name, when a parameter is absent.
func missingParameter(err error) *problem.Problem {
	if err == echo.ErrNonExistentKey {
		return badInput(err, "A required parameter is missing.")
	}
	return nil
}

// bindingProblem names the parameter a *echo.BindingError is about.
func bindingProblem(be *echo.BindingError) *problem.Problem {
	status := http.StatusBadRequest
	if be.HTTPError != nil && be.Code >= 400 && be.Code <= 499 {
		status = be.Code
	}
	var cause error
	if be.HTTPError != nil {
		cause = be.Internal
	}
	p := problem.Wrap(be, status) // a cause of its own: Resolve need not copy it to set one
	p.Detail = fmt.Sprintf("The value of parameter %q is not valid.", be.Field)
	p.Extensions = map[string]any{"errors": problem.InputErrors{{Detail: valueMessage(cause), Parameter: be.Field}}}
	return p
}

// valueMessage says what a value that failed to parse must be.
func valueMessage(err error) string {
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

// httpErrorProblem turns an *echo.HTTPError into a problem.
func httpErrorProblem(he *echo.HTTPError, cat *catalog.Catalog) *problem.Problem {
	for {
		inner, ok := he.Internal.(*echo.HTTPError)
		if !ok || inner == nil {
			break
		}
		he = inner
	}
	if he.Code == http.StatusBadRequest && he.Internal != nil {
		if p, done := bodyProblem(he.Internal); done {
			return p
		}
	}
	p := problem.Wrap(he, he.Code) // a cause of its own: Resolve need not copy it to set one
	if he.Code < 400 || he.Code > 499 {
		return p
	}
	switch msg := he.Message.(type) {
	case nil, error:
		// An error as the message is internal text: logged, not sent.
	case string:
		if !carriesInternal(msg, he.Internal) && restate.IsDetail(msg, he.Code, cat.Title(he.Code)) {
			p.Detail = msg
		}
	default:
		p.Extensions = map[string]any{"message": msg}
	}
	return p
}

// carriesInternal reports whether msg, an HTTPError's message, carries the
// text of an error in the tree of its Internal error, as
// echo.NewHTTPError(400, err.Error()).SetInternal(err) does, or one made
// with "bind: "+err.Error(): whether msg contains, ignoring case, the text
// of one of them with its surrounding white space trimmed. A blank text
// carries nothing.
func carriesInternal(msg string, internal error) bool {
	if internal == nil {
		return false
	}
	msg = strings.ToLower(msg)
	return errs.Walk(internal, func(e error) bool {
		text := strings.TrimSpace(e.Error())
		return text != "" && strings.Contains(msg, strings.ToLower(text))
	})
}

// bodyProblem turns the errors of decoding a request body (Echo's binder
// wraps them in a 400 HTTPError with the error as its message) into
// problems that name no Go types and no offsets. done is false for errors
// it leaves to the rest of the resolution.
func bodyProblem(err error) (p *problem.Problem, done bool) {
	if ute, ok := errs.As[*json.UnmarshalTypeError](err); ok {
		// encoding/json names the field by its path of object keys, without
		// array indices or map keys, so the path cannot be a JSON Pointer:
		// the detail names it as encoding/json does.
		detail := "The request body has a value of the wrong type: it must be " + jsonKind(ute.Type) + ", not " + article(ute.Value) + "."
		if ute.Field != "" {
			detail = fmt.Sprintf("The request body has a value of the wrong type at %q: it must be %s, not %s.", ute.Field, jsonKind(ute.Type), article(ute.Value))
		}
		return badInput(err, detail), true
	}
	if _, ok := errs.As[*json.SyntaxError](err); ok {
		return badInput(err, "The request body is not valid JSON."), true
	}
	if _, ok := errs.As[*xml.SyntaxError](err); ok {
		return badInput(err, "The request body is not valid XML."), true
	}
	if errs.Is(err, io.ErrUnexpectedEOF) {
		return badInput(err, "The request body ended early."), true
	}
	if _, corrupt := errs.As[flate.CorruptInputError](err); corrupt || errs.Is(err, gzip.ErrHeader) || errs.Is(err, gzip.ErrChecksum) {
		return gzipBodyProblem(err), true
	}
	if _, ok := errs.As[*strconv.NumError](err); ok {
		return badInput(err, "A value in the request "+valueMessage(err)+"."), true
	}
	if _, ok := errs.As[*json.InvalidUnmarshalError](err); ok {
		return problem.Wrap(err, http.StatusInternalServerError), true // a bad binding target
	}
	if _, ok := errs.As[*xml.UnsupportedTypeError](err); ok {
		return problem.Wrap(err, http.StatusInternalServerError), true
	}
	return nil, false
}

// badInput is a 400 for request input that err says is broken.
func badInput(err error, detail string) *problem.Problem {
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

func gzipBodyProblem(err error) *problem.Problem {
	return badInput(err, "The request body is not valid gzip.")
}

// isGzipError reports whether err is one that reading a broken gzip
// stream returns, as Echo's Decompress and a handler reading the body it
// set up return them: unwrapped. (A gzip body too short for its header
// gives io.ErrUnexpectedEOF, which says nothing of gzip by itself.)
func isGzipError(err error) bool {
	switch err.(type) {
	case flate.CorruptInputError:
		return true
	}
	return err == gzip.ErrHeader || err == gzip.ErrChecksum || err == io.ErrUnexpectedEOF
}
