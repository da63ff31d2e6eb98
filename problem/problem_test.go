package problem_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/problem"
)

func TestNew(t *testing.T) {
	p := problem.New(http.StatusNotFound, "item 42 does not exist")
	assert.Equal(t, problem.AboutBlank, p.Type)
	assert.Equal(t, "", p.Title, "the title comes from the catalog when the problem is written")
	assert.Equal(t, 404, p.Status)
	assert.Equal(t, "item 42 does not exist", p.Detail)
	assert.Nil(t, p.Unwrap())
	assert.Equal(t, "404 Not Found: item 42 does not exist", p.Error())
}

func TestNewfWraps(t *testing.T) {
	cause := fs.ErrNotExist
	p := problem.Newf(http.StatusNotFound, "open %s: %w", "cfg.json", cause)
	assert.Equal(t, "open cfg.json: file does not exist", p.Detail)
	assert.ErrorIs(t, p, fs.ErrNotExist)
	assert.Equal(t, "404 Not Found: open cfg.json: file does not exist", p.Error(), "the cause's text is not repeated")

	plain := problem.Newf(http.StatusBadRequest, "limit %d is too large", 500)
	assert.Equal(t, "limit 500 is too large", plain.Detail)
	assert.Nil(t, plain.Unwrap(), "without %w there is no cause")

	two := problem.Newf(http.StatusConflict, "%w and %w", fs.ErrExist, fs.ErrPermission)
	assert.ErrorIs(t, two, fs.ErrExist)
	assert.ErrorIs(t, two, fs.ErrPermission)
}

type codedError struct{ code int }

func (e *codedError) Error() string { return fmt.Sprintf("coded %d", e.code) }

func TestWrapKeepsCauseNotText(t *testing.T) {
	cause := fmt.Errorf("query: %w", &codedError{7})
	p := problem.Wrap(cause, http.StatusServiceUnavailable)
	assert.Empty(t, p.Detail, "Wrap never copies the cause's text into the detail")
	assert.Equal(t, cause, p.Unwrap())
	ce, ok := errors.AsType[*codedError](p)
	require.True(t, ok)
	assert.Equal(t, 7, ce.code)
	assert.Equal(t, "503 Service Unavailable: query: coded 7", p.Error())

	nilCause := problem.Wrap(nil, http.StatusBadGateway)
	require.NotNil(t, nilCause, "Wrap(nil) is a problem, never a typed nil")
	assert.Nil(t, nilCause.Unwrap())
}

func TestIsMatchesOnType(t *testing.T) {
	outOfCredit := problem.Type{URI: "https://example.com/probs/out-of-credit", Title: "You do not have enough credit.", Status: 403}
	otherTitle := problem.Type{URI: outOfCredit.URI, Title: "another title", Status: 402}
	forbidden := problem.Type{Status: 403}

	err := fmt.Errorf("charge: %w", outOfCredit.New("balance 30"))
	assert.ErrorIs(t, err, outOfCredit)
	assert.ErrorIs(t, err, otherTitle, "matching keys on the type URI, never on the title or status")
	assert.NotErrorIs(t, err, forbidden, "an about:blank 403 is another type")

	blank := fmt.Errorf("x: %w", problem.New(403, "no"))
	assert.ErrorIs(t, blank, forbidden, "about:blank problems match on status")
	assert.ErrorIs(t, blank, problem.New(403, "another detail"))
	assert.NotErrorIs(t, blank, problem.Type{Status: 404})
	assert.NotErrorIs(t, blank, outOfCredit)

	// A Type returned as an error matches itself.
	assert.ErrorIs(t, fmt.Errorf("x: %w", outOfCredit), outOfCredit)
}

func TestTypeNew(t *testing.T) {
	typ := problem.Type{URI: "https://example.com/probs/out-of-credit", Title: "You do not have enough credit.", Status: 403}
	a, b := typ.New("first"), typ.New("second")
	assert.NotSame(t, a, b, "each call returns a fresh problem")
	assert.Equal(t, a.Title, b.Title)
	assert.Equal(t, "https://example.com/probs/out-of-credit", a.Type)
	assert.Equal(t, 403, a.Status)
	assert.Equal(t, "first", a.Detail)

	f := typ.Newf("balance %d: %w", 30, fs.ErrInvalid)
	assert.Equal(t, typ.URI, f.Type)
	assert.Equal(t, "balance 30: invalid argument", f.Detail)
	assert.ErrorIs(t, f, fs.ErrInvalid)

	w := typ.Wrap(fs.ErrClosed)
	assert.Empty(t, w.Detail)
	assert.ErrorIs(t, w, fs.ErrClosed)

	assert.Equal(t, problem.AboutBlank, problem.Type{Status: 409}.New("").Type)
	assert.Equal(t, "409 Conflict", problem.Type{Status: 409}.Error())
	assert.Equal(t, "403 You do not have enough credit. (https://example.com/probs/out-of-credit)", typ.Error())
}

func TestWithReturnsCopies(t *testing.T) {
	base := problem.New(http.StatusTooManyRequests, "slow down")
	p := base.WithRetryAfter(1500*time.Millisecond).
		WithExtension("limit", 10).
		WithAllow("GET", "HEAD").
		WithAuthenticate(`Bearer realm="api"`, `Basic realm="api"`).
		WithHeader("x-custom", "a", "b")

	assert.Nil(t, base.Header, "the receiver is left alone")
	assert.Nil(t, base.Extensions)
	assert.Equal(t, "2", p.Header.Get("Retry-After"), "1.5s rounds up to 2")
	assert.Equal(t, "GET, HEAD", p.Header.Get("Allow"))
	assert.Equal(t, []string{`Bearer realm="api"`, `Basic realm="api"`}, p.Header.Values("WWW-Authenticate"))
	assert.Equal(t, []string{"a", "b"}, p.Header["X-Custom"])
	assert.Equal(t, 10, p.Extensions["limit"])

	q := p.WithExtension("limit", 20)
	assert.Equal(t, 10, p.Extensions["limit"])
	assert.Equal(t, 20, q.Extensions["limit"])

	at := time.Date(2026, 11, 21, 23, 0, 0, 0, time.FixedZone("X", 3600))
	assert.Equal(t, "Sat, 21 Nov 2026 22:00:00 GMT", base.WithRetryAt(at).Header.Get("Retry-After"))

	empty := base.WithAllow()
	v, ok := empty.Header["Allow"]
	assert.True(t, ok, "an empty Allow is still present: nothing is allowed")
	assert.Equal(t, []string{""}, v)
}

func TestRetryAfterMethod(t *testing.T) {
	assert.Zero(t, problem.New(503, "").RetryAfter())
	assert.Equal(t, 30*time.Second, problem.New(503, "").WithRetryAfter(30*time.Second).RetryAfter())
	soon := problem.New(503, "").WithRetryAt(time.Now().Add(time.Hour))
	assert.InDelta(t, time.Hour.Seconds(), soon.RetryAfter().Seconds(), 2)
	assert.Zero(t, problem.New(503, "").WithHeader("Retry-After", "soon").RetryAfter())

	// A date is counted from the problem's Date, when it is an HTTP-date.
	dated := problem.New(503, "").WithHeader("Date", "Sun, 06 Nov 1994 08:49:37 GMT").WithHeader("Retry-After", "Sun, 06 Nov 1994 08:50:07 GMT")
	assert.Equal(t, 30*time.Second, dated.RetryAfter())
	badDate := soon.WithHeader("Date", "Sun, 06 Nov 1994 08:49:37.5 GMT")
	assert.InDelta(t, time.Hour.Seconds(), badDate.RetryAfter().Seconds(), 2, "from now")
}

func TestStatusCode(t *testing.T) {
	var sc interface{ StatusCode() int } = problem.New(418, "")
	assert.Equal(t, 418, sc.StatusCode())
}

func TestLogValue(t *testing.T) {
	var buf bytes.Buffer
	logger := testkit.TextLogger(&buf)
	p := problem.Type{URI: "https://example.com/probs/x", Status: 409}.Wrap(errors.New("version 3 is stale")).WithExtension("version", 3)
	p.Instance = "/items/1"
	logger.Info("failed", "problem", p)
	assert.Equal(t,
		`level=INFO msg=failed problem.status=409 problem.type=https://example.com/probs/x problem.instance=/items/1 problem.extensions.version=3 problem.cause="version 3 is stale"`+"\n",
		buf.String())
}

// TestLogValueExtensions: composite extensions are logged as the JSON the
// client gets, and one that contains itself is reported instead of
// formatted forever.
// secret hides its value from JSON, and so from the log.
type secret string

func (secret) MarshalJSON() ([]byte, error) { return []byte(`"***"`), nil }

func TestLogValueExtensions(t *testing.T) {
	var buf bytes.Buffer
	logger := testkit.TextLogger(&buf)
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	type code string
	var noErr *fs.PathError
	p := problem.New(503, "down").
		WithExtension("nothing", noErr).
		WithExtension("secret", secret("hunter2")).
		WithExtension("state", cyclic).
		WithExtension("accounts", []string{"/a/1", "/a/2"}).
		WithExtension("balance", 30).
		WithExtension("code", code("E1")).
		WithExtension("month", time.March).
		WithExtension("why", errors.New("disk full"))
	logger.Error("failed", "problem", p)
	assert.Equal(t,
		`level=ERROR msg=failed problem.status=503 problem.detail=down problem.extensions.accounts="[\"/a/1\",\"/a/2\"]" problem.extensions.balance=30 problem.extensions.code=E1 problem.extensions.month=March problem.extensions.nothing=<nil> problem.extensions.secret="\"***\"" problem.extensions.state="(not sent: value nested too deeply)" problem.extensions.why="disk full"`+"\n",
		buf.String())

	buf.Reset()
	slog.New(slog.NewJSONHandler(&buf, nil)).Error("failed", "problem", p)
	assert.Contains(t, buf.String(), `"extensions":{"accounts":["/a/1","/a/2"],"balance":30,"code":"E1","month":3,"nothing":"<nil>","secret":"***","state":"(not sent: value nested too deeply)","why":"disk full"}`)
}

func TestCloneIsDeep(t *testing.T) {
	p := problem.New(400, "x").WithExtension("a", 1).WithHeader("Allow", "GET")
	q := p.Clone()
	q.Extensions["a"] = 2
	q.Header.Set("Allow", "POST")
	assert.Equal(t, 1, p.Extensions["a"])
	assert.Equal(t, "GET", p.Header.Get("Allow"))
	assert.ErrorIs(t, problem.Wrap(context.Canceled, 499).Clone(), context.Canceled, "the cause is kept")
}

// TestConcurrentUse reads shared catalogs and copies one template problem from
// many goroutines; run with -race.
func TestConcurrentUse(t *testing.T) {
	cat, err := catalog.Load(bytes.NewReader([]byte(`{"statuses":[{"code":429,"phrase":"TooManyRequests","retry":"after-delay","retryAfter":30}]}`)))
	require.NoError(t, err)
	template := problem.New(429, "slow down").WithExtension("limit", 10)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			for code := 100; code < 600; code++ {
				catalog.Default().Lookup(code)
				cat.Title(code)
			}
			p := template.WithRetryAfter(time.Duration(i)*time.Second).WithExtension("n", i)
			if _, err := p.AppendJSON(nil); err != nil {
				t.Error(err)
			}
			_ = template.Error()
		})
	}
	wg.Wait()
	assert.Len(t, template.Extensions, 1)
	assert.Nil(t, template.Header)
}
