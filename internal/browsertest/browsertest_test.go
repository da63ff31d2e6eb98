package browsertest_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOnlyTestsImportIt states a policy: no package of the module but
// this one depends on chromedp or on this package outside its tests, so
// that a service never builds a browser driver in.
func TestOnlyTestsImportIt(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	out, err := exec.Command(goTool, "list", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, "github.com/problemkit/problemkit/...").Output()
	require.NoError(t, err)
	const self = "github.com/problemkit/problemkit/internal/browsertest"
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	require.Greater(t, len(lines), 10, "the module's packages are listed")
	for _, line := range lines {
		pkg, deps, _ := strings.Cut(line, " ")
		if pkg == self {
			continue
		}
		for _, dep := range strings.Fields(deps) {
			assert.False(t, dep == self || strings.HasPrefix(dep, "github.com/chromedp/"), "package %s depends on %s", pkg, dep)
		}
	}
}
