package problem

import (
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"time"

	"github.com/problemkit/problemkit/internal/errs"
)

// A Mapper turns an error into a problem, or returns nil when the error is
// not one it knows. [Resolve] calls it with each error of a chain in turn,
// outermost first, so a Mapper looks at the error it is given and need not
// unwrap it. Resolve gives the problem, on a copy, the whole error as its
// cause when it has none.
type Mapper func(err error) *Problem

// MapIs returns a Mapper for a sentinel error: an error that is target (as
// [errors.Is] compares them) becomes a problem of type t, without a detail.
//
//	problem.MapIs(sql.ErrNoRows, problem.Type{Status: http.StatusNotFound})
func MapIs(target error, t Type) Mapper {
	comparable := target != nil && reflect.TypeOf(target).Comparable()
	return func(err error) *Problem {
		if comparable && err == target {
			return t.New("")
		}
		if x, ok := err.(interface{ Is(error) bool }); ok && x.Is(target) {
			return t.New("")
		}
		return nil
	}
}

// MapAs returns a Mapper for an error type: an error of type E (found as
// [errors.As] finds it) is turned into a problem by f. f may return nil to
// pass the error on.
//
//	problem.MapAs(func(err *store.ConflictError) *problem.Problem {
//		return problem.New(http.StatusConflict, "version "+err.Version+" is stale")
//	})
func MapAs[E error](f func(E) *Problem) Mapper {
	return func(err error) *Problem {
		if e, ok := err.(E); ok {
			return f(e)
		}
		if x, ok := err.(interface{ As(any) bool }); ok {
			var e E
			if x.As(&e) {
				return f(e)
			}
		}
		return nil
	}
}

// Resolve returns the problem an error stands for. It looks at the error
// and the errors it wraps, outermost first, and takes the first of:
//
//  1. nil: no problem (nil).
//  2. A [*Problem] or a [Type] in the chain: that problem (not a copy; clone
//     it before changing it), or a new problem of that type. A foreign
//     problem, read from another server's response (see [Problem.Foreign]),
//     is not taken here: it is the other server's answer to this one, and
//     its detail, extensions (a stack) and headers (an auth challenge) are
//     not for this server's clients.
//  3. The mappers, in order. They see foreign problems too: [Relay] relays
//     one, and [MapIs] with a [Type] maps one by its type. A foreign problem
//     that no mapper takes resolves as unknown (step 6).
//  4. An error with a method Problem() *Problem that returns non-nil; then
//     one with a method StatusCode() int: a problem with that status and no
//     detail.
//  5. Standard errors: [context.DeadlineExceeded], [os.ErrDeadlineExceeded]
//     and a [net.Error] whose Timeout method reports true (an
//     [http.Client] timeout, a dial or read deadline) are 504 Gateway
//     Timeout, [context.Canceled] is 500 Internal Server Error (something
//     inside was cancelled: whether the client has gone is a question
//     about the request, which the middleware asks of every error),
//     [errors.ErrUnsupported] is 501 Not Implemented,
//     [*http.MaxBytesError] and [multipart.ErrMessageTooLarge] are 413
//     Content Too Large, and [http.ErrNotMultipart] and
//     [http.ErrMissingBoundary] (a broken multipart form) and
//     [url.EscapeError] (a malformed query or form, from
//     Request.ParseForm) are 400.
//  6. Anything else: 500 Internal Server Error, with no detail. The error's
//     text is never copied into the problem.
//
// Steps 2 to 5 each search the whole chain before the next step begins, so a
// *Problem deep in a chain wins over a mapper that matches near its top.
//
// A chain can fork: errors.Join, and fmt.Errorf with several %w, wrap more
// than one error. When the steps find nothing above a fork, each of its
// branches is resolved on its own (an unknown one as a 500) and the most
// severe wins: a 5xx beats a 4xx, and between equals the earlier branch
// wins. A server error is thus never hidden behind a client error.
//
// When the chosen problem has no Retry-After header, the first error in the
// whole tree with a method RetryAfter() time.Duration that returns a positive
// delay gives it one (on a copy). A foreign problem is passed over: its
// Retry-After was the upstream's (Relay can keep it).
//
// Problems from steps 3 to 6 keep err as their cause, unless they came with
// a cause of their own.
//
// Resolve looks at 10,000 errors of the tree at most, so that an error
// that wraps itself cannot hang it: what lies beyond (the rest of a chain,
// the branches of a join not reached) counts as unknown.
func Resolve(err error, mappers ...Mapper) *Problem {
	if err == nil {
		return nil
	}
	// The most frequent case, a problem of this server's at the top of the
	// chain, is what step 2 finds first: nothing below it can win, and the
	// chain is not walked.
	p, _ := err.(*Problem)
	atTop := p != nil && !p.foreign
	if !atTop {
		budget := errs.Max
		if p = resolveKnown(err, mappers, &budget); p == nil {
			p = &Problem{Type: AboutBlank, Status: http.StatusInternalServerError, cause: err}
		}
	}
	if h, changed := canonicalHeader(p.Header); changed {
		p = p.Clone()
		p.Header = h
	}
	// The Retry-After of the tree. A problem at the top without a cause is
	// the whole tree, and its own RetryAfter method would read the header
	// just found empty: there is nothing to search.
	wholeTree := atTop && p.cause == nil
	if len(p.Header["Retry-After"]) == 0 && !wholeTree {
		if d := findRetryAfter(err); d > 0 {
			p = p.WithRetryAfter(d)
		}
	}
	return p
}

// resolveKnown applies steps 2 to 5 to err, or returns nil. budget is how
// many more errors of the tree it may look at (each counts once); when it
// runs out, what is not reached counts as unknown.
func resolveKnown(err error, mappers []Mapper, budget *int) *Problem {
	// The chain is err and the errors it wraps one at a time, up to a fork.
	var buf [16]error
	chain := buf[:0]
	var fork []error
	for e := err; e != nil && *budget > 0; {
		*budget--
		chain = append(chain, e)
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			e = u.Unwrap()
		case interface{ Unwrap() []error }:
			fork, e = u.Unwrap(), nil
		default:
			e = nil
		}
	}

	for _, e := range chain {
		switch v := e.(type) {
		case *Problem:
			if v != nil && !v.foreign {
				return v
			}
		case Type:
			return v.Wrap(err)
		}
	}
	for _, m := range mappers {
		for _, e := range chain {
			if p := m(e); p != nil {
				return withCause(p, err)
			}
		}
	}
	for _, e := range chain {
		if x, ok := e.(interface{ Problem() *Problem }); ok {
			if p := x.Problem(); p != nil {
				return withCause(p, err)
			}
		}
	}
	for _, e := range chain {
		if _, isProblem := e.(*Problem); isProblem {
			continue // step 2 took any other but a nil or a foreign one
		}
		if x, ok := e.(interface{ StatusCode() int }); ok {
			return &Problem{Type: AboutBlank, Status: x.StatusCode(), cause: err}
		}
	}
	for _, e := range chain {
		if p := standardProblem(e); p != nil {
			p.cause = err
			return p
		}
	}

	var best *Problem
	for _, branch := range fork {
		if branch == nil {
			continue
		}
		var p *Problem
		if *budget > 0 {
			p = resolveKnown(branch, mappers, budget)
		}
		if p == nil {
			p = &Problem{Type: AboutBlank, Status: http.StatusInternalServerError, cause: err}
		}
		if best == nil || severity(p.Status) > severity(best.Status) {
			best = p
		}
	}
	return best
}

// withCause returns p with err as its cause, on a copy: a mapper or a
// Problem method may return a problem it shares. A problem with a cause of
// its own is returned as it is.
func withCause(p *Problem, err error) *Problem {
	if p.cause != nil {
		return p
	}
	q := *p
	q.cause = err
	return &q
}

// standardProblem maps the standard library's errors (step 5), looking at e
// alone.
func standardProblem(e error) *Problem {
	if isShallow(e, context.DeadlineExceeded) || isShallow(e, os.ErrDeadlineExceeded) || isTimeout(e) {
		return &Problem{Type: AboutBlank, Status: http.StatusGatewayTimeout}
	}
	if isShallow(e, context.Canceled) {
		return &Problem{Type: AboutBlank, Status: http.StatusInternalServerError}
	}
	if isShallow(e, errors.ErrUnsupported) {
		return &Problem{Type: AboutBlank, Status: http.StatusNotImplemented}
	}
	switch e {
	case http.ErrNotMultipart, http.ErrMissingBoundary:
		return &Problem{Type: AboutBlank, Status: http.StatusBadRequest, Detail: "The request body is not a valid multipart form."}
	case multipart.ErrMessageTooLarge:
		return &Problem{Type: AboutBlank, Status: http.StatusRequestEntityTooLarge, Detail: "The multipart form is larger than the server accepts."}
	}
	if _, ok := e.(url.EscapeError); ok {
		// From parsing a query or a form (Request.ParseForm): the request's.
		return &Problem{Type: AboutBlank, Status: http.StatusBadRequest, Detail: "The request has a malformed percent-encoding."}
	}
	if mb, ok := e.(*http.MaxBytesError); ok {
		return &Problem{
			Type:   AboutBlank,
			Status: http.StatusRequestEntityTooLarge,
			Detail: fmt.Sprintf("The request content is larger than the limit of %d bytes.", mb.Limit),
		}
	}
	return nil
}

// isShallow is errors.Is for e alone, without unwrapping it.
func isShallow(e, target error) bool {
	if e == target {
		return true
	}
	x, ok := e.(interface{ Is(error) bool })
	return ok && x.Is(target)
}

// isTimeout reports whether e itself is a network timeout: a [net.Error]
// whose Timeout method says so, such as the *url.Error of an http.Client
// timeout or the *net.OpError of a deadline. Its Timeout method speaks for
// e; the errors it wraps are looked at in their turn.
func isTimeout(e error) bool {
	ne, ok := e.(net.Error)
	return ok && ne.Timeout()
}

// severity ranks statuses for choosing among the branches of a fork.
func severity(status int) int {
	switch {
	case status >= 500 && status <= 599:
		return 2
	case status >= 400 && status <= 499:
		return 1
	}
	return 0
}

// findRetryAfter returns the first positive RetryAfter() in err's tree,
// passing over foreign problems: their Retry-After is the upstream's.
func findRetryAfter(err error) time.Duration {
	var d time.Duration
	errs.Walk(err, func(e error) bool {
		if p, ok := e.(*Problem); ok && p.Foreign() {
			return false
		}
		if x, ok := e.(interface{ RetryAfter() time.Duration }); ok {
			d = x.RetryAfter()
		}
		return d > 0
	})
	return d
}
