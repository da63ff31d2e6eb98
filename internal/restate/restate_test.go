package restate

import (
	"strings"
	"testing"

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
