package problem_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
