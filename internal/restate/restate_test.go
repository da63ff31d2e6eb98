package restate

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/problemkit/problemkit/problem"
)

func TestIsDetail(t *testing.T) {
	cat := problem.DefaultCatalog()
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
	} {
		assert.Equal(t, tc.want, IsDetail(tc.text, tc.status, cat), "IsDetail(%q, %d)", tc.text, tc.status)
	}
}
