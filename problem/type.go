package problem

import (
	"cmp"
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
//
// A catalog's error-code types become Types with [MustType] (or [Of]), made
// once at startup:
//
//	var TokenExpired = problem.MustType(cat, "APIGW.0301")
//
//	return TokenExpired.New("token expired")
//
// A Type is comparable: two Types are == when their fields are, however
// each was made, so a Type can be a map key or a case of a switch.
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
	// Code is the error code of a catalog's type (see [catalog.Type]).
	// Every problem of the type carries it, outside its Extensions, and
	// sends it as the extension member CodeMember, in its sorted place
	// among the extensions, unless Extensions has an entry of that name,
	// which is sent instead (see [Problem.Code]). Empty, the default, adds
	// no member: to send a problem of a catalog's type without its code,
	// make it of a copy of the Type with Code cleared.
	Code string
	// CodeMember names the extension member that carries Code. Empty means
	// [catalog.DefaultCodeMember], "code". A standard member's name cannot
	// be used: the member is then dropped when the problem is written (see
	// [Problem]).
	CodeMember string
}

// Of returns the problem type of a catalog's type: its URI, title, status
// and code. Problems of a catalog type get their Retry-After default from
// the type when the [Responder]'s catalog holds it.
func Of(t catalog.Type) Type {
	return Type{URI: t.URI, Title: t.Title, Status: t.Status, Code: t.Code, CodeMember: t.CodeMember}
}

// MustType returns the problem type of the catalog's type with the given
// code (see [Of]). It panics if cat has no such type: call it at startup,
// as a package-level variable or while the service is set up, so that a
// code the catalog lacks stops the program before it serves a request.
func MustType(cat *catalog.Catalog, code string) Type {
	t, ok := cat.Type(code)
	if !ok {
		panic(fmt.Sprintf("problem: the catalog has no type with code %q", code))
	}
	return Of(t)
}

// New returns a problem of type t with the given detail.
func (t Type) New(detail string) *Problem { return t.problem(detail, nil) }

// Newf is [Newf] for a problem of type t.
func (t Type) Newf(format string, args ...any) *Problem {
	detail, cause := formatDetail(format, args...)
	p := t.problem(detail, cause)
	p.detailFromCause = cause != nil
	return p
}

// Wrap is [Wrap] for a problem of type t.
func (t Type) Wrap(err error) *Problem { return t.problem("", err) }

// problem returns a new problem of type t with the detail and the cause
// given, carrying t's code, if it has one: the code member its problems
// share (see typeCodes), else one made in one allocation with the problem.
func (t Type) problem(detail string, cause error) *Problem {
	var code *typeCode
	if t.Code != "" {
		if code = sharedCode(t); code == nil {
			x := &struct {
				p Problem
				c typeCode
			}{c: typeCode{member: t.codeMember(), code: t.Code}}
			x.p = Problem{Type: t.uri(), Title: t.Title, Status: t.Status, Detail: detail, cause: cause, code: &x.c}
			return &x.p
		}
	}
	return &Problem{Type: t.uri(), Title: t.Title, Status: t.Status, Detail: detail, cause: cause, code: code}
}

func (t Type) codeMember() string { return cmp.Or(t.CodeMember, catalog.DefaultCodeMember) }

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
