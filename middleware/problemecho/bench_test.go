package problemecho_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"

	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/middleware/problemecho"
	"github.com/problemkit/problemkit/problem/problemvalidator"
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

func BenchmarkNotFound(b *testing.B) {
	r := httptest.NewRequest("GET", "/x", nil)
	notFound := func(c echo.Context) error { return echo.ErrNotFound }
	body := []byte(`{"type":"about:blank","title":"Not Found","status":404}`)
	b.Run("prebuilt", func(b *testing.B) { run(b, newBenchEcho(nil, prebuilt(404, body)), r, 404, body) })
	b.Run("DefaultHTTPErrorHandler", func(b *testing.B) { run(b, newBenchEcho(nil, notFound), r, 404, nil) })
	b.Run("ErrorHandler", func(b *testing.B) {
		run(b, newBenchEcho(problemecho.ErrorHandler(quietOptions()), notFound), r, 404, body)
	})
}

// prebuilt is the floor: a handler that writes a prebuilt problem body with
// the headers ErrorHandler sets.
func prebuilt(status int, body []byte) echo.HandlerFunc {
	return func(c echo.Context) error {
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

type form struct {
	Name  string `json:"name" validate:"required,min=3"`
	Email string `json:"email" validate:"required,email"`
	Age   int    `json:"age" validate:"gte=18"`
}

func BenchmarkValidation(b *testing.B) {
	r := httptest.NewRequest("GET", "/x", nil)
	validate := validator.New()
	v := problemvalidator.New(validate) // fields named as in JSON
	in := &form{Name: "ab", Email: "nope", Age: 7}
	// The validator's own work is the same for every row; the rows differ
	// in what they make of its errors.
	fails := validate.Struct(in)
	body := []byte(`{"type":"about:blank","title":"Unprocessable Content","status":422,"errors":[` +
		`{"detail":"must be at least 3 characters long","pointer":"#/name","rule":"min","param":"3"},` +
		`{"detail":"must be an email address","pointer":"#/email","rule":"email"},` +
		`{"detail":"must be 18 or greater","pointer":"#/age","rule":"gte","param":"18"}]}`)

	b.Run("prebuilt", func(b *testing.B) { run(b, newBenchEcho(nil, prebuilt(422, body)), r, 422, body) })
	b.Run("encoding-json-mapping", func(b *testing.B) {
		// What a straightforward hand mapping costs: maps and json.Marshal.
		run(b, newBenchEcho(nil, func(c echo.Context) error {
			var ves validator.ValidationErrors
			errors.As(fails, &ves)
			items := make([]map[string]any, 0, len(ves))
			for _, fe := range ves {
				items = append(items, map[string]any{
					"detail":  fe.Error(),
					"pointer": "#/" + fe.Field(),
					"rule":    fe.Tag(),
					"param":   fe.Param(),
				})
			}
			out, err := json.Marshal(map[string]any{
				"type": "about:blank", "title": "Unprocessable Content", "status": 422, "errors": items,
			})
			if err != nil {
				return err
			}
			return c.Blob(http.StatusUnprocessableEntity, "application/problem+json", out)
		}), r, 422, nil)
	})
	b.Run("ErrorHandler", func(b *testing.B) {
		mapper := v.Mapper()
		opts := quietOptions()
		opts.Mappers = append(opts.Mappers, mapper)
		run(b, newBenchEcho(problemecho.ErrorHandler(opts), func(c echo.Context) error { return fails }), r, 422, body)
	})
}
