package problemecho5_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v5"
	echomw "github.com/labstack/echo/v5/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/middleware/problemecho5"
	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemvalidator"
)

type echoServer struct {
	*httptest.Server
	e    *echo.Echo
	logs *testkit.LogBuffer
}

// newEcho starts an Echo v5 server with ErrorHandler(opts) installed;
// setup adds routes and middleware.
func newEcho(t *testing.T, opts *middleware.Options, setup func(e *echo.Echo)) *echoServer {
	t.Helper()
	s := &echoServer{e: echo.New(), logs: new(testkit.LogBuffer)}
	var o middleware.Options
	if opts != nil {
		o = *opts
	}
	o.Logger = slog.New(slog.NewJSONHandler(s.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if o.Instance == nil {
		o.Instance = func(*http.Request) string { return "" }
	}
	s.e.Logger = slog.New(slog.DiscardHandler)
	s.e.HTTPErrorHandler = problemecho5.ErrorHandler(&o)
	setup(s.e)
	s.Server = httptest.NewServer(s.e)
	t.Cleanup(s.Close)
	return s
}

func (s *echoServer) do(t *testing.T, method, path string, body io.Reader, header ...string) (*http.Response, string) {
	t.Helper()
	return testkit.Do(t, s.Client(), method, s.URL+path, body, header...)
}

// codedError has a status of its own, as echo.HTTPStatusCoder describes.
type codedError struct{}

func (codedError) Error() string   { return "quota store: tenant 7 over quota" }
func (codedError) StatusCode() int { return http.StatusPaymentRequired }

// outOfCredit is an application's error with Echo's ProblemError method.
type outOfCredit struct{ balance int }

func (e outOfCredit) Error() string { return fmt.Sprintf("balance %d", e.balance) }
func (e outOfCredit) ProblemError() *echo.ProblemError {
	return &echo.ProblemError{Type: "https://example.com/probs/out-of-credit", Title: "You do not have enough credit.",
		Status: http.StatusForbidden, Detail: fmt.Sprintf("Your current balance is %d.", e.balance), Instance: "/account/12345"}
}

// TestErrors: Echo v5's own errors, as a v5 application returns them, keep
// their status, type, detail and instance.
func TestErrors(t *testing.T) {
	routes := map[string]error{
		"/sentinel":         echo.ErrNotFound,
		"/sentinel-wrapped": fmt.Errorf("load: %w", echo.ErrForbidden),
		"/sentinel-wrap":    echo.ErrServiceUnavailable.Wrap(errors.New("db: pool exhausted")),
		"/message":          echo.NewHTTPError(http.StatusConflict, "version 3 is stale"),
		"/message-restated": echo.NewHTTPError(http.StatusRequestEntityTooLarge, "Request Entity Too Large"),
		"/message-empty":    &echo.HTTPError{Code: http.StatusGone},
		"/message-5xx":      echo.NewHTTPError(http.StatusBadGateway, "upstream 10.0.0.7 refused"),
		"/message-carries":  echo.NewHTTPError(http.StatusBadRequest, "pq: secret").Wrap(errors.New("pq: secret")),
		"/problem-error": &echo.ProblemError{Type: "https://example.com/probs/locked", Title: "Locked account",
			Status: http.StatusLocked, Detail: "The account is locked.", Instance: "/account/7"},
		"/problem-error-blank": fmt.Errorf("x: %w", &echo.ProblemError{Title: "Nope", Status: http.StatusNotFound, Detail: "no item 42"}),
		"/problem-error-zero":  &echo.ProblemError{},
		"/problem-errorer":     outOfCredit{30},
		"/status-coder":        codedError{},
		"/problem":             problem.New(http.StatusGone, "moved away"),
		"/plain":               errors.New("pq: relation users does not exist"),
	}
	s := newEcho(t, nil, func(e *echo.Echo) {
		for path, err := range routes {
			e.GET(path, func(*echo.Context) error { return err })
		}
	})
	for _, tc := range []struct{ path, want string }{
		{"/sentinel", `{"type":"about:blank","title":"Not Found","status":404}`},
		{"/sentinel-wrapped", `{"type":"about:blank","title":"Forbidden","status":403}`},
		{"/sentinel-wrap", `{"type":"about:blank","title":"Service Unavailable","status":503}`},
		{"/message", `{"type":"about:blank","title":"Conflict","status":409,"detail":"version 3 is stale"}`},
		{"/message-restated", `{"type":"about:blank","title":"Content Too Large","status":413}`},
		{"/message-empty", `{"type":"about:blank","title":"Gone","status":410}`},
		{"/message-5xx", `{"type":"about:blank","title":"Bad Gateway","status":502}`},
		{"/message-carries", `{"type":"about:blank","title":"Bad Request","status":400}`},
		{"/problem-error", `{"type":"https://example.com/probs/locked","title":"Locked account","status":423,"detail":"The account is locked.","instance":"/account/7"}`},
		{"/problem-error-blank", `{"type":"about:blank","title":"Not Found","status":404,"detail":"no item 42"}`},
		{"/problem-error-zero", `{"type":"about:blank","title":"Internal Server Error","status":500}`},
		{"/problem-errorer", `{"type":"https://example.com/probs/out-of-credit","title":"You do not have enough credit.","status":403,"detail":"Your current balance is 30.","instance":"/account/12345"}`},
		{"/status-coder", `{"type":"about:blank","title":"Payment Required","status":402}`},
		{"/problem", `{"type":"about:blank","title":"Gone","status":410,"detail":"moved away"}`},
		{"/plain", `{"type":"about:blank","title":"Internal Server Error","status":500}`},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := s.do(t, "GET", tc.path, nil)
			assert.Equal(t, tc.want, body)
			assert.Contains(t, tc.want, fmt.Sprintf(`"status":%d`, resp.StatusCode))
			assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
		})
	}
	logs := s.logs.String()
	assert.Contains(t, logs, "db: pool exhausted", "the wrapped error is logged")
	assert.Contains(t, logs, "pq: relation users does not exist")
	assert.Contains(t, logs, "problem response adjusted", "a title of its own on about:blank is reported")
}

// TestExposeErrors is what Echo v5's exposeError flag is: the wrapped
// error is sent.
func TestExposeErrors(t *testing.T) {
	s := newEcho(t, &middleware.Options{ExposeErrors: true}, func(e *echo.Echo) {
		e.GET("/", func(*echo.Context) error {
			return echo.ErrInternalServerError.Wrap(errors.New("db down"))
		})
	})
	_, body := s.do(t, "GET", "/", nil)
	assert.Equal(t, `{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"db down"}`, body)
}

func TestRouter404And405AndHEAD(t *testing.T) {
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.GET("/items/:id", func(c *echo.Context) error { return c.String(200, "item") })
		e.POST("/items/:id", func(c *echo.Context) error { return c.NoContent(201) })
	})
	resp, body := s.do(t, "DELETE", "/items/1", nil)
	assert.Equal(t, 405, resp.StatusCode)
	assert.Equal(t, "OPTIONS, GET, POST", resp.Header.Get("Allow"))
	assert.Equal(t, `{"type":"about:blank","title":"Method Not Allowed","status":405}`, body)

	resp, body = s.do(t, "GET", "/nope", nil)
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Not Found","status":404}`, body)

	head, headBody := s.do(t, "HEAD", "/nope", nil)
	assert.Equal(t, 404, head.StatusCode)
	assert.Empty(t, headBody)
	assert.Equal(t, "application/problem+json", head.Header.Get("Content-Type"))
	assert.Equal(t, fmt.Sprint(len(body)), head.Header.Get("Content-Length"))
}

func TestBinding(t *testing.T) {
	type body struct {
		Age  int    `json:"age"`
		Flag bool   `query:"flag"`
		ID   int    `param:"id"`
		Size int    `form:"size"`
		Key  uint16 `header:"X-Key"`
	}
	s := newEcho(t, nil, func(e *echo.Echo) {
		bind := func(c *echo.Context) error {
			var b body
			if err := c.Bind(&b); err != nil {
				return err
			}
			return c.JSON(200, b)
		}
		e.POST("/bind", bind)
		e.GET("/bind/:id", bind)
		e.GET("/headers", func(c *echo.Context) error {
			var b body
			return echo.BindHeaders(c, &b)
		})
		e.GET("/generic", func(c *echo.Context) error {
			_, err := echo.QueryParam[int](c, "limit")
			return err
		})
		e.GET("/query", func(c *echo.Context) error {
			var limit int
			return echo.QueryParamsBinder(c).MustInt("limit", &limit).BindError()
		})
	})
	json := []string{"Content-Type", "application/json"}
	for _, tc := range []struct {
		name, method, path, body string
		header                   []string
		status                   int
		want                     string
	}{
		{"type error", "POST", "/bind", `{"age":"old"}`, json, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"The request body has a value of the wrong type at \"age\": it must be an integer, not a string."}`},
		{"syntax error", "POST", "/bind", `{"age" 1}`, json, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"The request body is not valid JSON."}`},
		{"bad xml", "POST", "/bind", `<body><age>`, []string{"Content-Type", "application/xml"}, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"The request body is not valid XML."}`},
		{"unsupported media type", "POST", "/bind", `a=1`, []string{"Content-Type", "application/merge-patch+json"}, 415,
			`{"type":"about:blank","title":"Unsupported Media Type","status":415}`},
		{"query field", "GET", "/bind/1?flag=yes", ``, nil, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"The value of parameter \"flag\" is not valid.","errors":[{"detail":"must be true or false","parameter":"flag"}]}`},
		{"path field", "GET", "/bind/abc", ``, nil, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"The value of parameter \"id\" is not valid.","errors":[{"detail":"must be an integer","parameter":"id"}]}`},
		{"form field", "POST", "/bind", `size=big`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"The value of parameter \"size\" is not valid.","errors":[{"detail":"must be an integer","parameter":"size"}]}`},
		{"header field", "GET", "/headers", ``, []string{"X-Key", "-1"}, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"The value of parameter \"X-Key\" is not valid.","errors":[{"detail":"must be an integer","parameter":"X-Key"}]}`},
		{"missing generic param", "GET", "/generic", ``, nil, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"A required parameter is missing."}`},
		{"generic param", "GET", "/generic?limit=x", ``, nil, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"The value of parameter \"limit\" is not valid.","errors":[{"detail":"must be an integer","parameter":"limit"}]}`},
		{"value binder", "GET", "/query?limit=x", ``, nil, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"The value of parameter \"limit\" is not valid.","errors":[{"detail":"must be an integer","parameter":"limit"}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, got := s.do(t, tc.method, tc.path, strings.NewReader(tc.body), tc.header...)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, tc.want, got)
		})
	}
}

type signup struct {
	Name string `json:"name" validate:"required,min=3"`
	Age  int    `json:"age" validate:"gte=18"`
}

func TestValidation(t *testing.T) {
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.Validator = problemvalidator.New(nil)
		e.POST("/signup", func(c *echo.Context) error {
			var in signup
			if err := c.Bind(&in); err != nil {
				return err
			}
			return c.Validate(&in)
		})
	})
	resp, body := s.do(t, "POST", "/signup", strings.NewReader(`{"name":"ab","age":7}`), "Content-Type", "application/json")
	assert.Equal(t, 422, resp.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Unprocessable Content","status":422,"errors":[`+
		`{"detail":"must be at least 3 characters long","pointer":"#/name","rule":"min","param":"3"},`+
		`{"detail":"must be 18 or greater","pointer":"#/age","rule":"gte","param":"18"}]}`, body)
}

// denyAll is a rate limiter store that sets no headers.
type denyAll struct{}

func (denyAll) Allow(string) (bool, error) { return false, nil }

func gz(s string) io.Reader {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return &b
}

// TestMiddlewareTable runs Echo v5's own middleware behind the handler,
// one case per middleware and outcome: the v5 middleware table.
func TestMiddlewareTable(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(`{"statuses":[{"code":429,"phrase":"Too Many Requests","retryAfter":30}]}`))
	require.NoError(t, err)
	var calls int
	s := newEcho(t, &middleware.Options{Catalog: cat, OnError: func(*http.Request, *problem.Problem, error) { calls++ }}, func(e *echo.Echo) {
		ok := func(c *echo.Context) error { return c.String(200, "ok") }
		bind := func(c *echo.Context) error {
			var v map[string]any
			if err := c.Bind(&v); err != nil {
				return err
			}
			return c.JSON(200, v)
		}
		e.Use(echomw.CORS("https://app.example"))
		e.POST("/limit", bind, echomw.BodyLimit(8))
		e.GET("/rate", ok, echomw.RateLimiter(echomw.NewRateLimiterMemoryStoreWithConfig(echomw.RateLimiterMemoryStoreConfig{Rate: 0.01, Burst: 1})))
		e.GET("/rate-plain", ok, echomw.RateLimiter(denyAll{}))
		e.GET("/key", ok, echomw.KeyAuth(func(c *echo.Context, key string, _ echomw.ExtractorSource) (bool, error) { return key == "good", nil }))
		e.GET("/basic", ok, echomw.BasicAuth(func(c *echo.Context, u, p string) (bool, error) { return u == "a" && p == "b", nil }))
		e.POST("/csrf", ok, echomw.CSRF())
		e.GET("/timeout", func(c *echo.Context) error {
			<-c.Request().Context().Done()
			return c.Request().Context().Err()
		}, echomw.ContextTimeout(10*time.Millisecond))
		e.GET("/panic", func(c *echo.Context) error { panic("secret: hunter2") }, echomw.Recover())
		e.GET("/cors", func(c *echo.Context) error { return echo.NewHTTPError(http.StatusConflict, "") })
		e.POST("/gzip", bind, echomw.Decompress())
		e.GET("/gzip-out", func(c *echo.Context) error { return echo.ErrNotFound }, echomw.Gzip())
		e.GET("/request-id", func(c *echo.Context) error { return echo.NewHTTPError(http.StatusConflict, "") }, echomw.RequestID())
		e.GET("/logged", func(c *echo.Context) error { return echo.NewHTTPError(http.StatusConflict, "") }, echomw.RequestLoggerWithConfig(echomw.RequestLoggerConfig{
			HandleError:   true,
			LogValuesFunc: func(c *echo.Context, v echomw.RequestLoggerValues) error { return nil },
		}))
	})
	const origin = "https://app.example"
	for _, tc := range []struct {
		name, method, path string
		body               io.Reader
		header             []string
		status             int
		want               string // the body, for a problem
		headers            map[string]string
	}{
		{"BodyLimit", "POST", "/limit", strings.NewReader(`{"a":"0123456789"}`), []string{"Content-Type", "application/json"}, 413,
			`{"type":"about:blank","title":"Content Too Large","status":413}`, nil},
		{"RateLimiter allows", "GET", "/rate", nil, nil, 200, "ok", nil},
		{"RateLimiter denies, Retry-After of the store", "GET", "/rate", nil, nil, 429,
			`{"type":"about:blank","title":"Too Many Requests","status":429,"detail":"rate limit exceeded"}`, map[string]string{"Retry-After": "100", "X-Ratelimit-Remaining": "0"}},
		{"RateLimiter denies, Retry-After of the catalog", "GET", "/rate-plain", nil, nil, 429,
			`{"type":"about:blank","title":"Too Many Requests","status":429,"detail":"rate limit exceeded"}`, map[string]string{"Retry-After": "30"}},
		{"KeyAuth missing", "GET", "/key", nil, nil, 401,
			`{"type":"about:blank","title":"Unauthorized","status":401,"detail":"missing key"}`, map[string]string{"WWW-Authenticate": "Bearer"}},
		{"KeyAuth wrong", "GET", "/key", nil, []string{"Authorization", "Bearer bad"}, 401,
			`{"type":"about:blank","title":"Unauthorized","status":401,"detail":"invalid key"}`, map[string]string{"WWW-Authenticate": "Bearer"}},
		{"BasicAuth", "GET", "/basic", nil, nil, 401,
			`{"type":"about:blank","title":"Unauthorized","status":401}`, map[string]string{"WWW-Authenticate": `basic realm="Restricted"`}},
		{"CSRF missing", "POST", "/csrf", nil, nil, 400,
			`{"type":"about:blank","title":"Bad Request","status":400}`, nil},
		{"CSRF invalid", "POST", "/csrf", nil, []string{"X-CSRF-Token", "bad", "Cookie", "_csrf=good"}, 403,
			`{"type":"about:blank","title":"Forbidden","status":403,"detail":"invalid csrf token"}`, nil},
		{"ContextTimeout", "GET", "/timeout", nil, nil, 503,
			`{"type":"about:blank","title":"Service Unavailable","status":503}`, nil},
		{"Recover", "GET", "/panic", nil, nil, 500,
			`{"type":"about:blank","title":"Internal Server Error","status":500}`, nil},
		{"CORS kept", "GET", "/cors", nil, []string{"Origin", origin}, 409,
			`{"type":"about:blank","title":"Conflict","status":409}`, map[string]string{"Access-Control-Allow-Origin": origin}},
		{"Decompress broken gzip", "POST", "/gzip", strings.NewReader("not gzip at all"), []string{"Content-Encoding", "gzip", "Content-Type", "application/json"}, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"The request body is not valid gzip."}`, nil},
		{"Decompress good gzip", "POST", "/gzip", gz(`{"a":1}`), []string{"Content-Encoding", "gzip", "Content-Type", "application/json"}, 200, "{\"a\":1}\n", nil},
		{"Gzip", "GET", "/gzip-out", nil, []string{"Accept-Encoding", "gzip"}, 404,
			`{"type":"about:blank","title":"Not Found","status":404}`, nil},
		{"RequestID", "GET", "/request-id", nil, []string{"X-Request-Id", "req-42"}, 409,
			`{"type":"about:blank","title":"Conflict","status":409,"correlationId":"req-42"}`, map[string]string{"X-Request-Id": "req-42"}},
		{"RequestLogger calls twice, written once", "GET", "/logged", nil, nil, 409,
			`{"type":"about:blank","title":"Conflict","status":409}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls = 0
			resp, body := s.do(t, tc.method, tc.path, tc.body, tc.header...)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, tc.want, body)
			assert.Contains(t, resp.Header.Values("Vary"), "Origin", "CORS's Vary is kept")
			for k, v := range tc.headers {
				assert.Equal(t, v, resp.Header.Get(k), k)
			}
			if tc.status >= 400 {
				assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
				assert.Equal(t, 1, calls, "one error, reported once")
			}
		})
	}
	assert.NotContains(t, s.logs.String(), "hunter2\"", "the panic value is logged, not sent")
}

func TestCommitted(t *testing.T) {
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.Use(echomw.RequestLoggerWithConfig(echomw.RequestLoggerConfig{
			HandleError:   true,
			LogValuesFunc: func(c *echo.Context, v echomw.RequestLoggerValues) error { return nil },
		}))
		e.GET("/committed", func(c *echo.Context) error {
			if err := c.String(http.StatusCreated, "x"); err != nil {
				return err
			}
			return errors.New("too late")
		})
	})
	resp, body := s.do(t, "GET", "/committed", nil)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "x", body)
	assert.Equal(t, 1, strings.Count(s.logs.String(), "error after the response was committed"))
	assert.Contains(t, s.logs.String(), "too late")
}

// TestContentEncodingOfTheResponse: a problem is labelled with the
// Content-Encoding that compresses it, whoever compresses it: a compressor
// outside Echo that set its header before Echo ran and compresses all it
// gets (kept with KeepEncoding), Echo's Gzip (which sets its header only as
// it compresses, and compresses the problem when the handler runs inside
// it), or none (a Content-Encoding the handler set for content it does not
// send is removed). The client decodes every problem.
func TestContentEncodingOfTheResponse(t *testing.T) {
	notFound := func(c *echo.Context) error { return echo.ErrNotFound }
	precompressed := func(c *echo.Context) error {
		c.Response().Header().Set(echo.HeaderContentEncoding, "br") // a precompressed file, then not found
		return echo.ErrNotFound
	}
	panics := func(c *echo.Context) error {
		c.Response().Header().Set(echo.HeaderContentEncoding, "br")
		panic("boom")
	}
	const (
		notFoundBody = `{"type":"about:blank","title":"Not Found","status":404}`
		panicBody    = `{"type":"about:blank","title":"Internal Server Error","status":500}`
	)
	for _, tc := range []struct {
		name     string
		outer    bool // behind testkit.GzipAll
		keep     bool // with KeepEncoding
		path     string
		status   int
		body     string
		encoding string
	}{
		{"outer compressor, unrouted", true, true, "/nowhere", 404, notFoundBody, "gzip"},
		{"outer compressor, handler's error", true, true, "/x", 404, notFoundBody, "gzip"},
		{"outer compressor, handler's own encoding", true, true, "/precompressed", 404, notFoundBody, "gzip"},
		{"outer compressor and Echo's Gzip", true, true, "/gz/x", 404, notFoundBody, "gzip"},
		{"outer compressor and Echo's Gzip, panic", true, true, "/gz/panic", 500, panicBody, "gzip"},
		{"Echo's Gzip", false, false, "/gz/x", 404, notFoundBody, ""},
		{"Echo's Gzip, panic", false, false, "/gz/panic", 500, panicBody, ""},
		{"inside Echo's Gzip", false, false, "/gz-logged/x", 404, notFoundBody, "gzip"},
		{"inside Echo's Gzip, panic, KeepEncoding", false, true, "/gz-logged/panic", 500, panicBody, "gzip"},
		{"handler's own encoding", false, false, "/precompressed", 404, notFoundBody, ""},
		{"handler's own encoding, KeepEncoding", false, true, "/precompressed", 404, notFoundBody, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := echo.New()
			e.Logger = slog.New(slog.DiscardHandler)
			e.HTTPErrorHandler = problemecho5.ErrorHandler(&middleware.Options{
				Logger:   slog.New(slog.DiscardHandler),
				Instance: func(*http.Request) string { return "" },
			})
			if tc.keep {
				e.Pre(problemecho5.KeepEncoding())
			}
			e.GET("/x", notFound)
			e.GET("/precompressed", precompressed)
			g := e.Group("/gz", echomw.Gzip(), echomw.Recover())
			g.GET("/x", notFound)
			g.GET("/panic", panics)
			// RequestLogger with HandleError calls the handler inside Gzip,
			// which compresses the problem.
			logged := e.Group("/gz-logged", echomw.Gzip(), echomw.RequestLoggerWithConfig(echomw.RequestLoggerConfig{
				HandleError:   true,
				LogValuesFunc: func(c *echo.Context, v echomw.RequestLoggerValues) error { return nil },
			}), echomw.Recover())
			logged.GET("/x", notFound)
			logged.GET("/panic", panics)
			var h http.Handler = e
			if tc.outer {
				h = testkit.GzipAll(e)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()

			req, err := http.NewRequest("GET", srv.URL+tc.path, nil)
			require.NoError(t, err)
			req.Header.Set("Accept-Encoding", "gzip")
			resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, tc.encoding, resp.Header.Get("Content-Encoding"))
			assert.Equal(t, tc.body, testkit.Decoded(t, resp))
		})
	}
}

// TestInsideGzip: when Echo calls the handler inside Gzip (RequestLogger
// with HandleError does, from within the route), the problem goes through
// Gzip's writer and comes out compressed, and is written once.
func TestInsideGzip(t *testing.T) {
	var calls int
	s := newEcho(t, &middleware.Options{OnError: func(*http.Request, *problem.Problem, error) { calls++ }}, func(e *echo.Echo) {
		e.GET("/x", func(c *echo.Context) error { return echo.ErrNotFound },
			echomw.Gzip(),
			echomw.RequestLoggerWithConfig(echomw.RequestLoggerConfig{
				HandleError:   true,
				LogValuesFunc: func(c *echo.Context, v echomw.RequestLoggerValues) error { return nil },
			}))
	})
	resp, body := s.do(t, "GET", "/x", nil)
	assert.Equal(t, 404, resp.StatusCode)
	assert.True(t, resp.Uncompressed, "sent gzipped, and decompressed by the client")
	assert.Equal(t, `{"type":"about:blank","title":"Not Found","status":404}`, body)
	assert.Equal(t, 1, calls)
}

// opaque is a middleware's writer that does not unwrap to Echo's response.
type opaque struct{ http.ResponseWriter }

// TestOpaqueWriter: a writer that hides Echo's response (no Unwrap) still
// gets the problem, through it.
func TestOpaqueWriter(t *testing.T) {
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.GET("/x", func(c *echo.Context) error {
			c.SetResponse(opaque{c.Response()})
			return echo.NewHTTPError(http.StatusConflict, "")
		})
	})
	resp, body := s.do(t, "GET", "/x", nil)
	assert.Equal(t, 409, resp.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Conflict","status":409}`, body)
}

// Echo's RequestID generates an id when the request has none and puts it on
// the response only: the problem carries that id, and the log record too.
func TestGeneratedRequestID(t *testing.T) {
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.Use(echomw.RequestID())
		e.GET("/x", func(c *echo.Context) error { return echo.NewHTTPError(http.StatusConflict, "") })
	})
	resp, body := s.do(t, "GET", "/x", nil)
	id := resp.Header.Get("X-Request-Id")
	require.NotEmpty(t, id, "RequestID generated an id")
	assert.Equal(t, http.StatusConflict, resp.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Conflict","status":409,"correlationId":"`+id+`"}`, body)
	assert.Contains(t, s.logs.String(), `"path":"/x","status":409,"error":"code=409, message=Conflict","correlationId":"`+id+`"`,
		"the log record carries the id at its top level")
}

// TestWrapInsideEcho: Wrap has the func(http.Handler) http.Handler
// shape, so Echo users mount it with echo.WrapMiddleware. Echo's
// WrapMiddleware keeps the ResponseWriter Wrap handed down
// (c.SetResponse(echo.NewResponse(w, e))) and Echo writes the error the
// handler returned through it after the middleware has returned. The
// error handler must find that writer working, and its request's alone:
// a writer Wrap had pooled was found zeroed (a nil-pointer panic, and the
// client got a dropped connection for every error, the router's 404
// included) or, under load, handed to another request, whose response it
// would have written into.
func TestWrapInsideEcho(t *testing.T) {
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
