// Package field checks HTTP field values, for the packages that send them.
package field

import "strings"

// ValidValue reports whether v may be sent as an HTTP field value (RFC 9110
// §5.5): it holds no control character other than horizontal tab. CR and LF
// could split the header section, and clients refuse a response with the
// others.
func ValidValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// IsToken reports whether s is a non-empty token (RFC 9110 §5.6.2).
func IsToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tchar[s[i]] {
			return false
		}
	}
	return true
}

// tchar marks the bytes a token may hold (RFC 9110 §5.6.2): visible ASCII
// but for the delimiters.
var tchar = func() (t [256]bool) {
	for c := byte('!'); c <= '~'; c++ {
		t[c] = strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) < 0
	}
	return t
}()

// HasChallenge reports whether some value of a WWW-Authenticate or Proxy-Authenticate header
// holds a challenge (see IsChallenge).
func HasChallenge(values []string) bool {
	for _, v := range values {
		if IsChallenge(v) {
			return true
		}
	}
	return false
}

// IsChallenge reports whether the field value v, a list of challenges
// (RFC 9110 §11.6.1: challenge = auth-scheme [ 1*SP ( token68 /
// #auth-param ) ], auth-scheme = token), holds one: after white space and
// the empty elements a list may have (", Bearer"), a token that the end,
// white space or a comma follows. It judges where the value starts, not
// the whole of it: enough to tell a challenge from a blank value, an
// auth-param without a scheme ("=x", "realm=x") or a quoted string.
func IsChallenge(v string) bool {
	i := 0
	for i < len(v) && (v[i] == ' ' || v[i] == '\t' || v[i] == ',') {
		i++
	}
	start := i
	for i < len(v) && tchar[v[i]] {
		i++
	}
	return i > start && (i == len(v) || v[i] == ' ' || v[i] == '\t' || v[i] == ',')
}
