//go:build !race

// The race detector makes sync.Pool drop values at random, so allocation
// counts only hold without it.

package problemecho_test

import (
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/stretchr/testify/assert"

	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/middleware/problemecho"
)

// TestRouterErrorAllocs holds the most frequent errors to their budget: a
// 404 or 405 from Echo's router allocates nothing beyond Echo's own work
// (the router's Allow header, for a 405), in Debug mode too.
func TestRouterErrorAllocs(t *testing.T) {
	allocs := func(handler echo.HTTPErrorHandler, debug bool, method, path string) float64 {
		e := echo.New()
		e.Debug = debug
		e.HTTPErrorHandler = handler
		e.GET("/x", func(c echo.Context) error { return nil })
		w, r := testkit.NewBenchWriter(), httptest.NewRequest(method, path, nil)
		return testing.AllocsPerRun(1000, func() {
			w.Reset()
			e.ServeHTTP(w, r)
		})
	}
	ours := problemecho.ErrorHandler(quietOptions())
	ignore := func(error, echo.Context) {}
	for _, debug := range []bool{false, true} {
		for _, r := range []struct{ method, path string }{{"GET", "/nope"}, {"POST", "/x"}} {
			base, got := allocs(ignore, debug, r.method, r.path), allocs(ours, debug, r.method, r.path)
			if got > base {
				t.Errorf("Debug %v, %s %s: %v allocations per request, %v of them Echo's own; want none more", debug, r.method, r.path, got, base)
			}
		}
	}
}

// TestKeepEncodingAllocs: KeepEncoding keeps nothing for a response without
// a Content-Encoding, and costs such a request no allocation beyond Echo's
// own for a Pre middleware (Echo v4 chains them anew for each request).
func TestKeepEncodingAllocs(t *testing.T) {
	allocs := func(pre ...echo.MiddlewareFunc) float64 {
		e := echo.New()
		e.HTTPErrorHandler = problemecho.ErrorHandler(quietOptions())
		e.Pre(pre...)
		w, r := testkit.NewBenchWriter(), httptest.NewRequest("GET", "/nope", nil)
		return testing.AllocsPerRun(1000, func() {
			w.Reset()
			e.ServeHTTP(w, r)
		})
	}
	pass := func(next echo.HandlerFunc) echo.HandlerFunc { return func(c echo.Context) error { return next(c) } }
	assert.Equal(t, allocs(pass), allocs(problemecho.KeepEncoding()))
}
