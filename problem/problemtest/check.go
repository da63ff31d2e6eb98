package problemtest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/problemkit/problemkit/internal/problembody"
	"github.com/problemkit/problemkit/problem"
)

// Response is a response under test: one that an
// [httptest.ResponseRecorder] recorded, or one that an [http.Client] got.
type Response interface {
	*httptest.ResponseRecorder | *http.Response
}

// MaxBody is the largest body Check and Assert read: 1 MiB, as
// [problem.MaxResponseBody]. A larger body is an error.
const MaxBody = problem.MaxResponseBody

// Violation is one rule of RFC 9457, or of the HTTP rules for the status
// of a response (RFC 9110), that a response breaks.
type Violation struct {
	// Rule names where the rule is written, such as "RFC 9457 §3.1.2".
	Rule string
	// Message says what is wrong: "status member is 404, the status line
	// 410".
	Message string
}

// Error returns the message and the rule: "status member is 404, the
// status line 410 (RFC 9457 §3.1.2)".
func (v Violation) Error() string { return v.Message + " (" + v.Rule + ")" }

// Violations are the rules a response breaks, in the order Check tests
// them. Check returns them as its error.
type Violations []Violation

// Error lists the violations, one a line.
func (vs Violations) Error() string {
	if len(vs) == 1 {
		return "problemtest: " + vs[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "problemtest: %d violations:", len(vs))
	for _, v := range vs {
		b.WriteString("\n\t")
		b.WriteString(v.Error())
	}
	return b.String()
}

// The rules Check enforces, by where they are written.
const (
	ruleMediaType     = "RFC 9457 §3, Appendix B"
	ruleStatus        = "RFC 9457 §3.1.2"
	ruleType          = "RFC 9457 §3.1.1"
	ruleTitle         = "RFC 9457 §3.1.3"
	ruleDetail        = "RFC 9457 §3.1.4"
	ruleInstance      = "RFC 9457 §3.1.5"
	ruleObject        = "RFC 9457 §3"
	ruleXML           = "RFC 9457 Appendix B"
	ruleJSON          = "RFC 8259 §2"
	ruleUTF8          = "RFC 8259 §8.1"
	ruleUnique        = "RFC 8259 §4"
	rulePointer       = "RFC 9457 §3, RFC 6901"
	ruleAllow         = "RFC 9110 §15.5.6"
	ruleAuthenticate  = "RFC 9110 §15.5.2"
	ruleProxyAuth     = "RFC 9110 §15.5.8"
	ruleUpgrade       = "RFC 9110 §15.5.22"
	ruleRetryAfter    = "RFC 9110 §10.2.3"
	ruleContentLength = "RFC 9110 §8.6"
	ruleNoContent     = "RFC 9110 §6.4.1"
)

// Check reports whether a response is a sound problem response, whatever
// produced it. It returns nil when it is, [Violations] when it breaks
// rules, and another error when the response cannot be read (nil, or a
// body that fails or is larger than [MaxBody]). The body is judged as
// [problem.FromResponse] reads it: without its content coding, gzip (or
// x-gzip) decoded to at most MaxBody bytes; a body in another coding, or
// gzip that does not decode, cannot be read. It checks:
//
//   - The media type is application/problem+json or
//     application/problem+xml (RFC 9457 §3, Appendix B); parameters are
//     allowed. The body is judged only when it is one of these.
//   - A JSON body is UTF-8 (RFC 8259 §8.1), one JSON value (RFC 8259 §2),
//     an object (RFC 9457 §3) whose member names are unique (RFC 8259 §4).
//   - The standard members have the types of RFC 9457 Appendix A: type
//     and instance are strings holding a URI reference (RFC 3986 §4.1;
//     §3.1.1, §3.1.5), title and detail are strings (§3.1.3, §3.1.4),
//     and status is an integer from 100 to 599 (§3.1.2; 404.0 counts as
//     an integer, as in JSON Schema). A member set to null breaks its
//     rule: an unset member is left out.
//   - The status member, when present, equals the status line (RFC 9457
//     §3.1.2: generators must use the same status code in the response).
//   - An XML body (RFC 9457 Appendix B) is well-formed, has one root
//     element, problem in the namespace urn:ietf:rfc:7807, and every
//     element in that namespace; type, title, detail, status and instance
//     appear at most once each and hold text only; status is a positive
//     integer, 100 to 599, and type and instance are URI references.
//   - The items of an "errors" array (the extension RFC 9457 §3 shows)
//     that have a string pointer hold a JSON Pointer (RFC 6901), in URI
//     fragment form ("#/profile/color") or as a plain string
//     ("/profile/color").
//   - 405 carries Allow, a list of method names, empty or not (RFC 9110
//     §15.5.6, §10.2.1); 401 carries WWW-Authenticate with a challenge
//     (§15.5.2, §11.6.1); 407 carries Proxy-Authenticate (§15.5.8); 426
//     carries Upgrade (§15.5.22).
//   - Retry-After, on any status, is one field of delay-seconds or an
//     IMF-fixdate, which is the HTTP-date senders must generate (RFC 9110
//     §10.2.3, §5.6.7).
//   - A Content-Length field equals the length of the body as sent, in
//     its content coding (RFC 9110 §8.6), but for a response to HEAD,
//     which has no body.
//   - 1xx, 204 and 304 responses have no body (RFC 9110 §6.4.1).
//
// Rules that RFC 9457 states with SHOULD (absolute type URIs, the status
// phrase as the title of about:blank, extension names of three letters or
// more) are not checked: a response may break them for good reason.
//
// Check does not consume the body: it reads a recorder's without draining
// it, and puts back an [http.Response]'s Body, so that the test can read it
// after. A recorder does not know the request's method: to check a
// response to HEAD, check rec.Result() with its Request set to the request.
func Check[R Response](r R) error {
	s, err := ptSnap(r)
	if err != nil {
		return err
	}
	if vs, _ := ptCheck(s); len(vs) > 0 {
		return vs
	}
	return nil
}

// AssertValid checks r as [Check] does and reports each rule it breaks
// with t.Errorf, beside the whole response. It returns whether r is sound.
func AssertValid[R Response](t testing.TB, r R) bool {
	t.Helper()
	s, err := ptSnap(r)
	if err != nil {
		t.Errorf("problemtest.AssertValid: %v", err)
		return false
	}
	vs, _ := ptCheck(s)
	if len(vs) == 0 {
		return true
	}
	var b strings.Builder
	b.WriteString("problemtest.AssertValid: the response breaks RFC 9457 or RFC 9110:\n")
	ptViolations(&b, vs)
	ptDump(&b, s)
	t.Errorf("%s", b.String())
	return false
}

// ptSnapshot is a response as the checks see it.
type ptSnapshot struct {
	proto  string // "HTTP/1.1"
	status string // "404 Not Found"
	code   int
	header http.Header
	body   []byte // without its content coding (see ptDecode)
	sent   int    // the length of the body as sent, in its coding
	head   bool   // a response to HEAD, which has no body
}

// ptSnap reads r without consuming its body.
func ptSnap[R Response](r R) (*ptSnapshot, error) {
	switch r := any(r).(type) {
	case *httptest.ResponseRecorder:
		if r == nil {
			return nil, errors.New("problemtest: nil *httptest.ResponseRecorder")
		}
		res := r.Result()
		s := &ptSnapshot{proto: res.Proto, status: res.Status, code: res.StatusCode, header: res.Header}
		if r.Body != nil {
			s.body = r.Body.Bytes()
		}
		if len(s.body) > MaxBody {
			return nil, fmt.Errorf("problemtest: the body is larger than %d bytes", MaxBody)
		}
		return s, s.decode()
	case *http.Response:
		if r == nil {
			return nil, errors.New("problemtest: nil *http.Response")
		}
		s := &ptSnapshot{proto: r.Proto, status: r.Status, code: r.StatusCode, header: r.Header}
		if s.proto == "" {
			s.proto = "HTTP/1.1"
		}
		if s.status == "" {
			s.status = strconv.Itoa(r.StatusCode) + " " + http.StatusText(r.StatusCode)
		}
		s.head = r.Request != nil && r.Request.Method == http.MethodHead
		if r.Body == nil {
			return s, nil
		}
		data, body, err := problembody.Peek(r.Body)
		r.Body = body
		if errors.Is(err, problembody.ErrTooLarge) {
			return nil, fmt.Errorf("problemtest: the body is larger than %d bytes", MaxBody)
		}
		if err != nil {
			return nil, fmt.Errorf("problemtest: reading the body: %w", err)
		}
		s.body = data
		return s, s.decode()
	}
	panic("unreachable") // the type set has two types
}

// decode removes the content coding of s's body, as problem.FromResponse
// does (see [problembody.Decode]), and records the length it was sent with.
func (s *ptSnapshot) decode() error {
	s.sent = len(s.body)
	codings, _ := ptValues(s.header, "Content-Encoding")
	data, err := problembody.Decode(codings, s.body)
	if errors.Is(err, problembody.ErrTooLarge) {
		return fmt.Errorf("problemtest: the body is larger than %d bytes", MaxBody)
	}
	if err != nil {
		return fmt.Errorf("problemtest: %w", err)
	}
	s.body = data
	return nil
}

// ptFormat is the format of a problem body.
type ptFormat = problembody.Format

const (
	ptNone = problembody.None // not a problem media type
	ptJSON = problembody.JSON
	ptXML  = problembody.XML
)

// ptMediaType returns the format the Content-Type names.
func ptMediaType(h http.Header) (string, ptFormat, error) {
	vals, _ := ptValues(h, "Content-Type")
	if len(vals) > 1 {
		return "", ptNone, fmt.Errorf("Content-Type sent %d times", len(vals))
	}
	ct := strings.Join(vals, "")
	if ct == "" {
		return "", ptNone, errors.New("no Content-Type")
	}
	format, mt, err := problembody.MediaType(ct)
	if err != nil {
		return "", ptNone, fmt.Errorf("Content-Type %q does not parse: %v", ct, err)
	}
	if format == ptNone {
		return mt, ptNone, fmt.Errorf("Content-Type %q is not application/problem+json or application/problem+xml", ct)
	}
	return mt, format, nil
}

// ptCheck applies the rules Check documents. It returns the problem body
// it parsed, or nil when the response has none to judge: its media type is
// not a problem's, or it answers HEAD.
func ptCheck(s *ptSnapshot) (Violations, *ptDoc) {
	var vs Violations
	var doc *ptDoc
	add := func(rule, format string, args ...any) {
		vs = append(vs, Violation{Rule: rule, Message: fmt.Sprintf(format, args...)})
	}
	_, format, err := ptMediaType(s.header)
	if err != nil {
		add(ruleMediaType, "%v", err)
	}
	if !s.head && s.sent > 0 && (s.code < 200 || s.code == http.StatusNoContent || s.code == http.StatusNotModified) {
		add(ruleNoContent, "a %d response has a body", s.code)
	}
	if format != ptNone && !s.head {
		doc = ptParse(format, s.body)
		vs = append(vs, doc.violations...)
		if doc.status != nil && *doc.status != s.code {
			add(ruleStatus, "status member is %d, the status line %d", *doc.status, s.code)
		}
	}
	vs = append(vs, ptCheckHeader(s)...)
	return vs, doc
}

// ptCheckHeader applies the header rules.
func ptCheckHeader(s *ptSnapshot) Violations {
	var vs Violations
	add := func(rule, format string, args ...any) {
		vs = append(vs, Violation{Rule: rule, Message: fmt.Sprintf(format, args...)})
	}
	h := s.header
	switch s.code {
	case http.StatusMethodNotAllowed:
		if vals, ok := ptValues(h, "Allow"); !ok {
			add(ruleAllow, "a 405 response without Allow")
		} else {
			for _, v := range vals {
				for _, m := range strings.Split(v, ",") {
					if m = strings.Trim(m, " \t"); m != "" && !ptToken(m) {
						add(ruleAllow, "Allow %q holds %q, which is not a method name", v, m)
					}
				}
			}
		}
	case http.StatusUnauthorized:
		ptChallenge(h, "WWW-Authenticate", 401, ruleAuthenticate, add)
	case http.StatusProxyAuthRequired:
		ptChallenge(h, "Proxy-Authenticate", 407, ruleProxyAuth, add)
	case http.StatusUpgradeRequired:
		if vals, _ := ptValues(h, "Upgrade"); strings.Trim(strings.Join(vals, ""), " \t,") == "" {
			add(ruleUpgrade, "a 426 response without Upgrade")
		}
	}
	if vals, _ := ptValues(h, "Retry-After"); len(vals) > 1 {
		add(ruleRetryAfter, "Retry-After sent %d times; it is one value", len(vals))
	} else if len(vals) == 1 && !ptRetryAfter(vals[0]) {
		add(ruleRetryAfter, "Retry-After %q is neither delay-seconds nor an IMF-fixdate such as %q", vals[0], "Sun, 06 Nov 1994 08:49:37 GMT")
	}
	if vals, _ := ptValues(h, "Content-Length"); len(vals) > 0 && !s.head {
		if n, err := strconv.ParseInt(vals[0], 10, 64); err != nil || len(vals) > 1 || n != int64(s.sent) {
			add(ruleContentLength, "Content-Length %q, but the body has %d bytes", strings.Join(vals, ", "), s.sent)
		}
	}
	return vs
}

// ptChallenge checks that a header carries at least one challenge: an
// auth-scheme, a token (RFC 9110 §11.3).
func ptChallenge(h http.Header, name string, code int, rule string, add func(rule, format string, args ...any)) {
	vals, ok := ptValues(h, name)
	if !ok {
		add(rule, "a %d response without %s", code, name)
		return
	}
	for _, v := range vals {
		v = strings.TrimLeft(v, " \t,")
		scheme, _, _ := strings.Cut(v, " ")
		scheme, _, _ = strings.Cut(scheme, ",")
		if !ptToken(scheme) {
			add(rule, "%s %q does not start with an auth-scheme", name, v)
		}
	}
}

// ptValues returns the values of the header field name, and whether the
// response has it: under any spelling of the name, since a handler may
// set h["allow"] as well as h["Allow"], and both go out.
func ptValues(h http.Header, name string) ([]string, bool) {
	var vals []string
	found := false
	for _, k := range slices.Sorted(maps.Keys(h)) {
		if strings.EqualFold(k, name) {
			vals = append(vals, h[k]...)
			found = true
		}
	}
	return vals, found
}

// ptRetryAfter reports whether v is delay-seconds or an IMF-fixdate.
func ptRetryAfter(v string) bool {
	if v != "" && strings.Trim(v, "0123456789") == "" {
		return true
	}
	t, err := time.Parse(http.TimeFormat, v)
	return err == nil && t.Format(http.TimeFormat) == v
}

// ptToken reports whether s is a token (RFC 9110 §5.6.2).
func ptToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// ptDoc is what the rules found in a problem body.
type ptDoc struct {
	violations Violations
	// status is the status member when it is a valid status.
	status *int
	// present names the top-level members the body has, null or not.
	present map[string]bool
	// format is the body's format.
	format ptFormat
	// raw holds the top-level members of a JSON body.
	raw map[string]json.RawMessage
	// decoded is the body as package problem reads it, or nil when it
	// cannot.
	decoded *problem.Problem
}

func (d *ptDoc) add(rule, format string, args ...any) {
	d.violations = append(d.violations, Violation{Rule: rule, Message: fmt.Sprintf(format, args...)})
}

// ptParse applies the body rules of format to body.
func ptParse(format ptFormat, body []byte) *ptDoc {
	d := &ptDoc{present: map[string]bool{}, format: format, raw: map[string]json.RawMessage{}}
	var p problem.Problem
	if format == ptXML {
		d.parseXML(body)
		if xml.Unmarshal(body, &p) == nil {
			d.decoded = &p
		}
	} else {
		d.parseJSON(body)
		if json.Unmarshal(body, &p) == nil {
			d.decoded = &p
		}
	}
	return d
}

// parseJSON checks a problem+json body.
func (d *ptDoc) parseJSON(body []byte) {
	if !utf8.Valid(body) {
		d.add(ruleUTF8, "the body is not UTF-8")
		return
	}
	if !json.Valid(body) {
		d.add(ruleJSON, "the body is not one JSON value")
		return
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if tok, _ := dec.Token(); tok != json.Delim('{') {
		d.add(ruleObject, "the body is not a JSON object")
		return
	}
	for dec.More() {
		tok, _ := dec.Token()
		name := tok.(string)
		var raw json.RawMessage
		_ = dec.Decode(&raw) // the body is valid
		if d.present[name] {
			d.add(ruleUnique, "member %q appears more than once", name)
		}
		d.present[name] = true
		d.raw[name] = raw
		d.member(name, raw)
	}
}

// member applies the rules for one top-level JSON member.
func (d *ptDoc) member(name string, raw json.RawMessage) {
	var s string
	isString := json.Unmarshal(raw, &s) == nil && raw[0] == '"'
	typeName := ptJSONType(raw)
	switch name {
	case "type", "instance":
		rule := ruleType
		if name == "instance" {
			rule = ruleInstance
		}
		if !isString {
			d.add(rule, "%s is %s, not a string", name, typeName)
		} else if err := ptURIReference(s); err != nil {
			d.add(rule, "%s %q is not a URI reference: %v", name, s, err)
		}
	case "title", "detail":
		if !isString {
			rule := ruleTitle
			if name == "detail" {
				rule = ruleDetail
			}
			d.add(rule, "%s is %s, not a string", name, typeName)
		}
	case "status":
		var n json.Number
		if json.Unmarshal(raw, &n) != nil || raw[0] == '"' {
			d.add(ruleStatus, "status is %s, not a number", typeName)
			return
		}
		f, err := n.Float64()
		if err != nil || f != math.Trunc(f) {
			d.add(ruleStatus, "status %s is not an integer", n)
			return
		}
		if f < 100 || f > 599 {
			d.add(ruleStatus, "status %s is not between 100 and 599", n)
			return
		}
		code := int(f)
		d.status = &code
	case "errors":
		var items []map[string]json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return // another type's errors member
		}
		for i, item := range items {
			var p string
			if rawP, ok := item["pointer"]; ok && json.Unmarshal(rawP, &p) == nil {
				if err := ptPointer(p); err != nil {
					d.add(rulePointer, "errors[%d].pointer %q is not a JSON Pointer: %v", i, p, err)
				}
			}
		}
	}
}

// ptJSONType names the JSON type of a value, for messages: "null",
// "a number", ...
func ptJSONType(raw json.RawMessage) string {
	switch raw[0] {
	case 'n':
		return "null (leave an unset member out)"
	case 't', 'f':
		return "a boolean"
	case '"':
		return "a string"
	case '[':
		return "an array"
	case '{':
		return "an object"
	}
	return "a number"
}

// The standard members, which XML holds as text.
var ptStandard = map[string]string{
	"type": ruleType, "title": ruleTitle, "status": ruleStatus, "detail": ruleDetail, "instance": ruleInstance,
}

// parseXML checks a problem+xml body against the schema of RFC 9457
// Appendix B.
func (d *ptDoc) parseXML(body []byte) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	depth, roots := 0, 0
	foreign := map[string]bool{} // the namespaces reported
	var member string            // the standard member being read, at depth 2
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			d.add(ruleXML, "the body is not well-formed XML: %v", err)
			return
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			if ns := tok.Name.Space; ns != problem.XMLNamespace && !foreign[ns] {
				foreign[ns] = true // once per namespace: the children of an element share its
				d.add(ruleXML, "element <%s> is in namespace %q, not %q", tok.Name.Local, tok.Name.Space, problem.XMLNamespace)
			}
			switch depth {
			case 1:
				roots++
				if tok.Name.Local != "problem" {
					d.add(ruleXML, "the root element is <%s>, not <problem>", tok.Name.Local)
				}
			case 2:
				name := tok.Name.Local
				if _, ok := ptStandard[name]; ok {
					if d.present[name] {
						d.add(ruleXML, "<%s> appears more than once", name)
					}
					member = name
					text.Reset()
				}
				d.present[name] = true
			case 3:
				if member != "" {
					d.add(ptStandard[member], "<%s> holds an element, not text", member)
					member = ""
				}
			}
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(tok)) > 0 {
				d.add(ruleXML, "the body holds text outside the root element")
			}
			if depth == 2 && member != "" {
				text.Write(tok)
			}
		case xml.EndElement:
			if depth == 2 && member != "" {
				d.xmlMember(member, text.String())
				member = ""
			}
			depth--
		}
	}
	if roots != 1 {
		d.add(ruleXML, "the body has %d root elements, not one <problem>", roots)
	}
}

// xmlMember applies the rules for the text of a standard member.
func (d *ptDoc) xmlMember(name, text string) {
	switch name {
	case "status":
		// xsd:positiveInteger, whose whitespace collapses.
		v := strings.TrimPrefix(strings.TrimSpace(text), "+")
		n, err := strconv.Atoi(v)
		if err != nil || v == "" || v[0] == '-' || n <= 0 {
			d.add(ruleXML, "<status> %q is not a positive integer", text)
			return
		}
		if n < 100 || n > 599 {
			d.add(ruleStatus, "status %d is not between 100 and 599", n)
			return
		}
		d.status = &n
	case "type", "instance":
		v := strings.TrimSpace(text) // xsd:anyURI collapses whitespace
		if err := ptURIReference(v); err != nil {
			d.add(ptStandard[name], "%s %q is not a URI reference: %v", name, v, err)
		}
	}
}

// ptURIReference reports why s is not a URI reference (RFC 3986 §4.1),
// or nil: only the characters RFC 3986 allows, "%" only before two hex
// digits, "#" once, a scheme that starts with a letter, "[" and "]" only
// around an IP literal host, and what url.Parse accepts.
func ptURIReference(s string) error {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			if i+2 >= len(s) || !ptHex(s[i+1]) || !ptHex(s[i+2]) {
				return errors.New(`"%" not followed by two hex digits`)
			}
		case !ptURIChar(c):
			r, _ := utf8.DecodeRuneInString(s[i:])
			return fmt.Errorf("it holds %q, which a URI cannot", r)
		}
	}
	if strings.Count(s, "#") > 1 {
		return errors.New(`it holds "#" twice`)
	}
	rest := s
	if i := strings.IndexAny(s, ":/?#"); i >= 0 && s[i] == ':' {
		scheme := s[:i]
		if !ptScheme(scheme) {
			return fmt.Errorf("%q is not a scheme", scheme)
		}
		rest = s[i+1:]
	}
	var authority string
	if after, ok := strings.CutPrefix(rest, "//"); ok {
		end := strings.IndexAny(after, "/?#")
		if end < 0 {
			end = len(after)
		}
		authority, rest = after[:end], after[end:]
	}
	if strings.ContainsAny(rest, "[]") {
		return errors.New(`"[" or "]" outside the host`)
	}
	if host := authority[strings.LastIndexByte(authority, '@')+1:]; strings.ContainsAny(host, "[]") {
		end := strings.IndexByte(host, ']')
		if host[0] != '[' || strings.Count(host, "[") != 1 || strings.Count(host, "]") != 1 {
			return errors.New(`"[" or "]" outside an IP literal`)
		}
		if lit := host[1:end]; lit == "" || lit[0] != 'v' && lit[0] != 'V' { // not IPvFuture
			addr, _, _ := strings.Cut(lit, "%25") // a zone (RFC 6874)
			if ip, err := netip.ParseAddr(addr); err != nil || !ip.Is6() {
				return fmt.Errorf("%q is not an IPv6 address", lit)
			}
		}
	}
	if _, err := url.Parse(s); err != nil {
		return err
	}
	return nil
}

// ptURIChar reports whether c may stand in a URI: unreserved, gen-delims
// and sub-delims (RFC 3986 §2).
func ptURIChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("-._~:/?#[]@!$&'()*+,;=", c) >= 0
}

func ptHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// ptScheme reports whether s is a scheme: ALPHA *( ALPHA / DIGIT / "+" /
// "-" / "." ) (RFC 3986 §3.1).
func ptScheme(s string) bool {
	if s == "" || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// ptPointer reports why p is not a JSON Pointer (RFC 6901 §3), in URI
// fragment form (§6) or as a string, or nil.
func ptPointer(p string) error {
	if frag, ok := strings.CutPrefix(p, "#"); ok {
		for i := 0; i < len(frag); i++ {
			if c := frag[i]; c != '%' && (c == '#' || c == '[' || c == ']' || !ptURIChar(c)) {
				r, _ := utf8.DecodeRuneInString(frag[i:])
				return fmt.Errorf("it holds %q, which a URI fragment cannot", r)
			}
		}
		decoded, err := url.PathUnescape(frag)
		if err != nil {
			return err
		}
		if !utf8.ValidString(decoded) {
			return errors.New("it is not UTF-8 once decoded")
		}
		p = decoded
	}
	if p != "" && p[0] != '/' {
		return errors.New(`it does not start with "/"`)
	}
	for i := 0; i < len(p); i++ {
		if p[i] == '~' && (i+1 == len(p) || p[i+1] != '0' && p[i+1] != '1') {
			return errors.New(`"~" not followed by "0" or "1"`)
		}
	}
	return nil
}

// ptViolations writes vs, one a line, indented.
func ptViolations(b *strings.Builder, vs Violations) {
	for _, v := range vs {
		b.WriteString("    " + v.Error() + "\n")
	}
}

// ptDump writes the response as the end of a failure message: its status
// line, its header fields sorted by name (but Date) and its body, JSON
// indented, each line indented.
func ptDump(b *strings.Builder, s *ptSnapshot) {
	lines := []string{s.proto + " " + s.status}
	for _, k := range slices.Sorted(maps.Keys(s.header)) {
		if k == "Date" {
			continue
		}
		for _, v := range s.header[k] {
			lines = append(lines, k+": "+v)
		}
	}
	lines = append(lines, "")
	switch body := s.body; {
	case s.head:
		lines = append(lines, "(no body: a response to HEAD)")
	case len(body) == 0:
		lines = append(lines, "(no body)")
	default:
		text := string(body)
		var pretty bytes.Buffer
		if _, format, _ := ptMediaType(s.header); format == ptXML {
			if indented, ok := ptIndentXML(body); ok {
				text = indented
			}
		} else if json.Indent(&pretty, body, "", "  ") == nil {
			text = pretty.String()
		}
		if !utf8.ValidString(text) {
			text = strconv.Quote(text)
		}
		lines = append(lines, strings.Split(strings.TrimRight(text, "\r\n"), "\n")...)
	}
	b.WriteString("response:")
	for _, l := range lines {
		b.WriteString("\n")
		if l != "" {
			b.WriteString("    " + strings.TrimRight(l, "\r"))
		}
	}
}

// ptIndentXML returns an XML body indented, an element a line, with an
// element that holds only text on one line; ok is false when the body is
// not XML. It is for reading, not for parsing again.
func ptIndentXML(body []byte) (indented string, ok bool) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	var b strings.Builder
	depth := 0
	var open *xml.StartElement // a start tag not written yet
	var text []byte
	line := func(s string) {
		b.WriteString(strings.Repeat("  ", depth))
		b.WriteString(s)
		b.WriteByte('\n')
	}
	flush := func() {
		if open != nil {
			line(ptStartTag(*open))
			depth++
			open = nil
		}
		if t := bytes.TrimSpace(text); len(t) > 0 {
			line(ptEscape(t))
		}
		text = nil
	}
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", false
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			flush()
			e := tok.Copy()
			open = &e
		case xml.CharData:
			text = append(text, tok...)
		case xml.EndElement:
			if open != nil {
				line(ptStartTag(*open) + ptEscape(text) + "</" + ptName(tok.Name) + ">")
				open, text = nil, nil
				continue
			}
			flush()
			if depth--; depth < 0 {
				return "", false
			}
			line("</" + ptName(tok.Name) + ">")
		case xml.ProcInst:
			flush()
			line("<?" + tok.Target + " " + string(tok.Inst) + "?>")
		case xml.Comment:
			flush()
			line("<!--" + string(tok) + "-->")
		case xml.Directive:
			flush()
			line("<!" + string(tok) + ">")
		}
	}
	flush()
	return strings.TrimRight(b.String(), "\n"), true
}

func ptName(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

func ptStartTag(e xml.StartElement) string {
	s := "<" + ptName(e.Name)
	for _, a := range e.Attr {
		s += " " + ptName(a.Name) + `="` + ptEscape([]byte(a.Value)) + `"`
	}
	return s + ">"
}

func ptEscape(text []byte) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, text) // a strings.Builder does not fail
	return b.String()
}
