package middleware

import (
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/problemkit/problemkit/internal/errs"
	"github.com/problemkit/problemkit/internal/restate"
	"github.com/problemkit/problemkit/problem"
)

// Wrap returns next behind the middleware, in the func(http.Handler)
// http.Handler shape that routers and other middleware use:
//
//   - A panic becomes a 500 problem; the panic value and stack go to the
//     log, and to the client only with ExposeErrors. A panic with an error
//     value is resolved like that error (panic(problem.New(403, "")) is a
//     403). http.ErrAbortHandler, or an error that wraps it, is re-panicked
//     unchanged, so the server aborts the response.
//   - A panic after the response was committed is logged (and passed to
//     OnError, as a *PanicError with its value and stack), and the
//     response aborted (unless it is a problem Wrap wrote in place of a
//     bare error, which is whole and is left to finish), so that the
//     client does not take a cut body for a whole one: Wrap panics again
//     with http.ErrAbortHandler itself, which net/http aborts without a
//     log line of its own, and which the recoverers further out (chi's
//     Recoverer, Echo's Recover, an outer Wrap) let through, as they let
//     through nothing else. A second panic while the first is handled (in
//     a mapper, a callback, or the methods of a typed nil the handler
//     panicked with) is logged beside it, and the response is a plain 500
//     problem.
//   - A bare error response from further down the stack (a 4xx or 5xx
//     whose Content-Type is empty or text/plain: http.Error, ServeMux 404
//     and 405, http.FileServer, http.TimeoutHandler's 503 page) becomes a
//     problem with the same status. The headers set for it are kept (Allow,
//     WWW-Authenticate, Retry-After, Content-Range, CORS) as they stood at
//     its WriteHeader: as in net/http, a change made to the header after
//     that is not sent, but as the value of a declared trailer. Its text
//     becomes the detail if it is a short 4xx text that says more than the
//     status phrase; 5xx text is logged and sent only with ExposeErrors.
//   - An error response without a Content-Type is held back until the
//     handler returns, flushes, or has written 8 KiB, and its body is then
//     judged whole: one JSON object or array passes through byte for byte,
//     with its status; anything else, such as text that merely starts with
//     a bracket ("[ERROR] dial tcp ..."), is replaced as a bare error. A
//     body longer than 8 KiB passes, streaming, if its first 8 KiB are the
//     start of one JSON object or array. A flush decides at once, on what
//     has been written so far.
//   - Everything else passes through untouched: 1xx-3xx, typed error
//     bodies (JSON, problems), responses already streaming.
//
// Errors net/http writes before any handler runs (malformed requests, 431
// for oversized headers, unsupported Transfer-Encoding) never reach
// middleware and stay text/plain.
//
// The ResponseWriter that next gets supports http.ResponseController
// (Flush, Hijack, deadlines) through Flush, Hijack and Unwrap methods. It is
// made for the request, and one that is used after next returns (as
// echo.WrapMiddleware's Echo does, to write the error a handler returned)
// passes everything through.
func (m *Middleware) Wrap(next http.Handler) http.Handler { return m.wrap(next, false) }

// wrap is Wrap, with writers from the pool when pooled is set: only for a
// next that is known to leave its writer when it returns, as net/http
// requires of handlers, and no framework in between that keeps it (as
// echo.WrapMiddleware's Echo keeps the one it hands on to write the error
// a handler returned).
func (m *Middleware) wrap(next http.Handler, pooled bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rw, ok := w.(*responseWriter); ok && rw.m == m {
			next.ServeHTTP(w, r) // already behind this middleware
			return
		}
		rw := m.newWriter(w, r, pooled)
		defer m.finish(rw, r)
		next.ServeHTTP(rw, r)
	})
}

// finish runs when the wrapped handler returns or panics.
func (m *Middleware) finish(rw *responseWriter, r *http.Request) {
	if v := recover(); v != nil {
		if aborts(v) {
			rw.discard() // nothing held back is sent: the response is aborted
			rw.retire()
			panic(v) // an abort, already reported if it is a Wrap's
		}
		pe := &PanicError{Value: v, Stack: debug.Stack()}
		// Judged already: a panic is never the client's doing.
		f := failure{err: pe, panic: pe, written: rw.committed(), status: rw.status, expose: m.exposeErrors}
		if f.written {
			m.lost(rw, r, f)
			if rw.state != stateReplaced {
				// Abort, so the client does not take a cut-off body for
				// a whole one. With http.ErrAbortHandler itself: the
				// recoverers further out (net/http's, chi's, Echo's) let
				// it through by identity, and take anything else for a
				// panic of their own, which they end the response after.
				// The panic is logged and went to OnError.
				rw.retire()
				panic(http.ErrAbortHandler)
			}
			// The problem that replaced a bare error is whole: let it
			// finish, the panic logged.
		} else {
			rw.discard()
			rw.restoreEncoding()
			m.handle(rw, r, &f, nil)
		}
	} else if rw.state == stateCapturing {
		rw.settle()
	}
	if rw.pooled {
		putWriter(rw)
	} else {
		rw.retire()
	}
}

// aborts reports whether v, a recovered panic value, asks for the response
// to be aborted: it is http.ErrAbortHandler (as Wrap's own abort is), or
// an error that wraps it (errors.Is, within errs.Walk's bound). The Unwrap
// methods it calls are the panicking code's: if one panics, v is taken for
// an ordinary panic, which Resolve then reports.
func aborts(v any) (abort bool) {
	if v == http.ErrAbortHandler {
		return true
	}
	err, ok := v.(error)
	if !ok {
		return false
	}
	defer func() {
		if recover() != nil {
			abort = false
		}
	}()
	return errs.Walk(err, func(e error) bool { return e == http.ErrAbortHandler })
}

// writeBare replaces a bare error response held back by rw with a problem.
func (m *Middleware) writeBare(rw *responseWriter) {
	status, held := rw.status, rw.bare.body
	text := strings.TrimSpace(string(held[:min(len(held), maxBareText)]))
	long := len(held) > maxBareText
	rw.discard()
	rw.restoreEncoding()

	err := &BareError{Status: status, Text: text}
	p := problem.Wrap(err, status) // its cause, whose text ExposeErrors sends
	// An untyped body that starts as JSON and was not whole (a flush cut
	// it short) is no text for a person, whatever the rules of a detail
	// make of it.
	cutJSON := rw.untyped() && startsComposite(held)
	if status < 500 && !long && !cutJSON && restate.IsDetail(text, status, rw.m.catalog.Title(status)) {
		p.Detail = text
	}
	m.handle(rw, rw.req, &failure{err: err, req: rw.req, expose: m.exposeErrors}, p)
	// Whatever the handler writes after this belongs to the bare error.
	rw.state = stateReplaced
}

// PanicError is the error a recovered panic becomes. Its text and stack are
// logged; clients see them only with ExposeErrors.
type PanicError struct {
	Value any    // the value passed to panic
	Stack []byte // the goroutine's stack at the panic
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Unwrap returns the panic value if it is an error, so that a panic with a
// problem, or with an error a mapper knows, resolves like that error.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// BareError is the error a bare error response becomes: one that a handler
// wrote itself, with http.Error or its like, and that Wrap replaced with a
// problem.
type BareError struct {
	Status int    // the status the handler wrote
	Text   string // its text, trimmed, at most 512 bytes
}

func (e *BareError) Error() string {
	if e.Text == "" {
		return fmt.Sprintf("bare %d response", e.Status)
	}
	return fmt.Sprintf("bare %d response: %s", e.Status, e.Text)
}
