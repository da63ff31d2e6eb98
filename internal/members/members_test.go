package members

import (
	"testing"

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
