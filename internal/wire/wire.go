// Package wire holds what the writer of problems (problem.Responder) and
// the middleware share about the headers of a problem response: the
// values every such response carries, and the test that tells a response
// the writer wrote from any other.
//
// The values are shared by all responses, as read-only slices, so that
// writing a problem allocates nothing for its headers. Header.Set, Add and
// Del never write into a value slice, and neither do net/http's servers or
// Echo; code that writes into one in place (h["Cache-Control"][0] = "...")
// would change it for every later response. [Shared] notices that on a
// later response and hands out new values from then on, and [Responded]
// does not depend on the values staying as they were. That is a safety
// net, not a guarantee, and no part of the public API: users are told only
// that Respond sets these headers.
package wire

import (
	"errors"
	"net/http"
	"sync/atomic"
	"unsafe"
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

// Values holds header values by index.
type Values [numValues]string

// One returns value i as a header value: a slice of capacity 1, so that
// Add on the response's header gets an array of its own instead of writing
// over the next value.
func (v *Values) One(i int) []string { return v[i : i+1 : i+1] }

// fixed are the values, never handed out.
var fixed = Values{
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

// table holds the values shared by every response. When code writes into
// them in place, Shared moves on to a new table, filled before it is
// published; the values of a table once handed out are never written again
// here, so a response holding them never races with the move. Responded
// knows the current table and the one before it, so a response written
// just before a move is still told a problem.
type table struct {
	Values
	prev atomic.Pointer[table]
}

// first is the table to begin with.
var first = table{Values: fixed}

// current is the table Shared hands out.
var current atomic.Pointer[table]

func init() { current.Store(&first) }

// Shared returns the values to set on a response. Once code has written
// into the values in place, which would otherwise change them for every
// later response, the next call finds that, reports it in the error and
// hands out new values from then on: one allocation for each such write,
// none for each response. A response that holds the values while another
// goroutine writes into them is not protected.
func Shared() (*Values, error) {
	t := current.Load()
	if t.intact() {
		return &t.Values, nil
	}
	n := &table{Values: fixed}
	n.prev.Store(t)
	if !current.CompareAndSwap(t, n) {
		// Another response moved on first.
		return &current.Load().Values, nil
	}
	t.prev.Store(nil) // keep no chain of old tables alive
	return &n.Values, errors.New("problem: a header value Respond sets was written into in place; later responses get new values")
}

// intact reports whether t's values are still the fixed ones. A value
// written in place is a string of its own: it compares the strings' data
// and lengths, which is as exact for that and needs no call per value (an
// array comparison calls memequal for each).
func (t *table) intact() bool {
	for i := range t.Values {
		if len(t.Values[i]) != len(fixed[i]) || unsafe.StringData(t.Values[i]) != unsafe.StringData(fixed[i]) {
			return false
		}
	}
	return true
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
		if v == &t.Values[i] {
			return true
		}
	}
	return false
}
