//go:build !race

package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/stretchr/testify/assert"
)

// TestWrapBareAllocs holds Wrap to its budget on a bare error response
// (ServeMux's 404), over what the mux itself allocates: its writer, the
// bare error's held-back body and header (one allocation for both, for a
// short text such as the mux's), and the text and the error it becomes.
func TestWrapBareAllocs(t *testing.T) {
	mux := http.NewServeMux()
	allocs := func(h http.Handler) float64 {
		w, r := testkit.NewBenchWriter(), httptest.NewRequest("GET", "/items/42", nil)
		return testing.AllocsPerRun(1000, func() {
			w.Reset()
			h.ServeHTTP(w, r)
		})
	}
	floor := allocs(mux)
	assert.Equal(t, float64(4), allocs(quiet().Wrap(mux))-floor, "Wrap's share of a ServeMux 404")
}
