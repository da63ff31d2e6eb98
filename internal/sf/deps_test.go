package sf_test

import (
	"testing"

	"github.com/problemkit/problemkit/internal/deps"
)

// TestStandardLibraryOnly states a policy: package sf imports only the
// standard library.
func TestStandardLibraryOnly(t *testing.T) {
	deps.StandardLibraryOnly(t, ".")
}
