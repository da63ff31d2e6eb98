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
// A Type made by Of or MustType also holds its code member, made once and
// shared by its problems, so that a problem of it costs what one without a
// code costs. Compare Types with errors.Is, which matches on the URI (see
// [Type.Is]), or by their fields: == also compares that part, so two Types
// made by Of, or one made by Of and one written out, are not ==.
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
	// Problems of the type carry it (see [Problem.Code]) and send it as
	// the extension member CodeMember. Empty, the default, adds no member.
	Code string
	// CodeMember names the extension member that carries Code. Empty means
	// [catalog.DefaultCodeMember], "code". A standard member's name cannot
	// be used: the member is then dropped when the problem is written (see
	// [Problem]).
	CodeMember string

	// code is what Of made for the type's problems to share (see
	// compileType): its code member, checked and encoded once. They share
	// it while Code and CodeMember still say the same (see sharedCode).
	// Nil for a Type made otherwise.
	code *ownMembers
}

// Of returns the problem type of a catalog's type: its URI, title, status
// and code. Problems of a catalog type get their Retry-After default from
// the type when the [Responder]'s catalog holds it. Call it once per type,
// at startup (see [Type]).
func Of(t catalog.Type) Type {
	pt := Type{URI: t.URI, Title: t.Title, Status: t.Status, Code: t.Code, CodeMember: t.CodeMember}
	if t.Code != "" {
		pt.code = compileType(pt)
	}
	return pt
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
func (t Type) New(detail string) *Problem { return t.problem(detail, nil, nil) }

// Newf is [Newf] for a problem of type t.
func (t Type) Newf(format string, args ...any) *Problem {
	detail, cause := formatDetail(format, args...)
	p := t.problem(detail, cause, nil)
	p.detailFromCause = cause != nil
	return p
}

// Wrap is [Wrap] for a problem of type t.
func (t Type) Wrap(err error) *Problem { return t.problem("", err, nil) }

// WrapInput is [Type.Wrap] for a problem that reports errors in the
// request's input: it carries items (see [Problem.InputErrors]), sent as
// the member "errors". The items are not copied: do not change them once
// given.
func (t Type) WrapInput(err error, items InputErrors) *Problem { return t.problem("", err, items) }

// problem returns a new problem of type t with the detail and the cause
// given, carrying t's code and input, if any: its shared code member (see
// sharedCode), else members made in one allocation with the problem.
func (t Type) problem(detail string, cause error, input InputErrors) *Problem {
	if input == nil {
		if shared := t.sharedCode(); t.Code == "" || shared != nil {
			return &Problem{Type: t.uri(), Title: t.Title, Status: t.Status, Detail: detail, cause: cause, own: shared}
		}
	}
	x := &carrying{
		p: Problem{Type: t.uri(), Title: t.Title, Status: t.Status, Detail: detail, cause: cause},
		o: ownMembers{input: input},
	}
	if t.Code != "" {
		x.o.codeMember, x.o.code = t.codeMember(), t.Code
	}
	x.p.own = &x.o
	return &x.p
}

// sharedCode returns the code member Of made for t, while Code and
// CodeMember still say the same, else nil.
func (t Type) sharedCode() *ownMembers {
	if o := t.code; o != nil && t.Code != "" && o.code == t.Code && o.codeMember == t.codeMember() {
		return o
	}
	return nil
}

func (t Type) codeMember() string { return cmp.Or(t.CodeMember, catalog.DefaultCodeMember) }

// Is reports whether target is the problem type t is, as [Problem.Is]
// matches types: a Type or a *Problem with the same URI, or for
// [AboutBlank], the same status. So errors.Is(err, t) asks "is err a t
// problem?" of a Type returned as an error too.
func (t Type) Is(target error) bool {
	switch x := target.(type) {
	case Type:
		return sameType(t.URI, t.Status, x.URI, x.Status)
	case *Problem:
		return x != nil && sameType(t.URI, t.Status, x.Type, x.Status)
	}
	return false
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
