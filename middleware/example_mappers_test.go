package middleware_test

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
)

// Mappers turn errors the handlers do not control into problems, once for
// every handler: here sql.ErrNoRows, wrapped or not, becomes a 404.
func ExampleOptions_mappers() {
	m := middleware.New(&middleware.Options{
		Mappers: []problem.Mapper{
			problem.MapIs(sql.ErrNoRows, problem.Type{Status: http.StatusNotFound}),
		},
	})
	h := m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		return fmt.Errorf("load user: %w", sql.ErrNoRows)
	})

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/users/7", nil))

	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Println(rec.Body.String())
	// Output:
	// 404 application/problem+json
	// {"type":"about:blank","title":"Not Found","status":404,"instance":"/users/7"}
}
