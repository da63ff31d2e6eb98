package restate

import (
	"net/http"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestIsDetail(t *testing.T) {
	// The titles of the catalog in use: RFC 9110's phrases where Go's differ,
	// and a vendor's own phrase for 504.
	titles := map[int]string{413: "Content Too Large", 422: "Unprocessable Content", 504: "ServerTimeout"}
	for _, tc := range []struct {
		text   string
		status int
		want   bool
	}{
		{"limit must be a number", 400, true},
		{"invalid range: failed to overlap", 416, true},
		{"404 page not found", 404, false},
		{"Not Found", 404, false},
		{"not found.", 404, false},
		{"Method Not Allowed", 405, false},
		{"Request Entity Too Large", 413, false},
		{"Content Too Large", 413, false},
		{"Unprocessable Entity", 422, false},
		{"403 Forbidden", 403, false},
		{"", 400, false},
		{"404", 404, false},
		{"<h1>bad</h1>", 400, false},
		{"bad\x00byte", 400, false},
		{"bad \xff utf8", 400, false},
		{strings.Repeat("a", MaxDetail+1), 400, false},
		{"two\nlines", 400, true},
		{"a\ttab", 400, true},
		{"ends in delete\x7f", 400, false},
		{"café au lait is off", 400, true},
		{"next line\u0085after", 400, false},
		{"Nicht gefunden", 404, true},
		{"server timeout", 504, false},
		{"504 ServerTimeout", 504, false},
		{"upstream timed out", 504, true},
	} {
		assert.Equal(t, tc.want, IsDetail(tc.text, tc.status, titles[tc.status]), "IsDetail(%q, %d)", tc.text, tc.status)
	}
}

// BenchmarkIsDetail judges an HTTP error's message as the adapters do for
// every Echo HTTPError and bare error response of a 4xx.
func BenchmarkIsDetail(b *testing.B) {
	for b.Loop() {
		IsDetail("item 42 does not exist", 404, "Not Found")
	}
}

// TestIsDetailLikeEachRule: IsDetail answers as its rules say when each is
// checked on its own, rune by rune (isDetailByRules), for texts at the
// edges of each rule.
func TestIsDetailLikeEachRule(t *testing.T) {
	titles := []string{"", "Not Found", "Content Too Large", "ServerTimeout"}
	texts := []string{
		"", "a", "<a", "404", "404 ", "404 page not found", "not found", "NOT FOUND", "Not Found",
		"Not  Found!", "N0t Found", "item 42 does not exist", "Nicht gefunden", "not ſound",
		"Loc\u212aed", "Locked", "caf\u00e9", "bad \xff utf8", "\ufffd", "tab\there", "new\nline",
		"cr\rhere", "del\x7f", "nul\x00", "next\u0085line", "\u00a0nbsp", "~~~~~~~~", "        x",
		"12345678 9", "423 Locked", "413 Content Too Large", "Request Entity Too Large",
		"server timeout", "504 ServerTimeout", strings.Repeat("x", MaxDetail), strings.Repeat("x", MaxDetail+1),
	}
	for _, text := range texts {
		for _, status := range []int{400, 404, 413, 423, 504, 499} {
			for _, title := range titles {
				assert.Equal(t, isDetailByRules(text, status, title), IsDetail(text, status, title),
					"IsDetail(%q, %d, %q)", text, status, title)
			}
		}
	}
}

// FuzzIsDetail compares IsDetail with its rules checked one by one.
func FuzzIsDetail(f *testing.F) {
	f.Add("item 42 does not exist", 404, "Not Found")
	f.Add("404 page not found", 404, "Not Found")
	f.Add("Loc\u212aed", 423, "Locked")
	f.Add("bad \xff utf8\x7f", 400, "")
	f.Fuzz(func(t *testing.T, text string, status int, title string) {
		if got, want := IsDetail(text, status, title), isDetailByRules(text, status, title); got != want {
			t.Fatalf("IsDetail(%q, %d, %q) = %v, its rules say %v", text, status, title, got, want)
		}
	})
}

// isDetailByRules is IsDetail's rules, each checked on its own over the
// whole text.
func isDetailByRules(text string, status int, title string) bool {
	if text == "" || len(text) > MaxDetail || text[0] == '<' {
		return false
	}
	goPhrase := http.StatusText(status)
	if strings.EqualFold(text, goPhrase) {
		return false
	}
	if !utf8.ValidString(text) || strings.ContainsFunc(text, func(r rune) bool {
		return unicode.IsControl(r) && r != '\n' && r != '\t'
	}) {
		return false
	}
	said := trimStatus(text, status)
	if !strings.ContainsFunc(said, unicode.IsLetter) {
		return false
	}
	return !sameLetters(said, goPhrase) && !sameLetters(said, title) && !sameLetters(said, "page not found")
}

// TestPrintableASCII: printableASCII answers as a loop over each byte, for
// every pair of adjacent byte values at every place of a word and across
// words, in texts of printable ASCII.
func TestPrintableASCII(t *testing.T) {
	byByte := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] < ' ' || s[i] > '~' {
				return false
			}
		}
		return true
	}
	buf := []byte(strings.Repeat("~ ", 9)) // 18 bytes: two words and a tail
	for i := 0; i+1 < len(buf); i++ {
		a, b := buf[i], buf[i+1]
		for x := range 256 {
			for y := range 256 {
				buf[i], buf[i+1] = byte(x), byte(y)
				if s := string(buf); printableASCII(s) != byByte(s) {
					t.Fatalf("printableASCII(%q) = %v", s, printableASCII(s))
				}
			}
		}
		buf[i], buf[i+1] = a, b
	}
}
