//go:build !race

// The race detector makes sync.Pool drop values at random, so allocation
// counts only hold without it.

package problemecho5_test

import (
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v5"

	"github.com/stretchr/testify/assert"

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

// TestKeepEncodingAllocs: KeepEncoding keeps nothing for a response without
// a Content-Encoding, and costs such a request no allocation beyond Echo's
// own for a Pre middleware.
func TestKeepEncodingAllocs(t *testing.T) {
	allocs := func(pre ...echo.MiddlewareFunc) float64 {
		e := echo.New()
		e.HTTPErrorHandler = problemecho5.ErrorHandler(quietOptions())
		e.Pre(pre...)
		w, r := testkit.NewBenchWriter(), httptest.NewRequest("GET", "/nope", nil)
		return testing.AllocsPerRun(1000, func() {
			w.Reset()
			e.ServeHTTP(w, r)
		})
	}
	pass := func(next echo.HandlerFunc) echo.HandlerFunc { return func(c *echo.Context) error { return next(c) } }
	assert.Equal(t, allocs(pass), allocs(problemecho5.KeepEncoding()))
}
