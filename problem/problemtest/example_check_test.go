package problemtest_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/problemkit/problemkit/problem/problemtest"
)

// Check judges any response, whoever wrote it; here a handler of its own
// that gets a few rules wrong.
func ExampleCheck() {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.Header().Set("Retry-After", "1.5")
		w.WriteHeader(http.StatusMethodNotAllowed)
		fmt.Fprint(w, `{"title":"Method Not Allowed","status":"405","detail":null}`)
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodDelete, "/items/42", nil))

	err := problemtest.Check(rec)
	if vs, ok := errors.AsType[problemtest.Violations](err); ok {
		for _, v := range vs {
			fmt.Printf("%s: %s\n", v.Rule, v.Message)
		}
	}
	// Output:
	// RFC 9457 §3.1.2: status is a string, not a number
	// RFC 9457 §3.1.4: detail is null (leave an unset member out), not a string
	// RFC 9110 §15.5.6: a 405 response without Allow
	// RFC 9110 §10.2.3: Retry-After "1.5" is neither delay-seconds nor an IMF-fixdate such as "Sun, 06 Nov 1994 08:49:37 GMT"
}

// AssertValid fails the test with the rules a response breaks, beside the
// whole response.
func ExampleAssertValid() {
	var t testing.TB = ptPrinter{} // in a test, the test's *testing.T

	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"type":"https://example.com/probs/no token","status":403}`)
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/items/42", nil))

	problemtest.AssertValid(t, rec)
	// Output:
	// problemtest.AssertValid: the response breaks RFC 9457 or RFC 9110:
	//     type "https://example.com/probs/no token" is not a URI reference: it holds ' ', which a URI cannot (RFC 9457 §3.1.1)
	//     status member is 403, the status line 401 (RFC 9457 §3.1.2)
	//     a 401 response without WWW-Authenticate (RFC 9110 §15.5.2)
	// response:
	//     HTTP/1.1 401 Unauthorized
	//     Content-Type: application/problem+json
	//
	//     {
	//       "type": "https://example.com/probs/no token",
	//       "status": 403
	//     }
}
