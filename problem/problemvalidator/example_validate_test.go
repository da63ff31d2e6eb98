package problemvalidator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemvalidator"
)

// Validate returns a 422 problem with one item per failed field, each
// with a JSON Pointer into the request body and the rule that failed.
func ExampleValidator_Validate() {
	type signup struct {
		Name  string `json:"name" validate:"required,min=2"`
		Email string `json:"email" validate:"required,email"`
	}
	v := problemvalidator.New(nil)
	h := middleware.New(nil).Handle(func(w http.ResponseWriter, r *http.Request) error {
		var req signup
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			return problem.New(http.StatusBadRequest, "the body is not valid JSON")
		}
		if err := v.Validate(&req); err != nil {
			return err
		}
		w.WriteHeader(http.StatusCreated)
		return nil
	})

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/signup", strings.NewReader(`{"name":"a","email":"a.example.com"}`)))

	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Println(rec.Body.String())
	// Output:
	// 422 application/problem+json
	// {"type":"about:blank","title":"Unprocessable Content","status":422,"instance":"/signup","errors":[{"detail":"must be at least 2 characters long","pointer":"#/name","rule":"min","param":"2"},{"detail":"must be an email address","pointer":"#/email","rule":"email"}]}
}
