package problem

import (
	"errors"
	"fmt"

	"github.com/problemkit/problemkit/catalog"
)

// checkURIRef reports a type or instance (named by member) that is not a
// URI reference by the rule of catalog.CheckURIReference, the one Load
// applies to a catalog's types: one that holds a character RFC 3986 does
// not allow (a space, a control character, one beyond ASCII, which a URI
// holds percent-encoded, RFC 3986 §2.1, or one of < > " { } | \ ^ and
// `), "#" twice, "[" or "]" outside the host, or that url.Parse rejects.
// Empty values and the common shapes pass without an allocation; the empty
// value and about:blank, the most frequent, without a call.
func checkURIRef(member, s string) error {
	if s == "" || s == AboutBlank {
		return nil
	}
	return checkURIRefOf(member, s)
}

// checkURIRefOf is checkURIRef for a value that is neither empty nor
// about:blank.
func checkURIRefOf(member, s string) error {
	err := catalog.CheckURIReference(s)
	if err == nil {
		return nil
	}
	reason := err.Error()
	if e, ok := errors.AsType[*catalog.URIReferenceError](err); ok {
		reason = e.Reason
	}
	return fmt.Errorf("problem: %s %q is not a URI reference: %s; sent as is", member, s, reason)
}
