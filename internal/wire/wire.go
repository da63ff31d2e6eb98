// Package wire holds what the writer of problems (problem.Responder) and
// the middleware share about the headers of a problem response: the
// values every such response carries, and the test that tells a response
// the writer wrote from any other.
//
// The values are shared by all responses, as read-only slices, so that
// writing a problem allocates nothing for its headers; so are the values
// of each language a Responder has negotiated. Both are a [Set]. Header.Set,
// Add and Del never write into a value slice, and neither do net/http's
// servers or Echo; code that writes into one in place
// (h["Cache-Control"][0] = "...") would change it for every later
// response. [Set.Intact] notices that on a later response, whose writer
// then hands out new values and reports [ErrWrittenInPlace] once, and
// [Responded] does not depend on the values staying as they were. That is
// a safety net, not a guarantee, and no part of the public API: users are
// told only that Respond sets these headers.
package wire

import (
	"errors"
	"net/http"
	"sync/atomic"
)

// The values, by index. The Content-Type of each format comes first, in
// the order of problem's formats (JSON, XML, HTML).
const (
	ContentTypeJSON = iota
	ContentTypeXML
	ContentTypeHTML
	Nosniff // X-Content-Type-Options
	NoStore // Cache-Control
	Accept  // Vary
	Close   // Connection
	// CSP is the Content-Security-Policy of the HTML page: nothing may
	// load or run; only the page's own style applies.
	CSP
	numValues
)

// numContentTypes is the number of Content-Type values.
const numContentTypes = ContentTypeHTML + 1

// fixed are the values, never handed out.
var fixed = [numValues]string{
	ContentTypeJSON: "application/problem+json",
	ContentTypeXML:  "application/problem+xml",
	ContentTypeHTML: "text/html; charset=utf-8",
	Nosniff:         "nosniff",
	NoStore:         "no-store",
	Accept:          "Accept",
	Close:           "close",
	CSP:             "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
}

// Value returns value i.
func Value(i int) string { return fixed[i] }

// Set is header values shared by the responses that carry them, as
// read-only slices, with the strings it was made of to check them against:
// the fixed values of [Shared], and any other values a writer shares the
// same way (the Content-Language and Vary of a negotiated language). A Set
// is never changed here once made, so a response holding its values never
// races with the check. The zero value holds no values.
type Set struct {
	vals []string // handed out
	made []string // the same strings, never handed out
}

// NewSet returns a set of the values, by index.
func NewSet(values ...string) Set {
	n := len(values)
	b := make([]string, 2*n)
	copy(b, values)
	copy(b[n:], values)
	return Set{vals: b[:n:n], made: b[n:]}
}

// One returns value i as a header value: a slice of capacity 1, so that
// Add on the response's header gets an array of its own instead of writing
// over the next value.
func (s *Set) One(i int) []string { return s.vals[i : i+1 : i+1] }

// Span returns values i to j-1 as the values of one header, clipped as
// [Set.One] is.
func (s *Set) Span(i, j int) []string { return s.vals[i:j:j] }

// Intact reports whether s's values are still the strings it was made of:
// code may have written into them in place through a response's header. A
// value written in place is a string of its own: it compares the strings'
// data and lengths, which is as exact for that and needs no call per value
// (comparing by value calls memequal for each). It compares them all at
// once, as the bytes of the two arrays of string headers (the data
// pointers and lengths), which are equal exactly when each value is. A
// writer that finds a Set not intact hands out a new one from then on and
// reports [ErrWrittenInPlace] once.
func (s *Set) Intact() bool {
	if len(s.vals) == 0 {
		return true
	}
	return sameHeaders(s.vals, s.made[:len(s.vals)])
}

// ErrWrittenInPlace is the error a writer reports, once, when it finds a
// [Set] it handed out not intact.
var ErrWrittenInPlace = errors.New("problem: a header value Respond sets was written into in place; later responses get new values")

// table holds the values shared by every response. When code writes into
// them in place, Shared moves on to a new table, filled before it is
// published. Responded knows the current table and the one before it, so a
// response written just before a move is still told a problem.
type table struct {
	Set
	prev atomic.Pointer[table]
}

func newTable() *table { return &table{Set: NewSet(fixed[:]...)} }

// current is the table Shared hands out.
var current atomic.Pointer[table]

func init() { current.Store(newTable()) }

// Shared returns the values to set on a response, by the indexes above.
// Once code has written into the values in place, which would otherwise
// change them for every later response, the next call finds that, reports
// it in the error ([ErrWrittenInPlace]) and hands out new values from then
// on: two allocations for each such write, none for each response. A
// response that holds the values while another goroutine writes into them
// is not protected.
func Shared() (*Set, error) {
	t := current.Load()
	if t.Intact() {
		return &t.Set, nil
	}
	n := newTable()
	n.prev.Store(t)
	if !current.CompareAndSwap(t, n) {
		// Another response moved on first.
		return &current.Load().Set, nil
	}
	t.prev.Store(nil) // keep no chain of old tables alive
	return &n.Set, ErrWrittenInPlace
}

// Responded reports whether h, the header of a response, is that of a
// problem the writer wrote. It looks at which value h holds for the
// Content-Type, not at what the values say, so it reports false for a
// header copied from such a response and for a problem a handler wrote
// itself, and true for the writer's own whatever code has written into the
// values since, until a second such write after it.
func Responded(h http.Header) bool {
	ct := h["Content-Type"]
	if len(ct) != 1 {
		return false
	}
	t := current.Load()
	if t.holds(&ct[0]) {
		return true
	}
	prev := t.prev.Load()
	return prev != nil && prev.holds(&ct[0])
}

// holds reports whether v is one of t's Content-Type values.
func (t *table) holds(v *string) bool {
	for i := range numContentTypes {
		if v == &t.vals[i] {
			return true
		}
	}
	return false
}
