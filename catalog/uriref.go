package catalog

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CheckURIReference reports why s is not a URI reference (RFC 3986 §4.1),
// or nil: it must hold only the characters RFC 3986 allows (so no space,
// no control character and nothing beyond ASCII, which a URI holds
// percent-encoded, RFC 3986 §2.1), "%" only before two hex digits, "#" at
// most once, a scheme that starts with a letter, "[" and "]" only around an
// IP literal host, and be what url.Parse accepts. It is the rule Load
// applies to a type and a typeBase, and the one by which package problem
// reports a type or an instance it sends. The error is a
// *URIReferenceError. A URI of the common shapes (a path from the root, an
// absolute URI with a plain host name) is judged without an allocation.
func CheckURIReference(s string) error {
	if urirefPlain(s) {
		return nil
	}
	if reason := urirefFault(s); reason != "" {
		return &URIReferenceError{Ref: s, Reason: reason}
	}
	return nil
}

// URIReferenceError is the error of CheckURIReference: Ref is not a URI
// reference, for Reason.
type URIReferenceError struct {
	Ref    string // the string judged
	Reason string // why it is not a URI reference, as "it holds U+0020"
}

// Error returns the error's text: `catalog: "x y" is not a URI reference:
// it holds U+0020`.
func (e *URIReferenceError) Error() string {
	return fmt.Sprintf("catalog: %q is not a URI reference: %s", e.Ref, e.Reason)
}

// urirefParse parses s, which must be a URI reference by the rule of
// CheckURIReference; the error says why it is not one.
func urirefParse(s string) (*url.URL, error) {
	if reason := urirefFault(s); reason != "" {
		return nil, fmt.Errorf("%q is not a URI reference: %s", s, reason)
	}
	return url.Parse(s)
}

// urirefFault returns why s is not a URI reference (see CheckURIReference),
// or "".
func urirefFault(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			if i+2 >= len(s) || !urirefHex(s[i+1]) || !urirefHex(s[i+2]) {
				return `"%" is not followed by two hex digits`
			}
		case !urirefChars[c] && c != '[' && c != ']':
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				return fmt.Sprintf("it holds the byte %#02x, which is not UTF-8 (percent-encode the bytes meant, RFC 3986 §2.1)", c)
			case r <= ' ' || r == 0x7f || unicode.IsControl(r) || unicode.IsSpace(r):
				return fmt.Sprintf("it holds %U", r)
			case r > unicode.MaxASCII:
				return fmt.Sprintf("it holds %U, which is not ASCII (percent-encode its UTF-8 bytes, RFC 3986 §2.1)", r)
			}
			return fmt.Sprintf("it holds %#U, which a URI cannot", r)
		}
	}
	if strings.Count(s, "#") > 1 {
		return `it holds "#" twice`
	}
	rest := s
	if i := strings.IndexAny(s, ":/?#"); i >= 0 && s[i] == ':' {
		if scheme := s[:i]; !urirefScheme(scheme) {
			return fmt.Sprintf("%q is not a scheme", scheme)
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
		return `it holds "[" or "]" outside the host`
	}
	if host := authority[strings.LastIndexByte(authority, '@')+1:]; strings.ContainsAny(host, "[]") {
		if host[0] != '[' || strings.Count(host, "[") != 1 || strings.Count(host, "]") != 1 {
			return `it holds "[" or "]" outside an IP literal`
		}
		lit := host[1:strings.IndexByte(host, ']')]
		if lit == "" || lit[0] != 'v' && lit[0] != 'V' { // not IPvFuture
			addr, _, _ := strings.Cut(lit, "%25") // a zone (RFC 6874)
			if ip, err := netip.ParseAddr(addr); err != nil || !ip.Is6() {
				return fmt.Sprintf("%q is not an IPv6 address", lit)
			}
		}
	}
	if _, err := url.Parse(s); err != nil {
		return err.Error()
	}
	return ""
}

// urirefPlain reports whether s is a URI reference of the common shapes,
// so that checking it needs no parse (url.Parse allocates): s must consist
// of the characters urirefChars holds, with "#" at most once, and be either
// a path from the root ("/items/7", not "//host") or an absolute URI whose
// authority, if it has one, is a plain host name
// ("https://example.com/probs/x", "urn:uuid:...", "tag:..."). It may report
// false for references that are fine; it never reports true for one that
// urirefFault faults (FuzzURIRefPlain).
func urirefPlain(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !urirefChars[s[i]] {
			return false
		}
	}
	if i := strings.IndexByte(s, '#'); i >= 0 && strings.IndexByte(s[i+1:], '#') >= 0 {
		return false
	}
	if s[0] == '/' {
		return len(s) == 1 || s[1] != '/'
	}
	// scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.') {
			continue
		}
		break
	}
	if i == 0 || i == len(s) || s[i] != ':' {
		return false
	}
	rest, ok := strings.CutPrefix(s[i+1:], "//")
	if !ok {
		return true
	}
	for j := 0; j < len(rest); j++ {
		switch c := rest[j]; {
		case c == '/' || c == '?' || c == '#':
			return true
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.':
		default:
			return false // a port, user information: let urirefFault judge
		}
	}
	return true
}

// urirefChars holds the characters that may stand anywhere in a URI
// reference: unreserved, sub-delims, and the gen-delims but "[" and "]"
// (RFC 3986 §2). "%" is not among them: it must start an escape.
var urirefChars = func() (t [256]bool) {
	const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" +
		"-._~" + // unreserved
		"!$&'()*+,;=" + // sub-delims
		":/?#@" // gen-delims but "[" and "]"
	for i := 0; i < len(chars); i++ {
		t[chars[i]] = true
	}
	return t
}()

func urirefHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// urirefScheme reports whether s is a scheme: ALPHA *( ALPHA / DIGIT / "+"
// / "-" / "." ) (RFC 3986 §3.1).
func urirefScheme(s string) bool {
	if s == "" || !('a' <= s[0] && s[0] <= 'z' || 'A' <= s[0] && s[0] <= 'Z') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
