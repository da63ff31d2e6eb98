package middleware

import (
	"strings"
	"testing"
)

func TestJSONValueAndPrefix(t *testing.T) {
	for _, tc := range []struct {
		name          string
		b             string
		value, prefix bool
	}{
		{"object", `{"a":1}`, true, true},
		{"array with space around", " \n[1,2]\n", true, true},
		{"start of an object", `{"errors":[{"f":`, false, true},
		{"a bracket alone", `[`, false, true},
		{"cut inside a literal", `{"a":tr`, false, true},
		{"two values", `{}{}`, false, false},
		{"value then a number", `[1] 2`, false, false},
		{"value then text", `[] t`, false, false},
		{"object then text", `{"a":1} trailing`, false, false},
		{"bracketed text", `[ERROR] dial tcp`, false, false},
		{"bad object", `{oops}`, false, false},
		{"a string", `"a string"`, false, false},
		{"a number", `42`, false, false},
		{"space", "   ", false, false},
		{"nothing", "", false, false},
		{"long array", "[" + strings.Repeat(`"x",`, 4000) + `"x"]`, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := jsonValue([]byte(tc.b)); got != tc.value {
				t.Errorf("jsonValue(%.40q) = %v, want %v", tc.b, got, tc.value)
			}
			if got := jsonPrefix([]byte(tc.b)); got != tc.prefix {
				t.Errorf("jsonPrefix(%.40q) = %v, want %v", tc.b, got, tc.prefix)
			}
		})
	}
}

func TestBareContentType(t *testing.T) {
	for ct, want := range map[string]bool{
		"":                          true,
		"text/plain":                true,
		"text/plain; charset=utf-8": true,
		" text/plain":               true,
		"\tTEXT/PLAIN ;charset=x":   true,
		"text/plainer":              false,
		"text/html":                 false,
		"application/json":          false,
		" application/json":         false,
		"application/problem+json":  false,
		"Text/Plain":                true,
		"\u017fext/plain":           false, // ſ folds to s, not t
		"\u212aext/plain":           false, // the Kelvin sign folds to k
	} {
		if got := bareContentType(ct); got != want {
			t.Errorf("bareContentType(%q) = %v, want %v", ct, got, want)
		}
	}
}
