package problemtest_test

import (
	"testing"

	"github.com/problemkit/problemkit/internal/deps"
)

// TestImports states a policy: package problemtest imports only the
// standard library and, of this module, package problem, package catalog
// and the reader of problem bodies it shares with problem, so that a test
// of any service can use it without pulling in a framework or an
// assertion library.
func TestImports(t *testing.T) {
	deps.Only(t, ".",
		"github.com/problemkit/problemkit/problem",
		"github.com/problemkit/problemkit/catalog",
		"github.com/problemkit/problemkit/internal/problembody",
	)
}
