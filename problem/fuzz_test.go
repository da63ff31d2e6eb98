package problem

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// addTestdata seeds f with the files under testdata/ that end in ext.
func addTestdata(f *testing.F, ext string) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"+ext))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
}

// FuzzJSONRoundTrip decodes arbitrary bytes; whatever decodes must encode to
// valid JSON that decodes to the same problem and encodes to the same bytes.
func FuzzJSONRoundTrip(f *testing.F) {
	addTestdata(f, ".json")
	for _, s := range []string{`{}`, `{"type":5,"status":"404","title":null,"detail":[]}`, `{"status":404.0,"a":{"b":[1,"x",null,true]}}`, `{"x":"\u2028<>&\ud800"}`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Problem
		if json.Unmarshal(data, &p) != nil {
			return
		}
		first, err := p.AppendJSON(nil)
		if err != nil {
			t.Fatalf("encoding a decoded problem failed: %v", err)
		}
		if !json.Valid(first) {
			t.Fatalf("invalid JSON: %s", first)
		}
		var q Problem
		if err := json.Unmarshal(first, &q); err != nil {
			t.Fatalf("decoding our own output: %v\n%s", err, first)
		}
		second, _ := q.AppendJSON(nil)
		if !bytes.Equal(first, second) {
			t.Fatalf("not stable:\n%s\n%s", first, second)
		}
		if p.Type == "" {
			p.Type = AboutBlank
		}
		if !reflect.DeepEqual(normalize(p), normalize(q)) {
			t.Fatalf("round trip changed the problem:\n%#v\n%#v", p, q)
		}
	})
}

// normalize clears what a JSON round trip may legitimately change: invalid
// UTF-8 in strings becomes U+FFFD on the way out.
func normalize(p Problem) Problem {
	fix := func(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
	p.Type, p.Title, p.Detail, p.Instance = fix(p.Type), fix(p.Title), fix(p.Detail), fix(p.Instance)
	return p
}

// FuzzXMLRoundTrip decodes arbitrary XML; whatever decodes must encode to
// well-formed XML that decodes to the same problem, and xml.Marshal must
// write the same bytes.
func FuzzXMLRoundTrip(f *testing.F) {
	addTestdata(f, ".xml")
	for _, s := range []string{
		`<problem xmlns="urn:ietf:rfc:7807"/>`,
		`<problem xmlns="urn:ietf:rfc:7807"><a><i>1</i><i><b>2</b></i></a><c></c><status>404</status></problem>`,
		`<problem><detail>a&#xD;b&amp;&lt;</detail><x:y xmlns:x="u">z</x:y></problem>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := decodeXML(data)
		if err != nil {
			return
		}
		out, err := p.AppendXML(nil)
		if err != nil {
			t.Fatalf("encoding a decoded problem failed: %v", err)
		}
		q, err := decodeXML(out)
		if err != nil {
			t.Fatalf("decoding our own output: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("round trip changed the problem:\n%#v\n%#v\n%s", p, q, out)
		}
		if err := xml.Unmarshal(out, new(struct{})); err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		marshalled, err := xml.Marshal(p)
		if err != nil || !bytes.Equal(append([]byte(`<?xml version="1.0" encoding="UTF-8"?>`), marshalled...), out) {
			t.Fatalf("xml.Marshal = %s, %v; want the bytes of AppendXML, %s", marshalled, err, out)
		}
	})
}

// FuzzEncodeStrings checks that any string encodes exactly as encoding/json
// encodes it, in every member, and as well-formed XML.
func FuzzEncodeStrings(f *testing.F) {
	for _, s := range []string{"", "plain", "<>&\"\\", "\x00\x1f\x7f", "\u2028\u2029", "\xff\xfe", "🎉", "\r\n\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := &Problem{Type: s, Title: s, Status: 400, Detail: s, Instance: s, Extensions: map[string]any{"x": s, s: 1}}
		got, err := p.AppendJSON(nil)
		if err != nil && !isStandardMember(s) {
			t.Fatal(err)
		}
		want, _ := json.Marshal(s)
		if s != "" && !bytes.Contains(got, append([]byte(`"detail":`), want...)) {
			t.Fatalf("detail %q encoded as %s, want %s", s, got, want)
		}
		if !json.Valid(got) {
			t.Fatalf("invalid JSON %s", got)
		}
		x, _ := p.AppendXML(nil)
		var back Problem
		if err := xml.Unmarshal(x, &back); err != nil {
			t.Fatalf("invalid XML %s: %v", x, err)
		}
		if s != "" && utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return !isXMLChar(r) }) && back.Detail != s {
			t.Fatalf("XML changed the detail %q to %q", s, back.Detail)
		}
	})
}

// FuzzParseRetryAfter checks that parsing never panics, that what parses is a
// delay or a date, and that formatted delays parse back.
func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "120", "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "-1", "1.5", "99999999999999999999"} {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, s string, n int64) {
		now := time.Date(1994, 11, 6, 8, 49, 0, 0, time.UTC)
		d, err := ParseRetryAfter(s, now)
		if err == nil && d < 0 {
			t.Fatalf("negative delay %v for %q", d, s)
		}
		if err == nil && !isDigits(s) && !strings.ContainsAny(s, " ,") {
			t.Fatalf("%q parsed but is neither seconds nor a date", s)
		}
		formatted := FormatRetryAfter(time.Duration(n))
		back, err := ParseRetryAfter(formatted, now)
		if err != nil || back < time.Duration(n) {
			t.Fatalf("FormatRetryAfter(%d) = %q parses to %v, %v", n, formatted, back, err)
		}
		date := FormatRetryAt(time.Unix(n, n))
		if _, err := ParseRetryAfter(date, now); err != nil || len(date) != len(http.TimeFormat) {
			t.Fatalf("FormatRetryAt(time.Unix(%d, %d)) = %q: %v", n, n, date, err)
		}
	})
}

// FuzzNegotiate checks that any Accept header picks a format on offer
// without panicking, that the shortcut for common values agrees with
// parsing, and that nothing beyond the byte bound counts.
func FuzzNegotiate(f *testing.F) {
	for _, s := range []string{"", "*/*", "application/xml;q=0.9, */*;q=0.8", `text/html;a="b,c";q=1`, "application/json;q=0, application/xml", ";;,,q=", "a/b;q=1.0000", "application/problem+json;q=0, */*", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"} {
		f.Add(s, "application/problem+xml", false)
	}
	f.Fuzz(func(t *testing.T, accept, junk string, html bool) {
		for _, formats := range []Formats{0, FormatJSON} {
			got := negotiate([]string{accept}, formats, html)
			if got >= numFormats || (!html && got == formatHTML) || (formats == FormatJSON && got == formatXML) {
				t.Fatalf("negotiate(%q, %b, %v) = %v", accept, formats, html, got)
			}
			if parsed := negotiateRanges([]string{accept}, formats, html); got != parsed {
				t.Fatalf("negotiate(%q, %b, %v) = %v, but the ranges give %v", accept, formats, html, got, parsed)
			}
		}
		// Past the byte bound, whatever follows is ignored.
		if junk == "" {
			junk = "," // else the bound cuts nothing
		}
		long := strings.Repeat(accept+",", maxAcceptBytes/(len(accept)+1)+1)
		want := negotiate([]string{long}, 0, html)
		if got := negotiate([]string{long[:maxAcceptBytes] + junk}, 0, html); got != want {
			t.Fatalf("%q followed by %q gives %v, want %v", long[:maxAcceptBytes], junk, got, want)
		}
	})
}
