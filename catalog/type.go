package catalog

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Type is an error-code type: a problem type (RFC 9457 §4) that a vendor
// documents under its own code, such as "APIGW.0301". A Type is a plain
// value; package problem makes problems of it.
type Type struct {
	// Code is the vendor's error code. Problems of the type send it as the
	// extension member CodeMember (package problem carries it outside a
	// problem's Extensions map: see problem.Type.Code). The types
	// registered with IANA (see [IANA]) have none.
	Code string
	// CodeMember names the extension member that carries Code: the catalog
	// file's "codeMember", "code" by default. It is never the name of a
	// standard member.
	CodeMember string
	// Status is the HTTP status code problems of the type are sent with.
	Status int
	// URI identifies the type: the file's "type", resolved against
	// "typeBase", or "typeBase" followed by the code.
	URI string
	// Title summarizes the type; it is the title of problems of the type.
	Title string
	// Description explains the type for API docs.
	Description string
	// Retry says whether a client may repeat the request. A type that sets
	// none has its status's.
	Retry RetryPolicy
	// RetryAfter, when positive, is the Retry-After a problem of the type
	// carries if nothing else sets one. A type that sets none has its
	// status's, when its policy is after-delay.
	RetryAfter time.Duration
	// Members names the extension members the type's definition documents,
	// such as "unsupported-algorithms". It is empty for a catalog file's
	// types.
	Members []string
	// QuotaPolicies are the quota policies a problem of the type advertises
	// in its RateLimit-Policy field, when it sets none (see
	// problem.Responder). A type that declares none has its status's; one
	// that declares an empty list has none. The built-in types ([IANA],
	// [RateLimitType]) declare none, so a response of one advertises its
	// status's.
	QuotaPolicies []QuotaPolicy
}

// own returns t with copies of its slices, so that a catalog's types stay
// its own when it hands them out. A type without members or policies is
// returned as it is.
func (t Type) own() Type {
	t.Members = slices.Clone(t.Members)
	t.QuotaPolicies = slices.Clone(t.QuotaPolicies)
	return t
}

// DefaultCodeMember is the name of the extension member that carries a
// type's code when the catalog file names none.
const DefaultCodeMember = "code"

// IANAPrefix starts the URI of every problem type in the IANA HTTP Problem
// Types registry. A catalog file's types may not use it.
const IANAPrefix = "https://iana.org/assignments/http-problem-types#"

// ianaTypes are the problem types registered with IANA, by the name after
// IANAPrefix.
var ianaTypes = []Type{
	{URI: IANAPrefix + "date", Status: 400, Title: "Date Not Acceptable",
		Description: "The request's Date is outside the range the server accepts; the response's Date gives the server's time (RFC 9458, Oblivious HTTP)."},
	{URI: IANAPrefix + "ohttp-key", Status: 400, Title: "Oblivious HTTP key configuration not acceptable",
		Description: "The gateway does not accept the key configuration the encapsulated request used (RFC 9458, Oblivious HTTP)."},
	{URI: IANAPrefix + "digest-unsupported-algorithms", Status: 400, Title: "Unsupported Hashing Algorithms",
		Description: "One or more hashing algorithms the request's integrity or integrity preference fields name are not supported; each entry of the member names the algorithm and the field.",
		Members:     []string{"unsupported-algorithms"}},
	{URI: IANAPrefix + "digest-invalid-values", Status: 400, Title: "Invalid Digest Values",
		Description: "An integrity field of the request holds a digest that is not valid for its algorithm.",
		Members:     []string{"invalid-digests"}},
	{URI: IANAPrefix + "digest-mismatched-values", Status: 400, Title: "Mismatched Digest Values",
		Description: "A digest of the request does not match its content.",
		Members:     []string{"mismatched-digests"}},
}

// IANA returns the problem type registered with IANA under name, the part
// of its URI after [IANAPrefix]: "date", "ohttp-key",
// "digest-unsupported-algorithms", "digest-invalid-values" or
// "digest-mismatched-values". Each has its registered title and status,
// and the extension members its definition documents. Its retry guidance
// is that of its status in the default catalog.
func IANA(name string) (Type, bool) { return builtIn(ianaTypes, name) }

// IANATypes returns the problem types registered with IANA (see [IANA]),
// in registry order.
func IANATypes() iter.Seq[Type] { return builtIns(ianaTypes) }

// builtIn returns the type of table, one of the built-in tables, whose URI
// is IANAPrefix followed by name.
func builtIn(table []Type, name string) (Type, bool) {
	for _, t := range table {
		if rest, ok := strings.CutPrefix(t.URI, IANAPrefix); ok && rest == name {
			return ianaType(t), true
		}
	}
	return Type{}, false
}

// builtIns returns the types of table, one of the built-in tables, in
// order.
func builtIns(table []Type) iter.Seq[Type] {
	return func(yield func(Type) bool) {
		for _, t := range table {
			if !yield(ianaType(t)) {
				return
			}
		}
	}
}

func ianaType(t Type) Type {
	t.Retry, t.RetryAfter = Default().Retry(t.Status)
	return t.own()
}

// Type returns the catalog's type with the given code, and whether it has
// one. Look codes up once, at startup: a code the catalog lacks is a
// mistake in the program or in the file.
func (c *Catalog) Type(code string) (Type, bool) {
	if i, ok := c.typeCodes[code]; ok {
		return c.types[i].own(), true
	}
	return Type{}, false
}

// TypeByURI returns the catalog's type whose URI is uri, and whether it has
// one.
func (c *Catalog) TypeByURI(uri string) (Type, bool) {
	if i, ok := c.typeURIs[uri]; ok {
		return c.types[i].own(), true
	}
	return Type{}, false
}

// Types returns the catalog's types in the order of the file.
func (c *Catalog) Types() iter.Seq[Type] {
	return func(yield func(Type) bool) {
		for _, t := range c.types {
			if !yield(t.own()) {
				return
			}
		}
	}
}

// withTypes indexes types, which are checked, into c.
func (c *Catalog) withTypes(types []Type) *Catalog {
	c.types = types
	c.typeCodes = make(map[string]int, len(types))
	c.typeURIs = make(map[string]int, len(types))
	for i, t := range types {
		c.typeCodes[t.Code] = i
		c.typeURIs[t.URI] = i
		c.quotas = c.quotas || len(t.QuotaPolicies) > 0
	}
	return c
}

// typeSettings are the top-level fields of a catalog file that its types
// depend on.
type typeSettings struct {
	base       *url.URL // typeBase; nil when unset
	baseText   string   // typeBase as written (url.URL drops an empty fragment)
	codeMember string
}

// parseTypeBase checks a catalog file's typeBase: an absolute URI.
func parseTypeBase(raw json.RawMessage) (*url.URL, error) {
	s, ok := jsonString(raw)
	if !ok {
		return nil, fmt.Errorf(`catalog: typeBase %s is not a string`, raw)
	}
	u, err := absoluteURI(s)
	if err != nil {
		return nil, fmt.Errorf("catalog: typeBase %w", err)
	}
	return u, nil
}

// parseCodeMember checks a catalog file's codeMember: a name that cannot
// be read as a standard member.
func parseCodeMember(raw json.RawMessage) (string, error) {
	s, ok := jsonString(raw)
	switch {
	case !ok:
		return "", fmt.Errorf("catalog: codeMember %s is not a string", raw)
	case strings.TrimSpace(s) == "":
		return "", errors.New("catalog: codeMember is blank")
	case standardMember(s):
		return "", fmt.Errorf("catalog: codeMember %q is a standard member of a problem (RFC 9457 §3.1)", s)
	}
	if err := checkText(s); err != nil {
		return "", fmt.Errorf("catalog: codeMember %w", err)
	}
	if !xmlElementName(s) {
		return "", fmt.Errorf("catalog: codeMember %q is not an XML name (RFC 9457 §3.2), so problem+xml could not carry it", s)
	}
	return s, nil
}

// xmlElementName reports whether s can name an element of problem+xml
// (RFC 9457 Appendix B): an XML Name without a colon, which would make it
// a prefix and a name in another namespace. encoding/xml, which many
// readers of problem+xml are, is the judge.
func xmlElementName(s string) bool {
	if strings.ContainsRune(s, ':') {
		return false
	}
	tok, err := xml.NewDecoder(strings.NewReader("<" + s + "/>")).Token()
	start, ok := tok.(xml.StartElement)
	return err == nil && ok && start.Name.Space == "" && start.Name.Local == s
}

// absoluteURI parses s as an absolute URI, a URI reference by the rule of
// CheckURIReference, the one Respond reports a type by.
func absoluteURI(s string) (*url.URL, error) {
	u, err := urirefParse(s)
	if err != nil {
		return nil, err
	}
	if !u.IsAbs() {
		return nil, fmt.Errorf("%q is not an absolute URI", s)
	}
	return u, nil
}

// isIANA reports whether u is in the IANA HTTP Problem Types registry,
// however its scheme and host are spelled: in any case, with a trailing
// dot or the scheme's default port, and with dot segments in the path.
func isIANA(u *url.URL) bool {
	var defaultPort string
	switch strings.ToLower(u.Scheme) {
	case "https":
		defaultPort = "443"
	case "http":
		defaultPort = "80"
	default:
		return false
	}
	host := strings.TrimSuffix(u.Hostname(), ".")
	if port := u.Port(); port != "" && port != defaultPort {
		return false
	}
	return (strings.EqualFold(host, "iana.org") || strings.EqualFold(host, "www.iana.org")) &&
		strings.HasPrefix(path.Clean("/"+u.Path), "/assignments/http-problem-types")
}

// decodeTypes checks the raw entries of a catalog file's types against the
// statuses of cat, and returns them in file order.
func decodeTypes(raws []json.RawMessage, s typeSettings, cat *Catalog) ([]Type, error) {
	types := make([]Type, 0, len(raws))
	codes := make(map[string]int, len(raws))
	uris := make(map[string]int, len(raws))
	for i, raw := range raws {
		t, err := decodeType(raw, s, cat)
		if err == nil {
			if first, dup := codes[t.Code]; dup {
				err = fmt.Errorf("duplicate code; first listed at types[%d]", first)
			} else if first, dup := uris[t.URI]; dup {
				err = fmt.Errorf("type %q is also that of types[%d] (code %q)", t.URI, first, types[first].Code)
			}
		}
		if err != nil {
			if t.Code == "" {
				return nil, fmt.Errorf("catalog: types[%d]: %w", i, err)
			}
			return nil, fmt.Errorf("catalog: types[%d] (code %q): %w", i, t.Code, err)
		}
		codes[t.Code], uris[t.URI] = i, i
		types = append(types, t)
	}
	return types, nil
}

// decodeType decodes and checks one type. The returned type's Code is set
// whenever the input has a valid code, so errors can name it.
func decodeType(raw json.RawMessage, s typeSettings, cat *Catalog) (Type, error) {
	t := Type{CodeMember: s.codeMember}
	var lenient struct {
		Code json.RawMessage `json:"code"`
	}
	if json.Unmarshal(raw, &lenient) == nil {
		if code, ok := jsonString(lenient.Code); ok && checkCode(code) == nil {
			t.Code = code
		}
	}
	fields, err := jsonObject(raw, "code", "status", "type", "title", "description", "retry", "retryAfter", "quotaPolicies")
	if err != nil {
		return t, err
	}
	codeRaw, ok := fields["code"]
	if !ok {
		return t, errors.New(`missing "code"`)
	}
	code, ok := jsonString(codeRaw)
	switch {
	case !utf8.Valid(codeRaw):
		return t, errors.New("code is not valid UTF-8")
	case !ok:
		return t, fmt.Errorf("code %s is not a string", codeRaw)
	}
	if err := checkCode(code); err != nil {
		return t, err
	}
	t.Code = code

	statusRaw, ok := fields["status"]
	if !ok {
		return t, errors.New(`missing "status"`)
	}
	n, ok := jsonInt(statusRaw)
	if !ok || n < 400 || n > 599 || !cat.Sendable(int(n)) {
		return t, fmt.Errorf("status %s is not one a problem can be sent with (an assigned 4xx or 5xx)", statusRaw)
	}
	t.Status = int(n)

	if t.Title, ok, err = textField(fields, "title"); err != nil {
		return t, err
	} else if !ok || strings.TrimSpace(t.Title) == "" {
		return t, errors.New(`missing "title"`)
	}
	if t.Description, _, err = textField(fields, "description"); err != nil {
		return t, err
	}

	if err := t.resolveURI(fields["type"], s); err != nil {
		return t, err
	}

	t.Retry, t.RetryAfter = cat.Retry(t.Status)
	retrySet := false
	if raw, ok := fields["retry"]; ok {
		word, ok := jsonString(raw)
		if !ok {
			return t, fmt.Errorf("retry %s is not a string", raw)
		}
		if err := t.Retry.UnmarshalText([]byte(word)); err != nil {
			return t, err
		}
		retrySet = true
		if t.Retry != RetryAfterDelay {
			t.RetryAfter = 0
		}
	}
	if raw, ok := fields["retryAfter"]; ok {
		n, ok := jsonInt(raw)
		switch {
		case !ok:
			return t, fmt.Errorf("retryAfter %s is not a whole number of seconds", raw)
		case n < 0:
			return t, fmt.Errorf("retryAfter %d is negative", n)
		case n > maxRetryAfter:
			return t, fmt.Errorf("retryAfter %d is too large", n)
		}
		if t.Retry != RetryAfterDelay {
			if retrySet {
				return t, fmt.Errorf("retryAfter needs retry %q, not %q", RetryAfterDelay, t.Retry)
			}
			return t, fmt.Errorf("retryAfter needs retry %q, and status %d's is %q", RetryAfterDelay, t.Status, t.Retry)
		}
		t.RetryAfter = time.Duration(n) * time.Second
	}
	if raw, ok := fields["quotaPolicies"]; ok {
		if t.QuotaPolicies, err = decodeQuotaPolicies(raw); err != nil {
			return t, err
		}
		if len(t.QuotaPolicies) == 0 {
			t.QuotaPolicies = nil
		}
	} else if e := cat.find(t.Status); e != nil {
		t.QuotaPolicies = e.QuotaPolicies // as retry guidance, its status's
	}
	return t, nil
}

// resolveURI sets t.URI from the type's "type" (raw, nil when absent) and
// the file's typeBase.
func (t *Type) resolveURI(raw json.RawMessage, s typeSettings) error {
	var uri string // as written where it can be: url.URL.String drops an empty fragment
	var u *url.URL
	switch {
	case raw != nil:
		text, ok := jsonString(raw)
		if !ok {
			return fmt.Errorf("type %s is not a string", raw)
		}
		if text == "" {
			return errors.New("type is empty")
		}
		ref, err := urirefParse(text)
		switch {
		case err != nil:
			return fmt.Errorf("type %w", err)
		case ref.IsAbs():
			u, uri = ref, text
		case s.base == nil:
			return fmt.Errorf("type %q is not an absolute URI, nor a reference against typeBase", text)
		default:
			u = s.base.ResolveReference(ref)
			uri = u.String()
		}
	case s.base != nil:
		uri = s.baseText + url.PathEscape(t.Code)
		var err error
		if u, err = absoluteURI(uri); err != nil {
			return fmt.Errorf("typeBase followed by the code: %w", err)
		}
	default:
		return errors.New(`missing "type", and the catalog has no "typeBase"`)
	}
	if isIANA(u) {
		return fmt.Errorf("type %q claims the IANA registry's prefix; the types registered there are built in (catalog.IANA)", uri)
	}
	if strings.EqualFold(u.Scheme, "about") && strings.EqualFold(u.Opaque, "blank") {
		return fmt.Errorf("type %q is the type of problems that have no type of their own (RFC 9457 §4.2.1): its title is the status's phrase, not a type's", uri)
	}
	t.URI = uri
	return nil
}

// textField returns the text member name of fields, whether it is there,
// and an error when it is not a string of valid UTF-8 without control
// characters.
func textField(fields map[string]json.RawMessage, name string) (string, bool, error) {
	raw, ok := fields[name]
	if !ok {
		return "", false, nil
	}
	s, isString := jsonString(raw)
	switch {
	case !utf8.Valid(raw):
		return "", true, fmt.Errorf("%s is not valid UTF-8", name)
	case !isString:
		return "", true, fmt.Errorf("%s %s is not a string", name, raw)
	}
	if err := checkText(s); err != nil {
		return "", true, fmt.Errorf("%s %w", name, err)
	}
	return s, true, nil
}

// checkCode checks an error code: not blank, printable, no space at
// either end.
func checkCode(code string) error {
	if strings.TrimSpace(code) == "" {
		return errors.New("code is blank")
	}
	if strings.TrimSpace(code) != code {
		return fmt.Errorf("code %q starts or ends with a space", code)
	}
	for i, r := range code {
		if !unicode.IsPrint(r) {
			return fmt.Errorf("code %q has unprintable character %U at byte %d", code, r, i)
		}
	}
	return nil
}
