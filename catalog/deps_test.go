package catalog_test

import (
	"go/build"
	"strings"
	"testing"

	"github.com/problemkit/problemkit/internal/deps"
)

// TestStandardLibraryOnly states a policy: package catalog imports nothing
// outside the standard library but golang.org/x/text/language, for
// language matching, and nothing of this module, so that problem can build
// on it and a client can use it alone.
func TestStandardLibraryOnly(t *testing.T) {
	deps.StandardLibraryOnly(t, ".", "golang.org/x/text/language")
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if strings.HasPrefix(imp, "github.com/problemkit/problemkit") {
			t.Errorf("package catalog imports %q, a package of this module", imp)
		}
	}
}
