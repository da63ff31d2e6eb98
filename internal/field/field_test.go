package field

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidValue(t *testing.T) {
	for v, want := range map[string]bool{
		"":                   true,
		`Bearer realm="api"`: true,
		"a\tb":               true,
		"caf\u00e9 \xff":     true, // obs-text
		"a\rb":               false,
		"a\nb":               false,
		"a\x00b":             false,
		"a\x01b":             false,
		"a\x0bb":             false,
		"a\x1fb":             false,
		"a\x7fb":             false,
		"trailing\r\n":       false,
	} {
		if got := ValidValue(v); got != want {
			t.Errorf("ValidValue(%q) = %v, want %v", v, got, want)
		}
	}
}

// TestTchar checks the token table against RFC 9110 §5.6.2's tchar, for
// every byte.
func TestTchar(t *testing.T) {
	const rfc = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	for c := range 256 {
		assert.Equal(t, strings.IndexByte(rfc, byte(c)) >= 0, tchar[c], "byte %#x", c)
	}
	assert.True(t, IsToken("problem+json"))
	assert.False(t, IsToken(""))
	assert.False(t, IsToken("a b"))
}

// TestIsChallenge: a value holds a challenge when it starts, after white
// space and empty list elements, with an auth-scheme token (RFC 9110
// §11.6.1).
func TestIsChallenge(t *testing.T) {
	for _, ok := range []string{"Bearer", `Basic realm="x"`, `Bearer, Basic realm="a"`, `Newauth realm="apps", type=1`, "Negotiate abc==", ", Bearer", " \tBearer", "basic"} {
		assert.True(t, IsChallenge(ok), "%q", ok)
	}
	for _, bad := range []string{"", " ", " , ,", "=x", `"realm"`, "realm=x", `realm="proxy"`, "Bearer=x", "/x"} {
		assert.False(t, IsChallenge(bad), "%q", bad)
	}
	assert.True(t, HasChallenge([]string{"", "=x", "Basic"}))
	assert.False(t, HasChallenge([]string{"", "=x"}))
	assert.False(t, HasChallenge(nil))
}
