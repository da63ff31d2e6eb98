package problembody_test

import (
	"testing"

	"github.com/problemkit/problemkit/internal/deps"
)

// TestStandardLibraryOnly states a policy: package problembody imports
// only the standard library.
func TestStandardLibraryOnly(t *testing.T) {
	deps.StandardLibraryOnly(t, ".")
}
