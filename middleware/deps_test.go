package middleware_test

import (
	"testing"

	"github.com/problemkit/problemkit/internal/deps"
)

// TestStandardLibraryOnly states a policy: package middleware imports only
// the standard library (and package problem), so a net/http service never
// compiles a framework.
func TestStandardLibraryOnly(t *testing.T) { deps.StandardLibraryOnly(t, ".") }
