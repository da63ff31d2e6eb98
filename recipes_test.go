package problemkit_test

// The README's "Where Wrap goes", tested against the real routers and
// their real middleware, on servers on loopback: each recipe in the order
// the README gives, and in the wrong order, to show what the order
// changes. chi and gorilla/mux are imported only here, by tests.

import (
	"compress/gzip"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"
	"github.com/gorilla/mux"
	"github.com/labstack/echo/v4"
	echomw "github.com/labstack/echo/v4/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/middleware/problemecho"
	"github.com/problemkit/problemkit/problem"
)

// recipe is a server for one recipe, with the middleware's log and
// net/http's own.
type recipe struct {
	url       string
	client    *http.Client
	logs      *testkit.LogBuffer
	serverLog *testkit.LogBuffer
}

// recipeOptions are the options of every recipe: no instance member, to
// keep the bodies short, and a log to look at.
func recipeOptions(logs *testkit.LogBuffer) *middleware.Options {
	return &middleware.Options{
		Logger:   slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Instance: func(*http.Request) string { return "" },
	}
}

// serveRecipe serves h on loopback. Its client neither asks for nor
// decodes compression unless a request says so.
func serveRecipe(t *testing.T, logs *testkit.LogBuffer, h http.Handler) *recipe {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	serverLog := new(testkit.LogBuffer)
	srv.Config.ErrorLog = log.New(serverLog, "", 0)
	srv.Start()
	t.Cleanup(srv.Close)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	t.Cleanup(client.CloseIdleConnections)
	return &recipe{url: srv.URL, client: client, logs: logs, serverLog: serverLog}
}

func (s *recipe) do(t *testing.T, method, path string, header ...string) (*http.Response, string) {
	t.Helper()
	return testkit.Do(t, s.client, method, s.url+path, nil, header...)
}

// gunzip decodes a gzip body.
func gunzip(t *testing.T, body string) string {
	t.Helper()
	zr, err := gzip.NewReader(strings.NewReader(body))
	require.NoError(t, err, "a gzip body")
	plain, err := io.ReadAll(zr)
	require.NoError(t, err)
	return string(plain)
}

const (
	notFound = `{"type":"about:blank","title":"Not Found","status":404}`
	internal = `{"type":"about:blank","title":"Internal Server Error","status":500}`
)

// TestChiRecipe runs the README's chi stack whole: the router's 404 carries
// chi's request id and is compressed, Timeout's 504 and a panic with a
// problem come out as problems.
func TestChiRecipe(t *testing.T) {
	logs := new(testkit.LogBuffer)
	opts := recipeOptions(logs)
	opts.Correlation = func(r *http.Request) string { return chimw.GetReqID(r.Context()) }
	m := middleware.New(opts)

	r := chi.NewRouter()
	r.Use(chimw.RequestID, chimw.Compress(5, "application/json", "application/problem+json"), m.Wrap, chimw.Timeout(10*time.Millisecond))
	r.Get("/slow", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	r.Get("/forbidden", func(w http.ResponseWriter, r *http.Request) { panic(problem.New(http.StatusForbidden, "")) })
	s := serveRecipe(t, logs, r)

	for _, c := range []struct {
		path, want string
		status     int
	}{
		{"/nope", `{"type":"about:blank","title":"Not Found","status":404,"correlationId":"req-42"}`, 404},
		{"/slow", `{"type":"about:blank","title":"Gateway Timeout","status":504,"correlationId":"req-42"}`, 504},
		{"/forbidden", `{"type":"about:blank","title":"Forbidden","status":403,"correlationId":"req-42"}`, 403},
	} {
		resp, body := s.do(t, "GET", c.path, "X-Request-Id", "req-42", "Accept-Encoding", "gzip")
		assert.Equal(t, c.status, resp.StatusCode, c.path)
		assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"), c.path)
		assert.Equal(t, c.want, gunzip(t, body), c.path)
	}
}

// TestChiRequestID: with RequestID before Wrap, chi's request id (in the
// request's context) reaches every problem; after Wrap, only the problems
// of handlers, which get the request RequestID made, and not those Wrap
// writes itself: the router's 404 and 405, panics.
func TestChiRequestID(t *testing.T) {
	const (
		gone      = `{"type":"about:blank","title":"Gone","status":410,"correlationId":"req-42"}`
		withID404 = `{"type":"about:blank","title":"Not Found","status":404,"correlationId":"req-42"}`
		withID405 = `{"type":"about:blank","title":"Method Not Allowed","status":405,"correlationId":"req-42"}`
		withID500 = `{"type":"about:blank","title":"Internal Server Error","status":500,"correlationId":"req-42"}`
		bare405   = `{"type":"about:blank","title":"Method Not Allowed","status":405}`
	)
	for _, tc := range []struct {
		name string
		use  func(r chi.Router, m *middleware.Middleware)
		want map[string]string // by method and path
	}{
		{"RequestID before Wrap", func(r chi.Router, m *middleware.Middleware) { r.Use(chimw.RequestID, m.Wrap) }, map[string]string{
			"GET /items/1": gone, "GET /nope": withID404, "DELETE /items/1": withID405, "GET /panic": withID500,
		}},
		{"Wrap before RequestID", func(r chi.Router, m *middleware.Middleware) { r.Use(m.Wrap, chimw.RequestID) }, map[string]string{
			"GET /items/1": gone, "GET /nope": notFound, "DELETE /items/1": bare405, "GET /panic": internal,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs := new(testkit.LogBuffer)
			opts := recipeOptions(logs)
			opts.Correlation = func(r *http.Request) string { return chimw.GetReqID(r.Context()) }
			m := middleware.New(opts)
			r := chi.NewRouter()
			tc.use(r, m)
			r.Method("GET", "/items/{id}", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
				return problem.New(http.StatusGone, "")
			}))
			r.Get("/panic", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
			s := serveRecipe(t, logs, r)

			for req, want := range tc.want {
				method, path, _ := strings.Cut(req, " ")
				_, body := s.do(t, method, path, "X-Request-Id", "req-42")
				assert.Equal(t, want, body, req)
			}
		})
	}
}

// TestChiTimeout: chi's Timeout writes a bare 504 when the deadline
// passed. Behind Wrap, it becomes a problem; before Wrap, it goes out
// bare, and for a handler that returns the deadline error it comes after
// the problem, a superfluous WriteHeader that net/http logs.
func TestChiTimeout(t *testing.T) {
	const timedOut = `{"type":"about:blank","title":"Gateway Timeout","status":504}`
	for _, tc := range []struct {
		name        string
		use         func(r chi.Router, m *middleware.Middleware)
		wantSilent  string // a handler that writes nothing
		wantCT      string
		superfluous bool // net/http logged a second WriteHeader
	}{
		{"Wrap before Timeout", func(r chi.Router, m *middleware.Middleware) { r.Use(m.Wrap, chimw.Timeout(10*time.Millisecond)) },
			timedOut, "application/problem+json", false},
		{"Timeout before Wrap", func(r chi.Router, m *middleware.Middleware) { r.Use(chimw.Timeout(10*time.Millisecond), m.Wrap) },
			"", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs := new(testkit.LogBuffer)
			m := middleware.New(recipeOptions(logs))
			r := chi.NewRouter()
			tc.use(r, m)
			r.Get("/silent", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
			r.Method("GET", "/error", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
				<-r.Context().Done()
				return r.Context().Err()
			}))
			s := serveRecipe(t, logs, r)

			resp, body := s.do(t, "GET", "/silent")
			assert.Equal(t, 504, resp.StatusCode)
			assert.Equal(t, tc.wantSilent, body)
			assert.Equal(t, tc.wantCT, resp.Header.Get("Content-Type"))

			resp, body = s.do(t, "GET", "/error")
			assert.Equal(t, 504, resp.StatusCode)
			assert.Equal(t, timedOut, body)
			assert.Equal(t, tc.superfluous, strings.Contains(s.serverLog.String(), "superfluous response.WriteHeader"), s.serverLog.String())
		})
	}
}

// chiPanics records the panics chi's Recoverer reports, in place of its
// colored stack on stderr.
type chiPanics struct {
	mu     sync.Mutex
	values []any
}

func (p *chiPanics) Write(int, int, http.Header, time.Duration, any) {}

func (p *chiPanics) Panic(v any, _ []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.values = append(p.values, v)
}

func (p *chiPanics) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, chimw.WithLogEntry(r, p))
	})
}

// TestChiRecoverer: Wrap recovers panics itself. Behind Wrap, chi's
// Recoverer catches them first and writes a bare 500, which Wrap replaces:
// a panic with a problem loses its status, and the panic value reaches
// only chi's log. Before Wrap, Recoverer sees no panic.
func TestChiRecoverer(t *testing.T) {
	for _, tc := range []struct {
		name       string
		use        func(r chi.Router, m *middleware.Middleware, p *chiPanics)
		wantTyped  int  // the status of panic(problem.New(403, ...))
		chiSawIt   bool // the panic reached chi's log
		weLoggedIt bool // the panic value reached the middleware's log
	}{
		{"Recoverer before Wrap", func(r chi.Router, m *middleware.Middleware, p *chiPanics) {
			r.Use(p.middleware, chimw.Recoverer, m.Wrap)
		}, 403, false, true},
		{"no Recoverer", func(r chi.Router, m *middleware.Middleware, p *chiPanics) {
			r.Use(p.middleware, m.Wrap)
		}, 403, false, true},
		{"Wrap before Recoverer", func(r chi.Router, m *middleware.Middleware, p *chiPanics) {
			r.Use(p.middleware, m.Wrap, chimw.Recoverer)
		}, 500, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs := new(testkit.LogBuffer)
			m := middleware.New(recipeOptions(logs))
			panics := new(chiPanics)
			r := chi.NewRouter()
			tc.use(r, m, panics)
			r.Get("/panic", func(w http.ResponseWriter, r *http.Request) { panic("secret: hunter2") })
			r.Get("/typed", func(w http.ResponseWriter, r *http.Request) { panic(problem.New(http.StatusForbidden, "")) })
			s := serveRecipe(t, logs, r)

			resp, body := s.do(t, "GET", "/panic")
			assert.Equal(t, 500, resp.StatusCode)
			assert.Equal(t, internal, body, "a 500 problem either way")
			assert.Equal(t, tc.weLoggedIt, strings.Contains(logs.String(), "hunter2"), logs.String())
			panics.mu.Lock()
			assert.Equal(t, tc.chiSawIt, len(panics.values) > 0)
			panics.mu.Unlock()

			resp, _ = s.do(t, "GET", "/typed")
			assert.Equal(t, tc.wantTyped, resp.StatusCode)
		})
	}
}

// TestChiCompress: Compress compresses a problem only when its types
// include application/problem+json. Before Wrap, it compresses every
// problem. Behind Wrap, it compresses only those handlers write through it
// (m.Handle), not those Wrap writes in place of bare errors (the router's
// 404, http.Error); and when it compresses text/plain (its default types
// do), Wrap gets http.Error's text compressed and cannot use it as the
// detail.
func TestChiCompress(t *testing.T) {
	types := []string{"application/json", "application/problem+json"}
	const (
		gone = `{"type":"about:blank","title":"Gone","status":410}`
		bad  = `{"type":"about:blank","title":"Bad Request","status":400,"detail":"name is required"}`
		bare = `{"type":"about:blank","title":"Bad Request","status":400}`
	)
	type want struct {
		body    string
		gzipped bool
	}
	for _, tc := range []struct {
		name                string
		use                 func(r chi.Router, m *middleware.Middleware)
		item, router, error want
	}{
		{"Compress with problem+json before Wrap", func(r chi.Router, m *middleware.Middleware) {
			r.Use(chimw.Compress(5, types...), m.Wrap)
		}, want{gone, true}, want{notFound, true}, want{bad, true}},
		{"Wrap before Compress with problem+json", func(r chi.Router, m *middleware.Middleware) {
			r.Use(m.Wrap, chimw.Compress(5, types...))
		}, want{gone, true}, want{notFound, false}, want{bad, false}},
		{"Compress with its default types before Wrap", func(r chi.Router, m *middleware.Middleware) {
			r.Use(chimw.Compress(5), m.Wrap)
		}, want{gone, false}, want{notFound, false}, want{bad, false}},
		{"Wrap before Compress with its default types", func(r chi.Router, m *middleware.Middleware) {
			r.Use(m.Wrap, chimw.Compress(5))
		}, want{gone, false}, want{notFound, false}, want{bare, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs := new(testkit.LogBuffer)
			m := middleware.New(recipeOptions(logs))
			r := chi.NewRouter()
			tc.use(r, m)
			r.Method("GET", "/items/{id}", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
				return problem.New(http.StatusGone, "")
			}))
			r.Get("/error", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "name is required", 400) })
			s := serveRecipe(t, logs, r)

			for _, c := range []struct {
				path   string
				status int
				want   want
			}{
				{"/items/1", 410, tc.item},
				{"/nope", 404, tc.router},
				{"/error", 400, tc.error},
			} {
				resp, body := s.do(t, "GET", c.path, "Accept-Encoding", "gzip")
				assert.Equal(t, c.status, resp.StatusCode, c.path)
				assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"), c.path)
				if c.want.gzipped {
					assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"), c.path)
					assert.Equal(t, c.want.body, gunzip(t, body), c.path)
				} else {
					assert.Empty(t, resp.Header.Get("Content-Encoding"), c.path)
					assert.Equal(t, c.want.body, body, c.path)
				}
			}
		})
	}
}

// TestGorillaMux: Router.Use runs middleware only for matched routes, so
// r.Use(m.Wrap) leaves the router's 404 and 405 bare; m.Wrap(r) covers
// them. gorilla's 405 has no Allow header.
func TestGorillaMux(t *testing.T) {
	for _, tc := range []struct {
		name               string
		handler            func(r *mux.Router, m *middleware.Middleware) http.Handler
		want404, want405   string
		type404, type405   string
		wantItem, typeItem string
	}{
		{"m.Wrap(r)", func(r *mux.Router, m *middleware.Middleware) http.Handler { return m.Wrap(r) },
			notFound, `{"type":"about:blank","title":"Method Not Allowed","status":405}`,
			"application/problem+json", "application/problem+json",
			`{"type":"about:blank","title":"Gone","status":410}`, "application/problem+json"},
		{"r.Use(m.Wrap)", func(r *mux.Router, m *middleware.Middleware) http.Handler { r.Use(m.Wrap); return r },
			"404 page not found\n", "",
			"text/plain; charset=utf-8", "",
			`{"type":"about:blank","title":"Gone","status":410}`, "application/problem+json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs := new(testkit.LogBuffer)
			m := middleware.New(recipeOptions(logs))
			r := mux.NewRouter()
			r.Handle("/items/{id}", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
				return problem.New(http.StatusGone, "")
			})).Methods("GET")
			s := serveRecipe(t, logs, tc.handler(r, m))

			resp, body := s.do(t, "GET", "/nope")
			assert.Equal(t, 404, resp.StatusCode)
			assert.Equal(t, tc.want404, body)
			assert.Equal(t, tc.type404, resp.Header.Get("Content-Type"))

			resp, body = s.do(t, "DELETE", "/items/1")
			assert.Equal(t, 405, resp.StatusCode)
			assert.Equal(t, tc.want405, body)
			assert.Equal(t, tc.type405, resp.Header.Get("Content-Type"))
			assert.NotContains(t, resp.Header, "Allow", "gorilla/mux sends its 405 without Allow")

			resp, body = s.do(t, "GET", "/items/1")
			assert.Equal(t, 410, resp.StatusCode)
			assert.Equal(t, tc.wantItem, body)
			assert.Equal(t, tc.typeItem, resp.Header.Get("Content-Type"))
		})
	}
}

// TestServeMux: Wrap around the mux turns its 404 and 405 into problems and
// keeps the 405's Allow; Wrap around one handler covers only that handler.
func TestServeMux(t *testing.T) {
	for _, tc := range []struct {
		name             string
		handler          func(mux *http.ServeMux, m *middleware.Middleware) http.Handler
		want404, want405 string
		type404, type405 string
	}{
		{"m.Wrap(mux)", func(mux *http.ServeMux, m *middleware.Middleware) http.Handler { return m.Wrap(mux) },
			notFound, `{"type":"about:blank","title":"Method Not Allowed","status":405}`,
			"application/problem+json", "application/problem+json"},
		{"Wrap around a handler only", func(mux *http.ServeMux, m *middleware.Middleware) http.Handler { return mux },
			"404 page not found\n", "Method Not Allowed\n",
			"text/plain; charset=utf-8", "text/plain; charset=utf-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs := new(testkit.LogBuffer)
			m := middleware.New(recipeOptions(logs))
			mux := http.NewServeMux()
			mux.Handle("GET /items/{id}", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
				return problem.New(http.StatusGone, "")
			}))
			s := serveRecipe(t, logs, tc.handler(mux, m))

			resp, body := s.do(t, "GET", "/nope")
			assert.Equal(t, 404, resp.StatusCode)
			assert.Equal(t, tc.want404, body)
			assert.Equal(t, tc.type404, resp.Header.Get("Content-Type"))

			resp, body = s.do(t, "DELETE", "/items/1")
			assert.Equal(t, 405, resp.StatusCode)
			assert.Equal(t, tc.want405, body)
			assert.Equal(t, tc.type405, resp.Header.Get("Content-Type"))
			assert.Equal(t, "GET, HEAD", resp.Header.Get("Allow"))
		})
	}
}

// TestEchoGzip: Echo calls its error handler after the middleware chain has
// returned, when Gzip has already put back the plain writer, so a returned
// error's problem goes out uncompressed; RequestLogger with HandleError
// calls the handler where it runs, so behind Gzip the problem is
// compressed.
func TestEchoGzip(t *testing.T) {
	logger := func() echo.MiddlewareFunc {
		return echomw.RequestLoggerWithConfig(echomw.RequestLoggerConfig{
			HandleError:   true,
			LogValuesFunc: func(echo.Context, echomw.RequestLoggerValues) error { return nil },
		})
	}
	for _, tc := range []struct {
		name    string
		use     func(e *echo.Echo)
		gzipped bool
	}{
		{"Gzip before RequestLogger", func(e *echo.Echo) { e.Use(echomw.Gzip(), logger()) }, true},
		{"RequestLogger before Gzip", func(e *echo.Echo) { e.Use(logger(), echomw.Gzip()) }, false},
		{"Gzip alone", func(e *echo.Echo) { e.Use(echomw.Gzip()) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs := new(testkit.LogBuffer)
			e := echo.New()
			e.HideBanner, e.HidePort = true, true
			e.Logger.SetOutput(io.Discard)
			e.HTTPErrorHandler = problemecho.ErrorHandler(recipeOptions(logs))
			tc.use(e)
			e.GET("/items/:id", func(c echo.Context) error { return problem.New(http.StatusGone, "") })
			s := serveRecipe(t, logs, e)

			for _, path := range []string{"/items/1", "/nope"} {
				resp, body := s.do(t, "GET", path, "Accept-Encoding", "gzip")
				want, status := `{"type":"about:blank","title":"Gone","status":410}`, 410
				if path == "/nope" {
					want, status = notFound, 404
				}
				assert.Equal(t, status, resp.StatusCode, path)
				assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"), path)
				if tc.gzipped {
					assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"), path)
					assert.Equal(t, want, gunzip(t, body), path)
				} else {
					assert.Empty(t, resp.Header.Get("Content-Encoding"), path)
					assert.Equal(t, want, body, path)
				}
			}
		})
	}
}
