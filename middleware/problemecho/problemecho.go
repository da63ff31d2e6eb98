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
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/echokit"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
)

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
//     Message (a map, a struct) becomes the "message" member of a 4xx. 5xx
//     messages are logged and not sent. Internal is the cause: logged, and sent only
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

	return func(err error, c echo.Context) {
		if err == nil {
			return
		}
		res, req := c.Response(), c.Request()
		err, ok := echokit.Prepare(c, req, res.Header(), res.Committed, err)
		if !ok {
			return
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

// mappers are the mappers for Echo's errors, in the order they are tried.
func mappers(cat *catalog.Catalog) []problem.Mapper {
	return []problem.Mapper{
		problem.MapAs(bindingProblem),
		problem.MapAs(newSentinels(cat, echoSentinels).problem),
		echokit.MissingParameter(echo.ErrNonExistentKey),
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
	return echokit.ParameterProblem(be, status, be.Field, cause)
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
	return echokit.HTTPErrorProblem(he, he.Code, he.Message, he.Internal, cat)
}

// KeepEncoding returns a middleware, for Echo's Pre, that keeps the
// Content-Encoding the response has as Echo begins the request: one that a
// compressor outside Echo set before Echo ran, and under which it
// compresses whatever passes (gorilla/handlers' CompressHandler does so).
// ErrorHandler gives a problem that Content-Encoding, where it would
// otherwise remove it, as the net/http middleware's Wrap does with the
// Content-Encoding a response had when Wrap began. For a response without
// one, it keeps nothing.
//
//	e.Pre(problemecho.KeepEncoding())
func KeepEncoding() echo.MiddlewareFunc {
	keep := echokit.KeepEncoding()
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			keep(c, c.Response().Header())
			return next(c)
		}
	}
}
