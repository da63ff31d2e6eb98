package problem_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/golden"
	"github.com/problemkit/problemkit/problem"
)

// outOfCredit is the example problem of RFC 9457 §3.
func outOfCredit() *problem.Problem {
	p := problem.Type{
		URI:    "https://example.com/probs/out-of-credit",
		Title:  "You do not have enough credit.",
		Status: 403,
	}.New("Your current balance is 30, but that costs 50.")
	p.Instance = "/account/12345/msgs/abc"
	p.Extensions = map[string]any{
		"balance":  30,
		"accounts": []string{"/account/12345", "/account/67890"},
	}
	return p
}

// validationProblem is the "errors" example of RFC 9457 §3.
func validationProblem() *problem.Problem {
	p := problem.Type{URI: "https://example.net/validation-error", Title: "Your request is not valid.", Status: 422}.New("")
	p.Extensions = map[string]any{"errors": []any{
		map[string]any{"detail": "must be a positive integer", "pointer": "#/age"},
		map[string]any{"detail": "must be 'green', 'red' or 'blue'", "pointer": "#/profile/color"},
	}}
	return p
}

func TestJSONGolden(t *testing.T) {
	for name, p := range map[string]*problem.Problem{
		"out-of-credit.json": outOfCredit(),
		"validation.json":    validationProblem(),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := p.AppendJSON(nil)
			require.NoError(t, err)
			golden.Assert(t, name, got)

			marshalled, err := json.Marshal(p)
			require.NoError(t, err)
			assert.Equal(t, string(got), string(marshalled), "json.Marshal uses the same encoder")
		})
	}
}

// TestRFCExamples checks our output against the examples as RFC 9457 prints
// them (stored verbatim in testdata): equal but for layout and member order.
func TestRFCExamples(t *testing.T) {
	t.Run("section 3 JSON", func(t *testing.T) {
		p := outOfCredit()
		p.Status = 0 // the RFC's body has no status member
		got, err := p.AppendJSON(nil)
		require.NoError(t, err)
		assert.JSONEq(t, string(golden.Read(t, "rfc9457-section3.json")), string(got))
	})
	t.Run("section 3 validation", func(t *testing.T) {
		p := validationProblem()
		p.Status = 0
		got, err := p.AppendJSON(nil)
		require.NoError(t, err)
		assert.JSONEq(t, string(golden.Read(t, "rfc9457-validation.json")), string(got))
	})
	t.Run("appendix B XML", func(t *testing.T) {
		p := outOfCredit()
		p.Status = 0
		p.Instance = "https://example.net/account/12345/msgs/abc"
		p.Extensions["accounts"] = []string{"https://example.net/account/12345", "https://example.net/account/67890"}
		got, err := p.AppendXML(nil)
		require.NoError(t, err)
		// The RFC lists balance before accounts; we sort extensions by name.
		rfc := regexp.MustCompile(`>\s+<`).ReplaceAllString(strings.TrimSpace(string(golden.Read(t, "rfc9457-appendix-b.xml"))), "><")
		rfc = strings.Replace(rfc, "<balance>30</balance>", "", 1)
		rfc = strings.Replace(rfc, "</accounts>", "</accounts><balance>30</balance>", 1)
		assert.Equal(t, rfc, string(got))

		// And our decoder reads the RFC's own text.
		var back problem.Problem
		require.NoError(t, xml.Unmarshal(golden.Read(t, "rfc9457-appendix-b.xml"), &back))
		assert.Equal(t, p.Type, back.Type)
		assert.Equal(t, p.Title, back.Title)
		assert.Equal(t, p.Detail, back.Detail)
		assert.Equal(t, p.Instance, back.Instance)
		assert.Equal(t, map[string]any{
			"balance":  "30",
			"accounts": []any{"https://example.net/account/12345", "https://example.net/account/67890"},
		}, back.Extensions)
	})
}

func TestJSONOmitsUnsetMembers(t *testing.T) {
	got, err := (&problem.Problem{Status: 404}).AppendJSON(nil)
	require.NoError(t, err)
	assert.Equal(t, `{"type":"about:blank","status":404}`, string(got))

	got, err = (&problem.Problem{}).AppendJSON(nil)
	require.NoError(t, err)
	assert.Equal(t, `{"type":"about:blank"}`, string(got))
	assert.NotContains(t, string(got), "null")
}

// TestJSONStatusDigits: statuses of three digits are written directly, all
// others as strconv writes them.
func TestJSONStatusDigits(t *testing.T) {
	for _, status := range []int{-404, -1, 1, 9, 42, 99, 100, 101, 200, 404, 500, 599, 909, 990, 999, 1000, 4040, math.MaxInt, math.MinInt} {
		got, err := (&problem.Problem{Status: status}).AppendJSON(nil)
		require.NoError(t, err)
		assert.Equal(t, `{"type":"about:blank","status":`+strconv.Itoa(status)+`}`, string(got))
	}
}

// TestExtensionsCannotShadow checks that each standard member appears once
// on the wire, whatever the extensions hold.
func TestExtensionsCannotShadow(t *testing.T) {
	p := problem.New(404, "real detail")
	p.Extensions = map[string]any{
		"type": "x", "title": "x", "status": 200, "detail": "fake", "instance": "x", "ok": true,
	}
	got, err := p.AppendJSON(nil)
	assert.Equal(t, `{"type":"about:blank","status":404,"detail":"real detail","ok":true}`, string(got))
	require.Error(t, err)
	for _, name := range []string{"detail", "instance", "status", "title", "type"} {
		assert.Contains(t, err.Error(), `problem: extension "`+name+`" dropped: it would shadow the standard member`)
	}
	assertKeysOnce(t, got)

	_, err = json.Marshal(p)
	assert.Error(t, err, "MarshalJSON fails like json.Marshal does for bad values")

	x, err := p.AppendXML(nil)
	require.Error(t, err)
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><problem xmlns="urn:ietf:rfc:7807"><type>about:blank</type><status>404</status><detail>real detail</detail><ok>true</ok></problem>`, string(x))
}

// assertKeysOnce tokenizes a JSON object and checks that no top-level key
// repeats.
func assertKeysOnce(t *testing.T, data []byte) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok)
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		require.NoError(t, err)
		key := tok.(string)
		assert.False(t, seen[key], "key %q repeats", key)
		seen[key] = true
		var skip json.RawMessage
		require.NoError(t, dec.Decode(&skip))
	}
}

type panicky struct{}

func (panicky) MarshalJSON() ([]byte, error) { panic("boom") }

// ownAppender has an AppendJSON method of its own, as a user's type may.
// Extension values go through encoding/json, which does not know the
// method: the value is encoded as json.Marshal encodes it.
type ownAppender struct {
	N int `json:"n"`
}

func (ownAppender) AppendJSON(b []byte) ([]byte, error) { return append(b, `{"open":`...), nil }

// TestExtensionsAreEncodedAsEncodingJSON: a value of the user's is encoded
// as encoding/json encodes it, whatever methods it has besides MarshalJSON,
// in JSON and in XML (which shows what JSON shows).
func TestExtensionsAreEncodedAsEncodingJSON(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    any
	}{
		{"an AppendJSON method", ownAppender{7}},
		{"a pointer with an AppendJSON method", &ownAppender{7}},
		{"a MarshalJSON method", htmlMarshaler{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, err := json.Marshal(tc.v)
			require.NoError(t, err)
			got, err := problem.New(400, "").WithExtension("v", tc.v).AppendJSON(nil)
			require.NoError(t, err)
			assert.Equal(t, `{"type":"about:blank","status":400,"v":`+string(want)+`}`, string(got))
		})
	}
	x, err := problem.New(400, "").WithExtension("v", ownAppender{7}).AppendXML(nil)
	require.NoError(t, err)
	assert.Contains(t, string(x), "<v><n>7</n></v>")
}

func TestBadExtensionsAreDropped(t *testing.T) {
	p := problem.New(400, "")
	p.Extensions = map[string]any{
		"a_chan":   make(chan int),
		"b_nan":    math.NaN(),
		"c_inf":    []any{1, math.Inf(1)},
		"d_panic":  panicky{},
		"f_number": json.Number("12abc"),
		"h_nested": map[string]any{"x": []any{"y", map[string]any{"z": make(chan int)}}},
		"i_ok":     "still here",
	}
	got, err := p.AppendJSON(nil)
	assert.Equal(t, `{"type":"about:blank","status":400,"i_ok":"still here"}`, string(got))
	require.Error(t, err)
	var dropped *problem.DroppedError
	require.ErrorAs(t, err, &dropped)
	for _, name := range []string{"a_chan", "b_nan", "c_inf", "d_panic", "f_number", "h_nested"} {
		assert.Contains(t, err.Error(), `extension "`+name+`" dropped`)
	}
	assert.Contains(t, err.Error(), "panic while encoding problem_test.panicky: boom")
	assert.True(t, json.Valid(got))

	x, err := p.AppendXML(nil)
	require.Error(t, err)
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><problem xmlns="urn:ietf:rfc:7807"><type>about:blank</type><status>400</status><i_ok>still here</i_ok></problem>`, string(x))
}

func TestCyclicExtensionIsDropped(t *testing.T) {
	m := map[string]any{}
	m["self"] = m
	got, err := problem.New(400, "").WithExtension("loop", m).AppendJSON(nil)
	assert.Equal(t, `{"type":"about:blank","status":400}`, string(got))
	assert.ErrorContains(t, err, "nested too deeply")
}

type color string

func (c color) MarshalText() ([]byte, error) { return []byte("color:" + string(c)), nil }

type point struct {
	X, Y int
	Tag  string `json:"tag,omitempty"`
}

// TestValuesEncodeAsEncodingJSON checks that every extension value encodes to
// the bytes json.Marshal gives, fast paths and fallback alike.
func TestValuesEncodeAsEncodingJSON(t *testing.T) {
	values := []any{
		nil, "", "plain", "quote \" backslash \\ slash /", "<script>&amp;</script>", "tab\tnl\ncr\r\b\f\x00\x1f\x7f",
		"\u2028\u2029", "invalid \xff\xfe utf8", "emoji 🎉 and ünïcode",
		true, false, 0, -1, 42, int64(math.MaxInt64), int32(-7), uint(7), uint64(math.MaxUint64), uint32(9),
		0.0, 1.5, -2.25, 1e21, 1e-7, 123456789.125, float32(3.14), float32(1e-7), 1e20, math.SmallestNonzeroFloat64,
		json.Number("12.50"), json.Number("-0"), json.Number("1e400"),
		[]string{}, []string(nil), []string{"a", "<b>"},
		[]any{}, []any(nil), []any{1, "two", nil, []any{3.5}},
		map[string]any{}, map[string]any(nil), map[string]any{"b": 1, "a": map[string]any{"z": nil, "<y>": "x"}},
		[]map[string]any{{"x": 1}}, json.RawMessage(`{ "raw" : [1, 2] }`),
		time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC), color("red"), point{X: 1, Y: 2}, &point{Tag: "t"},
		map[string]int{"z": 1, "a": 2}, []int{1, 2}, [2]bool{true, false}, (*point)(nil),
	}
	for _, v := range values {
		want, err := json.Marshal(v)
		require.NoError(t, err, "json.Marshal(%#v)", v)
		got, err := problem.New(400, "").WithExtension("v", v).AppendJSON(nil)
		require.NoError(t, err, "%#v", v)
		assert.Equal(t, `{"type":"about:blank","status":400,"v":`+string(want)+`}`, string(got), "%#v", v)
	}
}

func TestJSONDecodeIgnoresWrongTypes(t *testing.T) {
	var p problem.Problem
	require.NoError(t, json.Unmarshal([]byte(`{"type":5,"status":"404","title":null,"detail":[],"instance":{}}`), &p))
	assert.Equal(t, problem.Problem{Type: problem.AboutBlank}, p, "members of the wrong type are ignored (RFC 9457 §3.1)")

	require.NoError(t, json.Unmarshal([]byte(`{}`), &p))
	assert.Equal(t, problem.AboutBlank, p.Type)
}

func TestJSONDecodeStatus(t *testing.T) {
	for in, want := range map[string]int{
		`404`: 404, `404.0`: 404, `4.04e2`: 404, `100`: 100, `599`: 599,
		`404.5`: 0, `99`: 0, `600`: 0, `-404`: 0, `1e400`: 0, `"404"`: 0, `true`: 0, `null`: 0,
	} {
		var p problem.Problem
		require.NoError(t, json.Unmarshal([]byte(`{"status":`+in+`}`), &p))
		assert.Equal(t, want, p.Status, "status %s", in)
	}
}

func TestJSONDecodeExtensions(t *testing.T) {
	data := `{"type":"https://example.com/probs/out-of-credit","title":"You do not have enough credit.","status":403,
		"detail":"Your current balance is 30, but that costs 50.","instance":"/account/12345/msgs/abc",
		"balance":30,"big":12345678901234567890,"accounts":["/account/12345","/account/67890"],"nested":{"a":null}}`
	var p problem.Problem
	require.NoError(t, json.Unmarshal([]byte(data), &p))
	assert.Equal(t, "https://example.com/probs/out-of-credit", p.Type)
	assert.Equal(t, 403, p.Status)
	assert.Equal(t, map[string]any{
		"balance":  json.Number("30"),
		"big":      json.Number("12345678901234567890"),
		"accounts": []any{"/account/12345", "/account/67890"},
		"nested":   map[string]any{"a": nil},
	}, p.Extensions)

	again, err := p.AppendJSON(nil)
	require.NoError(t, err)
	assert.Contains(t, string(again), `"big":12345678901234567890`, "numbers keep their precision")
}

func TestJSONDecodeErrors(t *testing.T) {
	for _, in := range []string{`[]`, `"x"`, `5`, `{`, ``} {
		var p problem.Problem
		assert.Error(t, json.Unmarshal([]byte(in), &p), "%q", in)
	}
	p := problem.Problem{Status: 7}
	require.NoError(t, json.Unmarshal([]byte(`null`), &p))
	assert.Equal(t, 7, p.Status, "null leaves the problem alone")
}

// TestSchema checks bodies against RFC 9457 Appendix A by hand: member types,
// status range, URI references.
func TestSchema(t *testing.T) {
	for _, p := range []*problem.Problem{outOfCredit(), validationProblem(), problem.New(500, ""), {Type: "tag:example.com,2026:x", Status: 599}} {
		data, err := p.AppendJSON(nil)
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(data, &m))
		for _, k := range []string{"type", "title", "detail", "instance"} {
			if v, ok := m[k]; ok {
				assert.IsType(t, "", v, k)
			}
		}
		for _, k := range []string{"type", "instance"} {
			if v, ok := m[k].(string); ok {
				_, err := url.Parse(v)
				assert.NoError(t, err, "%s %q is a URI reference", k, v)
			}
		}
		if s, ok := m["status"]; ok {
			f, isNum := s.(float64)
			require.True(t, isNum)
			assert.Equal(t, math.Trunc(f), f)
			assert.GreaterOrEqual(t, f, 100.0)
			assert.LessOrEqual(t, f, 599.0)
		}
	}
}

// TestOpenAPIDescribesTheseProblems checks that the OpenAPI document the
// catalog writes, which cannot import this package, describes the problems
// it encodes: the same default type, XML name and namespace, and examples
// equal to the bodies sent.
func TestOpenAPIDescribesTheseProblems(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, catalog.Default().WriteOpenAPI(&buf))
	var doc struct {
		Components struct {
			Schemas struct {
				Problem struct {
					Properties struct {
						Type struct {
							Default string `json:"default"`
						} `json:"type"`
					} `json:"properties"`
					XML struct {
						Name      string `json:"name"`
						Namespace string `json:"namespace"`
					} `json:"xml"`
				} `json:"Problem"`
			} `json:"schemas"`
			Responses map[string]struct {
				Content map[string]struct {
					Examples map[string]struct {
						Value json.RawMessage `json:"value"`
					} `json:"examples"`
				} `json:"content"`
			} `json:"responses"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	schema := doc.Components.Schemas.Problem
	assert.Equal(t, problem.AboutBlank, schema.Properties.Type.Default)
	assert.Equal(t, problem.XMLNamespace, schema.XML.Namespace)
	xmlBody, err := xml.Marshal(problem.New(404, ""))
	require.NoError(t, err)
	assert.Contains(t, string(xmlBody), "<"+schema.XML.Name+` xmlns="`+schema.XML.Namespace+`">`)
	for _, tt := range []struct {
		name   string
		status int
	}{
		{"NotFound", 404},
		{"TooManyRequests", 429},
		{"InternalServerError", 500},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			require.NoError(t, (&problem.Responder{}).Respond(rec, httptest.NewRequest("GET", "/", nil), problem.New(tt.status, "")))
			example := doc.Components.Responses[tt.name].Content["application/problem+json"].Examples[tt.name+"-en"].Value
			assert.JSONEq(t, rec.Body.String(), string(example))
		})
	}
}

func TestDroppedErrorUnwraps(t *testing.T) {
	_, err := problem.New(400, "").WithExtension("c", make(chan int)).AppendJSON(nil)
	var d *problem.DroppedError
	require.True(t, errors.As(err, &d))
	assert.Equal(t, "c", d.Member)
	var unsupported *json.UnsupportedTypeError
	assert.True(t, errors.As(err, &unsupported))
}

type panicMarshaler struct{}

func (panicMarshaler) MarshalJSON() ([]byte, error) { panic("marshaler broke") }

func TestNilAndPanickingMarshalers(t *testing.T) {
	p := problem.New(400, "").WithExtension("inner", (*problem.Problem)(nil)).WithExtension("bad", panicMarshaler{})
	got, err := p.AppendJSON(nil)
	assert.Equal(t, `{"type":"about:blank","status":400,"inner":null}`, string(got), "a nil pointer is null, as encoding/json writes it")
	assert.ErrorContains(t, err, "panic while encoding problem_test.panicMarshaler: marshaler broke")
	x, err := p.AppendXML(nil)
	assert.Error(t, err)
	assert.Contains(t, string(x), "<inner></inner>")
}

type htmlMarshaler struct{}

func (htmlMarshaler) MarshalJSON() ([]byte, error) {
	return []byte("\"<script>&</script>\u2028\""), nil
}

type brokenMarshaler struct{}

func (brokenMarshaler) MarshalJSON() ([]byte, error) { return []byte(`{"open":`), nil }

// TestMarshalerOutputIsCheckedAndEscaped: what a MarshalJSON method writes
// is escaped as encoding/json escapes it, and a member whose method writes
// invalid JSON is dropped.
func TestMarshalerOutputIsCheckedAndEscaped(t *testing.T) {
	got, err := problem.New(400, "").WithExtension("raw", htmlMarshaler{}).WithExtension("broken", brokenMarshaler{}).AppendJSON(nil)
	assert.Equal(t, `{"type":"about:blank","status":400,"raw":"\u003cscript\u003e\u0026\u003c/script\u003e\u2028"}`, string(got))
	assert.ErrorContains(t, err, `extension "broken" dropped`)
}

// TestExtensionsCannotShadowInAnyCase: encoding/json fills a struct field
// from a key that matches its name without regard to case (and folds U+017F
// to s), so "Status" would shadow "status" for a Go client. Such members are
// dropped by every encoder, as exact shadows are, and ignored by the
// decoders, so that a decoded problem encodes without loss.
func TestExtensionsCannotShadowInAnyCase(t *testing.T) {
	for _, name := range []string{"Status", "TYPE", "Title", "dEtail", "INSTANCE", "ſtatus", "inſtance", "ſtatuſ"} {
		t.Run(name, func(t *testing.T) {
			p := problem.New(404, "real").WithExtension(name, "fake").WithExtension("statuses", "kept")
			want := `problem: extension "` + name + `" dropped: it would shadow the standard member`

			got, err := p.AppendJSON(nil)
			assert.EqualError(t, err, want)
			assert.Equal(t, `{"type":"about:blank","status":404,"detail":"real","statuses":"kept"}`, string(got))

			x, err := p.AppendXML(nil)
			assert.EqualError(t, err, want)
			assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><problem xmlns="urn:ietf:rfc:7807"><type>about:blank</type><status>404</status><detail>real</detail><statuses>kept</statuses></problem>`, string(x))

			var fromJSON problem.Problem
			require.NoError(t, json.Unmarshal([]byte(`{"status":404,`+strconv.Quote(name)+`:"fake","statuses":"kept"}`), &fromJSON))
			assert.Equal(t, map[string]any{"statuses": "kept"}, fromJSON.Extensions, "ignored when decoding JSON")
			assert.Equal(t, 404, fromJSON.Status)
		})
	}

	var fromXML problem.Problem
	require.NoError(t, xml.Unmarshal([]byte(`<problem xmlns="urn:ietf:rfc:7807"><status>404</status><Status>200</Status><TYPE>x</TYPE><statuses>kept</statuses></problem>`), &fromXML))
	assert.Equal(t, map[string]any{"statuses": "kept"}, fromXML.Extensions, "ignored when decoding XML")
	assert.Equal(t, 404, fromXML.Status)

	for _, name := range []string{"statuses", "types", "Statu", "instances", "detail_", "kind"} {
		got, err := problem.New(404, "").WithExtension(name, 1).AppendJSON(nil)
		assert.NoError(t, err, name)
		assert.Contains(t, string(got), strconv.Quote(name)+":1", "no shadow")
	}
}

// TestInvalidUTF8NamesAreNotDuplicated: invalid UTF-8 in a name is sent as
// U+FFFD, so distinct names can come out alike ("\xff", "\xfe" and "\ufffd"
// itself). Of those, only the first in sorted order is sent; the others are
// dropped and reported, whatever order the map gives them in (RFC 8259 §4:
// names SHOULD be unique).
func TestInvalidUTF8NamesAreNotDuplicated(t *testing.T) {
	p := problem.New(400, "")
	p.Extensions = map[string]any{"\xff": 1, "\xfe": 2, "\ufffd": 3, "a\xff": 4, "a\x80": 5, "ok": 6, "b\xff": 7}
	const want = `{"type":"about:blank","status":400,"a\ufffd":5,"b\ufffd":7,"ok":6,"` + "\ufffd" + `":3}`
	for range 20 {
		got, err := p.AppendJSON(nil)
		assert.Equal(t, want, string(got))
		assertKeysOnce(t, got)
		require.Error(t, err)
		assert.Equal(t, strings.Join([]string{
			`problem: extension "a\xff" dropped: its name is sent as "a` + "\ufffd" + `", as that of "a\x80" is`,
			`problem: extension "\xfe" dropped: its name is sent as "` + "\ufffd" + `", as that of "` + "\ufffd" + `" is`,
			`problem: extension "\xff" dropped: its name is sent as "` + "\ufffd" + `", as that of "` + "\ufffd" + `" is`,
		}, "\n"), err.Error())
	}

	// XML sends none of the invalid names: they are not XML names.
	x, err := p.AppendXML(nil)
	require.Error(t, err)
	for _, name := range []string{"\xff", "\xfe", "a\xff", "a\x80", "b\xff"} {
		assert.Contains(t, err.Error(), `problem: extension `+strconv.Quote(name)+` dropped: its name is not an XML name`)
	}
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><problem xmlns="urn:ietf:rfc:7807"><type>about:blank</type><status>400</status><ok>6</ok></problem>`, string(x),
		"nor U+FFFD, which encoding/xml does not take in a name")

	// HTML lists what JSON sends.
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Accept", "text/html")
	rec := httptest.NewRecorder()
	err = (&problem.Responder{HTML: true}).Respond(rec, r, p)
	assert.ErrorContains(t, err, `problem: extension "\xfe" dropped: its name is sent as`)
	assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
	assert.Equal(t, 4, strings.Count(rec.Body.String(), "<dd><pre>"), rec.Body.String())
}

// A problem among its own extensions must not send the encoders round in
// circles: nested problems are encoded by the same walker, so the depth
// bound holds, and the member that loops is dropped.
func TestSelfReferentialProblem(t *testing.T) {
	t.Parallel()
	direct := problem.New(http.StatusConflict, "loops")
	direct.Extensions = map[string]any{"self": direct, "ok": 1}
	inList := problem.New(http.StatusConflict, "loops")
	inList.Extensions = map[string]any{"list": []any{inList}, "ok": 1}
	byValue := problem.New(http.StatusConflict, "loops")
	byValue.Extensions = map[string]any{"ok": 1}
	byValue.Extensions["copy"] = *byValue // the copy shares the map, so it holds itself

	for name, p := range map[string]*problem.Problem{"direct": direct, "in a list": inList, "by value": byValue} {
		t.Run(name, func(t *testing.T) {
			body, err := p.AppendJSON(nil)
			require.Error(t, err, "the member that loops is reported")
			assert.Equal(t, `{"type":"about:blank","status":409,"detail":"loops","ok":1}`, string(body))
			_, err = json.Marshal(p)
			assert.Error(t, err)
			_, err = p.AppendXML(nil)
			assert.Error(t, err)

			var logs bytes.Buffer
			slog.New(slog.NewJSONHandler(&logs, nil)).Info("failed", "problem", p)
			assert.Contains(t, logs.String(), `"detail":"loops"`)

			rec := httptest.NewRecorder()
			var rs problem.Responder
			assert.Error(t, rs.Respond(rec, httptest.NewRequest("GET", "/", nil), p))
			assert.Equal(t, `{"type":"about:blank","title":"Conflict","status":409,"detail":"loops","ok":1}`, rec.Body.String())
		})
	}
}

// A problem nested in an extension is encoded as a problem.
func TestNestedProblem(t *testing.T) {
	t.Parallel()
	inner := problem.New(http.StatusNotFound, "no such item")
	p := problem.New(http.StatusConflict, "").WithExtension("cause", inner).WithExtension("all", []any{inner})
	body, err := p.AppendJSON(nil)
	require.NoError(t, err)
	assert.Equal(t, `{"type":"about:blank","status":409,`+
		`"all":[{"type":"about:blank","status":404,"detail":"no such item"}],`+
		`"cause":{"type":"about:blank","status":404,"detail":"no such item"}}`, string(body))
}
