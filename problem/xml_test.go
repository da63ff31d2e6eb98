package problem_test

import (
	"encoding/xml"
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
