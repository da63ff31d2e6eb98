package problem

import (
	"fmt"

	"github.com/problemkit/problemkit/catalog"
)

// Type is a reusable problem type (RFC 9457 §4): the URI that identifies it,
// its title and the status it is sent with. A Type is an immutable value, so
// it can be a package-level variable; its New method returns a fresh
// [*Problem] each time.
//
// A Type is also an error. Returning it from a handler sends a problem of that
// type without a detail, and errors.Is(err, t) reports whether err holds a
// problem of type t:
//
//	var OutOfCredit = problem.Type{
//		URI:    "https://example.com/probs/out-of-credit",
//		Title:  "You do not have enough credit.",
//		Status: http.StatusForbidden,
//	}
//
//	return OutOfCredit.New("Your current balance is 30, but that costs 50.")
type Type struct {
	// URI identifies the type. Empty means [AboutBlank]; then the status
	// alone says what went wrong.
	URI string
	// Title summarizes the type. Empty means the catalog's phrase for
	// Status. A type without a URI is sent with that phrase whatever its
	// Title (RFC 9457 §4.2.1); its Title shows only in logs.
	Title string
	// Status is the HTTP status code problems of this type are sent with.
	Status int
}

// New returns a problem of type t with the given detail.
func (t Type) New(detail string) *Problem {
	return &Problem{Type: t.uri(), Title: t.Title, Status: t.Status, Detail: detail}
}

// Newf is [Newf] for a problem of type t.
func (t Type) Newf(format string, args ...any) *Problem {
	p := Newf(t.Status, format, args...)
	p.Type, p.Title = t.uri(), t.Title
	return p
}

// Wrap is [Wrap] for a problem of type t.
func (t Type) Wrap(err error) *Problem {
	p := t.New("")
	p.cause = err
	return p
}

// Error returns the type's status and title, for logs.
func (t Type) Error() string {
	title := t.Title
	if title == "" {
		title = catalog.Default().Title(t.Status)
	}
	if isBlank(t.URI) {
		return fmt.Sprintf("%d %s", t.Status, title)
	}
	return fmt.Sprintf("%d %s (%s)", t.Status, title, t.URI)
}

func (t Type) uri() string {
	if t.URI == "" {
		return AboutBlank
	}
	return t.URI
}
