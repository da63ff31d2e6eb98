package echokit_test

import (
	"testing"

	"github.com/problemkit/problemkit/internal/deps"
)

// TestStandardLibraryOnly states a policy: what the Echo adapters share
// depends on no Echo version, nor on anything outside the standard library.
func TestStandardLibraryOnly(t *testing.T) { deps.StandardLibraryOnly(t, ".") }
