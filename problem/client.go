package problem

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/problembody"
)

// MaxResponseBody is the largest problem body [FromResponse] reads: 1 MiB.
const MaxResponseBody = problembody.Max

// ErrNotProblem is returned by [FromResponse] for a response that does not
// carry a problem details body.
var ErrNotProblem = errors.New("problem: response is not a problem")

// clientHeaders are the response headers a problem read from a response
// keeps: those that tell the client what to do next, and Date, the clock
// a Retry-After date is counted on (see Problem.RetryAfter).
var clientHeaders = []string{"Retry-After", "Allow", "WWW-Authenticate", "Proxy-Authenticate", "Date"}

// FromResponse reads a problem from a response whose Content-Type is
// application/problem+json or application/problem+xml. It reads at most
// [MaxResponseBody] bytes of the body and closes it. A body in the gzip
// content coding (which net/http's Transport leaves encoded when the
// request set its own Accept-Encoding) is decoded, to at most
// MaxResponseBody bytes too; a body in any other coding gives an error.
// The body is one document, read to its end: one JSON value, or one XML
// <problem> element with only white space, comments and processing
// instructions around it (and a document type declaration before it), in
// UTF-8.
//
// The problem's Status is the response's status code, which intermediaries
// and generic HTTP software honour, whatever the body says. Its Header keeps
// Retry-After, Allow, WWW-Authenticate and Proxy-Authenticate, so that the
// problem, returned as an error, tells its caller what to do next, and
// Date, the server's clock, from which [Problem.RetryAfter] counts a
// Retry-After date (RFC 9110 §10.2.3, §6.6.1).
//
// A relative type or instance is resolved against the URL of the request
// that got the response (RFC 9457 §3.1.1 and §3.1.5, RFC 3986 §5), the last
// request after redirects, without its user info, query and fragment.
// Leaving the query out departs from RFC 3986 §5.2.2 on purpose, for a
// same-document reference such as "#out-of-credit" only: it would take in
// the query, which may hold credentials, and make the type differ from
// request to request; so
// errors.Is(err, t) matches a [Type] t with the absolute URI.
// Content-Location is not used as a base URI: RFC 7231 (Appendix B) removed
// that role, and RFC 9110 §8.7 gives it none. An absolute reference,
// about:blank among them, is kept exactly as sent, and so is one that does
// not parse, or any reference when the response has no request with an
// absolute URL.
//
// The problem is foreign ([Problem.Foreign]): [Resolve], and so the
// middleware, takes it, or an error that wraps it, for an unknown error (a
// 500 that carries nothing of it) unless a mapper such as [Relay] decides
// otherwise. errors.Is still matches it by its type, and errors.As finds it.
//
// The response to a HEAD request has no body: it gives a problem of type
// about:blank with the response's status and headers. A response of another
// media type gives an error that matches [ErrNotProblem]; a body that is
// too large or not a problem gives an error too.
func FromResponse(resp *http.Response) (*Problem, error) {
	return (*Registry)(nil).FromResponse(resp)
}

// FromResponse is [FromResponse] with the Go types of r: when r holds a
// type for the problem's type URI (the resolved one), the problem also
// carries its members as a value of that type (see [Registry]). A nil
// Registry holds no types.
//
// When the members do not decode into the registered type (a member of
// another JSON type than the Go field's), it returns no problem and an
// error that says so and wraps both the problem, still foreign, and the
// decoding error: errors.As finds either, and errors.Is(err, t) matches
// the problem's type t.
func (r *Registry) FromResponse(resp *http.Response) (*Problem, error) {
	if resp == nil {
		return nil, errors.New("problem: nil response")
	}
	if resp.Body != nil {
		defer resp.Body.Close()
	}
	return r.readResponse(resp, false)
}

// PeekResponse is [FromResponse] that leaves the body to the caller, for
// code between a client and its caller, such as an [http.RoundTripper]
// that acts on the problem and returns the response: it reads at most
// [MaxResponseBody] bytes of a problem body and puts them back in front
// of the rest, so that resp.Body reads as it came, and does not close it.
// A response of another media type gives an error that matches
// [ErrNotProblem], and its body is not read.
func PeekResponse(resp *http.Response) (*Problem, error) {
	if resp == nil {
		return nil, errors.New("problem: nil response")
	}
	return (*Registry)(nil).readResponse(resp, true)
}

// readResponse reads the problem resp carries, as FromResponse documents;
// with peek, it puts the bytes it read back in front of resp.Body.
func (r *Registry) readResponse(resp *http.Response, peek bool) (*Problem, error) {
	ct := resp.Header.Get("Content-Type")
	format, _, err := problembody.MediaType(ct)
	if err != nil || format == problembody.None {
		return nil, fmt.Errorf("%w: status %d, Content-Type %q", ErrNotProblem, resp.StatusCode, ct)
	}
	if resp.Body == nil {
		return nil, fmt.Errorf("problem: status %d: no body", resp.StatusCode)
	}
	var data []byte
	if peek {
		data, resp.Body, err = problembody.Peek(resp.Body)
	} else {
		data, err = problembody.Read(resp.Body)
	}
	if errors.Is(err, problembody.ErrTooLarge) {
		return nil, fmt.Errorf("problem: status %d: body larger than %d bytes", resp.StatusCode, MaxResponseBody)
	}
	if err != nil {
		return nil, fmt.Errorf("problem: reading the body: %w", err)
	}
	data, err = problembody.Decode(resp.Header.Values("Content-Encoding"), data)
	if errors.Is(err, problembody.ErrTooLarge) {
		return nil, fmt.Errorf("problem: status %d: body larger than %d bytes", resp.StatusCode, MaxResponseBody)
	}
	if err != nil {
		return nil, fmt.Errorf("problem: status %d: %w", resp.StatusCode, err)
	}

	var p *Problem
	switch {
	case len(data) == 0 && resp.Request != nil && resp.Request.Method == http.MethodHead:
		p = &Problem{Type: AboutBlank} // the status and headers are all there is
	case format == problembody.JSON:
		p = new(Problem)
		err = json.Unmarshal(data, p)
	default:
		p, err = decodeXML(data)
	}
	if err != nil {
		return nil, fmt.Errorf("problem: status %d: %w", resp.StatusCode, err)
	}
	if p.Type == "" { // a JSON null
		return nil, fmt.Errorf("problem: status %d: body is not a problem object", resp.StatusCode)
	}
	if req := resp.Request; req != nil && req.URL != nil && req.URL.IsAbs() {
		base := *req.URL
		// Credentials in the URL, in its user info or its query (an
		// api_key), are not the problem's: a same-document reference
		// ("#out-of-credit") would carry the query (RFC 3986 §5.2.2) into
		// the type, where a log or Relay shows it.
		base.User = nil
		base.RawQuery, base.ForceQuery = "", false
		base.Fragment, base.RawFragment = "", ""
		p.Type = resolveReference(&base, p.Type)
		p.Instance = resolveReference(&base, p.Instance)
	}
	p.Status = resp.StatusCode
	p.foreign = true
	for _, k := range clientHeaders {
		if vs := resp.Header.Values(k); len(vs) > 0 {
			if p.Header == nil {
				p.Header = make(http.Header, len(clientHeaders))
			}
			p.Header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
		}
	}
	if err := r.decode(p); err != nil {
		return nil, err
	}
	return p, nil
}

// resolveReference returns ref resolved against base (RFC 3986 §5.2), or ref
// as it is when it is empty, absolute, or not a URI reference url.Parse
// reads.
func resolveReference(base *url.URL, ref string) string {
	if ref == "" {
		return ref
	}
	u, err := url.Parse(ref)
	if err != nil || u.IsAbs() {
		return ref
	}
	return base.ResolveReference(u).String()
}

// Foreign reports whether p was read from another server's response, by
// [FromResponse]. A foreign problem is that server's answer: [Resolve] does
// not send it on as it is, and does not take its Retry-After, unless a
// mapper ([Relay], or one of the service's own) turns it into a problem of
// this server's. Copies made with [Problem.Clone] and the With... methods
// stay foreign; a problem decoded with json.Unmarshal or built by hand is
// not.
func (p *Problem) Foreign() bool { return p != nil && p.foreign }

// RelayOptions name what [Relay] keeps of a foreign problem besides its
// type, title, status and the detail of a 4xx. The zero value, like nil,
// keeps nothing more.
type RelayOptions struct {
	// Extensions names the extension members to keep, such as "balance".
	// Default: none; the upstream's members (a "stack", its internal ids)
	// stay out.
	Extensions []string
	// Header names the headers to keep, of those FromResponse keeps:
	// Retry-After, Allow, WWW-Authenticate and Proxy-Authenticate; never
	// Date, the upstream's clock, which this server's response has its own
	// of. Default: none; the upstream's challenges are for its own realm,
	// and its Retry-After for requests to it. A 401, 405 or 407 is relayed
	// only with the header it needs kept (see [Relay]).
	Header []string
	// Detail5xx keeps the detail of a 5xx problem. Default: false; a 5xx
	// is relayed without detail, since its detail is the upstream's
	// account of its own failure, internal text of another server (RFC
	// 9457 §5). The detail of a 4xx, about the request, is always kept.
	Detail5xx bool
}

// Relay returns a [Mapper] that relays a foreign problem (see
// [Problem.Foreign]) to the client: as a new problem of this server's, with
// the foreign problem's type, title, status and, for a 4xx, detail, and
// the extension members and headers opts names. Its instance names the
// upstream's occurrence, and is not kept. nil opts keeps nothing more.
// Errors that are not foreign problems pass (Relay returns nil for them).
//
// The type goes with the title, which describes it (RFC 9457 §3.1.3);
// the title of about:blank is the status phrase (§4.2.1), which
// [Responder.Respond] writes, so an upstream's own title for it is not
// kept. A relative type was resolved by FromResponse against the
// upstream's URL, which the client then sees: map such a type yourself
// if that URL is private.
//
// Only a status registered for a 4xx or 5xx response is relayed (as
// [catalog.Default] lists them, but for the unused 418). Any other, such as
// nginx's 499, a 2xx or a 600, is not an answer this server can pass on:
// the problem is then 502 Bad Gateway, without detail.
//
// A status about the hop between this server and the upstream, not about
// the client's request, is a 502 Bad Gateway too, unless the header that
// makes it the client's is kept:
//
//   - 401 Unauthorized, only when opts.Header keeps WWW-Authenticate and
//     the upstream sent it: the client then answers the upstream's
//     challenge (RFC 9110 §15.5.2), as when this server forwards its
//     credentials. Otherwise it was this server's credentials that failed.
//   - 405 Method Not Allowed, only when opts.Header keeps Allow and the
//     upstream sent it (RFC 9110 §15.5.6: a 405 must carry Allow).
//   - 407 Proxy Authentication Required, only when opts.Header keeps
//     Proxy-Authenticate and the upstream sent it (RFC 9110 §15.5.8).
//   - 408 Request Timeout, 411 Length Required, 417 Expectation Failed,
//     421 Misdirected Request, 426 Upgrade Required, 505 HTTP Version Not
//     Supported and 511 Network Authentication Required, never: they
//     speak of the timing, framing, connection, protocol or network of
//     this server's request (426's Upgrade is a header of the connection,
//     RFC 9110 §7.8). An upstream's 408 says it did not receive this
//     server's request in time (RFC 9110 §15.5.9), which the client's
//     request to this server cannot change; it is a 502, not a 504
//     Gateway Timeout, since the upstream did answer in time (§15.6.5):
//     its answer is one this server cannot pass on (§15.6.3).
//
// The mappers are tried in order, so put Relay after those that map some
// foreign problems themselves:
//
//	Mappers: []problem.Mapper{
//		problem.MapIs(billing.TokenExpired, problem.Type{Status: http.StatusBadGateway}),
//		problem.Relay(&problem.RelayOptions{Header: []string{"Retry-After"}}),
//	}
func Relay(opts *RelayOptions) Mapper {
	var ext, header []string
	var detail5xx bool
	if opts != nil {
		ext = slices.Clone(opts.Extensions)
		header = make([]string, 0, len(opts.Header))
		for _, k := range opts.Header {
			if k = http.CanonicalHeaderKey(k); k != "Date" { // the upstream's clock, never this server's
				header = append(header, k)
			}
		}
		detail5xx = opts.Detail5xx
	}
	return func(err error) *Problem {
		f, ok := err.(*Problem)
		if !ok || !f.Foreign() {
			return nil
		}
		if !relayable(f.Status) || !relayHopKept(f, header) {
			return &Problem{Type: AboutBlank, Status: http.StatusBadGateway}
		}
		p := &Problem{Type: f.Type, Title: f.Title, Status: f.Status, Detail: f.Detail}
		if isBlank(f.Type) {
			p.Title = "" // the status phrase, which Respond writes in the client's language
		}
		if f.Status >= 500 && !detail5xx {
			p.Detail = ""
		}
		for _, name := range ext {
			if v, ok := f.Extensions[name]; ok {
				if p.Extensions == nil {
					p.Extensions = make(map[string]any, len(ext))
				}
				p.Extensions[name] = v
			}
		}
		for _, k := range header {
			if vs := f.Header[k]; len(vs) > 0 {
				if p.Header == nil {
					p.Header = make(http.Header, len(header))
				}
				p.Header[k] = slices.Clone(vs)
			}
		}
		return p
	}
}

// relayable reports whether a foreign problem's status can be relayed: a
// 4xx or 5xx the default catalog lists as in use.
func relayable(status int) bool {
	cat := catalog.Default()
	_, listed := cat.Lookup(status)
	return listed && cat.Sendable(status)
}

// relayHopKept reports whether f's status is the client's to get, as
// [Relay] documents: it is not about the hop to the upstream, or the
// header that makes it the client's is kept (header, canonical keys) and
// f carries it.
func relayHopKept(f *Problem, header []string) bool {
	var need string
	switch f.Status {
	case http.StatusUnauthorized:
		need = "Www-Authenticate"
	case http.StatusMethodNotAllowed:
		need = "Allow"
	case http.StatusProxyAuthRequired:
		need = "Proxy-Authenticate"
	case http.StatusRequestTimeout, http.StatusLengthRequired, http.StatusExpectationFailed, http.StatusMisdirectedRequest,
		http.StatusUpgradeRequired, http.StatusHTTPVersionNotSupported, http.StatusNetworkAuthenticationRequired:
		return false
	default:
		return true
	}
	return slices.Contains(header, need) && len(f.Header[need]) > 0
}

// ErrNoExtension is matched by the error [Problem.Extension] returns for a
// member the problem does not have.
var ErrNoExtension = errors.New("problem: no extension member")

// Extension decodes the extension member name into v, a pointer, as
// json.Unmarshal decodes the member's JSON: the JSON a client gets (see
// [Problem.AppendJSON]) for a problem built in Go, the JSON the server
// sent for one read with [FromResponse]. So a member sent as 30 decodes
// into an int, a float64 or a json.Number; into a string it is an error.
//
// A problem read from XML holds text only: its members are strings, or
// objects and arrays of them: a number among them decodes into a string,
// or into a struct field tagged `json:",string"`.
//
// It returns an error that matches [ErrNoExtension] when p has no such
// member, or name is that of a standard member (such an entry is never
// sent, see [Problem]); and an error that says why when the member cannot
// be encoded or does not decode into v. A JSON null leaves v as it is.
func (p *Problem) Extension(name string, v any) error {
	if p == nil {
		return fmt.Errorf("%w %q: nil problem", ErrNoExtension, name)
	}
	if isStandardMember(name) {
		return fmt.Errorf("%w %q: a standard member's name", ErrNoExtension, name)
	}
	value, ok := p.member(name) // Extensions, or the code p carries
	if !ok {
		return fmt.Errorf("%w %q", ErrNoExtension, name)
	}
	b, err := appendValue(nil, value, 0)
	if err != nil {
		return fmt.Errorf("problem: extension member %q: %w", name, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("problem: extension member %q: %w", name, err)
	}
	return nil
}

// Registry maps problem type URIs to Go types, so that a client reads a
// problem's members into a type of its own and finds them with errors.As:
//
//	type OutOfCredit struct {
//		Balance  int      `json:"balance"`
//		Accounts []string `json:"accounts"`
//	}
//
//	func (e *OutOfCredit) Error() string { return fmt.Sprintf("out of credit: balance %d", e.Balance) }
//
//	var billingProblems = problem.NewRegistry(
//		problem.Register[OutOfCredit]("https://example.com/probs/out-of-credit"),
//	)
//
//	if err := billingProblems.CheckResponse(resp); err != nil {
//		if oc, ok := errors.AsType[*OutOfCredit](err); ok {
//			... oc.Balance ...
//		}
//		return fmt.Errorf("charge card: %w", err)
//	}
//
// A Registry is a value the caller passes, not global state: two clients
// of one program may read the same type URI differently, and a test
// builds the registry it needs. It is immutable, and safe for concurrent
// use.
//
// The value is decoded, as json.Unmarshal decodes, from the problem as a
// client gets it (see [Problem.AppendJSON]): standard members and
// extensions alike, so the type may hold "detail" too. The problem keeps
// it, and its copies share it. The problem stays foreign
// ([Problem.Foreign]): [Resolve] sees the value only through a mapper
// ([MapAs] finds it, as errors.As does); its methods (Problem,
// StatusCode, RetryAfter) are never taken for the problem's, and it is
// not part of the problem's text or log record.
type Registry struct {
	types map[string]Registration
}

// Registration is a problem type URI and the Go type its members decode
// into, made by [Register], for [NewRegistry].
type Registration struct {
	uri    string
	typ    reflect.Type // *T
	decode func(data []byte) (error, error)
}

// Register returns the registration of T for the problem type uri: a
// problem of that type read through the [Registry] carries its members as
// a *T, which errors.As finds. *T must be an error, so that errors.As can
// find it.
//
// Register panics when uri is not an absolute URI (FromResponse resolves a
// relative type against the request's URL, so only an absolute one can
// match), is about:blank (which has no members of its own), or when T is
// Problem (the value would be a problem of this server's, holding the
// upstream's answer). Call it where the registry is built, at startup.
func Register[T any, PT interface {
	*T
	error
}](uri string) Registration {
	if reflect.TypeFor[T]() == reflect.TypeFor[Problem]() {
		panic("problem: Register[Problem] would make an upstream's problem this server's")
	}
	if uri == AboutBlank {
		panic("problem: about:blank has no members to register a type for")
	}
	if u, err := url.Parse(uri); err != nil || !u.IsAbs() {
		panic(fmt.Sprintf("problem: Register needs an absolute problem type URI, not %q", uri))
	}
	return Registration{uri: uri, typ: reflect.TypeFor[PT](), decode: func(data []byte) (error, error) {
		v := PT(new(T))
		if err := json.Unmarshal(data, v); err != nil {
			return nil, err
		}
		return v, nil
	}}
}

// NewRegistry returns a registry of the given registrations. It panics
// when a type URI is registered twice, or a Registration was not made by
// [Register]: build registries at startup.
func NewRegistry(regs ...Registration) *Registry {
	r := &Registry{types: make(map[string]Registration, len(regs))}
	for _, reg := range regs {
		if reg.decode == nil {
			panic("problem: a Registration not made by Register")
		}
		if first, dup := r.types[reg.uri]; dup {
			panic(fmt.Sprintf("problem: type %s is registered twice (%s, %s)", reg.uri, first.typ, reg.typ))
		}
		r.types[reg.uri] = reg
	}
	return r
}

// decode gives p, just read, the value r registers for its type.
func (r *Registry) decode(p *Problem) error {
	if r == nil {
		return nil
	}
	reg, ok := r.types[p.Type]
	if !ok {
		return nil
	}
	data, _ := p.AppendJSON(nil) // a member left out is one no client gets
	v, err := reg.decode(data)
	if err != nil {
		return &membersError{p: p, typ: reg.typ, err: err}
	}
	p.cause = membersValue{v}
	return nil
}

// membersValue holds the value a [Registry] decoded a foreign problem's members
// into, as the problem's cause. It hands the value to errors.As through
// its As method, and does not unwrap to it: [Resolve] walks causes by
// Unwrap, and must not take the value's methods for the problem's.
type membersValue struct{ v error }

func (m membersValue) Error() string { return m.v.Error() }

// As implements the errors.As protocol for the value and what it wraps.
func (m membersValue) As(target any) bool { return errors.As(m.v, target) }

// isMembers reports whether a problem's cause is the value of its members
// (see [Registry]): it is not a cause to show beside the problem's text.
func isMembers(cause error) bool {
	_, ok := cause.(membersValue)
	return ok
}

// membersError reports members that do not decode into the registered
// type; it wraps the problem and the decoding error.
type membersError struct {
	p   *Problem
	typ reflect.Type
	err error
}

func (e *membersError) Error() string {
	return fmt.Sprintf("problem: status %d: the members of %s do not decode into %s: %v", e.p.Status, e.p.Type, e.typ, e.err)
}

func (e *membersError) Unwrap() []error { return []error{e.p, e.err} }

// CheckResponse returns nil for a response whose status is below 400, and
// leaves its body to the caller. For any other it returns the problem the
// response carries, read with [FromResponse] (which closes the body), as
// the error; or FromResponse's error, matching [ErrNotProblem] for a
// response that carries none. It is the one call a client needs after
// each request:
//
//	resp, err := client.Do(req)
//	if err != nil {
//		return err
//	}
//	if err := problem.CheckResponse(resp); err != nil {
//		return fmt.Errorf("create order: %w", err) // errors.Is(err, OutOfCredit), errors.AsType[*problem.Problem](err)
//	}
//	defer resp.Body.Close()
func CheckResponse(resp *http.Response) error { return (*Registry)(nil).CheckResponse(resp) }

// CheckResponse is [CheckResponse] with the Go types of r (see
// [Registry.FromResponse]).
func (r *Registry) CheckResponse(resp *http.Response) error {
	if resp != nil && resp.StatusCode < 400 {
		return nil
	}
	p, err := r.FromResponse(resp)
	if err != nil {
		return err
	}
	return p
}
