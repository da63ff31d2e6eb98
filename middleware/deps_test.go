package middleware_test

import (
	"testing"

	"github.com/problemkit/problemkit/internal/deps"
)

// TestStandardLibraryOnly states a policy: package middleware imports only
// the standard library and this module's own packages (problem, catalog,
// internal ones), so a net/http service never compiles a framework.
func TestStandardLibraryOnly(t *testing.T) { deps.StandardLibraryOnly(t, ".") }
