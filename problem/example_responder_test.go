package problem_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/problemkit/problemkit/problem"
)

// Responder is the writer behind the middleware. Used directly, it answers a
// request with a problem.
func ExampleResponder() {
	rs := &problem.Responder{}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/items/42", nil)

	_ = rs.Respond(rec, req, problem.New(http.StatusMethodNotAllowed, "").WithAllow("GET", "HEAD"))

	fmt.Println(rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Allow"))
	fmt.Println(rec.Body.String())
	// Output:
	// 405 application/problem+json GET, HEAD
	// {"type":"about:blank","title":"Method Not Allowed","status":405}
}
