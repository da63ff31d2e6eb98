package problem_test

import (
	"encoding/json"
	"math"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/problem"
)

func TestPointer(t *testing.T) {
	for want, tokens := range map[string][]string{
		"#":                   nil,
		"#/age":               {"age"},
		"#/profile/color":     {"profile", "color"},
		"#/addresses/0/city":  {"addresses", "0", "city"},
		"#/tags/a~1b":         {"tags", "a/b"},
		"#/tags/m~0n":         {"tags", "m~n"},
		"#/tags/%20":          {"tags", " "},
		"#/tags/c%25d":        {"tags", "c%d"},
		"#/e%5Ef":             {"e^f"},
		"#/g%7Ch":             {"g|h"},
		"#/i%5Cj":             {`i\j`},
		"#/k%22l":             {`k"l`},
		"#/":                  {""},
		"#/%C3%A9t%C3%A9":     {"été"},
		"#/a.b-c_d!$&'()*+,;": {"a.b-c_d!$&'()*+,;"},
	} {
		assert.Equal(t, want, problem.Pointer(tokens...), "%q", tokens)
	}
}

func TestInputErrorsEncodeAsEncodingJSON(t *testing.T) {
	items := problem.InputErrors{
		{Detail: "must be a positive integer", Pointer: "#/age", Rule: "gt", Param: "0", Value: 42.3},
		{Detail: "must be 'green', 'red' or 'blue'", Pointer: "#/profile/color"},
		{Detail: "is required", Parameter: "limit", Rule: "required"},
		{Detail: "<b>&</b>", Value: map[string]any{"x": []int{1}}},
	}
	encoded := func(v any) (string, error) {
		b, err := problem.New(422, "").WithExtension("errors", v).AppendJSON(nil)
		return string(b), err
	}
	got, err := encoded(items)
	require.NoError(t, err)
	want, err := json.Marshal([]problem.InputError(items))
	require.NoError(t, err)
	assert.Equal(t, `{"type":"about:blank","status":422,"errors":`+string(want)+`}`, got)

	got, err = encoded(problem.InputErrors(nil))
	require.NoError(t, err)
	assert.Equal(t, `{"type":"about:blank","status":422,"errors":null}`, got)

	got, err = encoded(problem.InputErrors{{Detail: "x", Value: make(chan int)}})
	assert.ErrorContains(t, err, `extension "errors" dropped`)
	assert.Equal(t, `{"type":"about:blank","status":422}`, got)
}

// inputEmptying is a cause that writes its input errors in any language
// as none.
type inputEmptying struct{}

func (inputEmptying) Error() string { return "invalid" }
func (inputEmptying) InputErrorsIn(language.Tag, problem.InputErrors) (problem.InputErrors, bool) {
	return nil, true
}

// TestTranslatedInputErrorsToNone: a cause whose translation of the
// "errors" extension has no items (nil, true) gets the translation sent as
// written, "errors":null, as encoding/json writes a nil InputErrors in the
// extensions, and its type's code beside it.
func TestTranslatedInputErrorsToNone(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(`{"statuses": []}`))
	require.NoError(t, err)
	cat, err = cat.WithTranslation(strings.NewReader(`{"language": "de", "statuses": [{"code": 422, "phrase": "Nicht verarbeitbar"}]}`))
	require.NoError(t, err)
	rs := &problem.Responder{Catalog: cat}
	items := problem.InputErrors{{Detail: "is required", Pointer: "#/name"}}
	tests := []struct {
		name string
		p    *problem.Problem
		want string
	}{
		{"about:blank", problem.Wrap(inputEmptying{}, 422).WithExtension("errors", items),
			`{"type":"about:blank","title":"Nicht verarbeitbar","status":422,"errors":null}`},
		{"a type with a code", problem.Type{Status: 422, Code: "V1"}.Wrap(inputEmptying{}).WithExtension("errors", items),
			`{"type":"about:blank","title":"Nicht verarbeitbar","status":422,"code":"V1","errors":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Accept-Language", "de")
			w := httptest.NewRecorder()
			require.NoError(t, rs.Respond(w, r, tt.p))
			assert.Equal(t, tt.want, w.Body.String())
			assert.Equal(t, items, tt.p.Extensions["errors"], "the problem's own items are left alone")
		})
	}
}

// FuzzInputErrorsEncodeAsEncodingJSON checks that items with any strings
// encode exactly as encoding/json encodes them, those with nothing to
// escape, copied as they are, and those with something.
func FuzzInputErrorsEncodeAsEncodingJSON(f *testing.F) {
	for _, s := range []string{"", "must be at least 3 characters long", "#/tags/*", "<>&\"\\", "\x00\x1f\x7f", "\u2028\u2029", "\xff\xfe", "été 🎉", "'green', 'red'"} {
		f.Add(s, "#/name")
	}
	f.Fuzz(func(t *testing.T, s, other string) {
		items := problem.InputErrors{
			{Detail: s, Pointer: other, Parameter: s, Rule: other, Param: s},
			{Detail: other, Pointer: s, Rule: s, Param: other, Value: s},
		}
		got, err := problem.New(422, "").WithExtension("errors", items).AppendJSON(nil)
		require.NoError(t, err)
		want, err := json.Marshal([]problem.InputError(items))
		require.NoError(t, err)
		assert.Equal(t, `{"type":"about:blank","status":422,"errors":`+string(want)+`}`, string(got))
	})
}

// TestInputErrorsMarshalJSON: json.Marshal of InputErrors gives the bytes
// a problem writes for its "errors" member, and fails where the problem
// leaves the member out: a value JSON cannot hold, and one nested deeper
// than a problem's values may be (which encoding/json alone would write).
func TestInputErrorsMarshalJSON(t *testing.T) {
	deep := any("x")
	for range 1100 {
		deep = []any{deep}
	}
	tests := []struct {
		name    string
		items   problem.InputErrors
		wantErr string
	}{
		{name: "items", items: problem.InputErrors{
			{Detail: "must be <b>", Pointer: "#/a~1b", Rule: "min", Param: "3", Value: "x\u2028"},
			{Detail: "is required", Parameter: "limit"},
		}},
		{name: "none", items: nil},
		{name: "NaN", items: problem.InputErrors{{Detail: "x", Value: math.NaN()}}, wantErr: "unsupported value NaN"},
		{name: "too deep", items: problem.InputErrors{{Detail: "x", Value: deep}}, wantErr: "nested too deeply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.items)
			written, werr := problem.New(422, "").WithExtension("errors", tt.items).AppendJSON(nil)
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				assert.ErrorContains(t, werr, `extension "errors" dropped`)
				return
			}
			require.NoError(t, err)
			require.NoError(t, werr)
			assert.Equal(t, `{"type":"about:blank","status":422,"errors":`+string(got)+`}`, string(written))
		})
	}
}
