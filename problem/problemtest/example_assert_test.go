package problemtest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemtest"
)

// ptPrinter stands in for the *testing.T of a test: it prints what Assert
// reports.
type ptPrinter struct{ testing.TB }

func (ptPrinter) Helper() {}

func (ptPrinter) Errorf(format string, args ...any) { fmt.Printf(format+"\n", args...) }

// A test asserts, in one line, the members it cares about. When the
// response differs, the message says what differs and shows the whole
// response.
func ExampleAssert() {
	var t testing.TB = ptPrinter{} // in a test, the test's *testing.T

	m := middleware.New(nil)
	h := m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		return problem.New(http.StatusNotFound, "item 42 does not exist")
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/items/42", nil))

	problemtest.Assert(t, rec, problemtest.Want{Status: 404, Title: "Not Found"}) // passes
	problemtest.Assert(t, rec, problemtest.Want{Status: 410, Title: "Gone", Detail: "item 42 does not exist"})
	// Output:
	// problemtest.Assert: the response differs from Want:
	//     status = 404, want 410
	//     title = "Not Found", want "Gone"
	// response:
	//     HTTP/1.1 404 Not Found
	//     Cache-Control: no-store
	//     Content-Type: application/problem+json
	//     Vary: Accept
	//     X-Content-Type-Options: nosniff
	//
	//     {
	//       "type": "about:blank",
	//       "title": "Not Found",
	//       "status": 404,
	//       "detail": "item 42 does not exist",
	//       "instance": "/items/42"
	//     }
}

// Extension members compare as JSON values, and the items of an errors
// member one for one, each by the fields given.
func ExampleAssert_members() {
	var t testing.TB = ptPrinter{} // in a test, the test's *testing.T

	m := middleware.New(nil)
	h := m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		return problem.New(http.StatusUnprocessableEntity, "").
			WithExtension("errors", problem.InputErrors{
				{Detail: "must be a positive integer", Pointer: problem.Pointer("age")},
			}).
			WithExtension("balance", 30)
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/users", nil))

	problemtest.Assert(t, rec, problemtest.Want{
		Status:     422,
		Extensions: map[string]any{"balance": 30.0},
		Errors:     []problemtest.InputError{{Pointer: "#/age"}},
	}) // passes
	problemtest.Assert(t, rec, problemtest.Want{
		Extensions: map[string]any{"balance": 50},
		Errors:     []problemtest.InputError{{Pointer: "#/name"}},
		Absent:     []string{"instance"},
	})
	// Output:
	// problemtest.Assert: the response differs from Want:
	//     member "balance" = 30, want 50
	//     errors[0].pointer = "#/age", want "#/name"
	//     member "instance" = "/users", want it absent
	// response:
	//     HTTP/1.1 422 Unprocessable Entity
	//     Cache-Control: no-store
	//     Content-Type: application/problem+json
	//     Vary: Accept
	//     X-Content-Type-Options: nosniff
	//
	//     {
	//       "type": "about:blank",
	//       "title": "Unprocessable Content",
	//       "status": 422,
	//       "instance": "/users",
	//       "balance": 30,
	//       "errors": [
	//         {
	//           "detail": "must be a positive integer",
	//           "pointer": "#/age"
	//         }
	//       ]
	//     }
}
