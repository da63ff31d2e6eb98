package problem_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/problem"
)

type statusError struct{ code int }

func (e statusError) Error() string   { return fmt.Sprintf("status %d", e.code) }
func (e statusError) StatusCode() int { return e.code }

type statusWrap struct {
	code int
	err  error
}

func (e statusWrap) Error() string   { return e.err.Error() }
func (e statusWrap) StatusCode() int { return e.code }
func (e statusWrap) Unwrap() error   { return e.err }

// wrapIs is an error that is target (errors.Is) and wraps err.
type wrapIs struct{ target, err error }

func (e wrapIs) Error() string        { return "wrapIs" }
func (e wrapIs) Is(target error) bool { return target == e.target }
func (e wrapIs) Unwrap() error        { return e.err }

type problemError struct{ msg string }

func (e problemError) Error() string { return e.msg }
func (e problemError) Problem() *problem.Problem {
	return problem.New(http.StatusConflict, e.msg)
}

type nilProblemError struct{}

func (nilProblemError) Error() string             { return "nil problem" }
func (nilProblemError) Problem() *problem.Problem { return nil }

type retryError struct{ d time.Duration }

func (e retryError) Error() string             { return "busy" }
func (e retryError) RetryAfter() time.Duration { return e.d }

type conflictError struct{ version int }

func (e *conflictError) Error() string { return fmt.Sprintf("version %d is stale", e.version) }

var errNoRows = sql.ErrNoRows

func TestResolveOrder(t *testing.T) {
	notFound := problem.MapIs(errNoRows, problem.Type{Status: http.StatusNotFound})
	conflict := problem.MapAs(func(e *conflictError) *problem.Problem {
		return problem.Newf(http.StatusConflict, "version %d is stale", e.version)
	})
	mappers := []problem.Mapper{notFound, conflict}
	direct := problem.New(http.StatusTeapot+4, "direct") // 422

	tests := []struct {
		name       string
		err        error
		wantStatus int
		wantDetail string
	}{
		{"problem", direct, 422, "direct"},
		{"wrapped problem", fmt.Errorf("a: %w", fmt.Errorf("b: %w", direct)), 422, "direct"},
		{"a problem beats a mapper above it", fmt.Errorf("a: %w", wrapIs{errNoRows, direct}), 422, "direct"},
		{"type", problem.Type{Status: 410}, 410, ""},
		{"sentinel mapper", fmt.Errorf("load: %w", errNoRows), 404, ""},
		{"type mapper", fmt.Errorf("save: %w", &conflictError{3}), 409, "version 3 is stale"},
		{"a mapper deep in the chain beats StatusCode() at its top", statusWrap{503, fmt.Errorf("x: %w", &conflictError{3})}, 409, "version 3 is stale"},
		{"Problem() method", fmt.Errorf("x: %w", problemError{"taken"}), 409, "taken"},
		{"nil Problem() falls through", nilProblemError{}, 500, ""},
		{"StatusCode() method", fmt.Errorf("x: %w", statusError{451}), 451, ""},
		{"deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), 504, ""},
		{"canceled inside is the server's", fmt.Errorf("query: %w", context.Canceled), 500, ""},
		{"body too large", fmt.Errorf("decode: %w", &http.MaxBytesError{Limit: 10}), 413, "The request content is larger than the limit of 10 bytes."},
		{"unknown", errors.New("pq: relation users does not exist"), 500, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := problem.Resolve(tt.err, mappers...)
			require.NotNil(t, p)
			assert.Equal(t, tt.wantStatus, p.Status)
			assert.Equal(t, tt.wantDetail, p.Detail)
			if !errors.Is(tt.err, p) {
				assert.ErrorIs(t, p, tt.err, "a problem Resolve makes keeps the error as its cause")
			}
		})
	}
}

func TestResolveNil(t *testing.T) {
	assert.Nil(t, problem.Resolve(nil))
	assert.Nil(t, problem.Resolve(nil, problem.MapIs(errNoRows, problem.Type{Status: 404})))
}

func TestResolveReturnsTheProblemItself(t *testing.T) {
	p := problem.New(404, "x")
	assert.Same(t, p, problem.Resolve(fmt.Errorf("wrapped: %w", p)))
}

func TestResolveHidesUnknownText(t *testing.T) {
	err := errors.New("pq: relation users does not exist")
	p := problem.Resolve(err)
	assert.Equal(t, 500, p.Status)
	assert.Empty(t, p.Detail)
	assert.Empty(t, p.Title)
	assert.Same(t, err, p.Unwrap(), "the cause stays for the log")
}

func TestResolveJoin(t *testing.T) {
	notFound := problem.New(404, "no item")
	gone := problem.New(410, "gone")
	unavailable := problem.New(503, "down")
	internal := errors.New("disk full")

	tests := []struct {
		name string
		err  error
		want int
	}{
		{"first of equals wins", errors.Join(notFound, gone), 404},
		{"first of equals wins, reversed", errors.Join(gone, notFound), 410},
		{"5xx beats 4xx", errors.Join(notFound, unavailable), 503},
		{"5xx beats 4xx, reversed", errors.Join(unavailable, notFound), 503},
		{"an unknown error counts as 500", errors.Join(notFound, internal), 500},
		{"a known 5xx before an unknown one", errors.Join(unavailable, internal), 503},
		{"join inside a wrap", fmt.Errorf("handler: %w", errors.Join(notFound, unavailable)), 503},
		{"several %w", fmt.Errorf("%w; %w", gone, context.DeadlineExceeded), 504},
		{"a problem above the join wins", problem.Wrap(errors.Join(notFound, unavailable), 409), 409},
		{"nested joins", errors.Join(notFound, errors.Join(gone, fmt.Errorf("x: %w", unavailable))), 503},
		{"a cancellation is a 5xx: it beats a 4xx", errors.Join(notFound, context.Canceled), 500},
		{"a cancellation is a 5xx: it beats a 4xx, reversed", errors.Join(context.Canceled, notFound), 500},
		{"a cancellation is a 5xx: the first of them wins", errors.Join(fmt.Errorf("w1: %w", context.Canceled), fmt.Errorf("w2: %w", unavailable)), 500},
		{"a cancellation is a 5xx: the first of them wins, reversed", errors.Join(unavailable, context.Canceled), 503},
		{"only unknown errors", errors.Join(internal, errors.New("b")), 500},
		{"nil members are skipped", errors.Join(nil, gone), 410},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := problem.Resolve(tt.err)
			require.NotNil(t, p)
			assert.Equal(t, tt.want, p.Status)
		})
	}
}

func TestResolveMapperSetsCause(t *testing.T) {
	err := fmt.Errorf("load user 7: %w", errNoRows)
	p := problem.Resolve(err, problem.MapIs(errNoRows, problem.Type{URI: "https://example.com/probs/missing", Status: 404}))
	assert.Equal(t, "https://example.com/probs/missing", p.Type)
	assert.Same(t, err, p.Unwrap(), "the whole error is the cause, context included")
	assert.ErrorIs(t, p, errNoRows)
}

type customIs struct{}

func (customIs) Error() string { return "custom" }
func (customIs) Is(target error) bool {
	return target == fs.ErrNotExist || target == context.DeadlineExceeded
}

type sliceError []string

func (sliceError) Error() string { return "slice" }

func TestMapIsHonoursIsMethodsAndUncomparableErrors(t *testing.T) {
	m := problem.MapIs(fs.ErrNotExist, problem.Type{Status: 404})
	assert.Equal(t, 404, problem.Resolve(customIs{}, m).Status)
	assert.Equal(t, 504, problem.Resolve(customIs{}).Status, "Is methods count for the standard errors too")

	// An uncomparable target or error must not panic.
	u := problem.MapIs(sliceError{"a"}, problem.Type{Status: 400})
	assert.Equal(t, 500, problem.Resolve(sliceError{"a"}, u).Status)
}

type asError struct{}

func (asError) Error() string { return "as" }
func (asError) As(target any) bool {
	if c, ok := target.(**conflictError); ok {
		*c = &conflictError{9}
		return true
	}
	return false
}

func TestMapAs(t *testing.T) {
	m := problem.MapAs(func(e *conflictError) *problem.Problem {
		if e.version == 0 {
			return nil // pass
		}
		return problem.New(409, fmt.Sprint(e.version))
	})
	assert.Equal(t, "9", problem.Resolve(asError{}, m).Detail, "As methods are honoured")
	assert.Equal(t, 500, problem.Resolve(&conflictError{0}, m).Status, "a mapper may pass")

	iface := problem.MapAs(func(e interface {
		error
		Timeout() bool
	}) *problem.Problem {
		return problem.New(504, "timeout")
	})
	assert.Equal(t, 504, problem.Resolve(fmt.Errorf("x: %w", timeoutError{}), iface).Status)
}

type timeoutError struct{}

func (timeoutError) Error() string { return "timeout" }
func (timeoutError) Timeout() bool { return true }

func TestResolveRetryAfter(t *testing.T) {
	p := problem.Resolve(fmt.Errorf("x: %w", retryError{1500 * time.Millisecond}))
	assert.Equal(t, 500, p.Status)
	assert.Equal(t, "2", p.Header.Get("Retry-After"))

	base := problem.New(503, "down")
	err := fmt.Errorf("%w: %w", base, retryError{10 * time.Second})
	p = problem.Resolve(err)
	assert.Equal(t, "10", p.Header.Get("Retry-After"))
	assert.Nil(t, base.Header, "the problem in the chain is not changed; a copy is")

	own := problem.New(503, "").WithRetryAfter(3 * time.Second)
	p = problem.Resolve(fmt.Errorf("%w: %w", own, retryError{10 * time.Second}))
	assert.Equal(t, "3", p.Header.Get("Retry-After"), "the problem's own value wins")

	p = problem.Resolve(errors.Join(problem.New(429, ""), retryError{0}, retryError{4 * time.Second}))
	assert.Equal(t, "4", p.Header.Get("Retry-After"), "the first positive delay in the tree")
}

func TestResolveStatusCodeEdge(t *testing.T) {
	// Resolve does not judge statuses; the Responder refuses what it
	// cannot send.
	assert.Equal(t, 200, problem.Resolve(statusError{200}).Status)
	assert.Equal(t, 0, problem.Resolve(statusError{0}).Status)
}

func TestTypedNilProblemInChain(t *testing.T) {
	var p *problem.Problem
	err := fmt.Errorf("x: %w", error(p))
	got := problem.Resolve(err)
	require.NotNil(t, got)
	assert.Equal(t, 500, got.Status)
}

func TestTypedNilProblemIsSafe(t *testing.T) {
	var p *problem.Problem
	assert.Equal(t, "<nil problem>", p.Error())
	got := problem.Resolve(p)
	require.NotNil(t, got)
	assert.Equal(t, 500, got.Status)
	assert.NotPanics(t, func() { _ = got.Error() })
}

// TestResolveTopProblem: a problem that is the error itself is resolved
// without a look at the chain below it for a problem, as step 2 finds it
// first, but its cause is still searched for a Retry-After.
func TestResolveTopProblem(t *testing.T) {
	mapAll := func(error) *problem.Problem { return problem.New(http.StatusTeapot, "") }
	for _, tc := range []struct {
		name       string
		err        *problem.Problem
		retryAfter string
	}{
		{name: "bare", err: problem.New(http.StatusNotFound, "x")},
		{name: "own Retry-After", err: problem.New(http.StatusServiceUnavailable, "").WithRetryAfter(3 * time.Second), retryAfter: "3"},
		{name: "cause with RetryAfter", err: problem.Wrap(retryError{2 * time.Second}, http.StatusServiceUnavailable), retryAfter: "2"},
		{name: "cause below a problem", err: problem.Wrap(fmt.Errorf("x: %w", problem.Wrap(retryError{4 * time.Second}, 429)), 503), retryAfter: "4"},
		{name: "own value wins over the cause's", err: problem.Wrap(retryError{2 * time.Second}, 503).WithRetryAfter(7 * time.Second), retryAfter: "7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := problem.Resolve(tc.err, mapAll)
			require.NotNil(t, p)
			assert.Equal(t, tc.err.Status, p.Status, "step 2 wins over the mappers")
			assert.Equal(t, tc.retryAfter, p.Header.Get("Retry-After"))
			if tc.retryAfter == "" || tc.err.Header.Get("Retry-After") != "" {
				assert.Same(t, tc.err, p, "the problem itself, not a copy")
			}
		})
	}
}

func TestResolveCanonicalizesHeaders(t *testing.T) {
	for range 50 {
		own := problem.New(503, "")
		own.Header = http.Header{"retry-after": {"120"}}
		p := problem.Resolve(fmt.Errorf("%w: %w", own, retryError{5 * time.Second}))
		assert.Equal(t, "120", p.Header.Get("Retry-After"), "the problem's own value wins, whatever the key's case")
		assert.Equal(t, http.Header{"retry-after": {"120"}}, own.Header, "the problem in the chain is not changed")
	}
}

// TestMapperResultsAreNotChanged: a mapper may hand out one shared problem;
// Resolve gives each request its own copy with its own cause. Run with -race.
func TestMapperResultsAreNotChanged(t *testing.T) {
	shared := problem.New(429, "quota")
	m := problem.Mapper(func(err error) *problem.Problem {
		if err.Error() == "quota" {
			return shared
		}
		return nil
	})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			err := fmt.Errorf("request %d: %w", i, errors.New("quota"))
			p := problem.Resolve(err, m)
			assert.Same(t, err, p.Unwrap())
		})
	}
	wg.Wait()
	assert.Nil(t, shared.Unwrap())
}

// parseForm returns the error of parsing body as a urlencoded form.
func parseForm(body string) error {
	r, _ := http.NewRequest("POST", "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r.ParseForm()
}

func TestResolveFormErrors(t *testing.T) {
	for err, want := range map[error]int{
		http.ErrNotMultipart:                            400,
		fmt.Errorf("form: %w", http.ErrMissingBoundary): 400,
		multipart.ErrMessageTooLarge:                    413,
		parseForm("a=%zz"):                              400,
	} {
		assert.Equal(t, want, problem.Resolve(err).Status, "%v", err)
	}
}

// layer wraps an error without formatting it.
type layer struct{ error }

func (l layer) Unwrap() error { return l.error }

// TestResolveSelfReferentialErrors: errors that wrap themselves resolve as
// unknown, in bounded time, and what lies within reach still counts.
func TestResolveSelfReferentialErrors(t *testing.T) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, err := range []error{&testkit.SelfWrap{}, &testkit.SelfJoin{}, fmt.Errorf("a: %w", &testkit.SelfJoin{})} {
			p := problem.Resolve(err)
			assert.Equal(t, http.StatusInternalServerError, p.Status, "%v", err)
			assert.Zero(t, p.RetryAfter())
		}
		joined := errors.Join(problem.New(http.StatusConflict, "stale"), &testkit.SelfWrap{})
		assert.Equal(t, http.StatusInternalServerError, problem.Resolve(joined).Status, "an unknown branch is a 500")
		deep := error(problem.New(http.StatusGone, ""))
		for range 500 {
			deep = fmt.Errorf("layer: %w", deep)
		}
		assert.Equal(t, http.StatusGone, problem.Resolve(deep).Status, "long real chains are followed")

		// A large join of client errors, each three deep, with mappers:
		// every error counts once, and none is taken for a 500.
		branches := make([]error, 2000)
		for i := range branches {
			branches[i] = fmt.Errorf("item %d: %w", i, fmt.Errorf("check: %w", problem.New(http.StatusUnprocessableEntity, "")))
		}
		mappers := make([]problem.Mapper, 6)
		for i := range mappers {
			mappers[i] = problem.MapIs(sql.ErrNoRows, problem.Type{Status: http.StatusNotFound})
		}
		assert.Equal(t, http.StatusUnprocessableEntity, problem.Resolve(errors.Join(branches...), mappers...).Status)
		huge := make([]error, 6000) // 18,000 errors: those not reached count as unknown
		for i := range huge {
			huge[i] = branches[i%len(branches)]
		}
		assert.Equal(t, http.StatusInternalServerError, problem.Resolve(errors.Join(huge...), mappers...).Status)
		deep = error(problem.New(http.StatusNotFound, ""))
		for range 9998 {
			deep = layer{deep}
		}
		assert.Equal(t, http.StatusInternalServerError, problem.Resolve(errors.Join(deep, problem.New(http.StatusInternalServerError, ""))).Status,
			"a server error out of reach is not hidden behind a client error")
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Resolve did not return")
	}
}

// netTimeout is a net.Error that says whether it timed out, and nothing
// else: it is not context.DeadlineExceeded.
type netTimeout struct{ timeout bool }

func (e netTimeout) Error() string   { return "net timeout" }
func (e netTimeout) Timeout() bool   { return e.timeout }
func (e netTimeout) Temporary() bool { return false }

// TestResolveNetworkErrors: a network timeout is a 504 whether or not its
// chain holds context.DeadlineExceeded; a network error that is not a
// timeout is an unknown error; errors.ErrUnsupported is a 501.
func TestResolveNetworkErrors(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(release) }) // runs first: the handler returns before Close waits for it

	_, clientTimeout := (&http.Client{Timeout: 20 * time.Millisecond}).Get(slow.URL)
	require.Error(t, clientTimeout)

	conn, err := net.Dial("tcp", slow.Listener.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(-time.Second)))
	_, readDeadline := conn.Read(make([]byte, 1))
	require.ErrorIs(t, readDeadline, os.ErrDeadlineExceeded)
	require.IsType(t, &net.OpError{}, readDeadline)

	_, dialDeadline := (&net.Dialer{Deadline: time.Now().Add(-time.Second)}).Dial("tcp", slow.Listener.Addr().String())
	require.Error(t, dialDeadline)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := ln.Addr().String()
	require.NoError(t, ln.Close())
	_, refused := net.Dial("tcp", closed)
	require.Error(t, refused)
	_, refusedGet := http.Get("http://" + closed)
	require.Error(t, refusedGet)

	tests := []struct {
		name    string
		err     error
		timeout bool // the error is a net.Error that timed out
		want    int
	}{
		{"http.Client Timeout", fmt.Errorf("call: %w", clientTimeout), true, http.StatusGatewayTimeout},
		{"conn read deadline (*net.OpError)", fmt.Errorf("read: %w", readDeadline), true, http.StatusGatewayTimeout},
		{"os.ErrDeadlineExceeded", os.ErrDeadlineExceeded, true, http.StatusGatewayTimeout},
		{"os.ErrDeadlineExceeded wrapped", fmt.Errorf("read: %w", os.ErrDeadlineExceeded), true, http.StatusGatewayTimeout},
		{"net.Dialer Deadline", dialDeadline, true, http.StatusGatewayTimeout},
		{"a net.Error that timed out", layer{netTimeout{true}}, true, http.StatusGatewayTimeout},
		{"a net.Error that did not time out", netTimeout{false}, false, http.StatusInternalServerError},
		{"connection refused", refused, false, http.StatusInternalServerError},
		{"connection refused, from http.Client", fmt.Errorf("call: %w", refusedGet), false, http.StatusInternalServerError},
		{"errors.ErrUnsupported", fmt.Errorf("export: %w", errors.ErrUnsupported), false, http.StatusNotImplemented},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ne, isNet := errors.AsType[net.Error](tt.err)
			require.Equal(t, tt.timeout, isNet && ne.Timeout(), "precondition: %v", tt.err)
			p := problem.Resolve(tt.err)
			assert.Equal(t, tt.want, p.Status, "%v", tt.err)
			assert.Empty(t, p.Detail, "the error's text stays in the log")
			assert.True(t, p.Unwrap() == tt.err, "the error is the cause")
		})
	}
	assert.False(t, errors.Is(readDeadline, context.DeadlineExceeded),
		"os.ErrDeadlineExceeded is not context.DeadlineExceeded: only its Timeout method tells")
}

// foreignProblem reads a problem from a response of billing.example.
func foreignProblem(t *testing.T, status int, header http.Header, body string) *problem.Problem {
	t.Helper()
	h := http.Header{"Content-Type": {"application/problem+json"}}
	for k, vs := range header {
		h[k] = vs
	}
	p, err := problem.FromResponse(&http.Response{
		StatusCode: status,
		Header:     h,
		Body:       io.NopCloser(strings.NewReader(body)),
		Request:    httptest.NewRequest("GET", "https://billing.example/accounts/7", nil),
	})
	require.NoError(t, err)
	return p
}

// TestResolveForeignProblems: a problem read from a response is another
// server's answer. Unless a mapper takes it, it resolves as an unknown
// error: a 500 with nothing of it, not even its Retry-After; it stays in
// the cause, for the log.
func TestResolveForeignProblems(t *testing.T) {
	tokenExpired := problem.Type{URI: "https://billing.example/probs/token-expired"}
	fp := foreignProblem(t, http.StatusUnauthorized,
		http.Header{"Www-Authenticate": {`Bearer realm="billing"`}, "Retry-After": {"30"}},
		`{"type":"https://billing.example/probs/token-expired","title":"Your token has expired.",`+
			`"detail":"token 7f3a expired","instance":"/accounts/7/attempts/1","stack":["billing.main()"]}`)

	tests := []struct {
		name       string
		err        error
		mappers    []problem.Mapper
		wantStatus int
		wantType   string
		wantDetail string
		wantHeader http.Header
	}{
		{name: "alone", err: fp, wantStatus: 500, wantType: problem.AboutBlank},
		{name: "wrapped", err: fmt.Errorf("billing: %w", fp), wantStatus: 500, wantType: problem.AboutBlank},
		{
			name: "another error's Retry-After still counts", err: fmt.Errorf("%w: %w", fp, retryError{5 * time.Second}),
			wantStatus: 500, wantType: problem.AboutBlank, wantHeader: http.Header{"Retry-After": {"5"}},
		},
		{name: "a problem of this server's above it wins", err: problem.Wrap(fmt.Errorf("billing: %w", fp), 502), wantStatus: 502, wantType: problem.AboutBlank},
		{
			name: "beside a problem of this server's, it counts as unknown", err: errors.Join(problem.New(404, "no such order"), fp),
			wantStatus: 500, wantType: problem.AboutBlank,
		},
		{
			name: "MapIs maps it by its type", err: fmt.Errorf("billing: %w", fp),
			mappers:    []problem.Mapper{problem.MapIs(tokenExpired, problem.Type{Status: http.StatusBadGateway})},
			wantStatus: 502, wantType: problem.AboutBlank,
		},
		{
			name: "MapAs sees it", err: fmt.Errorf("billing: %w", fp),
			mappers: []problem.Mapper{problem.MapAs(func(p *problem.Problem) *problem.Problem {
				if p.Foreign() && p.Status == http.StatusUnauthorized {
					return problem.New(http.StatusServiceUnavailable, "billing refused our credentials")
				}
				return nil
			})},
			wantStatus: 503, wantType: problem.AboutBlank, wantDetail: "billing refused our credentials",
		},
		{
			name: "Relay relays its type, title, status and detail", err: fmt.Errorf("billing: %w", fp),
			mappers:    []problem.Mapper{problem.Relay(&problem.RelayOptions{Header: []string{"WWW-Authenticate"}})},
			wantStatus: 401, wantType: tokenExpired.URI, wantDetail: "token 7f3a expired",
			wantHeader: http.Header{"Www-Authenticate": {`Bearer realm="billing"`}},
		},
		{
			name: "Relay makes a 401 without its challenge a 502", err: fmt.Errorf("billing: %w", fp),
			mappers:    []problem.Mapper{problem.Relay(nil)},
			wantStatus: 502, wantType: problem.AboutBlank,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := problem.Resolve(tt.err, tt.mappers...)
			require.NotNil(t, p)
			assert.Equal(t, tt.wantStatus, p.Status)
			assert.Equal(t, tt.wantType, p.Type)
			assert.Equal(t, tt.wantDetail, p.Detail)
			assert.Empty(t, p.Instance, "the upstream's instance is not this server's")
			assert.Nil(t, p.Extensions)
			assert.Equal(t, tt.wantHeader, p.Header)
			assert.False(t, p.Foreign())
			assert.ErrorIs(t, p, fp, "the foreign problem stays in the cause, for the log")
		})
	}
}

// TestForeignProblemsMatchByType: errors.Is and errors.As treat a foreign
// problem as any other; clients match on its type.
func TestForeignProblemsMatchByType(t *testing.T) {
	typed := foreignProblem(t, http.StatusForbidden, nil, `{"type":"/probs/out-of-credit"}`)
	blank := foreignProblem(t, http.StatusNotFound, nil, `{"title":"Not Found"}`)
	err := fmt.Errorf("billing: %w", typed)
	assert.ErrorIs(t, err, problem.Type{URI: "https://billing.example/probs/out-of-credit"})
	assert.NotErrorIs(t, err, problem.Type{URI: "https://billing.example/probs/other"})
	assert.ErrorIs(t, fmt.Errorf("billing: %w", blank), problem.Type{Status: http.StatusNotFound})
	assert.NotErrorIs(t, fmt.Errorf("billing: %w", blank), problem.Type{Status: http.StatusGone})
	got, ok := errors.AsType[*problem.Problem](err)
	require.True(t, ok)
	assert.Same(t, typed, got)
	assert.True(t, got.Foreign())
}
