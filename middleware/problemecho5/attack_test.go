package problemecho5_test

import (
	"net/http"
	"testing"

	"github.com/labstack/echo/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
)

// TestAttackWrapInsideEcho: Wrap has the func(http.Handler) http.Handler
// shape, so Echo users mount it with echo.WrapMiddleware. Echo's
// WrapMiddleware keeps the ResponseWriter Wrap handed down
// (c.SetResponse(echo.NewResponse(w, e))) and Echo writes the error the
// handler returned through it after the middleware has returned. The
// error handler must find that writer working, and its request's alone:
// a writer Wrap had pooled was found zeroed (a nil-pointer panic, and the
// client got a dropped connection for every error, the router's 404
// included) or, under load, handed to another request, whose response it
// would have written into.
func TestAttackWrapInsideEcho(t *testing.T) {
	m := middleware.New(&middleware.Options{Instance: func(*http.Request) string { return "" }})
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.Use(echo.WrapMiddleware(m.Wrap))
		e.GET("/items/:id", func(c *echo.Context) error { return problem.New(http.StatusConflict, "version 3 is stale") })
	})
	for _, tt := range []struct {
		name, path string
		status     int
		body       string
	}{
		{"a handler's problem", "/items/7", http.StatusConflict,
			`{"type":"about:blank","title":"Conflict","status":409,"detail":"version 3 is stale"}`},
		{"the router's 404", "/nope", http.StatusNotFound,
			`{"type":"about:blank","title":"Not Found","status":404}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for range 3 { // the pool hands the same writer out again
				resp, body := s.do(t, http.MethodGet, tt.path, nil)
				require.Equal(t, tt.status, resp.StatusCode)
				assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
				assert.Equal(t, tt.body, body)
			}
		})
	}
}
