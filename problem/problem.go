package problem

import (
	"encoding"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/members"
)

// AboutBlank is the default problem type (RFC 9457 §4.2.1): a problem of this
// type has no meaning beyond its HTTP status code, and its title is the
// status phrase. An empty [Problem.Type] means the same.
const AboutBlank = "about:blank"

// Problem is an RFC 9457 problem details object, usable as a Go error.
//
// The five standard members are fields. Extensions holds the other top-level
// members, but for the code of a problem's [Type], which the problem
// carries itself (see [Type.Code] and [Problem.Code]); a name that equals a standard member ("type", "title", "status",
// "detail", "instance") without regard to case ("Status", "TYPE"), as
// encoding/json matches names, cannot shadow it: such an entry is dropped
// when the problem is written ([Problem.AppendJSON], [Responder]), which
// reports it, and makes [Problem.MarshalJSON] fail. Header holds the
// response headers the problem needs, such as Retry-After, Allow or
// WWW-Authenticate.
//
// A Problem also keeps the error that caused it (see [Wrap] and [Newf]), so
// [errors.Is] and [errors.As] see through it. The cause is never sent to the
// client; it is for logs.
//
// A problem read from a response ([FromResponse]) is foreign: another
// server's answer, which [Resolve] does not send on as it is (see
// [Problem.Foreign]).
//
// A Problem is a plain value owned by whoever made it. The With... methods
// return modified copies and leave the receiver alone, so a problem can be
// kept as a template. Do not change a problem that another goroutine may be
// writing.
type Problem struct {
	// Type is a URI reference that identifies the problem type. Empty means
	// [AboutBlank].
	Type string
	// Title is a short summary of the problem type. When it is empty, and
	// whenever Type is about:blank (RFC 9457 §4.2.1), the response uses the
	// catalog's phrase for Status.
	Title string
	// Status is the HTTP status code. A response carries it both in the
	// status line and in the body.
	Status int
	// Detail explains this occurrence of the problem to the client.
	Detail string
	// Instance is a URI reference that identifies this occurrence.
	Instance string
	// Extensions are additional top-level members, encoded after the
	// standard ones, sorted by name. The code of a problem's [Type] (see
	// [Type.Code] and [Problem.Code]) is not among them: the problem
	// carries it from its making, and it is sent in its sorted place among
	// these, unless an entry here of the same name is sent in its stead.
	Extensions map[string]any
	// Header holds response headers this problem needs.
	Header http.Header

	cause error
	// foreign marks a problem read from a response (see Foreign).
	foreign bool
	// detailFromCause is set by Newf when it formats the detail from
	// wrapped errors (%w): while Detail still equals the cause's text,
	// which is that detail, it is internal for 5xx problems. (Beside
	// foreign it takes no room.)
	detailFromCause bool
	// prepared is the status Responder.Prepare gave the problem, if it
	// returned it: Respond sends it as it is while Status still equals it.
	// (A sendable status fits, and beside foreign it takes no room.)
	prepared uint16
	// rateReset is the latest reset of a used-up rate limit, in seconds
	// (see WithRateLimit): Respond sends no earlier Retry-After. Beside
	// foreign and prepared it takes no room of its own.
	rateReset uint32
	// code is the code member the problem carries from its type (see
	// typeCode), or nil. It is shared by the copies of the problem, and
	// never written once set. (With it the problem takes 120 bytes,
	// within the 128-byte size class: see TestProblemSize.)
	code *typeCode
}

// typeCode is the code member a problem of a [Type] with a code carries
// outside Extensions, so that making the problem costs no map: the
// member's name (CodeMember, or "code") and the code. The encoders send it
// among the extensions, in its sorted place, under the same rules (see
// memberNames), unless Extensions has an entry of its name, which is sent
// instead.
type typeCode struct {
	member, code string
	// compiled is what the problems of the Type need of it, checked and
	// encoded once, when the typeCode comes from typeCodes; else nil.
	compiled *compiledType
}

// compiledType is what the problems of a Type with a code need of it,
// checked and encoded once (see compileType).
type compiledType struct {
	// uri and title are the type's, as its problems start out; head is
	// the JSON of their members, `{"type":"…","title":"…"`, which a
	// problem that still has them is written with.
	uri, title, head string
	// uriChecked reports whether uri is a URI reference (see checkURIRef).
	uriChecked bool
	// codeJSON is the JSON of the code member, `"code":"APIGW.0301"`, or
	// empty when its name cannot be sent.
	codeJSON string
}

// maxTypeCodes bounds typeCodes: a catalog's types, and the Types a
// program writes out, are far fewer. (Each Type added copies the map, so
// the bound also bounds that work.)
const maxTypeCodes = 4096

// typeCodes holds, for each Type with a code that problems have been made
// of, their code member with what they need of the Type, checked and
// encoded once (see compileType), so that a problem of a catalog's type
// costs what an about:blank one costs. It is keyed by the Type's code, a
// short string that is quick to hash, and each Type under a code is
// matched by == (a Type stays a plain comparable value). It is safe for
// concurrent use. Once it holds maxTypeCodes Types, a problem of another
// Type gets its code member made with it (see Type.problem).
var typeCodes struct {
	m  atomic.Pointer[map[string][]typeCodeEntry] // Type.Code -> its Types; never written once stored
	mu sync.Mutex                                 // held to add a Type
	n  atomic.Int32
}

// typeCodeEntry is a Type in typeCodes and the code member its problems
// share.
type typeCodeEntry struct {
	t Type
	c *typeCode
}

// sharedCode returns the code member the problems of t, a Type with a
// code, share (see typeCodes), or nil when typeCodes is full.
func sharedCode(t Type) *typeCode {
	if m := typeCodes.m.Load(); m != nil {
		for _, e := range (*m)[t.Code] {
			if e.t == t {
				return e.c
			}
		}
	}
	if typeCodes.n.Load() >= maxTypeCodes {
		return nil
	}
	return addTypeCode(t)
}

// addTypeCode adds t to typeCodes, unless it is full, and returns the
// code member it holds for t.
func addTypeCode(t Type) *typeCode {
	typeCodes.mu.Lock()
	defer typeCodes.mu.Unlock()
	var old map[string][]typeCodeEntry
	if m := typeCodes.m.Load(); m != nil {
		old = *m
	}
	for _, e := range old[t.Code] {
		if e.t == t {
			return e.c // added since
		}
	}
	if typeCodes.n.Load() >= maxTypeCodes {
		return nil
	}
	// A new map, so that readers need no lock: typeCodes is small, and a
	// Type is added once.
	m := make(map[string][]typeCodeEntry, len(old)+1)
	maps.Copy(m, old)
	c := compileType(t)
	m[t.Code] = append(slices.Clip(old[t.Code]), typeCodeEntry{t, c})
	typeCodes.m.Store(&m)
	typeCodes.n.Add(1)
	return c
}

// compileType returns the code member that the problems of t, a Type with
// a code, share, with what they need of t, checked and encoded once.
func compileType(t Type) *typeCode {
	x := &struct {
		o typeCode
		c compiledType
	}{o: typeCode{member: t.codeMember(), code: t.Code}, c: compiledType{uri: t.uri(), title: t.Title}}
	o, c := &x.o, &x.c
	o.compiled = c
	c.uriChecked = checkURIRef("type", c.uri) == nil
	b := appendString(append([]byte(nil), `{"type":`...), c.uri)
	if c.title != "" {
		b = appendString(append(b, `,"title":`...), c.title)
	}
	c.head = string(b)
	if !isStandardMember(o.member) {
		b = appendString(b[:0], o.member)
		c.codeJSON = string(appendString(append(b, ':'), o.code))
	}
	return o
}

// compiled returns what the problems of p's Type share of it (see
// compileType), or nil.
func (p *Problem) compiled() *compiledType {
	if p.code == nil {
		return nil
	}
	return p.code.compiled
}

var (
	_ error          = (*Problem)(nil)
	_ slog.LogValuer = (*Problem)(nil)
)

// New returns a problem of type [AboutBlank] with the given status and
// detail. Its title comes from the catalog when the problem is written.
func New(status int, detail string) *Problem {
	return &Problem{Type: AboutBlank, Status: status, Detail: detail}
}

// Newf returns a problem whose detail is fmt.Sprintf(format, args...). As
// with [fmt.Errorf], each %w verb wraps its operand, which becomes the
// problem's cause.
//
// A detail formatted from wrapped errors carries their text. For a 5xx
// status that text is treated as internal: a [Responder] leaves such a detail
// out unless ExposeErrors is set. Prefer [Wrap] with a detail of your own.
func Newf(status int, format string, args ...any) *Problem {
	detail, cause := formatDetail(format, args...)
	return &Problem{Type: AboutBlank, Status: status, Detail: detail, cause: cause, detailFromCause: cause != nil}
}

// formatDetail returns the detail Newf formats and, when a %w verb wrapped
// errors, the error fmt.Errorf made, whose text the detail is.
func formatDetail(format string, args ...any) (string, error) {
	err := fmt.Errorf(format, args...)
	switch err.(type) {
	case interface{ Unwrap() error }, interface{ Unwrap() []error }:
		return err.Error(), err
	}
	return err.Error(), nil
}

// Wrap returns a problem with the given status that keeps err as its cause.
// The error's text is not copied into the detail. Wrap(nil, status) returns
// a problem without a cause.
func Wrap(err error, status int) *Problem {
	return &Problem{Type: AboutBlank, Status: status, cause: err}
}

// Error returns the status, the title (or the default catalog's phrase),
// the detail and the cause, for logs. It is never sent to a client.
func (p *Problem) Error() string {
	if p == nil {
		return "<nil problem>"
	}
	var b strings.Builder
	b.WriteString(strconv.Itoa(p.Status))
	b.WriteByte(' ')
	if p.Title != "" {
		b.WriteString(p.Title)
	} else {
		b.WriteString(catalog.Default().Title(p.Status))
	}
	if p.Detail != "" {
		b.WriteString(": ")
		b.WriteString(p.Detail)
	}
	if p.cause != nil && !p.detailIsCause() && !isMembers(p.cause) {
		b.WriteString(": ")
		b.WriteString(p.cause.Error())
	}
	return b.String()
}

// detailIsCause reports whether Detail is still the text Newf formatted
// from wrapped errors: the text of the error fmt.Errorf made, which Newf
// keeps as the cause.
func (p *Problem) detailIsCause() bool {
	return p.detailFromCause && p.cause != nil && p.Detail != "" && p.Detail == p.cause.Error()
}

// Unwrap returns the error that caused the problem, or nil.
func (p *Problem) Unwrap() error {
	if p == nil {
		return nil
	}
	return p.cause
}

// Is reports whether target is a problem [Type] or a *Problem of the same
// problem type as p. Types other than [AboutBlank] match on their URI alone;
// [AboutBlank] problems match when their statuses are equal. Titles and
// details never take part, so errors.Is(err, t) asks "is err a t problem?".
func (p *Problem) Is(target error) bool {
	if p == nil {
		return false
	}
	switch t := target.(type) {
	case Type:
		return p.hasType(t.URI, t.Status)
	case *Problem:
		return t != nil && p.hasType(t.Type, t.Status)
	}
	return false
}

func (p *Problem) hasType(uri string, status int) bool {
	if isBlank(uri) {
		return isBlank(p.Type) && p.Status == status
	}
	return p.Type == uri
}

func isBlank(uri string) bool { return uri == "" || uri == AboutBlank }

// StatusCode returns p.Status. It lets code that knows only
// interface{ StatusCode() int } (Echo v5's HTTPStatusCoder, for one) read
// the status.
func (p *Problem) StatusCode() int { return p.Status }

// Code returns the error code p sends: the value of its code member, the
// member its type names for the code (see [Type.CodeMember]; "code" for a
// problem of a type without a code, or read with [FromResponse]). A
// problem of a [Type] with a Code carries that code, outside Extensions;
// an entry of Extensions of the member's name is sent instead, and Code
// returns that. Code returns "" when p sends no such member, or one that
// is not a string, as when the member's name is that of a standard member
// and the member is dropped (see [Problem]).
func (p *Problem) Code() string {
	if p == nil {
		return ""
	}
	name := catalog.DefaultCodeMember
	if p.code != nil {
		name = p.code.member
	}
	v, ok := p.member(name)
	if !ok || isStandardMember(name) {
		return ""
	}
	if mayShareName(name) { // another name may come out as this one, and win
		keys := p.memberNames(nil)
		if i := slices.Index(keys, name); i < 0 || memberError(keys, i) != nil {
			return ""
		}
	}
	s, _ := v.(string)
	return s
}

// member returns the value of p's extension member name: its entry in
// Extensions, else the code p carries under that name (see typeCode). ok
// reports whether p has such a member. It tells code that adds a member
// whether p has one of that name already, wherever p keeps it.
func (p *Problem) member(name string) (v any, ok bool) {
	if v, ok := p.Extensions[name]; ok {
		return v, true
	}
	if c := p.code; c != nil && name == c.member {
		return c.code, true
	}
	return nil, false
}

func init() {
	members.Has = func(p Problem, name string) bool {
		_, ok := p.member(name)
		return ok
	}
}

// RetryAfter returns how long the client should wait before repeating the
// request, read from p's Header as [RetryAfterOf] reads a response's, with
// now as the time received: the delay-seconds of Retry-After; for a date,
// the time from p's Date header to it when Date is a valid HTTP-date, else
// the time from now, on the local clock, to it. It is 0 when Retry-After
// is absent, invalid or in the past.
//
// A problem read with [FromResponse] keeps the response's Date beside its
// Retry-After, so it says what Advise of package problem/retry says of the
// response: a delay counted on the server's clock, the same whenever it is
// asked. A problem of this server's, made with [Problem.WithRetryAt], has
// no Date: its date is counted on the local clock, and the delay shrinks
// as time passes.
func (p *Problem) RetryAfter() time.Duration {
	if p == nil || len(p.Header["Retry-After"]) == 0 { // the usual case: no clock to read
		return 0
	}
	d, _ := RetryAfterOf(p.Header, time.Now())
	return d
}

// LogValue implements [slog.LogValuer]. It logs the members that are set,
// the extensions and the cause's text, which stay in the log; it never
// changes what a client sees.
func (p *Problem) LogValue() slog.Value {
	if p == nil {
		return slog.StringValue("<nil>")
	}
	attrs := make([]slog.Attr, 0, 7)
	attrs = append(attrs, slog.Int("status", p.Status))
	if !isBlank(p.Type) {
		attrs = append(attrs, slog.String("type", p.Type))
	}
	if p.Title != "" {
		attrs = append(attrs, slog.String("title", p.Title))
	}
	if p.Detail != "" {
		attrs = append(attrs, slog.String("detail", p.Detail))
	}
	if p.Instance != "" {
		attrs = append(attrs, slog.String("instance", p.Instance))
	}
	if p.hasMembers() {
		names := p.memberNames(nil)
		ext := make([]slog.Attr, 0, len(names))
		for _, k := range names {
			ext = append(ext, slog.Attr{Key: k, Value: logValue(p.memberValue(k))})
		}
		attrs = append(attrs, slog.Attr{Key: "extensions", Value: slog.GroupValue(ext...)})
	}
	if p.cause != nil && !p.detailIsCause() && !isMembers(p.cause) {
		attrs = append(attrs, slog.String("cause", p.cause.Error()))
	}
	return slog.GroupValue(attrs...)
}

// logValue is an extension value as the log gets it: a slog.LogValuer
// other than a problem, an error (which handlers log as its text) or a scalar of any named type that
// does not marshal itself, as it is; anything else as the JSON a client
// gets. A handler would format a map or a struct with fmt, which never
// returns for a value that contains itself; the encoder bounds the depth
// and reports such a value instead.
func logValue(v any) slog.Value {
	switch v.(type) {
	case *Problem, Problem:
		// As JSON, below: its own LogValue would log its extensions in
		// turn, without end for a problem that holds itself.
	case nil, time.Time, slog.LogValuer, error:
		return slog.AnyValue(v)
	case json.Marshaler, encoding.TextMarshaler:
		// Encoded as the client gets it, below: it may hide what it holds.
	default:
		switch reflect.ValueOf(v).Kind() {
		case reflect.Bool, reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
			reflect.Float32, reflect.Float64:
			return slog.AnyValue(v)
		}
	}
	b, err := appendValue(nil, v, 0)
	if err != nil {
		return slog.StringValue("(not sent: " + err.Error() + ")")
	}
	return slog.AnyValue(json.RawMessage(b))
}

// canonicalHeader returns h with every key in canonical form. When keys
// collapse into one, their values are merged: the canonical key's first,
// then the others' in sorted order. It returns h itself, and false, when h
// is already canonical.
func canonicalHeader(h http.Header) (http.Header, bool) {
	if len(h) == 0 {
		return h, false
	}
	clean := true
	for k := range h {
		if http.CanonicalHeaderKey(k) != k {
			clean = false
			break
		}
	}
	if clean {
		return h, false
	}
	out := make(http.Header, len(h))
	for _, k := range slices.Sorted(maps.Keys(h)) {
		ck := http.CanonicalHeaderKey(k)
		if ck == k {
			out[ck] = append(slices.Clone(h[k]), out[ck]...)
		} else {
			out[ck] = append(out[ck], h[k]...)
		}
	}
	return out, true
}

// Clone returns a copy of p whose Extensions and Header can be changed
// without touching p. Extension values themselves are shared, and so is
// the code it carries from its type (see [Problem.Code]), which is never
// changed in place. The copy is not marked as prepared (see
// [Responder.Prepare]): it is made to be changed.
func (p *Problem) Clone() *Problem {
	q := *p
	q.Extensions = maps.Clone(p.Extensions)
	q.Header = p.Header.Clone()
	q.prepared = 0
	return &q
}

// WithExtension returns a copy of p with the extension member name set to
// value. The value is encoded as encoding/json would encode it.
func (p *Problem) WithExtension(name string, value any) *Problem {
	q := p.Clone()
	if q.Extensions == nil {
		q.Extensions = make(map[string]any, 1)
	}
	q.Extensions[name] = value
	return q
}

// WithHeader returns a copy of p whose response header key is set to the
// given values, replacing earlier ones.
func (p *Problem) WithHeader(key string, values ...string) *Problem {
	q := p.Clone()
	if q.Header == nil {
		q.Header = make(http.Header, 1)
	}
	q.Header[http.CanonicalHeaderKey(key)] = slices.Clone(values)
	return q
}

// WithRetryAfter returns a copy of p that asks the client to wait d before
// repeating the request: Retry-After in whole seconds, rounded up, never
// negative. RFC 9110 gives Retry-After a meaning for 503, 3xx and 413;
// RFC 6585 for 429.
func (p *Problem) WithRetryAfter(d time.Duration) *Problem {
	return p.WithHeader("Retry-After", FormatRetryAfter(d))
}

// WithRetryAt returns a copy of p that asks the client to wait until t:
// Retry-After as an IMF-fixdate in GMT, rounded up to the second, with a
// time outside the years 0000-9999 sent as the nearest date there is (see
// [FormatRetryAt]).
func (p *Problem) WithRetryAt(t time.Time) *Problem {
	return p.WithHeader("Retry-After", FormatRetryAt(t))
}

// WithAllow returns a copy of p whose Allow header lists methods, as a 405
// response must (RFC 9110 §15.5.6). No methods means an empty Allow header:
// nothing is allowed.
func (p *Problem) WithAllow(methods ...string) *Problem {
	return p.WithHeader("Allow", strings.Join(methods, ", "))
}

// WithAuthenticate returns a copy of p with one WWW-Authenticate header per
// challenge, such as `Bearer realm="api"`. A 401 response must carry at least
// one (RFC 9110 §15.5.2).
func (p *Problem) WithAuthenticate(challenges ...string) *Problem {
	return p.WithHeader("WWW-Authenticate", challenges...)
}
