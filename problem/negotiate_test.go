package problem

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNegotiate(t *testing.T) {
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	tests := []struct {
		accept string
		html   bool
		want   format
	}{
		{"", false, formatJSON},
		{"*/*", false, formatJSON},
		{"application/json", false, formatJSON},
		{"application/problem+json", false, formatJSON},
		{"application/problem+xml", false, formatXML},
		{"application/xml", false, formatXML},
		{"text/xml", false, formatXML},
		{"TEXT/XML", false, formatXML},
		{"application/*", false, formatJSON},
		{"text/*", false, formatXML},
		{"application/json;q=0, application/xml", false, formatXML},
		{"application/json;q=0.5, application/xml;q=0.6", false, formatXML},
		{"application/json;q=0.6, application/xml;q=0.6", false, formatJSON},
		{"application/xml;q=0.4, */*;q=0.5", false, formatJSON},
		{"application/*;q=0.1, application/problem+xml", false, formatXML},
		{"application/xml, application/*;q=0", false, formatXML},
		{"*/*;q=0", false, formatJSON},
		{"text/html", false, formatJSON},
		{"text/html", true, formatHTML},
		{"image/png", true, formatJSON},
		{browser, false, formatXML},
		{browser, true, formatHTML},
		{"application/json, text/html", true, formatJSON},
		{"text/html;q=0.9, application/json;q=0.8", true, formatHTML},
		{`application/xml; foo="a,b;q=0"; q=1, application/json;q=0.5`, false, formatXML},
		{"application/xml;q=2", false, formatJSON},
		{"application/xml;q=0.1234", false, formatJSON},
		{"application/xml;q=abc", false, formatJSON},
		{"application/xml;q=1.000", false, formatXML},
		{"application/xml ; Q=0.5 , application/json;q=0.4", false, formatXML},
		{"*/xml", false, formatJSON},
		{"garbage", false, formatJSON},
		{",,, ,application/xml,,", false, formatXML},
		{"application/json;q=0, application/problem+json;q=0, application/*", false, formatXML},
	}
	for _, tt := range tests {
		got := negotiate([]string{tt.accept}, tt.html)
		assert.Equal(t, tt.want, got, "negotiate(%q, html=%v)", tt.accept, tt.html)
	}
	assert.Equal(t, formatXML, negotiate([]string{"text/plain", "application/xml"}, false), "every Accept line counts")
	assert.Equal(t, formatJSON, negotiate(nil, true))
}

func TestParseQ(t *testing.T) {
	for s, want := range map[string]int{"0": 0, "1": 1000, "0.5": 500, "0.123": 123, "1.0": 1000, "1.000": 1000, "0.": 0, "1.": 1000} {
		q, ok := parseQ(s)
		assert.True(t, ok, s)
		assert.Equal(t, want, q, s)
	}
	for _, s := range []string{"", "2", "1.001", "0.1234", ".5", "-0", "0,5", "1e0"} {
		_, ok := parseQ(s)
		assert.False(t, ok, s)
	}
}

func TestIsXMLName(t *testing.T) {
	for _, ok := range []string{"balance", "out_of_credit", "a", "_x", "a-b", "a.b", "a1", "émoji", "名前", "ab"} {
		assert.True(t, isXMLName(ok), ok)
	}
	for _, bad := range []string{"", "1abc", "-a", ".a", "a b", "a:b", "a/b", "a\xff", "a\x00"} {
		assert.False(t, isXMLName(bad), bad)
	}
}

// TestSafeLen checks the eight-at-a-time scan against the byte table for
// every byte value at every position of a 17-byte string.
func TestSafeLen(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 17; pos++ {
			b := []byte("abcdefghijklmnopq")
			b[pos] = byte(c)
			want := pos
			if jsonSafe[c] {
				want = len(b)
			}
			if got := safeLen(string(b)); got != want {
				t.Fatalf("safeLen with byte %#x at %d = %d, want %d", c, pos, got, want)
			}
		}
	}
}
