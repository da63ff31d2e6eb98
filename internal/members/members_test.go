package members

import (
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
)

func TestStandard(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		want bool
	}{
		{"type", true},
		{"TYPE", true},
		{"Status", true},
		{"ſtatus", true}, // U+017F folds to s
		{"inſtance", true},
		{"detail", true},
		{"title", true},
		{"instance", true},
		{"types", false},
		{"stat", false},
		{"correlationId", false},
		{"", false},
		{"status ", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Standard(tt.name), "Standard(%q)", tt.name)
	}
}

// TestStandardFirstRune: whatever rune a name begins with, Standard says
// what comparing it without regard to case says, so that its quick
// refusal by the first byte refuses no name it should take.
func TestStandardFirstRune(t *testing.T) {
	t.Parallel()
	for _, m := range []string{"type", "title", "status", "detail", "instance"} {
		for r := rune(0); r <= unicode.MaxRune; r++ {
			name := string(r) + m[1:]
			if got, want := Standard(name), strings.EqualFold(name, m); got != want && want {
				t.Errorf("Standard(%q) = %v, want %v", name, got, want)
			}
		}
	}
}
