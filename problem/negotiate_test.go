package problem

import (
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/internal/wire"
)

// The Accept headers browsers send when they navigate to a page.
const (
	chromium  = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
	firefox   = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	firefox92 = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
	safari    = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
)

// TestNegotiate checks the format chosen for Accept header values, with HTML
// off unless the case says so.
func TestNegotiate(t *testing.T) {
	tests := []struct {
		name   string
		accept string
		html   bool
		want   format
	}{
		// No preference, and the common single values.
		{name: "none", accept: "", want: formatJSON},
		{name: "any", accept: "*/*", want: formatJSON},
		{name: "json", accept: "application/json", want: formatJSON},
		{name: "problem+json", accept: "application/problem+json", want: formatJSON},
		{name: "problem+xml", accept: "application/problem+xml", want: formatXML},
		{name: "xml", accept: "application/xml", want: formatXML},
		{name: "text/xml", accept: "text/xml", want: formatXML},
		{name: "application wildcard", accept: "application/*", want: formatJSON},
		{name: "text wildcard reaches text/xml", accept: "text/*", want: formatXML},
		{name: "unrelated type", accept: "image/png", html: true, want: formatJSON},

		// Case: types and the q name are case-insensitive (RFC 9110 §8.3.1, §12.4.2).
		{name: "upper-case type", accept: "TEXT/XML", want: formatXML},
		{name: "upper-case q", accept: "application/xml ; Q=0.5 , application/json;q=0.4", want: formatXML},

		// Quality values and ties.
		{name: "q=0 on the alias", accept: "application/json;q=0, application/xml", want: formatXML},
		{name: "higher q wins", accept: "application/json;q=0.5, application/xml;q=0.6", want: formatXML},
		{name: "tie goes to JSON", accept: "application/json;q=0.6, application/xml;q=0.6", want: formatJSON},
		{name: "tie through the wildcard", accept: "application/xml;q=0.4, */*;q=0.5", want: formatJSON},
		{name: "tie between XML and HTML goes to XML", accept: "text/html, application/xml", html: true, want: formatXML},
		{name: "thousandths count", accept: "application/json;q=0.501, application/xml;q=0.5", want: formatJSON},

		// Specificity: the most specific matching range gives a type its
		// quality (RFC 9110 §12.5.1).
		{name: "exact beats its wildcard", accept: "application/*;q=0.1, application/problem+xml", want: formatXML},
		{name: "exact beats */*", accept: "*/*;q=0.9, application/xml;q=0.1, application/problem+xml;q=0.1, text/xml;q=0.1", want: formatJSON},
		{name: "type wildcard beats */*", accept: "text/*;q=0.3, */*;q=0.2", want: formatXML},
		{name: "order does not matter", accept: "*/*;q=0.2, text/*;q=0.3", want: formatXML},
		{name: "same range twice: the higher q", accept: "application/xml;q=0.1, application/xml;q=0.9, application/json;q=0.5", want: formatXML},

		// RFC 9110 §12.5.1's examples, with our types in place of theirs.
		{name: "RFC audio/*;q=0.2, audio/basic", accept: "application/*;q=0.2, application/problem+xml", want: formatXML},
		{name: "RFC text/plain;q=0.5, text/html, text/x-dvi;q=0.8", accept: "application/json;q=0.5, text/xml, text/html;q=0.8", html: true, want: formatXML},
		{name: "RFC precedence text/*, text/plain, text/plain;format=flowed, */*", accept: "text/*, text/xml;q=0.5, */*;q=0.4", want: formatXML},
		{name: "RFC quality table", accept: "text/*;q=0.3, text/xml;q=0.7, text/xml;format=flowed, text/xml;format=fixed;q=0.4, */*;q=0.5", want: formatXML},
		{name: "RFC quality table, html", accept: "text/*;q=0.3, text/html;q=0.7, */*;q=0.5", html: true, want: formatHTML},

		// Parameters: q is the weight; other parameters are ignored, and a
		// quoted string may hold commas, semicolons and "q=".
		{name: "charset ignored", accept: "application/xml; charset=utf-8", want: formatXML},
		{name: "quoted string", accept: `application/xml; foo="a,b;q=0"; q=1, application/json;q=0.5`, want: formatXML},
		{name: "quoted pair", accept: `application/json;q=0.5, application/xml; foo="a\",b;q=0"`, want: formatXML},
		{name: "q after other parameters", accept: "application/xml;level=1;q=0.4, application/json;q=0.5", want: formatJSON},

		// Malformed elements are ignored; the rest still counts.
		{name: "q above 1", accept: "application/xml;q=2", want: formatJSON},
		{name: "q with four decimals", accept: "application/xml;q=0.1234", want: formatJSON},
		{name: "q not a number", accept: "application/xml;q=abc", want: formatJSON},
		{name: "q empty", accept: "application/xml;q=", want: formatJSON},
		{name: "q quoted", accept: `application/xml;q="0.5", application/json;q=0.4`, want: formatJSON},
		{name: "q=1.000", accept: "application/xml;q=1.000", want: formatXML},
		{name: "wildcard type with a subtype", accept: "*/xml", want: formatJSON},
		{name: "no slash", accept: "garbage", want: formatJSON},
		{name: "empty elements", accept: ",,, ,application/xml,,", want: formatXML},
		{name: "malformed among good", accept: "application/xml;q=2, text/xml;q=0.3, application/json;q=0.2", want: formatXML},

		// q=0 on a format's own media type excludes it, whatever its aliases
		// or a wildcard say.
		{name: "problem+json refused, */* accepted", accept: "application/problem+json;q=0, */*", want: formatXML},
		{name: "problem+json refused, application/* accepted", accept: "application/problem+json;q=0, application/*", want: formatXML},
		{name: "problem+json refused, its alias preferred", accept: "application/problem+json;q=0, application/json, application/xml;q=0.5", want: formatXML},
		{name: "refusal in any case", accept: "APPLICATION/PROBLEM+JSON;Q=0.000, */*", want: formatXML},
		{name: "both refused by application/*", accept: "application/*;q=0, application/json, text/xml", want: formatJSON},
		{name: "aliases refused, problem+json not", accept: "application/json;q=0, application/problem+json;q=0, application/*", want: formatXML},
		{name: "alias refused, label accepted by */*", accept: "application/json;q=0, */*", want: formatJSON},
		{name: "problem+xml refused, its alias accepted", accept: "application/problem+xml;q=0, application/xml, */*;q=0.1", want: formatJSON},
		{name: "text/html refused", accept: "text/html;q=0, */*", html: true, want: formatJSON},

		// Nothing acceptable: JSON, never 406.
		{name: "everything refused", accept: "*/*;q=0", want: formatJSON},
		{name: "every format refused", accept: "application/problem+json;q=0, application/problem+xml;q=0, */*", want: formatJSON},
		{name: "problem+xml refused by application/*", accept: "application/xml, application/*;q=0", want: formatJSON},
		{name: "html off", accept: "text/html", want: formatJSON},
		{name: "html on", accept: "text/html", html: true, want: formatHTML},

		// Browsers: with HTML off, a client that prefers text/html to every
		// format gets JSON, which browsers display (Chromium refuses to
		// display problem+xml).
		{name: "chromium", accept: chromium, want: formatJSON},
		{name: "chromium, html", accept: chromium, html: true, want: formatHTML},
		{name: "firefox", accept: firefox, want: formatJSON},
		{name: "firefox, html", accept: firefox, html: true, want: formatHTML},
		{name: "firefox 92-127", accept: firefox92, want: formatJSON},
		{name: "safari", accept: safari, want: formatJSON},
		{name: "safari, html", accept: safari, html: true, want: formatHTML},
		{name: "old webkit prefers xml", accept: "application/xml,application/xhtml+xml,text/html;q=0.9,text/plain;q=0.8,image/png,*/*;q=0.5", want: formatXML},
		{name: "html only", accept: "text/html", want: formatJSON},
		{name: "html and xml alike", accept: "text/html, application/xml", want: formatXML},
		{name: "html by text/*, like text/xml", accept: "text/*", want: formatXML},
		{name: "html by text/*, above xml", accept: "text/*, application/xml;q=0.5", want: formatXML},
		{name: "html below xml", accept: "text/html;q=0.9, application/xml", want: formatXML},
		{name: "html above xml, json refused", accept: "text/html, application/problem+json;q=0, application/xml;q=0.9", want: formatXML},
		{name: "json before html", accept: "application/json, text/html", html: true, want: formatJSON},
		{name: "html before json", accept: "text/html;q=0.9, application/json;q=0.8", html: true, want: formatHTML},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := negotiate([]string{tt.accept}, 0, tt.html)
			assert.Equal(t, tt.want, got, "negotiate(%q, html=%v) = %v, want %v", tt.accept, tt.html, got, tt.want)
		})
	}
}

// TestRespondToBrowsers checks the Content-Type a browser gets, with HTML
// off and on.
func TestRespondToBrowsers(t *testing.T) {
	tests := []struct {
		name, accept string
		html         bool
		want         string
	}{
		{name: "chromium", accept: chromium, want: "application/problem+json"},
		{name: "firefox", accept: firefox, want: "application/problem+json"},
		{name: "safari", accept: safari, want: "application/problem+json"},
		{name: "chromium, html", accept: chromium, html: true, want: "text/html; charset=utf-8"},
		{name: "xml client", accept: "application/xml", want: "application/problem+xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, req := httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil)
			req.Header.Set("Accept", tt.accept)
			rs := &Responder{HTML: tt.html}
			require.NoError(t, rs.Respond(rec, req, New(http.StatusNotFound, "")))
			assert.Equal(t, tt.want, rec.Header().Get("Content-Type"))
		})
	}
}

// TestNegotiateFormats checks that a Responder offers only the formats its
// Formats names, and always JSON.
func TestNegotiateFormats(t *testing.T) {
	tests := []struct {
		name    string
		formats Formats
		html    bool
		accept  string
		want    format
	}{
		{name: "zero offers xml", formats: 0, accept: "application/xml", want: formatXML},
		{name: "both", formats: FormatJSON | FormatXML, accept: "application/xml", want: formatXML},
		{name: "json only", formats: FormatJSON, accept: "application/xml", want: formatJSON},
		{name: "json only, problem+xml", formats: FormatJSON, accept: "application/problem+xml", want: formatJSON},
		{name: "json only, xml preferred", formats: FormatJSON, accept: "application/xml, application/json;q=0.1", want: formatJSON},
		{name: "json only, json refused", formats: FormatJSON, accept: "application/problem+json;q=0, application/xml", want: formatJSON},
		{name: "json only, browser", formats: FormatJSON, accept: chromium, want: formatJSON},
		{name: "json only, html on", formats: FormatJSON, html: true, accept: chromium, want: formatHTML},
		{name: "json always offered", formats: FormatXML, accept: "application/json", want: formatJSON},
		{name: "json always offered, xml asked", formats: FormatXML, accept: "application/xml", want: formatXML},
		{name: "unknown bits ignored", formats: FormatJSON | 1<<7, accept: "application/xml", want: formatJSON},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := negotiate([]string{tt.accept}, tt.formats, tt.html)
			assert.Equal(t, tt.want, got, "negotiate(%q, %b, html=%v) = %v, want %v", tt.accept, tt.formats, tt.html, got, tt.want)
		})
	}
}

// TestResponderFormats: Respond writes only the formats offered.
func TestResponderFormats(t *testing.T) {
	for _, tt := range []struct {
		name    string
		formats Formats
		want    string
	}{
		{name: "default", want: "application/problem+xml"},
		{name: "json only", formats: FormatJSON, want: "application/problem+json"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec, req := httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil)
			req.Header.Set("Accept", "application/xml")
			rs := &Responder{Formats: tt.formats}
			require.NoError(t, rs.Respond(rec, req, New(http.StatusNotFound, "")))
			assert.Equal(t, tt.want, rec.Header().Get("Content-Type"))
		})
	}
}

// TestNegotiateBound checks that only the first maxAcceptBytes bytes and
// maxAcceptRanges media ranges of Accept count: a range that would decide
// the format but lies beyond the bound, or is cut by it, is ignored.
func TestNegotiateBound(t *testing.T) {
	// filler is a range of n bytes (n >= 14) that asks for no format.
	filler := func(n int) string { return "text/plain;p=" + strings.Repeat("a", n-13) }
	ranges := func(n int, last string) string { return strings.Repeat("text/plain, ", n) + last }
	// cutAfter pads Accept so that the byte bound falls right after the
	// first len(kept) bytes of last.
	cutAfter := func(first, kept, last string) string {
		pad := maxAcceptBytes - len(first) - len(", ") - len(", ") - len(kept)
		return first + ", " + filler(pad) + ", " + last
	}
	tests := []struct {
		name  string
		lines []string
		want  format
	}{
		{name: "last range within the range bound", lines: []string{ranges(maxAcceptRanges-1, "application/xml")}, want: formatXML},
		{name: "range beyond the range bound", lines: []string{ranges(maxAcceptRanges, "application/xml")}, want: formatJSON},
		{name: "malformed and empty elements", lines: []string{strings.Repeat("x, ,", maxAcceptRanges) + "application/xml"}, want: formatJSON},
		{name: "range within the byte bound", lines: []string{filler(maxAcceptBytes-len(", application/xml")) + ", application/xml"}, want: formatXML},
		{name: "range beyond the byte bound", lines: []string{filler(maxAcceptBytes) + ", application/xml"}, want: formatJSON},
		{name: "range cut by the byte bound", lines: []string{filler(maxAcceptBytes-len(", application/xml")+1) + ", application/xml"}, want: formatJSON},
		{name: "cut range is not read in part", lines: []string{cutAfter("application/json;q=0.1", "application/xml", "application/xml;q=0")}, want: formatJSON},
		{name: "refusal beyond the bound", lines: []string{"application/xml;q=0.5, " + filler(maxAcceptBytes) + ", application/problem+xml;q=0"}, want: formatXML},
		{name: "lines share the byte bound", lines: []string{filler(maxAcceptBytes - 10), "application/xml"}, want: formatJSON},
		{name: "lines share the range bound", lines: []string{ranges(maxAcceptRanges-1, "text/plain"), "application/xml"}, want: formatJSON},
		{name: "second line within both bounds", lines: []string{filler(100), "application/xml"}, want: formatXML},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, negotiate(tt.lines, 0, false))
		})
	}
}

// TestRangeReaderBound checks that the work is bounded: of a hostile 1 MiB
// header, the reader yields the first maxAcceptRanges ranges, or those of
// the first maxAcceptBytes bytes, and nothing more.
func TestRangeReaderBound(t *testing.T) {
	read := func(lines ...string) []mediaRange {
		rr := rangeReader{lines: lines, left: maxAcceptBytes}
		var got []mediaRange
		for {
			r, ok := rr.next()
			if !ok {
				return got
			}
			got = append(got, r)
		}
	}
	short := hostileAccept() // ranges of 21 bytes
	got := read(short)
	require.Len(t, got, maxAcceptRanges)
	assert.Equal(t, mediaRange{typ: "application", sub: "x", q: 500}, got[maxAcceptRanges-1])

	long := strings.Repeat("application/x;p="+strings.Repeat("a", 82)+", ", (1<<20)/100) // 100 bytes each
	assert.Len(t, read(long), maxAcceptBytes/100, "only the ranges that end within the byte bound")
	assert.Len(t, read(long, long), maxAcceptBytes/100, "lines share the bound")
	assert.Empty(t, read(strings.Repeat("a", 1<<20)+"/b"), "one range longer than the bound")
	assert.Empty(t, read(strings.Repeat(",", 1<<20)+"application/xml"), "empty elements")
	assert.Len(t, read("application/xml", "", "text/xml"), 2, "an empty line")
}

// TestNegotiateShortcut proves the shortcut for common values right: for
// each, negotiate gives what parsing the ranges gives, for every set of
// formats offered.
func TestNegotiateShortcut(t *testing.T) {
	for _, accept := range []string{"", "*/*", "application/json", "application/problem+json", "application/xml", "application/problem+xml", "text/xml"} {
		for _, formats := range []Formats{0, FormatJSON, FormatXML, FormatJSON | FormatXML} {
			for _, html := range []bool{false, true} {
				want := negotiateRanges([]string{accept}, formats, html)
				assert.Equal(t, want, negotiate([]string{accept}, formats, html), "negotiate(%q, %b, %v)", accept, formats, html)
			}
		}
	}
}

// TestLabelsAreContentTypes: the label of each format is the media type
// of the Content-Type Respond sends for it.
func TestLabelsAreContentTypes(t *testing.T) {
	labels := 0
	for _, m := range mediaTypes {
		if !m.label {
			continue
		}
		labels++
		mt, _, err := mime.ParseMediaType(wire.Value(contentTypes[m.format]))
		require.NoError(t, err)
		assert.Equal(t, mt, m.typ+"/"+m.sub)
	}
	assert.Equal(t, int(numFormats), labels, "one label per format")
}

// TestNegotiateLines: every Accept line counts, and none means no preference.
func TestNegotiateLines(t *testing.T) {
	assert.Equal(t, formatXML, negotiate([]string{"text/plain", "application/xml"}, 0, false))
	assert.Equal(t, formatXML, negotiate([]string{"application/problem+json;q=0", "*/*"}, 0, false))
	assert.Equal(t, formatJSON, negotiate(nil, 0, true))
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
