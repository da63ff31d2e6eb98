// Package restate decides whether an error message says more than its
// status, so that the adapters agree on which texts become details.
package restate

import (
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxDetail is the longest text IsDetail accepts.
const MaxDetail = 512

// IsDetail reports whether text, a message that came with a 4xx status
// (from http.Error, an echo.HTTPError, ...), is worth sending as a problem's
// detail: short, readable text, not markup, that is more than the status
// restated ("404 page not found", "Method Not Allowed", "Request Entity Too
// Large"). title is the status's title in the catalog in use, which counts
// as a restatement too ("TooManyRequests" for a vendor's 429).
func IsDetail(text string, status int, title string) bool {
	if text == "" || len(text) > MaxDetail || text[0] == '<' {
		return false
	}
	goPhrase := http.StatusText(status)
	if strings.EqualFold(text, goPhrase) {
		return false // the common case: a framework's default message
	}
	// Printable ASCII, the common text, is passed with a range check per
	// byte; the rest is judged byte by byte and rune by rune.
	i := 0
	for i < len(text) && ' ' <= text[i] && text[i] < 0x7f {
		i++
	}
	for ; i < len(text); i++ {
		c := text[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
				return false
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && size == 1 || unicode.IsControl(r) {
			return false
		}
		i += size - 1
	}
	said := trimStatus(text, status)
	if !strings.ContainsFunc(said, unicode.IsLetter) {
		return false
	}
	// said has a letter, so it never has the same letters as "". The title
	// is mostly Go's phrase again: compared once.
	restates := sameLetters(said, goPhrase) ||
		title != goPhrase && sameLetters(said, title) ||
		sameLetters(said, "page not found")
	return !restates
}

// trimStatus removes a leading status code, as in "404 page not found".
func trimStatus(text string, status int) string {
	if len(text) >= 3 && text[0] >= '1' && text[0] <= '5' {
		if n, err := strconv.Atoi(text[:3]); err == nil && n == status {
			return text[3:]
		}
	}
	return text
}

// sameLetters reports whether a and b have the same letters, ignoring case
// and everything that is not a letter.
func sameLetters(a, b string) bool {
	for {
		ra, na := nextLetter(a)
		rb, nb := nextLetter(b)
		if ra != rb {
			return false
		}
		if ra < 0 {
			return true
		}
		a, b = a[na:], b[nb:]
	}
}

// nextLetter returns the first letter of s, lowercased, and the bytes up to
// and including it; -1 when s has no letter.
func nextLetter(s string) (rune, int) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z':
			return rune(c), i + 1
		case 'A' <= c && c <= 'Z':
			return rune(c + 'a' - 'A'), i + 1
		case c < utf8.RuneSelf:
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) {
			return unicode.ToLower(r), i + size
		}
		i += size - 1
	}
	return -1, len(s)
}
