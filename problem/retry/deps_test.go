package retry_test

import (
	"testing"

	"github.com/problemkit/problemkit/internal/deps"
)

// TestStandardLibraryOnly states a policy: package retry imports nothing
// outside the standard library and this module (problem, catalog), so a
// client can use it without pulling in a framework.
func TestStandardLibraryOnly(t *testing.T) {
	deps.StandardLibraryOnly(t, ".")
}
