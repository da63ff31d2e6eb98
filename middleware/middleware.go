package middleware

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/errs"
	"github.com/problemkit/problemkit/internal/field"
	"github.com/problemkit/problemkit/internal/members"
	"github.com/problemkit/problemkit/internal/wire"
	"github.com/problemkit/problemkit/problem"
)

// HandlerFunc is an HTTP handler that returns an error instead of writing
// one. Use [Middleware.Handle] to turn it into an [http.Handler].
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Options configure a [Middleware]. The zero value, like a nil *Options,
// gives the defaults each field names.
type Options struct {
	// Catalog gives problem titles and default Retry-After values.
	// Default: catalog.Default().
	Catalog *catalog.Catalog

	// Logger receives one record per error: Error for 5xx responses, for
	// panics (with the stack) and for errors that could not be sent because
	// the response was already committed; Debug for other 4xx, for a client
	// that has gone, and for an error after a problem response was sent,
	// taken for the same error passed again (see Middleware.WriteError).
	// Default: slog.Default().
	Logger *slog.Logger

	// ExposeErrors sends internal error text to clients, for problems of
	// any status: the text of what caused a problem (the error given to
	// problem.Wrap, Echo's HTTPError.Internal, an unknown error, a panic
	// value) becomes its detail when it has none, or its "cause" member
	// beside the detail it has (a "cause" member of the problem's own is
	// kept, and a cause that the detail already says is not repeated). The
	// cause is what the problem wraps, less the errors at its top that
	// stand for the problem itself (a *problem.Problem, an error a mapper
	// maps, one with a Problem or StatusCode method); nothing is added
	// when nothing is left. A 5xx panic's stack becomes the "stack"
	// member, and 5xx details formatted from wrapped errors (problem.Newf
	// with %w) are sent. For development only. Default: false; responses
	// then carry no cause, and 5xx responses no error text, no panic value
	// and no stack.
	ExposeErrors bool

	// Mappers turn errors that are not problems into problems, tried in
	// order after the *problem.Problem check (see problem.Resolve). Build
	// them with problem.MapIs, problem.MapAs or a problem.Mapper func.
	// Default: none.
	Mappers []problem.Mapper

	// Instance returns the instance member for a problem that has none,
	// or "" to leave it out. Default: the path the client asked for,
	// escaped, such as "/items/42": that of the request-target, not one a
	// router further out rewrote (http.StripPrefix strips "/api" from
	// "/api/items/42").
	Instance func(r *http.Request) string

	// Correlation returns an id that ties a response to the server's logs,
	// or "" for none. The id goes into the problem (see CorrelationMember)
	// and, as a top-level attribute of that name, into every log record
	// about the request. Default: [CorrelationID] of the request (the
	// trace id of a valid W3C traceparent header, else its X-Request-Id
	// header), else the X-Request-Id header the response already carries,
	// as a request-id middleware (Echo's RequestID) sets it, either one if
	// it is 1 to 128 printable ASCII characters. A Correlation of your own
	// decides alone; for chi's RequestID, which keeps its id in the
	// context, use func(r *http.Request) string { return
	// chimw.GetReqID(r.Context()) }.
	Correlation func(r *http.Request) string

	// CorrelationMember names the extension member, and the log attribute,
	// that carry the correlation id. They are left out when there is no id,
	// and a problem's own member of that name is kept. Default:
	// "correlationId".
	CorrelationMember string

	// HTML offers an HTML page to clients that prefer text/html, such as
	// browsers. Default: false; such clients then get JSON.
	HTML bool

	// Formats limits the formats offered to clients by their Accept
	// header, for a service that does not want to send XML:
	// problem.FormatJSON alone offers JSON only. The set must hold
	// problem.FormatJSON, which is always offered. Default: zero, which
	// offers JSON and XML.
	Formats problem.Formats

	// Challenge is the WWW-Authenticate challenge added to a 401 problem
	// when neither the problem nor the response carries one, or the
	// problem's own was dropped as invalid (RFC 9110 §15.5.2 requires one;
	// see problem.Responder.Challenge). Default: "Bearer".
	Challenge string

	// Enrich, if set, may change each problem before it is sent: it is called
	// after the error has been resolved and the middleware has added its own
	// members (instance, correlation id, with ExposeErrors the cause), and
	// before the problem is logged, written and passed to OnError, so that all
	// three show what Enrich left. It runs for every problem written, on both
	// stacks: returned errors, bare error responses, panics; not when nothing
	// is written (a lost error). p is the request's own copy, Extensions and
	// Header included (nil maps stay nil until Enrich sets them), so Enrich
	// may change any member, the status and the headers in place; err is the
	// error. The code of a catalog's type is not in Extensions: p.Code() reads
	// it, and an entry of Extensions of its member's name is sent in its place
	// (see problem.Type.Code). What it leaves is written as any problem is: a
	// 401 without a challenge gets Challenge, a status no problem may carry
	// (0, 2xx, 418) is sent as a plain 500 and logged as a bug, header values
	// with a control character are dropped. A panic in it gives a plain 500
	// (see Middleware.WriteError). It runs on the request's goroutine and must
	// not keep p. Default: nil.
	Enrich func(r *http.Request, p *problem.Problem, err error)

	// OnError, if set, is called once for each error after it has been logged
	// and written, for metrics. p is the problem as sent (its members, as
	// problem.Responder.Prepare gives them; its Header is the problem's own);
	// it is nil when nothing was sent (the response was already committed),
	// and when the client had gone: the error is then its doing, whatever was
	// written (see Middleware.WriteError). err is the error (for a panic a
	// *PanicError, for a bare error response a *BareError). It runs on the
	// request's goroutine and must not keep p. Default: nil.
	OnError func(r *http.Request, p *problem.Problem, err error)
}

// Middleware turns the errors of an HTTP handler stack into problem
// responses. Build one with [New] and share it; it is safe for concurrent
// use.
type Middleware struct {
	responder problem.Responder
	// exposing is responder with ExposeErrors on, for the problems of
	// responses whose writer asks for exposure (see WriteError). It only
	// prepares them: responder sends them, as prepared.
	exposing          problem.Responder
	catalog           *catalog.Catalog
	logger            *slog.Logger
	exposeErrors      bool
	mappers           []problem.Mapper
	instance          func(*http.Request) string
	correlation       func(*http.Request) string
	correlationMember string
	enrich            func(*http.Request, *problem.Problem, error)
	onError           func(*http.Request, *problem.Problem, error)
}

// New returns a Middleware configured by opts; nil opts means the
// defaults. The options are copied. New panics if they are invalid: a
// Challenge holding a control character or no challenge (one that does not
// start with an auth-scheme), a CorrelationMember that is a standard
// member's name, or Formats without problem.FormatJSON or with bits that
// name no format.
func New(opts *Options) *Middleware {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Catalog == nil {
		o.Catalog = catalog.Default()
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Instance == nil {
		o.Instance = requestPath
	}
	if o.CorrelationMember == "" {
		o.CorrelationMember = "correlationId"
	}
	if o.Challenge == "" {
		o.Challenge = "Bearer"
	}
	if members.Standard(o.CorrelationMember) {
		panic("middleware: CorrelationMember " + o.CorrelationMember + " would shadow a standard member")
	}
	if !field.ValidValue(o.Challenge) {
		panic("middleware: Challenge holds a control character")
	}
	if !field.IsChallenge(o.Challenge) {
		panic("middleware: Challenge " + strconv.Quote(o.Challenge) + " holds no challenge (RFC 9110 §11.6.1: it starts with an auth-scheme)")
	}
	if o.Formats&^(problem.FormatJSON|problem.FormatXML) != 0 {
		panic("middleware: Formats holds an unknown format")
	}
	if o.Formats != 0 && o.Formats&problem.FormatJSON == 0 {
		panic("middleware: Formats must hold problem.FormatJSON: JSON is always offered")
	}
	return &Middleware{
		responder:         problem.Responder{Catalog: o.Catalog, HTML: o.HTML, Formats: o.Formats, ExposeErrors: o.ExposeErrors, Challenge: o.Challenge},
		exposing:          problem.Responder{Catalog: o.Catalog, HTML: o.HTML, Formats: o.Formats, ExposeErrors: true, Challenge: o.Challenge},
		catalog:           o.Catalog,
		logger:            o.Logger,
		exposeErrors:      o.ExposeErrors,
		mappers:           append([]problem.Mapper(nil), o.Mappers...),
		instance:          o.Instance,
		correlation:       o.Correlation,
		correlationMember: o.CorrelationMember,
		enrich:            o.Enrich,
		onError:           o.OnError,
	}
}

// requestPath is the default instance: the path of the request-target the
// client sent (r.RequestURI), not the one a router further out may have
// rewritten (http.StripPrefix does): a relative reference is resolved
// against the request's URL, so a stripped path would name another
// resource. Leading slashes are collapsed, so that "//evil.example/x"
// cannot read as a reference to another host, and bytes a path cannot hold
// (RFC 3986 §3.3) are percent-encoded. A request without a RequestURI (one
// made in a test) gives its URL's path, escaped.
func requestPath(r *http.Request) string {
	p, ok := targetPath(r.RequestURI)
	if !ok {
		p = r.URL.EscapedPath()
		if r.URL.RawPath != "" && strings.ContainsAny(p, "[]") { // else EscapedPath escaped the path itself, brackets too
			p = strings.ReplaceAll(strings.ReplaceAll(p, "[", "%5B"), "]", "%5D")
		}
	}
	if strings.HasPrefix(p, "//") {
		p = "/" + strings.TrimLeft(p, "/")
	}
	return p
}

// targetPath returns the path of a request-target in origin-form
// ("/items/42?x=1") or absolute-form ("http://host/items/42"), with the
// bytes a path cannot hold percent-encoded, and false for any other form
// ("*", an authority) or an empty one. The authority of an absolute-form
// ends at the first "/", "?" or "#" (RFC 3986 §3.2); an empty path there
// is "/" (RFC 9112 §3.2.1).
func targetPath(target string) (string, bool) {
	if target == "" {
		return "", false
	}
	if target[0] != '/' {
		_, rest, ok := strings.Cut(target, "://")
		if !ok {
			return "", false
		}
		i := strings.IndexAny(rest, "/?#")
		if i < 0 || rest[i] != '/' {
			return "/", true
		}
		target = rest[i:]
	}
	if i := strings.IndexAny(target, "?#"); i >= 0 {
		target = target[:i]
	}
	for i := 0; i < len(target); i++ {
		if !pathByte(target, i) {
			return escapePath(target), true
		}
	}
	return target, true
}

// escapePath percent-encodes the bytes of p that a path cannot hold.
func escapePath(p string) string {
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(p)+16)
	for i := 0; i < len(p); i++ {
		if pathByte(p, i) {
			b = append(b, p[i])
		} else {
			b = append(b, '%', hex[p[i]>>4], hex[p[i]&15])
		}
	}
	return string(b)
}

// pathByte reports whether the byte at i of p may stand there in a path
// (RFC 3986 §3.3: pchar and "/"): an unreserved character, a sub-delim,
// ":", "@", "/", or the "%" of a percent-encoding.
func pathByte(p string, i int) bool {
	switch c := p[i]; {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	case c == '%':
		return i+2 < len(p) && isHex(p[i+1]) && isHex(p[i+2])
	default:
		return strings.IndexByte("-._~!$&'()*+,;=:@/", c) >= 0
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// Handle returns an http.Handler that runs h behind [Middleware.Wrap] and
// writes the error h returns as a problem (see [Middleware.WriteError]).
// The ResponseWriter h gets is pooled, so h must not use it after it
// returns, as net/http requires of every handler. (Wrap's own makes no
// such demand of the code it wraps.)
func (m *Middleware) Handle(h HandlerFunc) http.Handler {
	// h is the only code that gets the writer, and must not use it after
	// it returns, as any handler: its writer can be a pooled one.
	return m.wrap(errorHandler{m, h}, true)
}

type errorHandler struct {
	m *Middleware
	h HandlerFunc
}

func (e errorHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := e.h(w, r); err != nil {
		e.m.WriteError(w, r, err)
	}
}

// WriteError writes the problem err stands for as the response to r:
//
//  1. err becomes a problem as problem.Resolve describes, with the
//     Mappers of the options.
//  2. A problem without an instance gets one from Options.Instance; a
//     correlation id is added as Options.CorrelationMember; with
//     ExposeErrors, the text of its cause is added as Options.ExposeErrors
//     describes; Options.Enrich is called.
//  3. The shared problem.Responder prepares the problem once (see
//     problem.Responder.Prepare), and the status it will send decides the
//     level of the error's log record. The problem is written as
//     prepared (a 401 without a challenge gets Options.Challenge there),
//     the error logged, and OnError called with it.
//
// A response that was already written is not written again: the error is
// logged as lost, and OnError gets a nil problem. So is one that
// http.TimeoutHandler answered first, whose writer refuses the problem
// with http.ErrHandlerTimeout. WriteError knows whether
// it was for the writers of [Middleware.Wrap] and [Middleware.Handle], and
// for a writer, or the first writer that w unwraps to (by a method Unwrap()
// http.ResponseWriter), with the methods
//
//	Written() bool // whether the response has gone out
//	Status() int   // the status it went out with
//
// that gin's ResponseWriter has: this is the hook for adapters to other
// stacks (problemecho gives WriteError Echo's response so). When the
// response written is a problem that this module wrote, the error is taken
// for the one it was written for, passed a second time (as a stack's
// request logger may pass it): it is logged at Debug, and not reported to
// OnError again. On any other writer, WriteError cannot tell, and writes.
//
// Such a writer may also have a method ExposeErrors() bool: when it reports
// true, internal error text is sent for its response as
// Options.ExposeErrors describes (problemecho asks so in Echo's Debug
// mode). It can only turn exposure on.
//
// The problem is written through w, so writers between Wrap and the handler
// (a compressor, a metrics recorder) see it as any response. When w is
// Wrap's own writer, a Content-Encoding the handler set is removed first;
// when it is not, Content-Encoding is left to those writers.
//
// Code of others that runs on the way (mappers, the error's own methods,
// the Instance, Correlation, Enrich and OnError callbacks) cannot keep the client
// from a response: a panic in it is logged with its stack, beside the
// error, and the response is then a plain 500 problem (or, after the
// problem went out, what was sent). An error whose Error method panics is
// logged as its type and the panic.
//
// When the client has gone, whatever error the handler returns is the client's
// doing: it is logged at Debug, and OnError gets a nil problem. The problem is
// written all the same (unless the response was): a client that has only
// closed its side of the connection (a half-close, on which net/http cancels
// the context too) is still reading, and would otherwise get the empty 200
// that net/http sends for a handler that wrote nothing. The client has gone
// when the request's context was canceled, as net/http cancels it when the
// connection closes or an HTTP/2 stream is reset; when w is Wrap's writer, the
// context judged is the one the request had when it reached Wrap. A context
// with a deadline is taken for a timeout middleware's, which cancels it on its
// way out (Echo's ContextTimeout does so before Echo's error handler runs):
// its client is taken to be there. context.Canceled while the client is there
// is a 500: something inside was cancelled. A panic is never the client's
// doing. WriteError does nothing for a nil err.
func (m *Middleware) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	if err == nil {
		return
	}
	own, hook := m.response(w)
	f := failure{err: err, req: r, expose: m.exposeErrors}
	switch {
	case hook != nil:
		if f.written = hook.Written(); f.written {
			f.status = hook.Status()
		} else if x, ok := hook.(exposer); ok && x.ExposeErrors() {
			f.expose = true
		}
	case own != nil:
		f.written, f.status, f.req = own.committed(), own.status, own.req
		if !f.written {
			own.discard() // an error returned wins over a bare error written before it
			if w == own {
				// Nothing between Wrap and the handler encodes the body, so
				// a Content-Encoding set since Wrap began (by the handler,
				// for content it no longer sends) would mislabel the
				// problem.
				own.restoreEncoding()
			}
		}
	}
	// The problem goes through w, the handler's writer, so that writers
	// between Wrap and the handler (a compressor) see it as they would any
	// response.
	m.handle(w, r, &f, nil)
}

// failure is an error on its way out, with what the middleware has decided
// about it, its request and its response, each thing once, where it is
// known: whether the response was written, the panic in the error's tree,
// whether the client has gone, whether internal error text is sent.
type failure struct {
	err error
	// req is the request whose context tells whether the client has gone:
	// the one that reached Wrap, when the response is Wrap's. handle
	// judges the error (panic, gone) when it is set; it is nil for an
	// error judged already.
	req     *http.Request
	written bool        // whether the response was written already
	status  int         // the status it was written with
	panic   *PanicError // the *PanicError in err's tree, if any
	gone    bool        // whether the client has gone (never for a panic)
	expose  bool        // whether internal error text is sent
}

// hookWriter is the hook of WriteError for adapters: a writer that tells
// whether its response was written.
type hookWriter interface {
	Written() bool
	Status() int
}

// exposer is a writer whose stack asks for internal error text to be sent
// (see WriteError).
type exposer interface{ ExposeErrors() bool }

// response looks down the writers w unwraps to, once, for what tells
// whether the response was written: this middleware's own writer, or an
// adapter's writer (see WriteError), whichever comes first.
func (m *Middleware) response(w http.ResponseWriter) (own *responseWriter, hook hookWriter) {
	for w != nil {
		switch v := w.(type) {
		case *responseWriter:
			if v.m == m {
				return v, nil
			}
		case hookWriter:
			return nil, v
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return nil, nil
		}
		w = u.Unwrap()
	}
	return nil, nil
}

// lost handles f, an error for the response w, which was already written
// (with f.status): nothing more is written. The error is logged as lost and
// reported to OnError, unless the response is a problem this module wrote
// and f is no panic: then f is taken for the error that problem was written
// for, passed again, and logged at Debug. A panic in the error's methods or
// in a callback is logged, never passed on.
func (m *Middleware) lost(w http.ResponseWriter, r *http.Request, f failure) {
	defer func() {
		if v := recover(); v != nil {
			m.rescued(nil, r, f, v, debug.Stack(), false)
		}
	}()
	h := w.Header()
	if f.panic == nil && wire.Responded(h) {
		if m.logger.Enabled(r.Context(), slog.LevelDebug) {
			m.logger.LogAttrs(r.Context(), slog.LevelDebug, "error after a problem response was sent; taken as the same error",
				m.attrs(r, h, f, 0)...)
		}
		return
	}
	m.lostRecord(r, h, f)
}

// lostRecord logs f, an error for a response that has gone out (with
// f.status, if known) without it, as lost, and reports it to OnError with
// a nil problem. h is the response's header.
func (m *Middleware) lostRecord(r *http.Request, h http.Header, f failure) {
	m.logger.LogAttrs(r.Context(), slog.LevelError, "error after the response was committed", m.attrs(r, h, f, f.status)...)
	m.report(r, nil, f.err)
}

// attrs are the attributes of a log record about f for r, whose response
// has the header h: the request, the status (unless 0), the error, the
// correlation id and a panic's stack.
func (m *Middleware) attrs(r *http.Request, h http.Header, f failure, status int) []slog.Attr {
	attrs := make([]slog.Attr, 0, 6)
	attrs = append(attrs,
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path))
	if status != 0 {
		attrs = append(attrs, slog.Int("status", status))
	}
	attrs = append(attrs, slog.String("error", errorText(f.err)))
	if id := m.correlationID(r, h); id != "" {
		attrs = append(attrs, slog.String(m.correlationMember, id))
	}
	if f.panic != nil {
		attrs = append(attrs, slog.String("stack", string(f.panic.Stack)))
	}
	return attrs
}

// handle judges f's error, then answers it: a client that has gone gets
// nothing (see left), a response written already gets nothing more (see
// lost), and otherwise the problem p is written, or, for a nil p, the
// problem the error resolves to with the mappers. The steps run in one
// line: judge the error (the panic in its tree, the gone client), resolve,
// add the middleware's members, Enrich, Prepare once, Respond with the
// prepared problem, log (as lost, if a timeout had answered: see
// WriteError), OnError with it.
//
// handle is where the code of others runs on an error (the error's own
// methods, mappers, the Instance, Correlation and Enrich callbacks), and
// none of it may keep the client from its response: a panic before the
// problem is written is logged, with the error and its own stack, and a
// plain 500 problem is written in its place, unless the response was
// written already. A panic while it is written (in a writer further down)
// is logged, and nothing more is written.
func (m *Middleware) handle(w http.ResponseWriter, r *http.Request, f *failure, p *problem.Problem) {
	writing := false
	defer func() {
		if v := recover(); v != nil {
			m.rescued(w, r, *f, v, debug.Stack(), !f.written && !writing)
		}
	}()
	if f.req != nil {
		f.panic, _ = errs.As[*PanicError](f.err)
		f.gone = f.panic == nil && clientGone(f.req)
	}
	switch {
	case f.gone:
		m.left(w, r, *f)
		if f.written {
			return
		}
		// Written all the same: a client that only closed its side of
		// the connection (a half-close, on which net/http cancels the
		// context as for a client that has gone) is still reading, and
		// would otherwise get net/http's empty 200.
	case f.written:
		m.lost(w, r, *f)
		return
	}
	if p == nil {
		p = problem.Resolve(f.err, m.mappers...)
	}

	q := *p
	if q.Instance == "" {
		q.Instance = m.instance(r)
	}
	if f.expose {
		m.expose(&q, p.Unwrap(), f.panic)
	}
	id := m.correlationID(r, w.Header())
	if id != "" {
		if !hasMember(q, m.correlationMember) {
			q.Extensions = withMember(q.Extensions, m.correlationMember, id)
		}
	}
	if m.enrich != nil {
		q = m.enriched(r, q, f.err)
	}

	rs := &m.responder
	if f.expose {
		rs = &m.exposing
	}
	sent, perr := rs.Prepare(&q) // the one decision: Respond sends it as it is
	level := levelFor(sent.Status)
	if f.panic != nil {
		level = slog.LevelError // a panic is a bug, whatever status it resolves to
	}
	writing = true
	rerr := m.responder.Respond(w, r, &sent)
	if f.gone {
		return // logged and reported as the client's doing
	}
	if rerr != nil && errors.Is(rerr, http.ErrHandlerTimeout) {
		// http.TimeoutHandler answered first, and its writer refuses
		// everything since: nothing of the problem went out.
		m.lostRecord(r, w.Header(), *f)
		return
	}
	if m.logger.Enabled(r.Context(), level) {
		m.log(r, level, *f, sent.Status, id, q)
	}
	if perr != nil || rerr != nil {
		err := errors.Join(perr, rerr)
		m.logger.LogAttrs(r.Context(), slog.LevelWarn, "problem response adjusted",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("error", err.Error()))
	}
	if m.onError != nil {
		// The problem as sent, a copy of its own, so that sent itself can
		// stay on the stack.
		reported := sent
		m.report(r, &reported, f.err)
	}
}

// enriched returns q as Enrich leaves it. q is a copy, on maps of its own
// (so the handler's problem, perhaps a shared template, is left alone),
// and a parameter, so that only a request that is enriched moves it to
// the heap.
func (m *Middleware) enriched(r *http.Request, q problem.Problem, err error) problem.Problem {
	q.Extensions = maps.Clone(q.Extensions)
	q.Header = q.Header.Clone()
	m.enrich(r, &q, err)
	return q
}

// hasMember reports whether q has an extension member named name: an
// entry of its Extensions, or the code it carries from its type (see
// problem.Type.Code), which is not among them.
var hasMember = members.Has.(func(q problem.Problem, name string) bool)

// causeMember is the extension member that, with ExposeErrors, carries
// the text of a problem's cause beside its own detail.
const causeMember = "cause"

// expose adds to q, for ExposeErrors, the text of cause, the cause of the
// problem q was copied from: as the detail if q has none, else as the
// causeMember beside it, unless that says the same or q has such a member
// of its own. A 5xx panic's stack (pe's, if the error is one) becomes the
// "stack" member.
func (m *Middleware) expose(q *problem.Problem, cause error, pe *PanicError) {
	text := m.causeText(cause)
	switch {
	case text == "":
	case q.Detail == "":
		q.Detail = text
	case text != q.Detail:
		if !hasMember(*q, causeMember) {
			q.Extensions = withMember(q.Extensions, causeMember, text)
		}
	}
	if pe != nil && q.Status >= 500 {
		if !hasMember(*q, "stack") {
			q.Extensions = withMember(q.Extensions, "stack", strings.Split(strings.TrimSpace(string(pe.Stack)), "\n"))
		}
	}
}

// causeText returns the text of cause, a problem's cause, less the errors
// at its top that stand for the problem itself (those the problem may have
// been made from: a problem, an error a mapper maps, such as Echo's
// HTTPError, whose cause is then its Internal error, or one with a Problem
// or StatusCode method), or "" if nothing is left.
func (m *Middleware) causeText(cause error) string {
	for range errs.Max {
		if cause == nil {
			return ""
		}
		if !m.standsForProblem(cause) {
			return errorText(cause)
		}
		u, ok := cause.(interface{ Unwrap() error })
		if !ok {
			return ""
		}
		cause = u.Unwrap()
	}
	return ""
}

// standsForProblem reports whether e, by itself, resolves to a problem
// (steps 2 to 4 of problem.Resolve).
func (m *Middleware) standsForProblem(e error) bool {
	switch e.(type) {
	case *problem.Problem, problem.Type, interface{ StatusCode() int }:
		return true
	}
	for _, mp := range m.mappers {
		if mp(e) != nil {
			return true
		}
	}
	x, ok := e.(interface{ Problem() *problem.Problem })
	return ok && x.Problem() != nil
}

// left handles f, an error whose client has gone, and which is thus its
// doing: it logs it at Debug and tells OnError without a problem. (handle
// writes the problem all the same, for a client that is still reading.)
func (m *Middleware) left(w http.ResponseWriter, r *http.Request, f failure) {
	if m.logger.Enabled(r.Context(), slog.LevelDebug) {
		m.logger.LogAttrs(r.Context(), slog.LevelDebug, "client went away", m.attrs(r, header(w), f, 0)...)
	}
	m.report(r, nil, f.err)
}

// clientGone reports whether the client of r has gone: whether the
// request's context was canceled, and has no deadline (see
// [Middleware.WriteError]). Callers pass the request that reached Wrap
// when the response is Wrap's: its context no middleware below can have
// replaced.
func clientGone(r *http.Request) bool {
	ctx := r.Context()
	if ctx.Err() != context.Canceled {
		return false
	}
	_, deadline := ctx.Deadline()
	return !deadline
}

// rescued handles a panic (v, with its stack) in the middleware's work on
// f: it logs both, and, when nothing has been written yet and w is given,
// writes a plain 500 problem, calling none of the code that may have
// panicked.
func (m *Middleware) rescued(w http.ResponseWriter, r *http.Request, f failure, v any, stack []byte, unwritten bool) {
	attrs := make([]slog.Attr, 0, 8)
	attrs = append(attrs,
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path))
	fallback := unwritten && w != nil
	if fallback {
		attrs = append(attrs, slog.Int("status", http.StatusInternalServerError))
	}
	attrs = append(attrs, slog.String("error", errorText(f.err)))
	if m.correlation == nil { // the default calls no code that may have panicked
		if id := m.correlationID(r, header(w)); id != "" {
			attrs = append(attrs, slog.String(m.correlationMember, id))
		}
	}
	if f.panic != nil {
		attrs = append(attrs, slog.String("stack", string(f.panic.Stack)))
	}
	attrs = append(attrs,
		slog.String("panic", fmt.Sprint(v)),
		slog.String("panicStack", string(stack)))
	msg := "panic while handling an error"
	if fallback {
		msg = "request failed"
	}
	m.logger.LogAttrs(r.Context(), slog.LevelError, msg, attrs...)
	if !fallback {
		return
	}
	sent, _ := m.responder.Prepare(&problem.Problem{Type: problem.AboutBlank, Status: http.StatusInternalServerError})
	_ = m.responder.Respond(w, r, &sent) // a plain problem: nothing to adjust
	// A gone client's error was reported as its doing, by left.
	if m.onError != nil && !f.gone {
		m.report(r, &sent, f.err)
	}
}

// report calls OnError, if set. A panic in it is logged: the response has
// been dealt with, and OnError is for metrics.
func (m *Middleware) report(r *http.Request, p *problem.Problem, err error) {
	if m.onError == nil {
		return
	}
	defer func() {
		if v := recover(); v != nil {
			m.logger.LogAttrs(r.Context(), slog.LevelError, "OnError panicked",
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.String("error", errorText(err)),
				slog.String("panic", fmt.Sprint(v)),
				slog.String("panicStack", string(debug.Stack())))
		}
	}()
	m.onError(r, p, err)
}

// errorText returns err.Error(), or, if that panics (as it may for a nil
// pointer of an error type), what err is and the panic.
func errorText(err error) (text string) {
	defer func() {
		if v := recover(); v != nil {
			text = fmt.Sprintf("%T (its Error method panicked: %v)", err, v)
		}
	}()
	return err.Error()
}

func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelDebug
}

// log writes one record for f's error; status is the status sent, id the
// correlation id. Callers check that the logger is enabled for level
// first; p is a copy, so that the caller's problem need not move to the
// heap.
func (m *Middleware) log(r *http.Request, level slog.Level, f failure, status int, id string, p problem.Problem) {
	attrs := make([]slog.Attr, 0, 7)
	attrs = append(attrs,
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
		slog.String("error", errorText(f.err)))
	if id != "" {
		attrs = append(attrs, slog.String(m.correlationMember, id))
	}
	attrs = append(attrs, slog.Any("problem", &p))
	if f.panic != nil {
		attrs = append(attrs, slog.String("stack", string(f.panic.Stack)))
	}
	m.logger.LogAttrs(r.Context(), level, "request failed", attrs...)
}

// withMember returns a copy of ext with name set to value.
func withMember(ext map[string]any, name string, value any) map[string]any {
	out := make(map[string]any, len(ext)+1)
	maps.Copy(out, ext)
	out[name] = value
	return out
}

// correlationID returns the correlation id for r, whose response has the
// header h (nil if unknown): Options.Correlation's, or by default
// CorrelationID(r), else h's X-Request-Id.
func (m *Middleware) correlationID(r *http.Request, h http.Header) string {
	if m.correlation != nil {
		return m.correlation(r)
	}
	if id := CorrelationID(r); id != "" {
		return id
	}
	return requestID(first(h["X-Request-Id"]))
}

// header returns w's header, or nil for a nil w.
func header(w http.ResponseWriter) http.Header {
	if w == nil {
		return nil
	}
	return w.Header()
}
