// Package deps checks which packages a package imports.
package deps

import (
	"go/build"
	"slices"
	"strings"
	"testing"
)

// module is the path of this module, whose packages StandardLibraryOnly
// allows.
const module = "github.com/problemkit/problemkit/"

// StandardLibraryOnly fails t if the package in dir imports, outside its
// tests, anything but the standard library, this module and the packages
// allowed names exactly.
func StandardLibraryOnly(t testing.TB, dir string, allowed ...string) {
	t.Helper()
	check(t, dir, "outside the standard library", func(imp string) bool {
		return strings.HasPrefix(imp, module) || slices.Contains(allowed, imp)
	})
}

// Only fails t if the package in dir imports, outside its tests, anything
// but the standard library and the packages allowed names exactly, of this
// module or not: a package that may build on some of this module only.
func Only(t testing.TB, dir string, allowed ...string) {
	t.Helper()
	check(t, dir, "neither the standard library nor allowed", func(imp string) bool {
		return slices.Contains(allowed, imp)
	})
}

// check fails t for each import of the package in dir that is not of the
// standard library (its first element has no dot) and that ok refuses,
// saying it is what.
func check(t testing.TB, dir, what string, ok func(imp string) bool) {
	t.Helper()
	pkg, err := build.ImportDir(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkg.Imports) == 0 {
		t.Fatalf("%s imports nothing; is it the right directory?", dir)
	}
	for _, imp := range pkg.Imports {
		first, _, _ := strings.Cut(imp, "/")
		if strings.Contains(first, ".") && !ok(imp) {
			t.Errorf("package %s imports %q, which is %s", pkg.Name, imp, what)
		}
	}
}
