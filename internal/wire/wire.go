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
// later response and hands out values of each response's own from then on.
// That is a safety net, not a guarantee, and no part of the public API:
// users are told only that Respond sets these headers.
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

// shared are the values shared by every response.
var shared = fixed

// overwritten is set once Shared finds the shared values changed.
var overwritten atomic.Bool

// Shared returns the values to set on a response: the shared ones, or
// values of this response's own once code has written into the shared ones
// in place, which would otherwise change them for every later response.
// The check notices the write on a later response; a response that holds
// the shared values while another goroutine writes into them is not
// protected. The error, returned once, reports the write.
func Shared() (*Values, error) {
	if intact() {
		return &shared, nil
	}
	own := fixed
	if overwritten.CompareAndSwap(false, true) {
		return &own, errors.New("problem: a header value Respond sets was written into in place; each response now gets values of its own")
	}
	return &own, nil
}

// intact reports whether the shared values are still the fixed ones. A
// value written in place is a string of its own: it compares the strings'
// data and lengths, which is as exact for that and needs no call per value
// (an array comparison calls memequal for each).
func intact() bool {
	for i := range shared {
		if len(shared[i]) != len(fixed[i]) || unsafe.StringData(shared[i]) != unsafe.StringData(fixed[i]) {
			return false
		}
	}
	return true
}

// Responded reports whether h, the header of a response, is that of a
// problem the writer wrote with the shared values. It looks at which
// values h holds, not at what they say, so it reports false for a header
// copied from such a response, for a problem a handler wrote itself, and
// for every response once code has written into the shared values.
func Responded(h http.Header) bool {
	ct := h["Content-Type"]
	if len(ct) != 1 {
		return false
	}
	for i := range numContentTypes {
		if &ct[0] == &shared[i] {
			return true
		}
	}
	return false
}
