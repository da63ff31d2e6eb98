//go:build !race

package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/stretchr/testify/assert"
)

// TestWrapBareAllocs holds Wrap to its budget on a bare error response,
// over what the handler itself allocates: its writer, the bare error's
// held-back body and header (one allocation for both, for a short text
// such as ServeMux's and a header of up to four fields; one more for a
// stack that sets CORS and security headers as well), and the text and
// the error it becomes; with a detail and the stack's Vary, what the
// problem makes of them.
func TestWrapBareAllocs(t *testing.T) {
	withHeaders := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Access-Control-Allow-Origin"] = []string{"*"}
		h["Vary"] = []string{"Origin"}
		h["Strict-Transport-Security"] = []string{"max-age=63072000"}
		h["X-Frame-Options"] = []string{"DENY"}
		h["X-Request-Id"] = []string{"4bf92f3577b34da6"}
		http.Error(w, "no such item", http.StatusNotFound) // and its two fields
	})
	tests := []struct {
		name string
		h    http.Handler
		want float64
	}{
		{"ServeMux 404", http.NewServeMux(), 4},
		{"http.Error with seven fields", withHeaders, 9},
	}
	allocs := func(h http.Handler) float64 {
		w, r := testkit.NewBenchWriter(), httptest.NewRequest("GET", "/items/42", nil)
		return testing.AllocsPerRun(1000, func() {
			w.Reset()
			h.ServeHTTP(w, r)
		})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			floor := allocs(tt.h)
			assert.Equal(t, tt.want, allocs(quiet().Wrap(tt.h))-floor, "Wrap's share")
		})
	}
}
