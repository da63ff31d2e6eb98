// Package deps checks which packages a package imports.
package deps

import (
	"go/build"
	"slices"
	"strings"
	"testing"
)

// StandardLibraryOnly fails t if the package in dir imports, outside its
// tests, anything but the standard library, this module and the packages
// allowed names exactly.
func StandardLibraryOnly(t testing.TB, dir string, allowed ...string) {
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
		if strings.Contains(first, ".") && !strings.HasPrefix(imp, "github.com/problemkit/problemkit/") && !slices.Contains(allowed, imp) {
			t.Errorf("package %s imports %q, which is outside the standard library", pkg.Name, imp)
		}
	}
}

// Only fails t if the package in dir imports, outside its tests, anything
// but the standard library and the packages allowed names exactly, of this
// module or not: a package that may build on some of this module only.
func Only(t testing.TB, dir string, allowed ...string) {
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
		if strings.Contains(first, ".") && !slices.Contains(allowed, imp) {
			t.Errorf("package %s imports %q, which is neither the standard library nor allowed", pkg.Name, imp)
		}
	}
}
