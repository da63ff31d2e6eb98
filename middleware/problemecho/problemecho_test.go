package problemecho_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	echomw "github.com/labstack/echo/v4/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/golden"
	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/middleware/problemecho"
	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemvalidator"
)

type echoServer struct {
	*httptest.Server
	e    *echo.Echo
	logs *testkit.LogBuffer
}

// newEcho starts an Echo server with ErrorHandler(opts) installed; setup
// adds routes and middleware.
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
	s.e.HideBanner, s.e.HidePort = true, true
	s.e.Logger.SetOutput(io.Discard)
	s.e.HTTPErrorHandler = problemecho.ErrorHandler(&o)
	setup(s.e)
	s.Server = httptest.NewServer(s.e)
	t.Cleanup(s.Close)
	return s
}

func (s *echoServer) do(t *testing.T, method, path string, body io.Reader, header ...string) (*http.Response, string) {
	t.Helper()
	return testkit.Do(t, s.Client(), method, s.URL+path, body, header...)
}

func TestHTTPErrors(t *testing.T) {
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.GET("/sentinel", func(c echo.Context) error { return echo.ErrNotFound })
		e.GET("/wrapped", func(c echo.Context) error { return fmt.Errorf("load: %w", echo.ErrNotFound) })
		e.GET("/message", func(c echo.Context) error { return echo.NewHTTPError(http.StatusConflict, "version 3 is stale") })
		e.GET("/restated", func(c echo.Context) error { return echo.NewHTTPError(http.StatusRequestEntityTooLarge) })
		e.GET("/internal", func(c echo.Context) error {
			return echo.NewHTTPError(http.StatusBadGateway, "upstream 10.0.0.7 refused").SetInternal(errors.New("dial tcp 10.0.0.7:5432: refused"))
		})
		e.GET("/internal-text", func(c echo.Context) error {
			err := errors.New("strconv: secret detail")
			return echo.NewHTTPError(http.StatusBadRequest, err.Error()).SetInternal(err)
		})
		e.GET("/error-message", func(c echo.Context) error {
			return echo.NewHTTPError(http.StatusBadRequest, errors.New("internal text"))
		})
		e.GET("/map-message", func(c echo.Context) error {
			return echo.NewHTTPError(http.StatusBadRequest, map[string]any{"field": "name", "status": 1})
		})
		e.GET("/nested", func(c echo.Context) error {
			return echo.NewHTTPError(http.StatusBadRequest, "outer").SetInternal(echo.NewHTTPError(http.StatusTeapot+3, "inner"))
		})
		e.GET("/problem", func(c echo.Context) error { return problem.New(http.StatusGone, "moved away") })
		e.GET("/plain", func(c echo.Context) error { return errors.New("pq: relation users does not exist") })
		e.GET("/code0", func(c echo.Context) error { return &echo.HTTPError{Code: 0, Message: "zero"} })
	})
	for path, want := range map[string]struct {
		status int
		body   string
	}{
		"/sentinel":      {404, `{"type":"about:blank","title":"Not Found","status":404}`},
		"/wrapped":       {404, `{"type":"about:blank","title":"Not Found","status":404}`},
		"/message":       {409, `{"type":"about:blank","title":"Conflict","status":409,"detail":"version 3 is stale"}`},
		"/restated":      {413, `{"type":"about:blank","title":"Content Too Large","status":413}`},
		"/internal":      {502, `{"type":"about:blank","title":"Bad Gateway","status":502}`},
		"/internal-text": {400, `{"type":"about:blank","title":"Bad Request","status":400}`},
		"/error-message": {400, `{"type":"about:blank","title":"Bad Request","status":400}`},
		"/map-message":   {400, `{"type":"about:blank","title":"Bad Request","status":400,"message":{"field":"name","status":1}}`},
		"/nested":        {421, `{"type":"about:blank","title":"Misdirected Request","status":421,"detail":"inner"}`},
		"/problem":       {410, `{"type":"about:blank","title":"Gone","status":410,"detail":"moved away"}`},
		"/plain":         {500, `{"type":"about:blank","title":"Internal Server Error","status":500}`},
		"/code0":         {500, `{"type":"about:blank","title":"Internal Server Error","status":500}`},
	} {
		resp, body := s.do(t, "GET", path, nil)
		assert.Equal(t, want.status, resp.StatusCode, path)
		assert.Equal(t, want.body, body, path)
		assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"), path)
	}
	logs := s.logs.String()
	assert.Contains(t, logs, "dial tcp 10.0.0.7:5432: refused", "Internal is logged")
	assert.Contains(t, logs, "pq: relation users does not exist")
}

// TestHTTPErrorMessageOfInternal: a 4xx message that carries the text of
// an error in Internal's tree, however it is padded, wrapped or cased, is
// that error's text and is not sent; a message of its own is.
func TestHTTPErrorMessageOfInternal(t *testing.T) {
	secret := errors.New("pq: password authentication failed for user \"app\"")
	deep := fmt.Errorf("load user 7: %w", secret)
	const honest = `{"type":"about:blank","title":"Bad Request","status":400,"detail":"name is required"}`
	const bare = `{"type":"about:blank","title":"Bad Request","status":400}`
	for _, tc := range []struct {
		name string
		he   *echo.HTTPError
		want string
	}{
		{"exact", echo.NewHTTPError(400, secret.Error()).SetInternal(secret), bare},
		{"trailing space", echo.NewHTTPError(400, secret.Error()+" ").SetInternal(secret), bare},
		{"padded with newlines", echo.NewHTTPError(400, "\n"+secret.Error()+"\n").SetInternal(secret), bare},
		{"wrapped", echo.NewHTTPError(400, "bind: "+secret.Error()).SetInternal(secret), bare},
		{"wrapped on both sides", echo.NewHTTPError(400, "bind ("+secret.Error()+") failed").SetInternal(secret), bare},
		{"other case", echo.NewHTTPError(400, strings.ToUpper(secret.Error())).SetInternal(secret), bare},
		{"text of an error deeper in the chain", echo.NewHTTPError(400, "lookup: "+secret.Error()).SetInternal(deep), bare},
		{"text of a joined error", echo.NewHTTPError(400, secret.Error()).SetInternal(errors.Join(errors.New("first"), secret)), bare},
		{"text of the wrapper, trimmed", echo.NewHTTPError(400, deep.Error()+"\t").SetInternal(deep), bare},
		{"own message with an Internal", echo.NewHTTPError(400, "name is required").SetInternal(secret), honest},
		{"own message, Internal with empty text", echo.NewHTTPError(400, "name is required").SetInternal(errors.New(" ")), honest},
		{"own message, no Internal", echo.NewHTTPError(400, "name is required"), honest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newEcho(t, nil, func(e *echo.Echo) {
				e.GET("/", func(c echo.Context) error { return tc.he })
			})
			resp, body := s.do(t, "GET", "/", nil)
			assert.Equal(t, 400, resp.StatusCode)
			assert.Equal(t, tc.want, body)
			if errors.Is(tc.he.Internal, secret) {
				assert.Contains(t, s.logs.String(), "password authentication failed", "Internal is logged")
			}
		})
	}
}

func TestSentinelsAreNotMutated(t *testing.T) {
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.GET("/", func(c echo.Context) error {
			return fmt.Errorf("x: %w", echo.ErrForbidden)
		})
	})
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			resp, err := s.Client().Get(s.URL)
			if err == nil {
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	assert.Nil(t, echo.ErrForbidden.Internal)
	assert.Equal(t, http.StatusText(http.StatusForbidden), echo.ErrForbidden.Message)
}

func TestDebugExposesInternal(t *testing.T) {
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.GET("/", func(c echo.Context) error {
			return echo.NewHTTPError(http.StatusInternalServerError).SetInternal(errors.New("db down"))
		})
	})
	_, body := s.do(t, "GET", "/", nil)
	assert.NotContains(t, body, "db down")
	s.e.Debug = true
	_, body = s.do(t, "GET", "/", nil)
	assert.Contains(t, body, "db down", "Echo's Debug turns ExposeErrors on")
}

func TestRouter404And405AndHEAD(t *testing.T) {
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.GET("/items/:id", func(c echo.Context) error { return c.String(200, "item") })
		e.POST("/items/:id", func(c echo.Context) error { return c.NoContent(201) })
	})
	golden.Assert(t, "router-405.http", wire(t, s, "DELETE", "/items/1"))

	resp, body := s.do(t, "GET", "/nope", nil)
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Not Found","status":404}`, body)

	head, headBody := s.do(t, "HEAD", "/nope", nil)
	assert.Equal(t, 404, head.StatusCode)
	assert.Empty(t, headBody)
	assert.Equal(t, "application/problem+json", head.Header.Get("Content-Type"))
	assert.Equal(t, fmt.Sprint(len(body)), head.Header.Get("Content-Length"))

	head, headBody = s.do(t, "HEAD", "/items/1", nil)
	assert.Equal(t, 405, head.StatusCode, "Echo does not route HEAD to GET")
	assert.NotEmpty(t, head.Header.Get("Allow"))
	assert.Empty(t, headBody)
}

func wire(t *testing.T, s *echoServer, method, path string, header ...string) []byte {
	t.Helper()
	return golden.Response(t, testkit.Send(t, s.Client(), method, s.URL+path, nil, header...))
}

// joined holds a slice, so its values cannot be compared with ==.
type joined struct{ errs []error }

func (j joined) Error() string { return fmt.Sprint(j.errs) }

// TestLostErrorsReportedOnce: an error after the response went out is
// reported once, even when Echo passes it twice and it cannot be compared,
// and even when the response was a problem the handler wrote itself.
func TestLostErrorsReportedOnce(t *testing.T) {
	var mu sync.Mutex
	lost := map[string]int{}
	s := newEcho(t, &middleware.Options{OnError: func(r *http.Request, p *problem.Problem, err error) {
		mu.Lock()
		defer mu.Unlock()
		if p == nil {
			lost[r.URL.Path]++
		}
	}}, func(e *echo.Echo) {
		e.Use(echomw.RequestLoggerWithConfig(echomw.RequestLoggerConfig{
			HandleError:   true,
			LogValuesFunc: func(c echo.Context, v echomw.RequestLoggerValues) error { return nil },
		}))
		e.GET("/uncomparable", func(c echo.Context) error {
			_ = c.String(http.StatusOK, "ok")
			return joined{[]error{errors.New("audit write failed")}}
		})
		e.GET("/own-problem", func(c echo.Context) error {
			_ = c.Blob(http.StatusPaymentRequired, "application/problem+json", []byte(`{"status":402}`))
			return errors.New("ledger write failed")
		})
	})
	for _, path := range []string{"/uncomparable", "/own-problem"} {
		resp, _ := s.do(t, "GET", path, nil)
		assert.NotEqual(t, 500, resp.StatusCode, path)
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, map[string]int{"/uncomparable": 1, "/own-problem": 1}, lost)
	assert.Contains(t, s.logs.String(), "ledger write failed")
}

// TestContentEncodingOfTheResponse: a problem is labelled with the
// Content-Encoding that compresses it, whoever compresses it: a compressor
// outside Echo that set its header before Echo ran and compresses all it
// gets (kept with KeepEncoding), Echo's Gzip (which sets its header only as
// it compresses), or none (a Content-Encoding the handler set for content
// it does not send is removed). The client decodes every problem.
func TestContentEncodingOfTheResponse(t *testing.T) {
	notFound := func(c echo.Context) error { return echo.ErrNotFound }
	precompressed := func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderContentEncoding, "br") // a precompressed file, then not found
		return echo.ErrNotFound
	}
	panics := func(c echo.Context) error {
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
		{"Echo's Gzip, panic", false, false, "/gz/panic", 500, panicBody, "gzip"},
		{"Echo's Gzip, panic, KeepEncoding", false, true, "/gz/panic", 500, panicBody, "gzip"},
		{"handler's own encoding", false, false, "/precompressed", 404, notFoundBody, ""},
		{"handler's own encoding, KeepEncoding", false, true, "/precompressed", 404, notFoundBody, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := echo.New()
			e.HideBanner, e.HidePort = true, true
			e.Logger.SetOutput(io.Discard)
			e.HTTPErrorHandler = problemecho.ErrorHandler(&middleware.Options{
				Logger:   slog.New(slog.DiscardHandler),
				Instance: func(*http.Request) string { return "" },
			})
			if tc.keep {
				e.Pre(problemecho.KeepEncoding())
			}
			e.GET("/x", notFound)
			e.GET("/precompressed", precompressed)
			g := e.Group("/gz", echomw.Gzip(), echomw.Recover())
			g.GET("/x", notFound)
			g.GET("/panic", panics)
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

// TestGzipErrorsOfTheServer: gzip errors are the client's only for a gzip
// request body.
func TestGzipErrorsOfTheServer(t *testing.T) {
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.GET("/blob", func(c echo.Context) error {
			_, err := gzip.NewReader(strings.NewReader("corrupt stored blob"))
			return err
		})
	})
	resp, _ := s.do(t, "GET", "/blob", nil)
	assert.Equal(t, 500, resp.StatusCode)
	resp, _ = s.do(t, "GET", "/blob", nil, "Content-Encoding", "gzip")
	assert.Equal(t, 400, resp.StatusCode, "taken for the request's own body")
}

func TestCommittedAndCalledTwice(t *testing.T) {
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.Use(echomw.RequestLoggerWithConfig(echomw.RequestLoggerConfig{
			HandleError:   true,
			LogStatus:     true,
			LogValuesFunc: func(c echo.Context, v echomw.RequestLoggerValues) error { return nil },
		}))
		e.GET("/twice", func(c echo.Context) error { return problem.New(http.StatusConflict, "once") })
		e.GET("/committed", func(c echo.Context) error {
			if err := c.String(http.StatusCreated, "x"); err != nil {
				return err
			}
			return errors.New("too late")
		})
	})
	resp, body := s.do(t, "GET", "/twice", nil)
	assert.Equal(t, 409, resp.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Conflict","status":409,"detail":"once"}`, body)
	assert.Equal(t, 1, strings.Count(s.logs.String(), `"msg":"request failed"`), "written and logged once: %s", s.logs.String())
	assert.NotContains(t, s.logs.String(), "committed")

	resp, body = s.do(t, "GET", "/committed", nil)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "x", body)
	assert.Equal(t, 1, strings.Count(s.logs.String(), "error after the response was committed"))
	assert.Contains(t, s.logs.String(), "too late")
}

func TestBinding(t *testing.T) {
	type body struct {
		Age     int `json:"age"`
		Profile struct {
			Color string `json:"color"`
		} `json:"profile"`
	}
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.POST("/bind", func(c echo.Context) error {
			var b body
			if err := c.Bind(&b); err != nil {
				return err
			}
			return c.JSON(200, b)
		})
		e.POST("/bind-list", func(c echo.Context) error {
			var b struct {
				Items []struct {
					N int `json:"n"`
				} `json:"items"`
			}
			return c.Bind(&b)
		})
		e.GET("/flag", func(c echo.Context) error {
			var b struct {
				Flag bool `query:"flag"`
			}
			return c.Bind(&b)
		})
		e.GET("/generic", func(c echo.Context) error {
			_, err := echo.QueryParam[int](c, "limit")
			return err
		})
		e.POST("/bad-target", func(c echo.Context) error {
			var b body
			return c.Bind(b) // not a pointer: a programming error
		})
		e.GET("/param/:id", func(c echo.Context) error {
			id, err := echo.PathParam[int](c, "id")
			if err != nil {
				return err
			}
			return c.JSON(200, id)
		})
		e.GET("/query", func(c echo.Context) error {
			var limit int
			if err := echo.QueryParamsBinder(c).MustInt("limit", &limit).BindError(); err != nil {
				return err
			}
			return c.JSON(200, limit)
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
		{"nested type error", "POST", "/bind", `{"profile":{"color":7}}`, json, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"The request body has a value of the wrong type at \"profile.color\": it must be a string, not a number."}`},
		{"type error in an array", "POST", "/bind-list", `{"items":[{"n":1},{"n":"x"}]}`, json, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"The request body has a value of the wrong type at \"items.n\": it must be an integer, not a string."}`},
		{"bool query", "GET", "/flag?flag=yes", ``, nil, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"A value in the request must be true or false."}`},
		{"missing generic param", "GET", "/generic", ``, nil, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"A required parameter is missing."}`},
		{"syntax error", "POST", "/bind", `{"age":`, json, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"The request body ended early."}`},
		{"garbage", "POST", "/bind", `{"age" 1}`, json, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"The request body is not valid JSON."}`},
		{"bad xml", "POST", "/bind", `<body><age>`, []string{"Content-Type", "application/xml"}, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"The request body is not valid XML."}`},
		{"unsupported media type", "POST", "/bind", `a=1`, []string{"Content-Type", "application/merge-patch+json"}, 415,
			`{"type":"about:blank","title":"Unsupported Media Type","status":415}`},
		{"bad target", "POST", "/bad-target", `{"age":1}`, json, 500,
			`{"type":"about:blank","title":"Internal Server Error","status":500}`},
		{"path param", "GET", "/param/abc", ``, nil, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"The value of parameter \"id\" is not valid.","errors":[{"detail":"must be an integer","parameter":"id"}]}`},
		{"query param", "GET", "/query?limit=x", ``, nil, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"The value of parameter \"limit\" is not valid.","errors":[{"detail":"must be an integer","parameter":"limit"}]}`},
		{"missing query param", "GET", "/query", ``, nil, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"The value of parameter \"limit\" is not valid.","errors":[{"detail":"is not valid","parameter":"limit"}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, got := s.do(t, tc.method, tc.path, strings.NewReader(tc.body), tc.header...)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, tc.want, got)
			assert.NotContains(t, got, "offset")
			assert.NotContains(t, got, "Go value")
		})
	}
}

type signup struct {
	Name  string `json:"name" validate:"required,min=3"`
	Email string `json:"email" validate:"required,email"`
	Age   int    `json:"age" validate:"gte=18"`
}

func TestValidation(t *testing.T) {
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.Validator = problemvalidator.New(nil)
		e.POST("/signup", func(c echo.Context) error {
			var in signup
			if err := c.Bind(&in); err != nil {
				return err
			}
			if err := c.Validate(&in); err != nil {
				return err
			}
			return c.NoContent(http.StatusCreated)
		})
	})
	resp, body := s.do(t, "POST", "/signup", strings.NewReader(`{"name":"ab","email":"nope","age":7}`), "Content-Type", "application/json")
	assert.Equal(t, 422, resp.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Unprocessable Content","status":422,"errors":[`+
		`{"detail":"must be at least 3 characters long","pointer":"#/name","rule":"min","param":"3"},`+
		`{"detail":"must be an email address","pointer":"#/email","rule":"email"},`+
		`{"detail":"must be 18 or greater","pointer":"#/age","rule":"gte","param":"18"}]}`, body)
}

// TestMiddlewareMatrix runs Echo's own middleware (conformance D10) behind
// the handler.
func TestMiddlewareMatrix(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(`{"statuses":[{"code":429,"phrase":"Too Many Requests","retryAfter":30}]}`))
	require.NoError(t, err)
	s := newEcho(t, &middleware.Options{Catalog: cat}, func(e *echo.Echo) {
		ok := func(c echo.Context) error { return c.String(200, "ok") }
		bind := func(c echo.Context) error {
			var v map[string]any
			if err := c.Bind(&v); err != nil {
				return err
			}
			return c.JSON(200, v)
		}
		e.Use(echomw.CORSWithConfig(echomw.CORSConfig{AllowOrigins: []string{"https://app.example"}}))
		e.POST("/limit", bind, echomw.BodyLimit("8B"))
		e.GET("/rate", ok, echomw.RateLimiter(echomw.NewRateLimiterMemoryStore(0.0001)))
		e.GET("/key", ok, echomw.KeyAuth(func(key string, c echo.Context) (bool, error) { return key == "good", nil }))
		e.GET("/basic", ok, echomw.BasicAuth(func(u, p string, c echo.Context) (bool, error) { return u == "a" && p == "b", nil }))
		e.POST("/csrf", ok, echomw.CSRF())
		e.GET("/timeout", func(c echo.Context) error {
			<-c.Request().Context().Done()
			return c.Request().Context().Err()
		}, echomw.ContextTimeout(10*time.Millisecond))
		e.GET("/panic", func(c echo.Context) error { panic("secret: hunter2") }, echomw.RecoverWithConfig(echomw.RecoverConfig{DisablePrintStack: true}))
		e.GET("/cors", func(c echo.Context) error { return echo.ErrConflict })
		e.POST("/gzip", bind, echomw.Decompress())
	})
	gz := func(s string) io.Reader {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		_, _ = w.Write([]byte(s))
		_ = w.Close()
		return &b
	}
	for _, tc := range []struct {
		name, method, path string
		body               io.Reader
		header             []string
		status             int
		detail             string
		headers            map[string]string
	}{
		{"BodyLimit by Content-Length", "POST", "/limit", strings.NewReader(`{"a":"0123456789"}`), []string{"Content-Type", "application/json"}, 413, "", nil},
		{"RateLimiter", "GET", "/rate", nil, nil, 200, "", nil},
		{"RateLimiter denies", "GET", "/rate", nil, nil, 429, "rate limit exceeded", map[string]string{"Retry-After": "30"}},
		{"KeyAuth missing", "GET", "/key", nil, nil, 400, "missing key in request header", nil},
		{"KeyAuth wrong", "GET", "/key", nil, []string{"Authorization", "Bearer bad"}, 401, "", map[string]string{"WWW-Authenticate": "Bearer"}},
		{"BasicAuth", "GET", "/basic", nil, nil, 401, "", map[string]string{"WWW-Authenticate": `basic realm="Restricted"`}},
		{"BasicAuth bad base64", "GET", "/basic", nil, []string{"Authorization", "Basic !!!"}, 400, "", nil},
		{"CSRF missing", "POST", "/csrf", nil, nil, 400, "missing csrf token in request header", nil},
		{"CSRF invalid", "POST", "/csrf", nil, []string{"X-CSRF-Token", "bad", "Cookie", "_csrf=good"}, 403, "invalid csrf token", nil},
		{"ContextTimeout", "GET", "/timeout", nil, nil, 503, "", nil},
		{"Recover", "GET", "/panic", nil, nil, 500, "", nil},
		{"CORS headers kept", "GET", "/cors", nil, []string{"Origin", "https://app.example"}, 409, "", map[string]string{"Access-Control-Allow-Origin": "https://app.example"}},
		{"Decompress broken gzip", "POST", "/gzip", strings.NewReader("not gzip at all"), []string{"Content-Encoding", "gzip", "Content-Type", "application/json"}, 400, "The request body is not valid gzip.", nil},
		{"Decompress good gzip", "POST", "/gzip", gz(`{"a":1}`), []string{"Content-Encoding", "gzip", "Content-Type", "application/json"}, 200, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := s.do(t, tc.method, tc.path, tc.body, tc.header...)
			assert.Contains(t, resp.Header.Values("Vary"), "Origin", "CORS's Vary is kept")
			require.Equal(t, tc.status, resp.StatusCode, body)
			if tc.status >= 400 {
				var p problem.Problem
				require.NoError(t, json.Unmarshal([]byte(body), &p), body)
				assert.Equal(t, tc.status, p.Status)
				assert.Equal(t, tc.detail, p.Detail)
				assert.NotEmpty(t, p.Title)
				assert.NotContains(t, body, "hunter2")
			}
			for k, v := range tc.headers {
				assert.Equal(t, v, resp.Header.Get(k), k)
			}
		})
	}
}

// TestBodyLimitOfUnknownLength: a chunked body over BodyLimit's limit is a
// 413 even when it arrives in one piece that holds a whole JSON value.
// Echo v4.16.0 handed the over-limit bytes to the decoder with its error,
// and the value was bound (conformance D10); v4.16.4 fixed it, and go.mod
// requires v4.16.5.
func TestBodyLimitOfUnknownLength(t *testing.T) {
	const body = `{"name":"abcdef"}` // 17 bytes, one chunk
	var length int64
	var chunked bool
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.POST("/limit", func(c echo.Context) error {
			var v map[string]any
			if err := c.Bind(&v); err != nil {
				return err
			}
			return c.JSON(200, v)
		}, func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				length, chunked = c.Request().ContentLength, slices.Equal(c.Request().TransferEncoding, []string{"chunked"})
				return next(c)
			}
		}, echomw.BodyLimit("4B"))
	})
	// An io.Reader of a type http.NewRequest does not know has no length:
	// the client sends it chunked.
	resp, got := s.do(t, "POST", "/limit", io.MultiReader(strings.NewReader(body)), "Content-Type", "application/json")
	require.Equal(t, int64(-1), length, "the server did not know the length")
	require.True(t, chunked, "the body was chunked")
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Content Too Large","status":413}`, got)
	assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
}

// TestSameBytesAsNetHTTP sends the same errors through Echo and through the
// net/http middleware and compares the responses byte for byte.
func TestSameBytesAsNetHTTP(t *testing.T) {
	errs := map[string]func() error{
		"/problem": func() error {
			return problem.New(http.StatusNotFound, "item 42 does not exist").WithExtension("item", 42)
		},
		"/wrapped":  func() error { return fmt.Errorf("x: %w", problem.New(http.StatusConflict, "stale")) },
		"/unknown":  func() error { return errors.New("pq: boom") },
		"/retry":    func() error { return problem.New(http.StatusServiceUnavailable, "").WithRetryAfter(time.Minute) },
		"/auth":     func() error { return problem.New(http.StatusUnauthorized, "") },
		"/deadline": func() error { return fmt.Errorf("q: %w", context.DeadlineExceeded) },
	}
	opts := &middleware.Options{Logger: slog.New(slog.DiscardHandler)}

	m := middleware.New(opts)
	mux := http.NewServeMux()
	e := echo.New()
	e.HTTPErrorHandler = problemecho.ErrorHandler(opts)
	for path, fn := range errs {
		mux.Handle(path, m.Handle(func(http.ResponseWriter, *http.Request) error { return fn() }))
		e.GET(path, func(echo.Context) error { return fn() })
	}
	plain := httptest.NewServer(m.Wrap(mux))
	defer plain.Close()
	withEcho := httptest.NewServer(e)
	defer withEcho.Close()

	for path := range errs {
		for _, accept := range []string{"", "application/xml"} {
			get := func(base string) string {
				req, err := http.NewRequest("GET", base+path, nil)
				require.NoError(t, err)
				if accept != "" {
					req.Header.Set("Accept", accept)
				}
				resp, err := http.DefaultClient.Do(req)
				require.NoError(t, err)
				return string(golden.Response(t, resp))
			}
			assert.Equal(t, get(plain.URL), get(withEcho.URL), "%s %s", path, accept)
		}
	}
}

// TestEchoSentinels checks every echo.Err* sentinel (conformance D2): the
// same code, the catalog's title, not Echo's message; and the plain errors
// Echo returns become 500s.
func TestEchoSentinels(t *testing.T) {
	sentinels := []*echo.HTTPError{
		echo.ErrBadRequest, echo.ErrUnauthorized, echo.ErrPaymentRequired, echo.ErrForbidden, echo.ErrNotFound,
		echo.ErrMethodNotAllowed, echo.ErrNotAcceptable, echo.ErrProxyAuthRequired, echo.ErrRequestTimeout,
		echo.ErrConflict, echo.ErrGone, echo.ErrLengthRequired, echo.ErrPreconditionFailed,
		echo.ErrStatusRequestEntityTooLarge, echo.ErrRequestURITooLong, echo.ErrUnsupportedMediaType,
		echo.ErrRequestedRangeNotSatisfiable, echo.ErrExpectationFailed, echo.ErrTeapot, echo.ErrMisdirectedRequest,
		echo.ErrUnprocessableEntity, echo.ErrLocked, echo.ErrFailedDependency, echo.ErrTooEarly,
		echo.ErrUpgradeRequired, echo.ErrPreconditionRequired, echo.ErrTooManyRequests,
		echo.ErrRequestHeaderFieldsTooLarge, echo.ErrUnavailableForLegalReasons, echo.ErrInternalServerError,
		echo.ErrNotImplemented, echo.ErrBadGateway, echo.ErrServiceUnavailable, echo.ErrGatewayTimeout,
		echo.ErrHTTPVersionNotSupported, echo.ErrVariantAlsoNegotiates, echo.ErrInsufficientStorage,
		echo.ErrLoopDetected, echo.ErrNotExtended, echo.ErrNetworkAuthenticationRequired,
	}
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.GET("/:i", func(c echo.Context) error {
			i, _ := strconv.Atoi(c.Param("i"))
			if i < len(sentinels) {
				return fmt.Errorf("wrapped: %w", sentinels[i])
			}
			var v struct{}
			return c.Validate(&v) // no validator registered: echo.ErrValidatorNotRegistered
		})
	})
	cat := catalog.Default()
	for i, he := range sentinels {
		resp, body := s.do(t, "GET", "/"+strconv.Itoa(i), nil)
		want := he.Code
		if he.Code == http.StatusTeapot {
			want = 500 // 418 is reserved: the response refuses it
		}
		assert.Equal(t, want, resp.StatusCode, "%v", he)
		var p problem.Problem
		require.NoError(t, json.Unmarshal([]byte(body), &p))
		assert.Equal(t, cat.Title(want), p.Title, "%v", he)
		assert.Empty(t, p.Detail, "%v: Echo's default message restates the status", he)
	}
	resp, _ := s.do(t, "GET", "/"+strconv.Itoa(len(sentinels)), nil)
	assert.Equal(t, 500, resp.StatusCode)
}

// TestGzipGuessLeavesOtherErrorsAlone: only Decompress's bare
// io.ErrUnexpectedEOF is taken for a broken gzip body.
func TestGzipGuessLeavesOtherErrorsAlone(t *testing.T) {
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.POST("/up", func(c echo.Context) error {
			return problem.Wrap(fmt.Errorf("upstream: %w", io.ErrUnexpectedEOF), http.StatusBadGateway)
		})
		e.POST("/short", func(c echo.Context) error { return c.Bind(&struct{}{}) }, echomw.Decompress())
	})
	resp, _ := s.do(t, "POST", "/up", strings.NewReader("x"), "Content-Encoding", "gzip")
	assert.Equal(t, 502, resp.StatusCode)
	resp, body := s.do(t, "POST", "/short", strings.NewReader("x"), "Content-Encoding", "gzip", "Content-Type", "application/json")
	assert.Equal(t, 400, resp.StatusCode)
	assert.Contains(t, body, "not valid gzip")
}

func TestTypedNilProblem(t *testing.T) {
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.GET("/", func(c echo.Context) error {
			var p *problem.Problem
			return p
		})
	})
	resp, body := s.do(t, "GET", "/", nil)
	assert.Equal(t, 500, resp.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Internal Server Error","status":500}`, body)
}

// panicky is an error whose Error method panics.
type panicky struct{}

func (panicky) Error() string { panic("Error broke") }

// nilDeref is an error whose methods dereference their receiver: a nil
// *nilDeref panics in them.
type nilDeref struct{ inner error }

func (e *nilDeref) Error() string { return e.inner.Error() }
func (e *nilDeref) Unwrap() error { return e.inner }

// holder is a comparable type, but == panics on two holders of a joined,
// which cannot be compared.
type holder struct{ err error }

func (h holder) Error() string { return "held: " + h.err.Error() }

// panickyList cannot be compared, and its Error method panics.
type panickyList struct{ errs []error }

func (panickyList) Error() string { panic("Error broke") }

// TestErrorsThatPanic: errors whose methods panic are 500s on Echo as on
// net/http, whether Echo passes them once or twice (RequestLogger with
// HandleError).
func TestErrorsThatPanic(t *testing.T) {
	const plain500 = `{"type":"about:blank","title":"Internal Server Error","status":500}`
	var typedNil *nilDeref
	for _, twice := range []bool{false, true} {
		t.Run(fmt.Sprint("twice=", twice), func(t *testing.T) {
			s := newEcho(t, nil, func(e *echo.Echo) {
				if twice {
					e.Use(echomw.RequestLoggerWithConfig(echomw.RequestLoggerConfig{
						HandleError:   true,
						LogValuesFunc: func(c echo.Context, v echomw.RequestLoggerValues) error { return nil },
					}))
				}
				e.GET("/text", func(c echo.Context) error { return panicky{} })
				e.GET("/typed-nil", func(c echo.Context) error { return typedNil })
				e.GET("/wrapped-typed-nil", func(c echo.Context) error { return fmt.Errorf("load: %w", typedNil) })
			})
			for _, path := range []string{"/text", "/typed-nil", "/wrapped-typed-nil"} {
				resp, body := s.do(t, "GET", path, nil)
				assert.Equal(t, 500, resp.StatusCode, path)
				assert.Equal(t, plain500, body, path)
			}
			assert.Contains(t, s.logs.String(), "Error broke")
			assert.Contains(t, s.logs.String(), "nil pointer dereference")
		})
	}
}

// TestLostErrorsThatCannotBeCompared: Echo passes a lost error twice
// (RequestLogger with HandleError); one that == cannot compare, or whose
// Error method panics, is still reported once, and a different one is
// reported as well.
func TestLostErrorsThatCannotBeCompared(t *testing.T) {
	var mu sync.Mutex
	lost := map[string]int{}
	s := newEcho(t, &middleware.Options{OnError: func(r *http.Request, p *problem.Problem, err error) {
		mu.Lock()
		defer mu.Unlock()
		if p == nil {
			lost[r.URL.Path]++
		}
	}}, func(e *echo.Echo) {
		// Outermost: on /differ, passes on another value than it got.
		e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				err := next(c)
				if c.Path() == "/differ" {
					return holder{joined{[]error{errors.New("second")}}}
				}
				return err
			}
		})
		e.Use(echomw.RequestLoggerWithConfig(echomw.RequestLoggerConfig{
			HandleError:   true,
			LogValuesFunc: func(c echo.Context, v echomw.RequestLoggerValues) error { return nil },
		}))
		commit := func(err error) echo.HandlerFunc {
			return func(c echo.Context) error {
				_ = c.String(http.StatusOK, "ok")
				return err
			}
		}
		e.GET("/same", commit(holder{joined{[]error{errors.New("audit write failed")}}}))
		e.GET("/differ", commit(holder{joined{[]error{errors.New("first")}}}))
		e.GET("/panicky", commit(panickyList{[]error{errors.New("x")}}))
	})
	for _, path := range []string{"/same", "/differ", "/panicky"} {
		resp, body := s.do(t, "GET", path, nil)
		assert.Equal(t, 200, resp.StatusCode, path)
		assert.Equal(t, "ok", body, path)
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, map[string]int{"/same": 1, "/differ": 2, "/panicky": 1}, lost)
}

// TestClientGone: on Echo as on net/http, an error after the client hung
// up is its doing: logged at Debug (and written all the same, for a client
// that has only half-closed the connection). ContextTimeout cancels
// its context before the error handler runs; its client is still there.
func TestClientGone(t *testing.T) {
	started, done := make(chan struct{}), make(chan struct{})
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.GET("/hang-up", func(c echo.Context) error {
			defer close(done)
			close(started)
			<-c.Request().Context().Done()
			return errors.New("pq: canceling statement due to user request")
		})
		e.GET("/timeout-404", func(c echo.Context) error { return echo.ErrNotFound }, echomw.ContextTimeout(time.Minute))
	})
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", s.URL+"/hang-up", nil)
	require.NoError(t, err)
	go func() {
		<-started
		cancel()
	}()
	_, err = s.Client().Do(req)
	require.Error(t, err)
	<-done
	require.Eventually(t, func() bool { return strings.Contains(s.logs.String(), "client went away") }, time.Second, time.Millisecond)
	assert.NotContains(t, s.logs.String(), `"level":"ERROR"`)

	resp, body := s.do(t, "GET", "/timeout-404", nil)
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Not Found","status":404}`, body)
}

// TestDebugShowsTheCauseAsOnNetHTTP: Echo's Debug shows an HTTPError's
// Internal for a 4xx too, in the same bytes as ExposeErrors on net/http
// shows a problem's cause.
func TestDebugShowsTheCauseAsOnNetHTTP(t *testing.T) {
	locked := errors.New("db: row locked")
	withDetail := problem.Wrap(locked, http.StatusConflict)
	withDetail.Detail = "version 3 is stale"
	routes := map[string]struct {
		echo    error
		nethttp error
		want    string
	}{
		"/internal": {
			echo.NewHTTPError(http.StatusConflict).SetInternal(locked),
			problem.Wrap(locked, http.StatusConflict),
			`{"type":"about:blank","title":"Conflict","status":409,"detail":"db: row locked"}`,
		},
		"/message-and-internal": {
			echo.NewHTTPError(http.StatusConflict, "version 3 is stale").SetInternal(locked),
			withDetail,
			`{"type":"about:blank","title":"Conflict","status":409,"detail":"version 3 is stale","cause":"db: row locked"}`,
		},
		"/5xx": {
			echo.NewHTTPError(http.StatusBadGateway).SetInternal(locked),
			problem.Wrap(locked, http.StatusBadGateway),
			`{"type":"about:blank","title":"Bad Gateway","status":502,"detail":"db: row locked"}`,
		},
	}
	opts := &middleware.Options{Logger: slog.New(slog.DiscardHandler), Instance: func(*http.Request) string { return "" }}
	e := echo.New()
	e.Debug = true
	e.HTTPErrorHandler = problemecho.ErrorHandler(opts)
	exposed := *opts
	exposed.ExposeErrors = true
	m := middleware.New(&exposed)
	mux := http.NewServeMux()
	for path, tc := range routes {
		e.GET(path, func(echo.Context) error { return tc.echo })
		mux.Handle(path, m.Handle(func(http.ResponseWriter, *http.Request) error { return tc.nethttp }))
	}
	withEcho := httptest.NewServer(e)
	defer withEcho.Close()
	plain := httptest.NewServer(m.Wrap(mux))
	defer plain.Close()
	for path, tc := range routes {
		t.Run(path, func(t *testing.T) {
			_, body := testkit.Do(t, withEcho.Client(), "GET", withEcho.URL+path, nil)
			assert.Equal(t, tc.want, body)
			get := func(base string) string {
				return string(golden.Response(t, testkit.Send(t, http.DefaultClient, "GET", base+path, nil)))
			}
			assert.Equal(t, get(plain.URL), get(withEcho.URL), "the same bytes on both stacks")
		})
	}
}

// TestDebugIsAskedPerRequest: one ErrorHandler serves Echo in and out of
// Debug mode, exposing the cause only while Debug is on, and logs and
// reports the error the same way either way.
func TestDebugIsAskedPerRequest(t *testing.T) {
	var reported []string
	logs := new(testkit.LogBuffer)
	e := echo.New()
	e.HTTPErrorHandler = problemecho.ErrorHandler(&middleware.Options{
		Logger:   slog.New(slog.NewJSONHandler(logs, nil)),
		Instance: func(*http.Request) string { return "" },
		OnError: func(r *http.Request, p *problem.Problem, err error) {
			reported = append(reported, p.Detail)
		},
	})
	e.GET("/x", func(echo.Context) error {
		return echo.NewHTTPError(http.StatusBadGateway).SetInternal(errors.New("db: row locked"))
	})
	srv := httptest.NewServer(e)
	defer srv.Close()
	for _, debug := range []bool{true, false, true} {
		e.Debug = debug
		_, body := testkit.Do(t, srv.Client(), "GET", srv.URL+"/x", nil)
		if debug {
			assert.Equal(t, `{"type":"about:blank","title":"Bad Gateway","status":502,"detail":"db: row locked"}`, body)
		} else {
			assert.Equal(t, `{"type":"about:blank","title":"Bad Gateway","status":502}`, body)
		}
	}
	assert.Equal(t, []string{"db: row locked", "", "db: row locked"}, reported, "OnError gets the problem as sent")
	assert.Len(t, logs.Records(t), 3, "one record per error, in both modes")
}

// TestEnrichAsOnNetHTTP: the pre-write hook applies on Echo too, with the
// same bytes as on net/http.
func TestEnrichAsOnNetHTTP(t *testing.T) {
	opts := &middleware.Options{
		Logger:   slog.New(slog.DiscardHandler),
		Instance: func(*http.Request) string { return "" },
		Enrich: func(r *http.Request, p *problem.Problem, err error) {
			p.Extensions = map[string]any{"tenant": r.Header.Get("X-Tenant")}
			p.Header = http.Header{"Link": {`<https://docs.example/errors>; rel="help"`}}
		},
	}
	e := echo.New()
	e.HTTPErrorHandler = problemecho.ErrorHandler(opts)
	e.GET("/x", func(echo.Context) error { return echo.ErrConflict })
	m := middleware.New(opts)
	withEcho := httptest.NewServer(e)
	defer withEcho.Close()
	plain := httptest.NewServer(m.Handle(func(http.ResponseWriter, *http.Request) error {
		return problem.New(http.StatusConflict, "")
	}))
	defer plain.Close()
	get := func(base string) string {
		return string(golden.Response(t, testkit.Send(t, http.DefaultClient, "GET", base+"/x", nil, "X-Tenant", "acme")))
	}
	got := get(withEcho.URL)
	assert.Contains(t, got, `"tenant":"acme"`)
	assert.Contains(t, got, "Link: <https://docs.example/errors>")
	assert.Equal(t, get(plain.URL), got)
}

// TestRequestIDMiddleware: Echo's RequestID puts the id it generates on the
// response; the problem and the log record carry it.
func TestRequestIDMiddleware(t *testing.T) {
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.Use(echomw.RequestID())
		e.GET("/x", func(c echo.Context) error { return echo.ErrConflict })
	})
	resp, body := s.do(t, "GET", "/x", nil)
	id := resp.Header.Get("X-Request-Id")
	require.Len(t, id, 32, "generated by Echo")
	assert.Equal(t, `{"type":"about:blank","title":"Conflict","status":409,"correlationId":"`+id+`"}`, body)
	recs := s.logs.Records(t)
	require.Len(t, recs, 1)
	assert.Equal(t, id, recs[0]["correlationId"], "a top-level attribute")

	_, body = s.do(t, "GET", "/x", nil, "X-Request-Id", "req-42")
	assert.Contains(t, body, `"correlationId":"req-42"`)
}

// TestContextXML: a handler can send a problem with Echo's own c.XML, which
// encodes it with xml.Marshal: the body is Appendix B's encoding, and the
// response is whole (the error handler has nothing to report).
func TestContextXML(t *testing.T) {
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.GET("/x", func(c echo.Context) error {
			p := problem.New(http.StatusNotFound, "no item 42").WithExtension("item", 42)
			return c.XML(p.Status, p)
		})
	})
	resp, body := s.do(t, "GET", "/x", nil)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, echo.MIMEApplicationXMLCharsetUTF8, resp.Header.Get("Content-Type"))
	assert.Equal(t, xml.Header+`<problem xmlns="urn:ietf:rfc:7807"><type>about:blank</type><status>404</status><detail>no item 42</detail><item>42</item></problem>`, body)
	assert.Empty(t, s.logs.String(), "nothing lost")
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
		e.GET("/items/:id", func(c echo.Context) error { return problem.New(http.StatusConflict, "version 3 is stale") })
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

// TestAbortPassesEchoRecover: Wrap inside Echo, behind Echo's Recover. A
// panic after the response was committed aborts it: Recover lets
// http.ErrAbortHandler through by identity only, and would take anything
// else for a panic to hand to the error handler, which finds the response
// committed, and Echo would end the cut body as if it were whole.
func TestAbortPassesEchoRecover(t *testing.T) {
	m := middleware.New(&middleware.Options{Logger: slog.New(slog.DiscardHandler)})
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.Use(echomw.Recover(), echo.WrapMiddleware(m.Wrap))
		e.GET("/late", func(c echo.Context) error {
			_, _ = io.WriteString(c.Response(), strings.Repeat("x", 10))
			c.Response().Flush()
			panic("late")
		})
	})
	resp, err := s.Client().Get(s.URL + "/late")
	require.NoError(t, err, "the status went out")
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Error(t, err, "the client sees the response aborted, not a cut body taken as whole")
}
