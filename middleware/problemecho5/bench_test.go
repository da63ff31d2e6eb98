package problemecho5_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v5"

	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/middleware/problemecho5"
)

func quietOptions() *middleware.Options {
	return &middleware.Options{Logger: slog.New(slog.DiscardHandler), Instance: func(*http.Request) string { return "" }}
}

// newBenchEcho returns an Echo whose /x route runs h, with the error handler
// given (nil keeps Echo's default).
func newBenchEcho(handler echo.HTTPErrorHandler, h echo.HandlerFunc) *echo.Echo {
	e := echo.New()
	if handler != nil {
		e.HTTPErrorHandler = handler
	}
	e.GET("/x", h)
	return e
}

// run benchmarks e on r. want, unless nil, is the body every row of a
// comparison must write, byte for byte, so that they do the same work.
func run(b *testing.B, e *echo.Echo, r *http.Request, wantStatus int, want []byte) {
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, r)
	if rec.Code != wantStatus || want != nil && !bytes.Equal(rec.Body.Bytes(), want) {
		b.Fatalf("status %d and body\n%s\nwant %d and\n%s", rec.Code, rec.Body, wantStatus, want)
	}
	w := testkit.NewBenchWriter()
	b.ReportAllocs()
	for b.Loop() {
		w.Reset()
		e.ServeHTTP(w, r)
	}
}

// BenchmarkNotFound compares a 404 from Echo v5's router through
// ErrorHandler with its floor (a handler that writes the same prebuilt
// body with the same headers) and with Echo v5's own RFC 9457 handler.
func BenchmarkNotFound(b *testing.B) {
	r := httptest.NewRequest("GET", "/nope", nil)
	body := []byte(`{"type":"about:blank","title":"Not Found","status":404}`)
	b.Run("prebuilt", func(b *testing.B) {
		e := newBenchEcho(nil, ok)
		e.RouteNotFound("/*", prebuilt(404, body))
		run(b, e, r, 404, body)
	})
	b.Run("ProblemDetailsHTTPErrorHandler", func(b *testing.B) {
		run(b, newBenchEcho(echo.ProblemDetailsHTTPErrorHandler(false), ok), r, 404, nil)
	})
	b.Run("ErrorHandler", func(b *testing.B) {
		run(b, newBenchEcho(problemecho5.ErrorHandler(quietOptions()), ok), r, 404, body)
	})
}

func ok(c *echo.Context) error { return c.NoContent(http.StatusOK) }

// prebuilt is the floor: a handler that writes a prebuilt problem body with
// the headers ErrorHandler sets.
func prebuilt(status int, body []byte) echo.HandlerFunc {
	return func(c *echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Type", "application/problem+json")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
		h.Add("Vary", "Accept")
		c.Response().WriteHeader(status)
		_, err := c.Response().Write(body)
		return err
	}
}
