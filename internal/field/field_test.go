package field

import "testing"

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
