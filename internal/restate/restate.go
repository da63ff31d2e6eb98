// Package restate decides whether an error message says more than its
// status, so that the adapters agree on which texts become details.
package restate

import (
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/problemkit/problemkit/problem"
)

// IsDetail reports whether text, a message that came with a 4xx status
// (from http.Error, an echo.HTTPError, ...), is worth sending as a problem's
// detail: short, readable text, not markup, that is more than the status
// restated ("404 page not found", "Method Not Allowed", "Request Entity Too
// Large").
func IsDetail(text string, status int, cat *problem.Catalog) bool {
	if text == "" || len(text) > MaxDetail || !utf8.ValidString(text) || strings.HasPrefix(text, "<") {
		return false
	}
	for _, r := range text {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return false
		}
	}
	said := letters(strings.TrimPrefix(text, strconv.Itoa(status)))
	if said == "" {
		return false
	}
	for _, phrase := range []string{http.StatusText(status), cat.Title(status), "page not found"} {
		if phrase != "" && said == letters(phrase) {
			return false
		}
	}
	return true
}

// MaxDetail is the longest text IsDetail accepts.
const MaxDetail = 512

// letters returns the letters of s, lowercased.
func letters(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}
