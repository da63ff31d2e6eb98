package problemecho5_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/labstack/echo/v5"

	"github.com/problemkit/problemkit/middleware/problemecho5"
	"github.com/problemkit/problemkit/problem"
)

// ErrorHandler is Echo v5's error handler: the problems handlers return
// and the router's own 404 come out as problems, as on Echo v4.
func ExampleErrorHandler() {
	e := echo.New()
	e.HTTPErrorHandler = problemecho5.ErrorHandler(nil)
	e.GET("/items/:id", func(c *echo.Context) error {
		return problem.New(http.StatusNotFound, "item "+c.Param("id")+" does not exist")
	})

	for _, path := range []string{"/items/42", "/nowhere"} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
		fmt.Println(rec.Body.String())
	}
	// Output:
	// 404 application/problem+json
	// {"type":"about:blank","title":"Not Found","status":404,"detail":"item 42 does not exist","instance":"/items/42"}
	// 404 application/problem+json
	// {"type":"about:blank","title":"Not Found","status":404,"instance":"/nowhere"}
}
