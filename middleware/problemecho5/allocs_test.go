//go:build !race

// The race detector makes sync.Pool drop values at random, so allocation
// counts only hold without it.

package problemecho5_test

import (
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v5"

	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/middleware/problemecho5"
)

// TestRouterErrorAllocs holds the most frequent errors to their budget: a
// 404 or 405 from Echo's router allocates nothing beyond Echo's own work
// (the router's Allow header, for a 405).
func TestRouterErrorAllocs(t *testing.T) {
	allocs := func(handler echo.HTTPErrorHandler, method, path string) float64 {
		e := echo.New()
		e.HTTPErrorHandler = handler
		e.GET("/x", func(c *echo.Context) error { return nil })
		w, r := testkit.NewBenchWriter(), httptest.NewRequest(method, path, nil)
		return testing.AllocsPerRun(1000, func() {
			w.Reset()
			e.ServeHTTP(w, r)
		})
	}
	ours := problemecho5.ErrorHandler(quietOptions())
	ignore := func(*echo.Context, error) {}
	for _, r := range []struct{ method, path string }{{"GET", "/nope"}, {"POST", "/x"}} {
		base, got := allocs(ignore, r.method, r.path), allocs(ours, r.method, r.path)
		if got > base {
			t.Errorf("%s %s: %v allocations per request, %v of them Echo's own; want none more", r.method, r.path, got, base)
		}
	}
}
