package problem_test

import (
	"encoding/xml"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/internal/golden"
	"github.com/problemkit/problemkit/problem"
)

// xmlDeclaration is what AppendXML writes before the problem element.
const xmlDeclaration = `<?xml version="1.0" encoding="UTF-8"?>`

// TestMarshalXML checks that xml.Marshal writes the bytes of AppendXML, less
// the XML declaration, which belongs to the document.
func TestMarshalXML(t *testing.T) {
	escapes := problem.New(400, `a < b & "c" > d`+"\r\n\x00\uFFFE")
	escapes.Title = "<script>'x'</script>"
	escapes.Extensions = map[string]any{"empty": []any{}, "nothing": nil, "flag": false, "ratio": 0.5, "obj": map[string]any{"k": []any{"v", 1}}}
	tests := []struct {
		name string
		p    *problem.Problem
	}{
		{name: "out of credit", p: outOfCredit()},
		{name: "validation", p: validationProblem()},
		{name: "escapes", p: escapes},
		{name: "zero", p: &problem.Problem{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := tt.p.AppendXML(nil)
			require.NoError(t, err)
			got, err := xml.Marshal(tt.p)
			require.NoError(t, err)
			assert.Equal(t, strings.TrimPrefix(string(want), xmlDeclaration), string(got))
		})
	}
}

// TestMarshalXMLAppendixB compares xml.Marshal's output with RFC 9457
// Appendix B's example, as TestRFCExamples does for AppendXML.
func TestMarshalXMLAppendixB(t *testing.T) {
	p := outOfCredit()
	p.Status = 0 // the RFC's body has no status member
	p.Instance = "https://example.net/account/12345/msgs/abc"
	p.Extensions["accounts"] = []string{"https://example.net/account/12345", "https://example.net/account/67890"}
	got, err := xml.Marshal(p)
	require.NoError(t, err)

	// The RFC lists balance before accounts; we sort extensions by name.
	rfc := regexp.MustCompile(`>\s+<`).ReplaceAllString(strings.TrimSpace(string(golden.Read(t, "rfc9457-appendix-b.xml"))), "><")
	rfc = strings.Replace(rfc, "<balance>30</balance>", "", 1)
	rfc = strings.Replace(rfc, "</accounts>", "</accounts><balance>30</balance>", 1)
	assert.Equal(t, rfc, xml.Header[:len(xml.Header)-1]+string(got))
}

// TestMarshalXMLRoundTrip: what xml.Marshal writes, xml.Unmarshal reads
// back as the same problem, alone, indented, or as a field of a struct.
func TestMarshalXMLRoundTrip(t *testing.T) {
	p := &problem.Problem{
		Type:     "https://example.com/probs/out-of-credit",
		Title:    "You do not have enough credit.",
		Status:   403,
		Detail:   "a < b & \"c\"\r\n",
		Instance: "/account/12345/msgs/abc",
		Extensions: map[string]any{
			"accounts": []any{"/account/12345", "/account/67890"},
			"limits":   map[string]any{"daily": "50"},
			"balance":  "30",
		},
	}
	t.Run("alone", func(t *testing.T) {
		data, err := xml.Marshal(p)
		require.NoError(t, err)
		var back problem.Problem
		require.NoError(t, xml.Unmarshal(data, &back))
		assert.Equal(t, *p, back)
	})
	t.Run("indented", func(t *testing.T) {
		data, err := xml.MarshalIndent(p, "", "  ")
		require.NoError(t, err)
		var back problem.Problem
		require.NoError(t, xml.Unmarshal(data, &back))
		assert.Equal(t, *p, back)
	})
	t.Run("field", func(t *testing.T) {
		type report struct {
			XMLName  xml.Name           `xml:"report"`
			Problems []*problem.Problem `xml:"problem"`
		}
		data, err := xml.Marshal(report{Problems: []*problem.Problem{p, problem.New(404, "")}})
		require.NoError(t, err)
		var back report
		require.NoError(t, xml.Unmarshal(data, &back))
		require.Len(t, back.Problems, 2)
		assert.Equal(t, *p, *back.Problems[0])
		assert.Equal(t, 404, back.Problems[1].Status)
	})
}

// TestMarshalXMLElementName: the element is <problem> in the RFC's
// namespace whatever name the encoder asks for, since RFC 9457 Appendix B
// fixes it and UnmarshalXML reads no other.
func TestMarshalXMLElementName(t *testing.T) {
	type wrapper struct {
		XMLName xml.Name         `xml:"wrapper"`
		P       *problem.Problem `xml:"urn:other error"`
	}
	data, err := xml.Marshal(wrapper{P: problem.New(404, "")})
	require.NoError(t, err)
	assert.Equal(t, `<wrapper><problem xmlns="urn:ietf:rfc:7807"><type>about:blank</type><status>404</status></problem></wrapper>`, string(data))
}

// TestMarshalXMLFailsOnDroppedExtension: as json.Marshal does, xml.Marshal
// fails when an extension cannot be encoded, where AppendXML leaves it out.
func TestMarshalXMLFailsOnDroppedExtension(t *testing.T) {
	p := problem.New(400, "")
	p.Extensions = map[string]any{"a b": 1}
	_, err := xml.Marshal(p)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `extension "a b" dropped: its name is not an XML name`)
}

func TestXMLGolden(t *testing.T) {
	ooc := outOfCredit()
	ooc.Instance = "https://example.net/account/12345/msgs/abc"
	ooc.Extensions["accounts"] = []string{"https://example.net/account/12345", "https://example.net/account/67890"}
	for name, p := range map[string]*problem.Problem{
		"out-of-credit.xml": ooc,
		"validation.xml":    validationProblem(),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := p.AppendXML(nil)
			require.NoError(t, err)
			golden.Assert(t, name, got)
		})
	}
}

func TestXMLEscapesAndSkips(t *testing.T) {
	p := problem.New(400, `a < b & "c" > d`+"\r\n\x00\x01\uFFFE")
	p.Title = "<script>alert(1)</script>"
	p.Extensions = map[string]any{
		"1abc":      "not a name",
		"a b":       "not a name",
		"ns:name":   "a colon",
		"ok-name.2": "fine",
		"obj":       map[string]any{"bad key": 1},
		"empty":     []any{},
		"nothing":   nil,
		"flag":      false,
		"ratio":     0.5,
		"point":     point{X: 1, Y: 2},
	}
	got, err := p.AppendXML(nil)
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><problem xmlns="urn:ietf:rfc:7807">`+
		`<type>about:blank</type><title>&lt;script&gt;alert(1)&lt;/script&gt;</title><status>400</status>`+
		`<detail>a &lt; b &amp; "c" &gt; d&#xD;`+"\n\uFFFD\uFFFD\uFFFD"+`</detail>`+
		`<empty></empty><flag>false</flag><nothing></nothing><ok-name.2>fine</ok-name.2><point><X>1</X><Y>2</Y></point><ratio>0.5</ratio></problem>`,
		string(got))
	require.Error(t, err)
	for _, name := range []string{"1abc", "a b", "ns:name"} {
		assert.Contains(t, err.Error(), `extension "`+name+`" dropped: its name is not an XML name`)
	}
	assert.Contains(t, err.Error(), `extension "obj" dropped: key "bad key" is not an XML name`)

	var back problem.Problem
	require.NoError(t, xml.Unmarshal(got, &back), "the output is well-formed")
	assert.Equal(t, "a < b & \"c\" > d\r\n\uFFFD\uFFFD\uFFFD", back.Detail, "the carriage return survives")
}

func TestXMLDecode(t *testing.T) {
	in := `<?xml version="1.0"?>
<problem xmlns="urn:ietf:rfc:7807" xmlns:o="urn:other">
  <type>https://example.com/t</type>
  <title><b>not text</b></title>
  <status> 409 </status>
  <detail>kept</detail>
  <o:foreign>ignored</o:foreign>
  <!-- a comment -->
  <list><i>1</i><i><x>2</x></i></list>
  <obj a="attr"><k>v</k><k2></k2></obj>
  <empty/>
</problem>`
	var p problem.Problem
	require.NoError(t, xml.Unmarshal([]byte(in), &p))
	assert.Equal(t, problem.Problem{
		Type:   "https://example.com/t",
		Status: 409,
		Detail: "kept",
		Extensions: map[string]any{
			"list":  []any{"1", map[string]any{"x": "2"}},
			"obj":   map[string]any{"k": "v", "k2": ""},
			"empty": "",
		},
	}, p)

	for _, bad := range []string{
		`<other xmlns="urn:ietf:rfc:7807"/>`,
		`<problem xmlns="urn:wrong"/>`,
		`<problem xmlns="urn:ietf:rfc:7807"><type>`,
		`not xml`,
	} {
		var p problem.Problem
		assert.Error(t, xml.Unmarshal([]byte(bad), &p), "%q", bad)
	}
	var noNS problem.Problem
	require.NoError(t, xml.Unmarshal([]byte(`<problem><status>404</status></problem>`), &noNS), "a document without the namespace is read too")
	assert.Equal(t, 404, noNS.Status)
}

// TestFromResponseXMLDocument: a problem+xml body is one document, read
// to its end: before and after the root element only white space,
// comments and processing instructions (and, before it, a document type
// declaration) may stand, as XML 1.0 §2.1 has it; the JSON reader, alike,
// takes one JSON value. Every error says "problem: decoding XML".
func TestFromResponseXMLDocument(t *testing.T) {
	const root = `<problem xmlns="urn:ietf:rfc:7807"><status>409</status></problem>`
	tests := []struct {
		name    string
		body    string
		wantErr string // "" for a problem read
	}{
		{name: "the root alone", body: root},
		{name: "declaration, comments, instructions and white space around it",
			body: xmlDeclaration + "\n<!-- before --><?pi before?>\r\n<!DOCTYPE problem>" + root + " \t\r\n<!-- after --><?pi after?>\n"},
		{name: "a second problem", body: root + root,
			wantErr: "problem: status 400: problem: decoding XML: element <problem> after the root element"},
		{name: "trailing garbage", body: root + "garbage",
			wantErr: "problem: status 400: problem: decoding XML: text after the root element"},
		{name: "trailing CDATA", body: root + "<![CDATA[x]]>",
			wantErr: "problem: status 400: problem: decoding XML: text after the root element"},
		{name: "an unmatched end tag after the root", body: root + "</problem>",
			wantErr: "problem: status 400: problem: decoding XML: XML syntax error on line 1: unexpected end element </problem>"},
		{name: "a document type declaration after the root", body: root + "<!DOCTYPE problem>",
			wantErr: "problem: status 400: problem: decoding XML: a declaration after the root element"},
		{name: "an XML declaration after the root", body: root + xmlDeclaration,
			wantErr: "problem: status 400: problem: decoding XML: an XML declaration after the start of the document"},
		{name: "text before the root", body: "garbage" + root,
			wantErr: "problem: status 400: problem: decoding XML: text before the root element"},
		{name: "no root", body: xmlDeclaration + "<!-- nothing -->",
			wantErr: "problem: status 400: problem: decoding XML: no root element"},
		{name: "empty", body: "",
			wantErr: "problem: status 400: problem: decoding XML: no root element"},
		{name: "a declared charset", body: `<?xml version="1.0" encoding="ISO-8859-1"?>` + root,
			wantErr: `problem: status 400: problem: decoding XML: encoding "ISO-8859-1" declared, and only UTF-8 is read`},
		{name: "a declared UTF-8", body: `<?xml version="1.0" encoding="utf-8"?>` + root},
		{name: "an unsupported version", body: `<?xml version="1.1"?>` + root,
			wantErr: `problem: status 400: problem: decoding XML: xml: unsupported version "1.1"; only version 1.0 is supported`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: 400, Header: http.Header{"Content-Type": {"application/problem+xml"}}, Body: io.NopCloser(strings.NewReader(tt.body))}
			p, err := problem.FromResponse(resp)
			if tt.wantErr != "" {
				assert.Nil(t, p)
				assert.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, 400, p.Status)
			assert.Equal(t, problem.AboutBlank, p.Type)
		})
	}
}
