package middleware

import (
	"strings"
	"testing"
)

func TestLooksLikeJSON(t *testing.T) {
	for b, want := range map[string]bool{
		`{"a":1}`:          true,
		" \n[1,2]\n":       true,
		`{"errors":[{"f":`: true, // the start of a body written in pieces
		`[`:                true,
		`{"a":tr`:          true,
		`{}{}`:             false,
		`[1] 2`:            false,
		`[] t`:             false,
		`{"a":1} trailing`: false,
		`[ERROR] dial tcp`: false,
		`{oops}`:           false,
		`"a string"`:       false,
		`42`:               false,
		"   ":              false,
		"":                 false,
		"[" + strings.Repeat(`"x",`, 4000) + `"x"]`: true, // beyond 4 KiB: judged by its start
	} {
		if got := looksLikeJSON([]byte(b)); got != want {
			t.Errorf("looksLikeJSON(%.40q) = %v, want %v", b, got, want)
		}
	}
}
