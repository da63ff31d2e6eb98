package problemecho_test

import (
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
	"github.com/problemkit/problemkit/problem"
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

func BenchmarkNotFound(b *testing.B) {
	r := httptest.NewRequest("GET", "/x", nil)
	notFound := func(c echo.Context) error { return echo.ErrNotFound }
	body := []byte(`{"type":"about:blank","title":"Not Found","status":404}`)
	testkit.RunRows(b, r, []testkit.Row{
		{Name: "prebuilt", H: newBenchEcho(nil, prebuilt(404, body))},
		{Name: "prebuilt-Set", H: newBenchEcho(nil, prebuiltSet(404, body))},
		{Name: "DefaultHTTPErrorHandler", H: newBenchEcho(nil, notFound)},
		{Name: "ErrorHandler", H: newBenchEcho(problemecho.ErrorHandler(quietOptions()), notFound)},
	}, "prebuilt", "prebuilt-Set", "ErrorHandler")
}

// BenchmarkNotFoundDetail is a 404 with a detail, from a *problem.Problem a
// handler returns and from an echo.NewHTTPError with a message, against
// the floor (a handler in Echo that writes the same body with the same
// headers), against prebuilt-New and prebuilt-Set-New (the floors that
// also make the problem the handler returns) and against Echo's DefaultHTTPErrorHandler as
// echo.New sets it up (Debug off) given the same HTTPError (it writes other
// bytes: {"message":"item 42 does not exist"}).
func BenchmarkNotFoundDetail(b *testing.B) {
	r := httptest.NewRequest("GET", "/x", nil)
	returnProblem := func(c echo.Context) error { return problem.New(http.StatusNotFound, "item 42 does not exist") }
	returnHTTPError := func(c echo.Context) error { return echo.NewHTTPError(http.StatusNotFound, "item 42 does not exist") }
	body := []byte(`{"type":"about:blank","title":"Not Found","status":404,"detail":"item 42 does not exist"}`)
	ours := problemecho.ErrorHandler(quietOptions())
	testkit.RunRows(b, r, []testkit.Row{
		{Name: "prebuilt", H: newBenchEcho(nil, prebuilt(404, body))},
		{Name: "prebuilt-Set", H: newBenchEcho(nil, prebuiltSet(404, body))},
		{Name: "prebuilt-New", H: newBenchEcho(nil, prebuiltNew(prebuilt(404, body)))},
		{Name: "prebuilt-Set-New", H: newBenchEcho(nil, prebuiltNew(prebuiltSet(404, body)))},
		{Name: "DefaultHTTPErrorHandler-NewHTTPError", H: newBenchEcho(nil, returnHTTPError)},
		{Name: "ErrorHandler-Problem", H: newBenchEcho(ours, returnProblem)},
		{Name: "ErrorHandler-NewHTTPError", H: newBenchEcho(ours, returnHTTPError)},
	}, "prebuilt", "prebuilt-Set", "prebuilt-New", "prebuilt-Set-New", "ErrorHandler-Problem", "ErrorHandler-NewHTTPError")
}

// prebuilt is the floor: a handler that writes a prebuilt problem body with
// the headers ErrorHandler sets, their values prebuilt too (see
// testkit.SetProblemHeader).
func prebuilt(status int, body []byte) echo.HandlerFunc {
	return func(c echo.Context) error {
		testkit.SetProblemHeader(c.Response().Header())
		c.Response().WriteHeader(status)
		_, err := c.Response().Write(body)
		return err
	}
}

// prebuiltSet is prebuilt with its headers set by Header.Set, as a
// hand-written handler usually sets them (see
// testkit.SetProblemHeaderBySet).
func prebuiltSet(status int, body []byte) echo.HandlerFunc {
	return func(c echo.Context) error {
		testkit.SetProblemHeaderBySet(c.Response().Header())
		c.Response().WriteHeader(status)
		_, err := c.Response().Write(body)
		return err
	}
}

// benchSink keeps what a floor makes alive, as an error handler would.
var benchSink error

// prebuiltNew is the floor write that first makes the problem the
// handler of ErrorHandler-Problem returns: the floor with the handler's
// own work (an allocation, and the collections it brings), to tell that
// from the error handler's.
func prebuiltNew(write echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		benchSink = problem.New(http.StatusNotFound, "item 42 does not exist")
		return write(c)
	}
}

type form struct {
	Name  string `json:"name" validate:"required,min=3"`
	Email string `json:"email" validate:"required,email"`
	Age   int    `json:"age" validate:"gte=18"`
}

// BenchmarkValidation compares what the rows make of the same validation
// errors, computed once: the validator's own work is left out here (see
// problemvalidator's BenchmarkValidate for the whole request).
func BenchmarkValidation(b *testing.B) {
	r := httptest.NewRequest("GET", "/x", nil)
	validate := validator.New()
	v := problemvalidator.New(validate) // fields named as in JSON
	in := &form{Name: "ab", Email: "nope", Age: 7}
	fails := validate.Struct(in)
	body := []byte(`{"type":"about:blank","title":"Unprocessable Content","status":422,"errors":[` +
		`{"detail":"must be at least 3 characters long","pointer":"#/name","rule":"min","param":"3"},` +
		`{"detail":"must be an email address","pointer":"#/email","rule":"email"},` +
		`{"detail":"must be 18 or greater","pointer":"#/age","rule":"gte","param":"18"}]}`)

	mapping := func(c echo.Context) error {
		// What a straightforward hand mapping costs: maps and json.Marshal.
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
	}
	opts := quietOptions()
	opts.Mappers = append(opts.Mappers, v.Mapper())
	testkit.RunRows(b, r, []testkit.Row{
		{Name: "prebuilt", H: newBenchEcho(nil, prebuilt(422, body))},
		{Name: "prebuilt-Set", H: newBenchEcho(nil, prebuiltSet(422, body))},
		{Name: "encoding-json-mapping", H: newBenchEcho(nil, mapping)},
		{Name: "ErrorHandler", H: newBenchEcho(problemecho.ErrorHandler(opts), func(c echo.Context) error { return fails })},
	}, "prebuilt", "prebuilt-Set", "ErrorHandler")
}
