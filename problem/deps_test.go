package problem_test

import (
	"testing"

	"github.com/problemkit/problemkit/internal/deps"
)

// TestStandardLibraryOnly states a policy: package problem imports nothing
// outside the standard library but golang.org/x/text/language, for
// language matching, so that any service can use it without pulling in a
// framework.
func TestStandardLibraryOnly(t *testing.T) {
	deps.StandardLibraryOnly(t, ".", "golang.org/x/text/language")
}
