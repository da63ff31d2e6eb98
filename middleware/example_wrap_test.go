package middleware_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/problemkit/problemkit/middleware"
)

// Wrap turns the bare text errors of the rest of the stack into problems:
// here an http.Error and the 404 of a ServeMux. A text that says more than
// the status phrase becomes the detail.
func ExampleMiddleware_Wrap() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /search", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "the query q is required", http.StatusBadRequest)
	})
	h := middleware.New(nil).Wrap(mux)

	for _, path := range []string{"/search", "/nowhere"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
		fmt.Println(rec.Body.String())
	}
	// Output:
	// 400 application/problem+json
	// {"type":"about:blank","title":"Bad Request","status":400,"detail":"the query q is required","instance":"/search"}
	// 404 application/problem+json
	// {"type":"about:blank","title":"Not Found","status":404,"instance":"/nowhere"}
}
