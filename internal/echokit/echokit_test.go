package echokit

import (
	"errors"
	"testing"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/problem"
)

var benchProblem *problem.Problem

// BenchmarkHTTPErrorProblem maps an HTTP error with a message, as
// echo.NewHTTPError(404, "item 42 does not exist") makes it, to its
// problem: the work of the adapters beyond a handler's returned problem.
func BenchmarkHTTPErrorProblem(b *testing.B) {
	err, cat := errors.New("code=404, message=item 42 does not exist"), catalog.Default()
	var msg any = "item 42 does not exist"
	b.ReportAllocs()
	for b.Loop() {
		benchProblem = HTTPErrorProblem(err, 404, msg, nil, cat)
	}
}
