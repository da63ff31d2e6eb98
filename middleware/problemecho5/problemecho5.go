// Package problemecho5 makes every error of an Echo v5
// (github.com/labstack/echo/v5) application come out as an RFC 9457
// problem, written by the same resolver and writer as problemkit's net/http
// middleware and its Echo v4 adapter, problemecho, so all three stacks send
// the same bytes for the same error.
//
// Install it as Echo's error handler:
//
//	e := echo.New()
//	e.HTTPErrorHandler = problemecho5.ErrorHandler(nil) // or &middleware.Options{...}
//	e.Validator = problemvalidator.New(nil)             // optional: 422 problems for c.Validate
//	e.Use(echomw.Recover())                             // Echo's own: panics reach the handler
//
// Handlers keep returning errors: problems, Echo's errors (*echo.HTTPError,
// its sentinels such as echo.ErrNotFound, *echo.ProblemError, an
// echo.ProblemErrorer, anything with a StatusCode method), wrapped or not,
// or any other error, which becomes a 500 that reveals nothing. Echo's
// router and middleware errors come out right too: 404 and 405 (with
// Allow), BodyLimit's 413 "Content Too Large", RateLimiter's 429 (with the
// Retry-After its store set), KeyAuth's and BasicAuth's 401 (with a
// WWW-Authenticate challenge), CSRF's 400 and 403, ContextTimeout's 503,
// Decompress's broken gzip bodies (400, not 500), binding errors (400,
// naming the parameter).
//
// Echo v5 has no Debug mode: its own handlers take an exposeError flag,
// which is Options.ExposeErrors here.
package problemecho5

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v5"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/echokit"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
)

// ErrorHandler returns an echo.HTTPErrorHandler that writes each error as a
// problem, configured by opts as middleware.New describes (nil means the
// defaults). The default correlation id includes the X-Request-Id that
// Echo's RequestID middleware puts on the response.
//
// To the resolution order of problem.Resolve, after the mappers of opts, it
// adds Echo's errors:
//
//   - *echo.BindingError (Echo's ValueBinder and its generic helpers): 400
//     with an "errors" item naming the parameter.
//   - *echo.ProblemError, found anywhere in the chain, and an error with
//     Echo's ProblemError method (echo.ProblemErrorer): a problem with its
//     type, status, detail and instance. Its title is sent when its type is
//     one of its own; on about:blank the status's title is (see
//     problem.Responder). A status of 0 is a 500.
//   - Echo's sentinels (echo.ErrNotFound and its like): their status.
//   - *echo.HTTPError: its code; one that wraps another HTTPError stands
//     for that one, as in problemecho. Its message becomes the detail of a 4xx
//     when it says more than the status and carries no error text of the
//     error it wraps; 5xx messages are logged and not sent. The wrapped
//     error is the cause: logged, and sent only with ExposeErrors.
//   - Errors of Echo's binder: a parameter (path, query, form field,
//     header) that does not parse is a 400 naming it; body decoding errors
//     are 400s without Go type names or offsets. echo.ErrNonExistentKey (a
//     missing parameter) is a 400.
//   - Before all of these, for a request whose Content-Encoding is gzip:
//     the errors of reading a broken gzip body, as Echo's Decompress (or a
//     handler reading the body) returns them, unwrapped: 400.
//
// Any other error with a StatusCode method (echo.HTTPStatusCoder) gets that
// status, as problem.Resolve does for every error.
//
// A Content-Encoding on a response not yet sent was set for content that is
// not being sent, and is removed; a compressing middleware such as Echo's
// Gzip sets its own as it compresses the problem. A compressor outside Echo
// that sets Content-Encoding before Echo runs and compresses whatever it is
// given (gorilla/handlers' CompressHandler does) needs [KeepEncoding] in
// Echo's Pre: the Content-Encoding the response had as Echo began the
// request is then restored instead, and labels the problem as that
// compressor encodes it. Without KeepEncoding, nothing tells that header
// from one the handler set, and it is removed: the client gets compressed
// bytes it takes for plain ones. Echo's Gzip, chi's Compress and the common
// net/http compressors set Content-Encoding only as they start to compress,
// and need nothing.
//
// A response that is already committed is not written again: the error is
// logged as lost. When Echo calls the handler twice for one error (its
// RequestLogger with HandleError does), the second call does nothing.
func ErrorHandler(opts *middleware.Options) echo.HTTPErrorHandler {
	m := echokit.New(opts, mappers)

	return func(c *echo.Context, err error) {
		if err == nil {
			return
		}
		req, w := c.Request(), c.Response()
		res, uerr := echo.UnwrapResponse(w)
		if uerr != nil {
			m.WriteError(w, req, err) // no Echo response below: WriteError cannot tell
			return
		}
		err, ok := echokit.Prepare(c, req, w.Header(), res.Committed, err)
		if !ok {
			return
		}
		if w == http.ResponseWriter(res) {
			m.WriteError(response{res}, req, err)
			return
		}
		// A middleware's writer over Echo's response (Gzip's, when the
		// handler runs inside it from RequestLogger): the problem goes
		// through it.
		m.WriteError(&wrapped{w, res}, req, err)
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

// wrapped is a middleware's writer over Echo's response, res, as
// WriteError takes it: written through, and asked of res whether it went
// out.
type wrapped struct {
	http.ResponseWriter
	res *echo.Response
}

// Written reports whether the response has gone out.
func (w *wrapped) Written() bool { return w.res.Committed }

// Status returns the status the response went out with.
func (w *wrapped) Status() int { return w.res.Status }

// Unwrap returns the middleware's writer, for http.ResponseController.
func (w *wrapped) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// mappers are the mappers for Echo's errors, in the order they are tried.
func mappers(cat *catalog.Catalog) []problem.Mapper {
	return []problem.Mapper{
		newSentinels(echoSentinels).problem, // first: the most frequent errors
		problem.MapAs(bindingProblem),
		problem.MapAs(problemErrorProblem),
		problemErrorer,
		problem.MapAs(func(he *echo.HTTPError) *problem.Problem { return httpErrorProblem(he, cat) }),
		echokit.MissingParameter(echo.ErrNonExistentKey),
	}
}

// echoSentinels are Echo's exported status errors: immutable values that
// only have a status.
var echoSentinels = []error{
	echo.ErrBadRequest, echo.ErrUnauthorized, echo.ErrForbidden, echo.ErrNotFound,
	echo.ErrMethodNotAllowed, echo.ErrRequestTimeout, echo.ErrStatusRequestEntityTooLarge,
	echo.ErrUnsupportedMediaType, echo.ErrTooManyRequests, echo.ErrInternalServerError,
	echo.ErrBadGateway, echo.ErrServiceUnavailable,
}

// sentinels holds the problems of Echo's sentinels, made once: they are
// what Echo's router returns for every 404 and 405 and what much of its
// middleware returns, so the most frequent errors need no problem of their
// own.
type sentinels struct {
	errs []error
	ps   []*problem.Problem
}

func newSentinels(errs []error) *sentinels {
	s := &sentinels{errs: errs, ps: make([]*problem.Problem, len(errs))}
	for i, e := range errs {
		s.ps[i] = problem.Wrap(e, echo.StatusCode(e))
	}
	return s
}

// problem returns the problem made for err if it is one of the sentinels,
// else nil.
func (s *sentinels) problem(err error) *problem.Problem {
	for i, e := range s.errs {
		if err == e { // e is a pointer: == cannot panic
			return s.ps[i]
		}
	}
	return nil
}

// problemErrorProblem keeps the members of Echo's own problem value.
func problemErrorProblem(pe *echo.ProblemError) *problem.Problem { return fromProblemError(pe, pe) }

// fromProblemError is the problem of err, which stands for pe.
func fromProblemError(err error, pe *echo.ProblemError) *problem.Problem {
	status := pe.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	p := problem.Wrap(err, status) // a cause of its own: Resolve need not copy it to set one
	if pe.Type != "" {
		p.Type = pe.Type
	}
	p.Title, p.Detail, p.Instance = pe.Title, pe.Detail, pe.Instance
	return p
}

// problemErrorer maps an error with Echo's ProblemError method, as Echo's
// own RFC 9457 handler does: a nil ProblemError is a 500.
func problemErrorer(err error) *problem.Problem {
	x, ok := err.(echo.ProblemErrorer)
	if !ok {
		return nil
	}
	pe := x.ProblemError()
	if pe == nil {
		pe = &echo.ProblemError{}
	}
	return fromProblemError(err, pe)
}

// bindingProblem names the parameter a *echo.BindingError is about.
func bindingProblem(be *echo.BindingError) *problem.Problem {
	status := http.StatusBadRequest
	var cause error
	if be.HTTPError != nil {
		if be.Code >= 400 && be.Code <= 499 {
			status = be.Code
		}
		cause = be.HTTPError.Unwrap()
	}
	return echokit.ParameterProblem(be, status, be.Field, cause)
}

// httpErrorProblem turns an *echo.HTTPError into a problem. An HTTPError
// that wraps another stands for that one, as in problemecho for Echo v4
// (KeyAuth wraps its "invalid key" in echo.ErrUnauthorized). Echo's binder
// wraps the error of a struct field that does not parse as "name: error"
// in a 400: that is a problem naming the parameter.
func httpErrorProblem(he *echo.HTTPError, cat *catalog.Catalog) *problem.Problem {
	for {
		inner, ok := he.Unwrap().(*echo.HTTPError)
		if !ok || inner == nil {
			break
		}
		he = inner
	}
	internal := he.Unwrap()
	if he.Code == http.StatusBadRequest {
		if name, cause, ok := fieldError(internal); ok {
			return echokit.ParameterProblem(he, he.Code, name, cause)
		}
	}
	return echokit.HTTPErrorProblem(he, he.Code, he.Message, internal, cat)
}

// fieldError reports whether err is the error of Echo's binder for a
// field, named name, whose value failed to parse with cause: an error that
// wraps one error, with the text "name: " and that error's text, where
// cause is one that says what the value must be.
func fieldError(err error) (name string, cause error, ok bool) {
	u, isWrap := err.(interface{ Unwrap() error })
	if !isWrap {
		return "", nil, false
	}
	cause = u.Unwrap()
	if cause == nil || echokit.ValueMessage(cause) == echokit.ValueMessage(nil) {
		return "", nil, false
	}
	name, ok = strings.CutSuffix(err.Error(), ": "+cause.Error())
	if !ok || name == "" || strings.ContainsAny(name, ": ") {
		return "", nil, false
	}
	return name, cause, true
}

// KeepEncoding returns a middleware, for Echo's Pre, that keeps the
// Content-Encoding the response has as Echo begins the request: one that a
// compressor outside Echo set before Echo ran, and under which it
// compresses whatever passes (gorilla/handlers' CompressHandler does so).
// ErrorHandler gives a problem that Content-Encoding, where it would
// otherwise remove it, as the net/http middleware's Wrap does with the
// Content-Encoding a response had when Wrap began, and as problemecho does
// for Echo v4. For a response without one, it keeps nothing.
//
//	e.Pre(problemecho5.KeepEncoding())
func KeepEncoding() echo.MiddlewareFunc {
	keep := echokit.KeepEncoding()
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			keep(c, c.Response().Header())
			return next(c)
		}
	}
}
