package problemkit_test

// End-to-end tests: the same errors through the net/http middleware,
// through Echo v4 and through Echo v5, on real servers on loopback, side by
// side (conformance matrix F1-F15). Every problem body any stack sends is
// checked against RFC 9457 Appendix A (JSON Schema, with a real validator)
// or Appendix B (XML), and the stacks must send the same bytes.

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	echomw "github.com/labstack/echo/v4/middleware"
	echo5 "github.com/labstack/echo/v5"
	echomw5 "github.com/labstack/echo/v5/middleware"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/golden"
	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/middleware/problemecho"
	"github.com/problemkit/problemkit/middleware/problemecho5"
	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemvalidator"
)

// stack is one server: net/http, Echo v4 or Echo v5.
type stack struct {
	name      string
	url       string
	logs      *testkit.LogBuffer // the middleware's log
	serverLog *testkit.LogBuffer // net/http's own error log
}

// harness runs the same routes on every stack.
type harness struct {
	stacks []*stack
	mux    *http.ServeMux
	e      *echo.Echo
	e5     *echo5.Echo
	m      *middleware.Middleware
}

// newHarness builds the stacks from opts; add registers routes on all
// (through h.handle), or stack-specific ones on h.mux, h.e and h.e5.
func newHarness(t *testing.T, opts middleware.Options, add func(h *harness)) *harness {
	t.Helper()
	netLogs, echoLogs, echo5Logs := new(testkit.LogBuffer), new(testkit.LogBuffer), new(testkit.LogBuffer)
	withLogs := func(logs *testkit.LogBuffer) *middleware.Options {
		o := opts
		o.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		return &o
	}

	h := &harness{mux: http.NewServeMux(), e: echo.New(), e5: echo5.New(), m: middleware.New(withLogs(netLogs))}
	h.e.HideBanner, h.e.HidePort = true, true
	h.e.Logger.SetOutput(io.Discard)
	h.e.HTTPErrorHandler = problemecho.ErrorHandler(withLogs(echoLogs))
	h.e.Validator = problemvalidator.New(nil)
	h.e5.Logger = slog.New(slog.DiscardHandler)
	h.e5.HTTPErrorHandler = problemecho5.ErrorHandler(withLogs(echo5Logs))
	h.e5.Validator = problemvalidator.New(nil)
	add(h)

	for _, s := range []struct {
		name    string
		handler http.Handler
		logs    *testkit.LogBuffer
	}{
		{"net/http", h.m.Wrap(h.mux), netLogs},
		{"echo", h.e, echoLogs},
		{"echo5", h.e5, echo5Logs},
	} {
		srv := httptest.NewUnstartedServer(s.handler)
		serverLog := new(testkit.LogBuffer)
		srv.Config.ErrorLog = log.New(serverLog, "", 0)
		srv.Start()
		t.Cleanup(srv.Close)
		h.stacks = append(h.stacks, &stack{name: s.name, url: srv.URL, logs: s.logs, serverLog: serverLog})
	}
	return h
}

// handle registers fn for method and path on every stack. Path parameters
// are written as ServeMux writes them, "{id}", and read with
// r.PathValue on all.
func (h *harness) handle(method, path string, fn func(w http.ResponseWriter, r *http.Request) error) {
	h.mux.Handle(method+" "+path, h.m.Handle(fn))
	echoPath := braces.ReplaceAllString(path, ":$1")
	handler := func(c echo.Context) error {
		for _, name := range c.ParamNames() {
			c.Request().SetPathValue(name, c.Param(name))
		}
		return fn(c.Response(), c.Request())
	}
	h.e.Add(method, echoPath, handler)
	handler5 := func(c *echo5.Context) error {
		for _, p := range c.PathValues() {
			c.Request().SetPathValue(p.Name, p.Value)
		}
		return fn(c.Response(), c.Request())
	}
	h.e5.Add(method, echoPath, handler5)
	if method == http.MethodGet {
		h.e.Add(http.MethodHead, echoPath, handler)
		h.e5.Add(http.MethodHead, echoPath, handler5)
	}
}

var braces = regexp.MustCompile(`\{(\w+)\}`)

// response is a response with its body read.
type response struct {
	*http.Response
	body string
}

func do(t *testing.T, method, url string, body io.Reader, header ...string) response {
	t.Helper()
	resp, data := testkit.Do(t, http.DefaultClient, method, url, body, header...)
	return response{resp, data}
}

// both sends the same request to each stack, checks every problem response
// against RFC 9457, and checks that the stacks answered alike: same status,
// same body, same headers (but those named in differ) as net/http.
func (h *harness) both(t *testing.T, method, path string, body func() io.Reader, header []string, differ ...string) []response {
	t.Helper()
	var out []response
	for _, s := range h.stacks {
		var b io.Reader
		if body != nil {
			b = body()
		}
		r := do(t, method, s.url+path, b, header...)
		checkProblem(t, s.name, method, r)
		out = append(out, r)
	}
	a := out[0]
	for i, b := range out[1:] {
		name := h.stacks[i+1].name
		assert.Equal(t, a.StatusCode, b.StatusCode, "%s %s: status on %s", method, path, name)
		assert.Equal(t, a.body, b.body, "%s %s: body on %s", method, path, name)
		assert.Equal(t, headersBut(a.Header, differ), headersBut(b.Header, differ), "%s %s: headers on %s", method, path, name)
	}
	return out
}

func headersBut(h http.Header, skip []string) http.Header {
	out := h.Clone()
	out.Del("Date")
	for _, k := range skip {
		out.Del(k)
	}
	return out
}

var (
	schemaOnce sync.Once
	schema     *jsonschema.Schema
	schemaErr  error
)

// problemSchema is RFC 9457 Appendix A, compiled by a JSON Schema 2020-12
// validator that asserts formats (uri-reference).
func problemSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	schemaOnce.Do(func() {
		f, err := os.Open("testdata/rfc9457-appendix-a.json")
		if err != nil {
			schemaErr = err
			return
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			schemaErr = err
			return
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if schemaErr = c.AddResource("https://problemkit.test/problem.json", doc); schemaErr != nil {
			return
		}
		schema, schemaErr = c.Compile("https://problemkit.test/problem.json")
	})
	require.NoError(t, schemaErr)
	return schema
}

// checkProblem checks a problem response: media type, status member equal
// to the status line, the body valid against Appendix A (JSON) or B (XML),
// no body for HEAD.
func checkProblem(t *testing.T, stackName, method string, r response) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "application/problem+json" && mt != "application/problem+xml") {
		return // not a problem response
	}
	assert.Empty(t, params, "%s: no charset on problem media types", stackName)
	assert.Equal(t, "nosniff", r.Header.Get("X-Content-Type-Options"), stackName)
	assert.Equal(t, "no-store", r.Header.Get("Cache-Control"), stackName)
	assert.Contains(t, r.Header.Values("Vary"), "Accept", stackName)
	if method == http.MethodHead {
		assert.Empty(t, r.body, "%s: HEAD has no body", stackName)
		return
	}
	if mt == "application/problem+json" {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(r.body))
		require.NoError(t, err, "%s: %s", stackName, r.body)
		assert.NoError(t, problemSchema(t).Validate(inst), "%s: Appendix A: %s", stackName, r.body)
		status, _ := inst.(map[string]any)["status"].(json.Number)
		assert.Equal(t, strconv.Itoa(r.StatusCode), status.String(), "%s: status member", stackName)
		return
	}
	status := checkAppendixB(t, stackName, r.body)
	assert.Equal(t, r.StatusCode, status, "%s: status element", stackName)
}

var positiveInteger = regexp.MustCompile(`^[0-9]*[1-9][0-9]*$`)

// checkAppendixB checks an XML body against the RELAX NG schema of RFC 9457
// Appendix B: a problem element in the urn:ietf:rfc:7807 namespace; type,
// title, detail, status and instance at most once each, as text (status a
// positive integer, type and instance URI references); every other element
// in the same namespace. It returns the status.
func checkAppendixB(t *testing.T, stackName, body string) int {
	t.Helper()
	assert.True(t, strings.HasPrefix(body, `<?xml version="1.0" encoding="UTF-8"?>`), stackName)
	dec := xml.NewDecoder(strings.NewReader(body))
	depth, status := 0, 0
	seen := map[string]bool{}
	var current string
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "%s: well-formed: %s", stackName, body)
		switch tok := tok.(type) {
		case xml.StartElement:
			assert.Equal(t, problem.XMLNamespace, tok.Name.Space, "%s: element %s in the problem namespace", stackName, tok.Name.Local)
			if depth == 0 {
				assert.Equal(t, "problem", tok.Name.Local, stackName)
			}
			if depth == 1 {
				current = tok.Name.Local
				text.Reset()
				switch current {
				case "type", "title", "detail", "status", "instance":
					assert.False(t, seen[current], "%s: %s appears once", stackName, current)
					seen[current] = true
				}
			} else if depth == 2 {
				switch current {
				case "type", "title", "detail", "status", "instance":
					t.Errorf("%s: %s holds elements", stackName, current)
				}
			}
			depth++
		case xml.CharData:
			text.Write(tok)
		case xml.EndElement:
			depth--
			if depth == 1 {
				v := text.String()
				switch current {
				case "status":
					assert.Regexp(t, positiveInteger, v, stackName)
					status, _ = strconv.Atoi(v)
				case "type", "instance":
					_, err := url.Parse(v)
					assert.NoError(t, err, "%s: %s is a URI reference", stackName, current)
				}
			}
		}
	}
	return status
}

// TestEveryCatalogCode is F1, F2 and F15: every 4xx and 5xx code of the
// catalog, through both stacks, in JSON and XML, GET and HEAD.
func TestEveryCatalogCode(t *testing.T) {
	h := newHarness(t, middleware.Options{}, func(h *harness) {
		h.handle("GET", "/status/{code}", func(w http.ResponseWriter, r *http.Request) error {
			code, _ := strconv.Atoi(r.PathValue("code"))
			return problem.New(code, "")
		})
	})
	for e := range catalog.Default().All() {
		if e.Code < 400 {
			continue
		}
		path := fmt.Sprintf("/status/%d", e.Code)
		wantStatus, wantTitle := e.Code, e.Phrase
		if e.Phrase == "(Unused)" {
			wantStatus, wantTitle = 500, "Internal Server Error" // refused
		}
		for _, accept := range []string{"", "application/problem+xml"} {
			rs := h.both(t, "GET", path, nil, []string{"Accept", accept})
			r := rs[0]
			assert.Equal(t, wantStatus, r.StatusCode, path)
			if accept == "" {
				var p problem.Problem
				require.NoError(t, json.Unmarshal([]byte(r.body), &p))
				assert.Equal(t, wantTitle, p.Title, path)
				assert.Equal(t, "application/problem+json", r.Header.Get("Content-Type"))
			} else {
				assert.Equal(t, "application/problem+xml", r.Header.Get("Content-Type"))
				assert.Contains(t, r.body, "<title>"+wantTitle+"</title>")
			}
			heads := h.both(t, "HEAD", path, nil, []string{"Accept", accept})
			assert.Equal(t, wantStatus, heads[0].StatusCode)
			assert.Equal(t, strconv.Itoa(len(r.body)), heads[0].Header.Get("Content-Length"), "HEAD: GET's length")
		}
	}
}

// TestErrorsBecomeProblems is F3, F4, F6, F7 and F9 on both stacks.
func TestErrorsBecomeProblems(t *testing.T) {
	at := time.Date(2031, 5, 6, 7, 8, 9, 0, time.FixedZone("CET", 3600))
	cat, err := catalog.Load(strings.NewReader(`{"statuses":[{"code":503,"phrase":"ServiceUnavailable","retryAfter":120}]}`))
	require.NoError(t, err)
	routes := map[string]func(w http.ResponseWriter, r *http.Request) error{
		"/wrapped": func(w http.ResponseWriter, r *http.Request) error {
			return fmt.Errorf("handler: %w", problem.New(409, "stale"))
		},
		"/joined": func(w http.ResponseWriter, r *http.Request) error {
			return errors.Join(problem.New(404, "gone"), problem.New(503, "down"))
		},
		"/unknown": func(w http.ResponseWriter, r *http.Request) error {
			return errors.New("pq: relation users does not exist")
		},
		"/deadline": func(w http.ResponseWriter, r *http.Request) error {
			return fmt.Errorf("query: %w", context.DeadlineExceeded)
		},
		"/auth": func(w http.ResponseWriter, r *http.Request) error { return problem.New(401, "log in first") },
		"/retry-seconds": func(w http.ResponseWriter, r *http.Request) error {
			return problem.New(429, "").WithRetryAfter(90 * time.Second)
		},
		"/retry-date":    func(w http.ResponseWriter, r *http.Request) error { return problem.New(503, "").WithRetryAt(at) },
		"/retry-catalog": func(w http.ResponseWriter, r *http.Request) error { return problem.New(503, "") },
		"/too-large": func(w http.ResponseWriter, r *http.Request) error {
			return problem.New(413, "").WithRetryAfter(time.Hour)
		},
		"/stale": func(w http.ResponseWriter, r *http.Request) error {
			h := w.Header()
			h.Set("Content-Length", "1000")
			h.Set("ETag", `"v1"`)
			h.Set("Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT")
			h.Set("Cache-Control", "public, max-age=3600")
			return problem.New(404, "")
		},
		"/typed": func(w http.ResponseWriter, r *http.Request) error {
			return problem.Type{URI: "https://example.com/probs/out-of-credit", Title: "You do not have enough credit.", Status: 403}.
				New("Your current balance is 30, but that costs 50.").
				WithExtension("balance", 30).
				WithExtension("accounts", []string{"/account/12345", "/account/67890"})
		},
	}
	h := newHarness(t, middleware.Options{Catalog: cat}, func(h *harness) {
		for path, fn := range routes {
			h.handle("GET", path, fn)
		}
	})
	for path := range routes {
		for _, accept := range []string{"", "application/xml"} {
			h.both(t, "GET", path, nil, []string{"Accept", accept})
		}
	}
	get := func(path string) response { return h.both(t, "GET", path, nil, nil)[0] }

	r := get("/wrapped")
	assert.Equal(t, 409, r.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Conflict","status":409,"detail":"stale","instance":"/wrapped"}`, r.body)

	r = get("/joined")
	assert.Equal(t, 503, r.StatusCode, "5xx wins in a join")

	r = get("/unknown")
	assert.Equal(t, `{"type":"about:blank","title":"Internal Server Error","status":500,"instance":"/unknown"}`, r.body)
	for _, s := range h.stacks {
		assert.Contains(t, s.logs.String(), "pq: relation users does not exist", "%s logs the cause", s.name)
	}

	assert.Equal(t, 504, get("/deadline").StatusCode)

	r = get("/auth")
	assert.Equal(t, 401, r.StatusCode)
	assert.Equal(t, "Bearer", r.Header.Get("WWW-Authenticate"))

	assert.Equal(t, "90", get("/retry-seconds").Header.Get("Retry-After"))
	assert.Equal(t, "Tue, 06 May 2031 06:08:09 GMT", get("/retry-date").Header.Get("Retry-After"))
	assert.Equal(t, "120", get("/retry-catalog").Header.Get("Retry-After"))
	assert.Equal(t, "3600", get("/too-large").Header.Get("Retry-After"))

	r = get("/stale")
	assert.Empty(t, r.Header.Get("ETag"))
	assert.Empty(t, r.Header.Get("Last-Modified"))
	assert.Equal(t, "no-store", r.Header.Get("Cache-Control"))
	assert.Equal(t, strconv.Itoa(len(r.body)), r.Header.Get("Content-Length"))

	r = get("/typed")
	assert.Equal(t, `{"type":"https://example.com/probs/out-of-credit","title":"You do not have enough credit.","status":403,"detail":"Your current balance is 30, but that costs 50.","instance":"/typed","accounts":["/account/12345","/account/67890"],"balance":30}`, r.body)
}

// TestRouters is F5 (405 keeps Allow) and the routers' 404s.
func TestRouters(t *testing.T) {
	h := newHarness(t, middleware.Options{}, func(h *harness) {
		h.handle("GET", "/items/1", func(w http.ResponseWriter, r *http.Request) error { return nil })
		h.handle("POST", "/items/1", func(w http.ResponseWriter, r *http.Request) error { return nil })
	})
	rs := h.both(t, "DELETE", "/items/1", nil, nil, "Allow")
	assert.Equal(t, 405, rs[0].StatusCode)
	assert.Equal(t, "GET, HEAD, POST", rs[0].Header.Get("Allow"), "ServeMux")
	assert.Equal(t, "OPTIONS, GET, HEAD, POST", rs[1].Header.Get("Allow"), "Echo")
	assert.Equal(t, "OPTIONS, GET, HEAD, POST", rs[2].Header.Get("Allow"), "Echo v5")
	assert.Equal(t, `{"type":"about:blank","title":"Method Not Allowed","status":405,"instance":"/items/1"}`, rs[0].body)

	rs = h.both(t, "GET", "/nope", nil, nil)
	assert.Equal(t, `{"type":"about:blank","title":"Not Found","status":404,"instance":"/nope"}`, rs[0].body)
	h.both(t, "HEAD", "/nope", nil, nil)
}

// TestCommitted is F8: an error after the response went out is logged, not
// written, and net/http never logs a superfluous WriteHeader.
func TestCommitted(t *testing.T) {
	h := newHarness(t, middleware.Options{}, func(h *harness) {
		h.handle("GET", "/late", func(w http.ResponseWriter, r *http.Request) error {
			w.WriteHeader(http.StatusCreated)
			_, _ = io.WriteString(w, "created")
			return errors.New("too late")
		})
	})
	rs := h.both(t, "GET", "/late", nil, nil)
	assert.Equal(t, 201, rs[0].StatusCode)
	assert.Equal(t, "created", rs[0].body)
	for _, s := range h.stacks {
		assert.Equal(t, 1, strings.Count(s.logs.String(), "error after the response was committed"), s.name)
		assert.NotContains(t, s.serverLog.String(), "superfluous", s.name)
	}
}

// TestCORS is F10: CORS headers set before the error survive, and Vary
// holds both Origin and Accept.
func TestCORS(t *testing.T) {
	h := newHarness(t, middleware.Options{}, func(h *harness) {
		h.mux.Handle("GET /cors", h.m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			w.Header().Set("Access-Control-Allow-Origin", "https://app.example")
			w.Header().Add("Vary", "Origin")
			return problem.New(409, "")
		}))
		h.e.GET("/cors", func(c echo.Context) error { return problem.New(409, "") },
			echomw.CORSWithConfig(echomw.CORSConfig{AllowOrigins: []string{"https://app.example"}}))
		h.e5.GET("/cors", func(c *echo5.Context) error { return problem.New(409, "") }, echomw5.CORS("https://app.example"))
	})
	rs := h.both(t, "GET", "/cors", nil, []string{"Origin", "https://app.example"})
	for _, r := range rs {
		assert.Equal(t, "https://app.example", r.Header.Get("Access-Control-Allow-Origin"))
		assert.Equal(t, []string{"Origin", "Accept"}, r.Header.Values("Vary"))
	}
}

// TestFlushAndHijack is F11: flushing and hijacking work through both
// stacks, and an error after them is only logged.
func TestFlushAndHijack(t *testing.T) {
	h := newHarness(t, middleware.Options{}, func(h *harness) {
		h.handle("GET", "/sse", func(w http.ResponseWriter, r *http.Request) error {
			w.Header().Set("Content-Type", "text/event-stream")
			_, _ = io.WriteString(w, "data: 1\n\n")
			if err := http.NewResponseController(w).Flush(); err != nil {
				return err
			}
			return errors.New("stream broke")
		})
		h.handle("GET", "/upgrade", func(w http.ResponseWriter, r *http.Request) error {
			conn, brw, err := http.NewResponseController(w).Hijack()
			if err != nil {
				return err
			}
			defer conn.Close()
			_, _ = brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: demo\r\nConnection: Upgrade\r\n\r\nhi")
			_ = brw.Flush()
			return nil
		})
	})
	for _, s := range h.stacks {
		r := do(t, "GET", s.url+"/sse", nil)
		assert.Equal(t, 200, r.StatusCode, s.name)
		assert.Equal(t, "data: 1\n\n", r.body, s.name)
		assert.Contains(t, s.logs.String(), "stream broke", s.name)

		req, err := http.NewRequest("GET", s.url+"/upgrade", nil)
		require.NoError(t, err)
		req.Header.Set("Connection", "Upgrade")
		req.Header.Set("Upgrade", "demo")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err, s.name)
		rest, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, 101, resp.StatusCode, s.name)
		assert.Equal(t, "hi", string(rest), s.name)
		assert.Empty(t, s.serverLog.String(), s.name)
	}
}

// TestAbortHandler is F12: http.ErrAbortHandler aborts the response on
// both stacks (Echo's Recover re-panics it too).
func TestAbortHandler(t *testing.T) {
	h := newHarness(t, middleware.Options{}, func(h *harness) {
		h.e.Use(echomw.Recover())
		h.e5.Use(echomw5.Recover())
		h.handle("GET", "/abort", func(w http.ResponseWriter, r *http.Request) error { panic(http.ErrAbortHandler) })
	})
	for _, s := range h.stacks {
		_, err := http.Get(s.url + "/abort")
		assert.Error(t, err, "%s: the client sees the connection abort", s.name)
	}
}

// TestBodyTooLarge is F13: http.MaxBytesReader and Echo's BodyLimit (v4
// and v5) all give 413 "Content Too Large".
func TestBodyTooLarge(t *testing.T) {
	h := newHarness(t, middleware.Options{}, func(h *harness) {
		h.mux.Handle("POST /upload", h.m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			_, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 16))
			return err
		}))
		h.e.POST("/upload", func(c echo.Context) error {
			_, err := io.ReadAll(c.Request().Body)
			return err
		}, echomw.BodyLimit("16B"))
		h.e5.POST("/upload", func(c *echo5.Context) error {
			_, err := io.ReadAll(c.Request().Body)
			return err
		}, echomw5.BodyLimit(16))
	})
	for _, s := range h.stacks {
		r := do(t, "POST", s.url+"/upload", strings.NewReader(strings.Repeat("x", 1000)))
		checkProblem(t, s.name, "POST", r)
		assert.Equal(t, 413, r.StatusCode, s.name)
		var p problem.Problem
		require.NoError(t, json.Unmarshal([]byte(r.body), &p))
		assert.Equal(t, "Content Too Large", p.Title, s.name)
	}
}

type signup struct {
	Name    string `json:"name" validate:"required,min=3"`
	Email   string `json:"email" validate:"required,email"`
	Profile struct {
		Color string `json:"color" validate:"oneof=green red blue"`
	} `json:"profile"`
	Tags map[string]string `json:"tags" validate:"dive,min=2"`
}

// TestValidation is F14: the same validation failure through both stacks,
// with pointers into the body.
func TestValidation(t *testing.T) {
	v := problemvalidator.New(nil)
	h := newHarness(t, middleware.Options{}, func(h *harness) {
		h.handle("POST", "/signup", func(w http.ResponseWriter, r *http.Request) error {
			var in signup
			if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
				return problem.New(400, "the body is not JSON")
			}
			return v.Validate(&in)
		})
	})
	body := func() io.Reader {
		return strings.NewReader(`{"name":"ab","email":"x","profile":{"color":"yellow"},"tags":{"a/b":"x"}}`)
	}
	rs := h.both(t, "POST", "/signup", body, []string{"Content-Type", "application/json"})
	assert.Equal(t, 422, rs[0].StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Unprocessable Content","status":422,"instance":"/signup","errors":[`+
		`{"detail":"must be at least 3 characters long","pointer":"#/name","rule":"min","param":"3"},`+
		`{"detail":"must be an email address","pointer":"#/email","rule":"email"},`+
		`{"detail":"must be 'green', 'red' or 'blue'","pointer":"#/profile/color","rule":"oneof","param":"green red blue"},`+
		`{"detail":"must be at least 2 characters long","pointer":"#/tags/*","rule":"min","param":"2"}]}`, rs[0].body)
	h.both(t, "POST", "/signup", body, []string{"Content-Type", "application/json", "Accept", "application/xml"})
}

// TestWireGolden pins the full responses of a few errors, the same file for
// both stacks.
func TestWireGolden(t *testing.T) {
	h := newHarness(t, middleware.Options{}, func(h *harness) {
		h.handle("GET", "/typed", func(w http.ResponseWriter, r *http.Request) error {
			return problem.Type{URI: "https://example.com/probs/out-of-credit", Title: "You do not have enough credit.", Status: 403}.
				New("Your current balance is 30, but that costs 50.").WithExtension("balance", 30)
		})
	})
	for _, accept := range []string{"json", "xml"} {
		for _, s := range h.stacks {
			req, err := http.NewRequest("GET", s.url+"/typed", nil)
			require.NoError(t, err)
			req.Header.Set("Accept", "application/"+accept)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			golden.Assert(t, "typed-"+accept+".http", golden.Response(t, resp))
		}
	}
}

// TestDecompress checks a broken gzip body on Echo, and that a good one is
// read, next to the same route on net/http, which has no Decompress.
func TestDecompress(t *testing.T) {
	h := newHarness(t, middleware.Options{}, func(h *harness) {
		h.e.POST("/in", func(c echo.Context) error {
			var v map[string]any
			if err := c.Bind(&v); err != nil {
				return err
			}
			return c.JSON(200, v)
		}, echomw.Decompress())
	})
	echoURL := h.stacks[1].url
	r := do(t, "POST", echoURL+"/in", strings.NewReader("not gzip"), "Content-Encoding", "gzip", "Content-Type", "application/json")
	checkProblem(t, "echo", "POST", r)
	assert.Equal(t, 400, r.StatusCode)

	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, _ = zw.Write([]byte(`{"a":1}`))
	_ = zw.Close()
	r = do(t, "POST", echoURL+"/in", &b, "Content-Encoding", "gzip", "Content-Type", "application/json")
	assert.Equal(t, 200, r.StatusCode)
}
