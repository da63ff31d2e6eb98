package middleware_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"

	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
)

// WriteError writes an error from an ordinary http.HandlerFunc, for code
// that does not return errors.
func ExampleMiddleware_WriteError() {
	m := middleware.New(nil)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := strconv.Atoi(r.URL.Query().Get("limit")); err != nil {
			m.WriteError(w, r, problem.New(http.StatusBadRequest, "limit must be an integer"))
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/items?limit=ten", nil))

	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Println(rec.Body.String())
	// Output:
	// 400 application/problem+json
	// {"type":"about:blank","title":"Bad Request","status":400,"detail":"limit must be an integer","instance":"/items"}
}
