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
	// Printable ASCII, the common text, is judged eight bytes at a time.
	// Such a text that equals Go's phrase without regard to case (an ASCII
	// phrase that starts with a letter) has its letters, which the check
	// for a restatement below finds; any other text is compared here, and
	// judged rune by rune.
	if !printableASCII(text) && (strings.EqualFold(text, goPhrase) || !readable(text)) {
		return false
	}
	said := trimStatus(text, status)
	first, n := nextLetter(said)
	if first < 0 {
		return false
	}
	// The title is mostly Go's phrase again: compared once.
	restates := sameLettersFrom(said, first, n, goPhrase) ||
		title != goPhrase && sameLettersFrom(said, first, n, title) ||
		sameLettersFrom(said, first, n, "page not found")
	return !restates
}

// Masks of eight bytes for printableASCII.
const (
	eachByte = 0x0101010101010101
	highBits = 0x8080808080808080
)

// printableASCII reports whether every byte of s is printable ASCII, from
// ' ' to '~'. It looks at eight bytes at a time: in below, a byte under
// ' ' sets the high bit of its lane; in above, a byte over '~' does. A
// borrow or a carry between lanes starts only at a lane that is itself out
// of range, so neither can set a high bit when every byte is in range (the
// tests compare it with a loop over each byte).
func printableASCII(s string) bool {
	if len(s) < 8 {
		for i := 0; i < len(s); i++ {
			if s[i]-' ' > '~'-' ' {
				return false
			}
		}
		return true
	}
	// Whole words, the last of them ending where s ends (it may overlap the
	// one before).
	for i := 0; ; i += 8 {
		if i > len(s)-8 {
			i = len(s) - 8
		}
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		below := (w - eachByte*' ') &^ w
		above := (w + eachByte) | w // '~'+1 reaches the high bit
		if (below|above)&highBits != 0 {
			return false
		}
		if i == len(s)-8 {
			return true
		}
	}
}

// readable reports whether s, which is not all printable ASCII, is
// readable text: valid UTF-8 without control characters other than
// newlines and tabs.
func readable(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
				return false
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || unicode.IsControl(r) {
			return false
		}
		i += size - 1
	}
	return true
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

// sameLettersFrom reports whether said, whose first letter is first and
// ends at n, has the same letters as phrase, as sameLetters compares them.
// The first letters, which mostly differ, are compared first.
func sameLettersFrom(said string, first rune, n int, phrase string) bool {
	r, m := nextLetter(phrase)
	return r == first && sameLetters(said[n:], phrase[m:])
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
