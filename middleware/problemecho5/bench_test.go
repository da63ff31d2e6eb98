package problemecho5_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v5"

	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/middleware/problemecho5"
	"github.com/problemkit/problemkit/problem"
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

// BenchmarkNotFound compares a 404 from Echo v5's router through
// ErrorHandler with its floor (a handler that writes the same prebuilt
// body with the same headers) and with Echo v5's own RFC 9457 handler.
func BenchmarkNotFound(b *testing.B) {
	r := httptest.NewRequest("GET", "/nope", nil)
	body := []byte(`{"type":"about:blank","title":"Not Found","status":404}`)
	floor := newBenchEcho(nil, ok)
	floor.RouteNotFound("/*", prebuilt(404, body))
	testkit.RunRows(b, r, []testkit.Row{
		{Name: "prebuilt", H: floor},
		{Name: "ProblemDetailsHTTPErrorHandler", H: newBenchEcho(echo.ProblemDetailsHTTPErrorHandler(false), ok)},
		{Name: "ErrorHandler", H: newBenchEcho(problemecho5.ErrorHandler(quietOptions()), ok)},
	}, "prebuilt", "ErrorHandler")
}

// BenchmarkNotFoundDetail is a 404 with a detail, from a *problem.Problem a
// handler returns and from an echo.NewHTTPError with a message, against
// the floor (a handler in Echo that writes the same body with the same
// headers), against prebuilt-New (the floor that also makes the problem
// the handler returns) and against Echo's DefaultHTTPErrorHandler as
// echo.New sets it up (errors not exposed) given the same HTTPError (it writes other
// bytes: {"message":"item 42 does not exist"}).
func BenchmarkNotFoundDetail(b *testing.B) {
	r := httptest.NewRequest("GET", "/x", nil)
	returnProblem := func(c *echo.Context) error { return problem.New(http.StatusNotFound, "item 42 does not exist") }
	returnHTTPError := func(c *echo.Context) error { return echo.NewHTTPError(http.StatusNotFound, "item 42 does not exist") }
	body := []byte(`{"type":"about:blank","title":"Not Found","status":404,"detail":"item 42 does not exist"}`)
	ours := problemecho5.ErrorHandler(quietOptions())
	testkit.RunRows(b, r, []testkit.Row{
		{Name: "prebuilt", H: newBenchEcho(nil, prebuilt(404, body))},
		{Name: "prebuilt-Set", H: newBenchEcho(nil, prebuiltSet(404, body))},
		{Name: "prebuilt-New", H: newBenchEcho(nil, prebuiltNew(404, body))},
		{Name: "DefaultHTTPErrorHandler-NewHTTPError", H: newBenchEcho(nil, returnHTTPError)},
		{Name: "ErrorHandler-Problem", H: newBenchEcho(ours, returnProblem)},
		{Name: "ErrorHandler-NewHTTPError", H: newBenchEcho(ours, returnHTTPError)},
	}, "prebuilt", "prebuilt-Set", "prebuilt-New", "ErrorHandler-Problem", "ErrorHandler-NewHTTPError")
}

func ok(c *echo.Context) error { return c.NoContent(http.StatusOK) }

// prebuilt is the floor: a handler that writes a prebuilt problem body with
// the headers ErrorHandler sets, their values prebuilt too (see
// testkit.SetProblemHeader).
func prebuilt(status int, body []byte) echo.HandlerFunc {
	return func(c *echo.Context) error {
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
	return func(c *echo.Context) error {
		testkit.SetProblemHeaderBySet(c.Response().Header())
		c.Response().WriteHeader(status)
		_, err := c.Response().Write(body)
		return err
	}
}

// benchSink keeps what a floor makes alive, as an error handler would.
var benchSink error

// prebuiltNew is prebuilt that first makes the problem the handler of
// ErrorHandler-Problem returns: the floor with the handler's own work (an
// allocation, and the collections it brings), to tell that from the
// error handler's.
func prebuiltNew(status int, body []byte) echo.HandlerFunc {
	write := prebuilt(status, body)
	return func(c *echo.Context) error {
		benchSink = problem.New(http.StatusNotFound, "item 42 does not exist")
		return write(c)
	}
}
