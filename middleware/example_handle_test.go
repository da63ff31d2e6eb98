package middleware_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
)

// A handler returns an error; Handle writes it as a problem. The instance
// is the request's path.
func ExampleMiddleware_Handle() {
	m := middleware.New(nil)
	h := m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		return problem.New(http.StatusNotFound, "item 42 does not exist")
	})

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/items/42", nil))

	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Println(rec.Body.String())
	// Output:
	// 404 application/problem+json
	// {"type":"about:blank","title":"Not Found","status":404,"detail":"item 42 does not exist","instance":"/items/42"}
}
