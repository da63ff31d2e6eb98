package problemecho

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/problem"
)

var sink http.ResponseWriter

// TestResponseConvertsWithoutAllocating: the writers ErrorHandler hands
// to WriteError hold Echo's response alone, so that they fit in an
// interface as a pointer does.
func TestResponseConvertsWithoutAllocating(t *testing.T) {
	res := echo.NewResponse(httptest.NewRecorder(), echo.New())
	for name, convert := range map[string]func(){
		"response":      func() { sink = response{res} },
		"debugResponse": func() { sink = debugResponse{response{res}} },
	} {
		if allocs := testing.AllocsPerRun(100, convert); allocs != 0 {
			t.Errorf("%s: %v allocations to make it an http.ResponseWriter, want 0", name, allocs)
		}
	}
}

// asSent is p as the client gets it, cause aside.
func asSent(t *testing.T, p *problem.Problem) string {
	t.Helper()
	b, err := p.AppendJSON(nil)
	require.NoError(t, err)
	return string(b)
}

// TestSentinelProblemsAreTheUsualOnes: a problem made once for a sentinel
// is the problem httpErrorProblem makes for it each time.
func TestSentinelProblemsAreTheUsualOnes(t *testing.T) {
	cat := catalog.Default()
	s := newSentinels(cat, echoSentinels)
	for _, he := range echoSentinels {
		p := s.problem(he)
		require.NotNil(t, p, "%v", he)
		assert.Same(t, p, s.problem(he), "%v: made once", he)
		assert.Equal(t, asSent(t, httpErrorProblem(he, cat)), asSent(t, p), "%v", he)
		assert.ErrorIs(t, p, he, "%v: the sentinel is the cause", he)
	}
	for code := 400; code < 512; code++ {
		if k := s.known[code-400]; k.he != nil {
			assert.Equal(t, code, k.he.Code)
		}
	}
}

// TestSentinelsChanged: an HTTPError that is not one of the sentinels, or a
// sentinel changed since, gets a problem of its own that says what it now
// holds.
func TestSentinelsChanged(t *testing.T) {
	cat := catalog.Default()
	he := echo.NewHTTPError(http.StatusNotFound)
	s := newSentinels(cat, []*echo.HTTPError{he})
	made := s.problem(he)
	require.Same(t, made, s.problem(he))

	lookalike := echo.NewHTTPError(http.StatusNotFound)
	p := s.problem(lookalike)
	assert.NotSame(t, made, p)
	assert.ErrorIs(t, p, lookalike)
	assert.Equal(t, asSent(t, made), asSent(t, p))

	he.Message = "no such order"
	assert.Equal(t, "no such order", s.problem(he).Detail, "a changed message")

	he.Message = map[string]any{"why": "gone"} // not comparable: must not panic
	assert.Equal(t, map[string]any{"message": map[string]any{"why": "gone"}}, s.problem(he).Extensions)

	he.Message = http.StatusText(http.StatusNotFound)
	he.Internal = errors.New("row 7 missing")
	p = s.problem(he)
	assert.NotSame(t, made, p, "a sentinel given an Internal")
	assert.ErrorIs(t, p, he.Internal)

	he.Internal = nil
	he.Code = http.StatusConflict
	assert.Equal(t, http.StatusConflict, s.problem(he).Status, "a changed code")

	he.Code = http.StatusNotFound
	assert.Same(t, made, s.problem(he), "as made again")
}

// TestSentinelsSkipped: values that are not usable as sentinels are left
// out rather than cached wrongly.
func TestSentinelsSkipped(t *testing.T) {
	cat := catalog.Default()
	withInternal := echo.NewHTTPError(http.StatusBadRequest).SetInternal(errors.New("x"))
	outOfRange := &echo.HTTPError{Code: 302, Message: "Found"}
	first, second := echo.NewHTTPError(http.StatusGone), echo.NewHTTPError(http.StatusGone)
	s := newSentinels(cat, []*echo.HTTPError{withInternal, outOfRange, first, second})
	assert.Nil(t, s.known[0].he)
	assert.Same(t, first, s.known[http.StatusGone-400].he)
	assert.Equal(t, 302, s.problem(outOfRange).Status)
	assert.NotSame(t, s.problem(second), s.problem(second))
}
