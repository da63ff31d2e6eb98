package middleware_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	chimw "github.com/go-chi/chi/v5/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/golden"
	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
)

// wire sends a request and returns the response as golden.Response
// renders it.
func (ts *testServer) wire(t *testing.T, method, path string, header ...string) []byte {
	t.Helper()
	return golden.Response(t, testkit.Send(t, ts.Client(), method, ts.URL+path, nil, header...))
}

func itemsMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "item") })
	mux.HandleFunc("POST /items/{id}", func(w http.ResponseWriter, r *http.Request) {})
	return mux
}

func TestServeMux404And405(t *testing.T) {
	ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler { return m.Wrap(itemsMux()) })

	golden.Assert(t, "mux-404.http", ts.wire(t, "GET", "/nope"))
	golden.Assert(t, "mux-405.http", ts.wire(t, "DELETE", "/items/1"))
	golden.Assert(t, "mux-404-xml.http", ts.wire(t, "GET", "/nope", "Accept", "application/xml"))

	// HEAD: the same status and headers, no body.
	get, getBody := ts.do(t, "GET", "/nope", nil)
	head, headBody := ts.do(t, "HEAD", "/nope", nil)
	assert.Equal(t, get.StatusCode, head.StatusCode)
	assert.Empty(t, headBody)
	assert.Equal(t, get.Header.Get("Content-Type"), head.Header.Get("Content-Type"))
	assert.Equal(t, fmt.Sprint(len(getBody)), head.Header.Get("Content-Length"))

	head, headBody = ts.do(t, "HEAD", "/items/1", nil)
	assert.Equal(t, 200, head.StatusCode, "a GET route serves HEAD")
	assert.Empty(t, headBody)

	resp, _ := ts.do(t, "DELETE", "/items/1", nil)
	_, ok := resp.Header["Allow"]
	assert.True(t, ok)
}

func TestHTTPErrorText(t *testing.T) {
	ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		mux := http.NewServeMux()
		mux.HandleFunc("/bad", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "limit must be a number", http.StatusBadRequest)
		})
		mux.HandleFunc("/restated", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, http.StatusText(http.StatusForbidden), http.StatusForbidden)
		})
		mux.HandleFunc("/internal", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "pq: relation items does not exist", http.StatusInternalServerError)
		})
		mux.HandleFunc("/long", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, strings.Repeat("very long text ", 100), http.StatusBadRequest)
		})
		mux.HandleFunc("/status-only", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusGone)
		})
		mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, "<h1>bad</h1>")
		})
		return m.Wrap(mux)
	})
	for path, want := range map[string]string{
		"/bad":         `{"type":"about:blank","title":"Bad Request","status":400,"detail":"limit must be a number"}`,
		"/restated":    `{"type":"about:blank","title":"Forbidden","status":403}`,
		"/internal":    `{"type":"about:blank","title":"Internal Server Error","status":500}`,
		"/long":        `{"type":"about:blank","title":"Bad Request","status":400}`,
		"/status-only": `{"type":"about:blank","title":"Gone","status":410}`,
		"/html":        `{"type":"about:blank","title":"Bad Request","status":400}`,
	} {
		resp, body := ts.do(t, "GET", path, nil)
		assert.Equal(t, want, body, path)
		assert.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
	}
	assert.Contains(t, ts.logs.String(), "pq: relation items does not exist", "5xx text goes to the log")
}

// TestHTTPErrorTextExposed: with ExposeErrors, a bare 5xx's text is sent,
// as the text of any error the problem stands for is (the detail, else a
// "cause" member).
func TestHTTPErrorTextExposed(t *testing.T) {
	ts := newServer(t, &middleware.Options{Instance: noInstance, ExposeErrors: true}, func(m *middleware.Middleware) http.Handler {
		return m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "pq: relation items does not exist", http.StatusInternalServerError)
		}))
	})
	_, body := ts.do(t, "GET", "/", nil)
	assert.Equal(t, `{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"bare 500 response: pq: relation items does not exist"}`, body)
}

func TestTypedErrorBodiesPassThrough(t *testing.T) {
	ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler {
		mux := http.NewServeMux()
		mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error":"bad"}`)
		})
		mux.HandleFunc("/sniffed-json", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusUnprocessableEntity)
			fmt.Fprint(w, ` {"error":"bad"}`)
		})
		mux.HandleFunc("/json-in-pieces", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusUnprocessableEntity)
			fmt.Fprint(w, `{"errors":[{"field":`)
			fmt.Fprint(w, `"name"}]}`)
		})
		mux.HandleFunc("/bracketed-text", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, "[ERROR] query failed: dial tcp 10.0.0.5:5432: connection refused")
		})
		mux.HandleFunc("/problem", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusConflict)
			fmt.Fprint(w, `{"status":409}`)
		})
		return m.Wrap(mux)
	})
	resp, body := ts.do(t, "GET", "/json", nil)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, `{"error":"bad"}`, body)
	resp, body = ts.do(t, "GET", "/sniffed-json", nil)
	assert.Equal(t, 422, resp.StatusCode)
	assert.Equal(t, ` {"error":"bad"}`, body)
	resp, body = ts.do(t, "GET", "/problem", nil)
	assert.Equal(t, 409, resp.StatusCode)
	assert.Equal(t, `{"status":409}`, body)
	assert.Empty(t, ts.logs.String())

	resp, body = ts.do(t, "GET", "/json-in-pieces", nil)
	assert.Equal(t, 422, resp.StatusCode)
	assert.Equal(t, `{"errors":[{"field":"name"}]}`, body)

	resp, body = ts.do(t, "GET", "/bracketed-text", nil)
	assert.Equal(t, 500, resp.StatusCode)
	assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"), "text that starts with a bracket is no JSON")
	assert.NotContains(t, body, "10.0.0.5")
}

func TestMaxBytesReader(t *testing.T) {
	ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		return m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			r.Body = http.MaxBytesReader(w, r.Body, 10)
			if _, err := io.ReadAll(r.Body); err != nil {
				return fmt.Errorf("decode: %w", err)
			}
			return nil
		})
	})
	resp, body := ts.do(t, "POST", "/", strings.NewReader(strings.Repeat("x", 100)))
	assert.Equal(t, 413, resp.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Content Too Large","status":413,"detail":"The request content is larger than the limit of 10 bytes."}`, body)
	assert.True(t, resp.Close, "the connection is closed: the rest of the body was not read")

	resp, _ = ts.do(t, "POST", "/", strings.NewReader("small"))
	assert.Equal(t, 200, resp.StatusCode)
}

// permFS answers fs.ErrPermission for "secret.txt".
type permFS struct{ fs.FS }

func (f permFS) Open(name string) (fs.File, error) {
	if name == "secret.txt" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.FS.Open(name)
}

func TestFileServer(t *testing.T) {
	files := permFS{fstest.MapFS{"hello.txt": {Data: []byte("hello, world\n"), ModTime: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}}}
	ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler {
		return m.Wrap(http.FileServerFS(files))
	})
	golden.Assert(t, "file-404.http", ts.wire(t, "GET", "/missing.txt"))
	golden.Assert(t, "file-403.http", ts.wire(t, "GET", "/secret.txt"))
	golden.Assert(t, "file-416.http", ts.wire(t, "GET", "/hello.txt", "Range", "bytes=100-200"))

	resp, body := ts.do(t, "GET", "/hello.txt", nil)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "hello, world\n", body, "success passes through")

	resp, body = ts.do(t, "GET", "/hello.txt", nil, "Range", "bytes=0-4")
	assert.Equal(t, 206, resp.StatusCode)
	assert.Equal(t, "hello", body)
}

// TestUntouched checks that 2xx and 3xx responses are byte-identical with and
// without the middleware.
func TestUntouched(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	})
	mux.HandleFunc("/no-content", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Thing", "1")
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/cached", func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "a.txt", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), strings.NewReader("content"))
	})
	mux.HandleFunc("/early", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</style.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		fmt.Fprint(w, "done")
	})
	plain := httptest.NewServer(mux)
	defer plain.Close()
	ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler { return m.Wrap(mux) })

	for _, tc := range []struct{ path, header, value string }{
		{"/redirect", "", ""},
		{"/no-content", "", ""},
		{"/cached", "If-Modified-Since", "Thu, 01 Jan 2026 00:00:00 GMT"},
		{"/cached", "", ""},
		{"/early", "", ""},
	} {
		req := func(base string) []byte {
			r, err := http.NewRequest("GET", base+tc.path, nil)
			require.NoError(t, err)
			if tc.header != "" {
				r.Header.Set(tc.header, tc.value)
			}
			resp, err := http.DefaultTransport.RoundTrip(r)
			require.NoError(t, err)
			return golden.Response(t, resp)
		}
		assert.Equal(t, string(req(plain.URL)), string(req(ts.URL)), "%s %s", tc.path, tc.header)
	}
	assert.Empty(t, ts.logs.String())
}

func TestStaleHeadersAndVary(t *testing.T) {
	ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		return m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			h := w.Header()
			h.Set("Content-Length", "1000")
			h.Set("ETag", `"v1"`)
			h.Set("Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT")
			h.Set("Cache-Control", "public, max-age=3600")
			h.Set("Access-Control-Allow-Origin", "https://app.example")
			h.Set("Vary", "Origin")
			return problem.New(http.StatusNotFound, "")
		})
	})
	golden.Assert(t, "stale-headers.http", ts.wire(t, "GET", "/", "Origin", "https://app.example"))
}

func TestTimeoutHandler(t *testing.T) {
	slow := http.HandlerFunc(testkit.UntilTimedOut)
	ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		mux := http.NewServeMux()
		mux.Handle("/default", http.TimeoutHandler(slow, 10*time.Millisecond, ""))
		mux.Handle("/message", http.TimeoutHandler(slow, 10*time.Millisecond, "took too long"))
		return m.Wrap(mux)
	})
	golden.Assert(t, "timeout-503.http", ts.wire(t, "GET", "/default"))
	_, body := ts.do(t, "GET", "/message", nil)
	assert.Equal(t, `{"type":"about:blank","title":"Service Unavailable","status":503}`, body)
}

func TestCrossOriginProtection(t *testing.T) {
	cop := http.NewCrossOriginProtection()
	ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		return m.Wrap(cop.Handler(itemsMux()))
	})
	resp, body := ts.do(t, "POST", "/items/1", nil, "Sec-Fetch-Site", "cross-site")
	assert.Equal(t, 403, resp.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Forbidden","status":403,"detail":"cross-origin request detected from Sec-Fetch-Site header"}`, body)
}

func TestFlushThroughWrap(t *testing.T) {
	proceed := make(chan struct{})
	ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler {
		return m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			w.Header().Set("Content-Type", "text/event-stream")
			fmt.Fprint(w, "data: 1\n\n")
			if err := http.NewResponseController(w).Flush(); err != nil {
				return err
			}
			<-proceed
			return errors.New("stream broke")
		})
	})
	resp, err := ts.Client().Get(ts.URL)
	require.NoError(t, err)
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	require.NoError(t, err, "the flushed event arrives while the handler still runs")
	assert.Equal(t, "data: 1\n", line)
	close(proceed)
	_, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)

	require.Eventually(t, func() bool { return strings.Contains(ts.logs.String(), "stream broke") }, time.Second, time.Millisecond)
	assert.Contains(t, ts.logs.String(), "error after the response was committed")
	assert.NotContains(t, ts.serverLog.String(), "superfluous")
}

func TestFlushReplacesHeldBackError(t *testing.T) {
	ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		return m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "quota exceeded", http.StatusTooManyRequests)
			http.NewResponseController(w).Flush()
			fmt.Fprint(w, "more text after the flush")
		}))
	})
	resp, body := ts.do(t, "GET", "/", nil)
	assert.Equal(t, 429, resp.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Too Many Requests","status":429,"detail":"quota exceeded"}`, body)
}

// TestFlushCutsJSONShort: an untyped body that a flush cuts short of one
// whole JSON object is replaced (see TestHeldBackBodyJudgedWhole), and
// what there was of it is no detail: it is not text for a person.
func TestFlushCutsJSONShort(t *testing.T) {
	ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		return m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error":`)
			http.NewResponseController(w).Flush()
			fmt.Fprint(w, `"bad"}`)
		}))
	})
	resp, body := ts.do(t, "GET", "/", nil)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Bad Request","status":400}`, body)
}

func TestResponseControllerThroughWrap(t *testing.T) {
	errs := make(chan error, 3)
	ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler {
		return m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			rc := http.NewResponseController(w)
			errs <- rc.SetWriteDeadline(time.Now().Add(time.Minute))
			errs <- rc.SetReadDeadline(time.Now().Add(time.Minute))
			errs <- rc.EnableFullDuplex()
			return nil
		})
	})
	resp, _ := ts.do(t, "GET", "/", nil)
	assert.Equal(t, 200, resp.StatusCode)
	for range 3 {
		assert.NoError(t, <-errs)
	}
}

func TestHijackThroughWrap(t *testing.T) {
	ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler {
		return m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			conn, brw, err := http.NewResponseController(w).Hijack()
			if err != nil {
				return err
			}
			defer conn.Close()
			fmt.Fprint(brw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\nhello")
			brw.Flush()
			return errors.New("after hijack")
		})
	})
	req, err := http.NewRequest("GET", ts.URL, nil)
	require.NoError(t, err)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "echo")
	resp, err := ts.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, 101, resp.StatusCode)
	rest, _ := io.ReadAll(resp.Body.(io.Reader))
	assert.Equal(t, "hello", string(rest))
	require.Eventually(t, func() bool { return strings.Contains(ts.logs.String(), "after hijack") }, time.Second, time.Millisecond)
	assert.Contains(t, ts.logs.String(), "error after the response was committed")
	assert.Empty(t, ts.serverLog.String())
}

func TestInformationalThenError(t *testing.T) {
	ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		return m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			w.WriteHeader(http.StatusEarlyHints)
			return problem.New(http.StatusBadGateway, "")
		})
	})
	resp, body := ts.do(t, "GET", "/", nil)
	assert.Equal(t, 502, resp.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Bad Gateway","status":502}`, body)
}

func TestReturnedErrorBeatsBareError(t *testing.T) {
	ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		return m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			w.Header().Set("Allow", "GET")
			http.Error(w, "plain", http.StatusBadRequest)
			return problem.New(http.StatusMethodNotAllowed, "use GET")
		})
	})
	resp, body := ts.do(t, "POST", "/", nil)
	assert.Equal(t, 405, resp.StatusCode)
	assert.Equal(t, "GET", resp.Header.Get("Allow"))
	assert.Equal(t, `{"type":"about:blank","title":"Method Not Allowed","status":405,"detail":"use GET"}`, body)
}

// TestReturnedErrorAfterHeaderChange: the problem of an error returned
// after a bare error carries the header as it stood at the bare error's
// WriteHeader (see TestHeaderAfterWriteHeader), and Handle's pooled writer
// carries nothing of it into the next request.
func TestReturnedErrorAfterHeaderChange(t *testing.T) {
	ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		return m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			if r.URL.Path == "/next" {
				return problem.New(http.StatusNotFound, "")
			}
			w.Header().Set("Allow", "GET")
			w.WriteHeader(http.StatusBadRequest)
			w.Header().Set("Set-Cookie", "late=1")
			w.Header().Del("Allow")
			return problem.New(http.StatusMethodNotAllowed, "use GET")
		})
	})
	for range 3 {
		resp, body := ts.do(t, "POST", "/", nil)
		assert.Equal(t, 405, resp.StatusCode)
		assert.Equal(t, []string{"GET"}, resp.Header.Values("Allow"))
		assert.Empty(t, resp.Header.Values("Set-Cookie"))
		assert.Equal(t, `{"type":"about:blank","title":"Method Not Allowed","status":405,"detail":"use GET"}`, body)

		resp, _ = ts.do(t, "GET", "/next", nil)
		assert.Equal(t, 404, resp.StatusCode)
		assert.Empty(t, resp.Header.Values("Allow"))
		assert.Empty(t, resp.Header.Values("Set-Cookie"))
	}
}

func TestXMLAndHTML(t *testing.T) {
	ts := newServer(t, &middleware.Options{HTML: true}, func(m *middleware.Middleware) http.Handler {
		return m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			return problem.New(http.StatusNotFound, `<b>item</b> "42" does not exist`)
		})
	})
	resp, body := ts.do(t, "GET", "/x", nil, "Accept", "application/xml")
	assert.Equal(t, "application/problem+xml", resp.Header.Get("Content-Type"))
	var p problem.Problem
	require.NoError(t, xml.Unmarshal([]byte(body), &p))
	assert.Equal(t, `<b>item</b> "42" does not exist`, p.Detail)
	assert.Equal(t, "/x", p.Instance)

	resp, body = ts.do(t, "GET", "/x", nil, "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Contains(t, body, `&lt;b&gt;item&lt;/b&gt; &#34;42&#34; does not exist`)
	assert.NotContains(t, body, "<b>")
}

func TestNestedWrapAndHandle(t *testing.T) {
	// Handle inside Wrap of the same middleware: one writer, one response.
	ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		mux := http.NewServeMux()
		mux.Handle("/x", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			return problem.New(http.StatusConflict, "")
		}))
		return m.Wrap(m.Wrap(mux))
	})
	_, body := ts.do(t, "GET", "/x", nil)
	assert.Equal(t, `{"type":"about:blank","title":"Conflict","status":409}`, body)
	recs := ts.logs.Records(t)
	assert.Len(t, recs, 1)
}

// TestWriterKeptPastWrap: code that keeps the writer Wrap handed down, and
// writes through it after Wrap has returned (echo.WrapMiddleware's Echo
// writes a returned error so), reaches its own response and no other: the
// writer passes everything through then, and is not handed to another
// request.
func TestWriterKeptPastWrap(t *testing.T) {
	m := quiet()
	var kept []http.ResponseWriter
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var inner http.ResponseWriter
		m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { inner = w })).ServeHTTP(w, r)
		kept = append(kept, inner)
		http.Error(inner, "gone for good", http.StatusGone) // after Wrap: as written
	})
	ts := httptest.NewServer(h)
	defer ts.Close()
	for range 3 {
		resp, err := ts.Client().Get(ts.URL + "/x")
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		assert.Equal(t, http.StatusGone, resp.StatusCode)
		assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
		assert.Equal(t, "gone for good\n", string(body))
	}
	require.Len(t, kept, 3)
	assert.NotSame(t, kept[0], kept[1], "a writer is its request's alone")
	assert.NotSame(t, kept[1], kept[2], "a writer is its request's alone")
}

// TestWriterKeptPastAnAbort: a recoverer further out that lets an abort
// pass Wrap (a panic with an error that wraps http.ErrAbortHandler, which
// Echo's Recover takes for an ordinary panic) and then writes an error
// through the writer Wrap handed down gets it sent, as for a writer kept
// past a return; a bare error held back before the panic is not.
func TestWriterKeptPastAnAbort(t *testing.T) {
	m := quiet()
	for _, tt := range []struct {
		name    string
		handler func(w http.ResponseWriter)
	}{
		{"nothing written", func(http.ResponseWriter) {}},
		{"a bare error held back", func(w http.ResponseWriter) { http.Error(w, "half", http.StatusBadRequest) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var kept http.ResponseWriter
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				defer func() {
					require.NotNil(t, recover(), "the abort passed Wrap")
					http.Error(kept, "recovered", http.StatusInternalServerError)
				}()
				m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					kept = w
					tt.handler(w)
					panic(fmt.Errorf("gave up: %w", http.ErrAbortHandler))
				})).ServeHTTP(w, r)
			})
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
			assert.Equal(t, http.StatusInternalServerError, rec.Code)
			assert.Equal(t, "recovered\n", rec.Body.String())
		})
	}
}

func TestReadFromPassesThrough(t *testing.T) {
	ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler {
		return m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(w, bytes.NewReader(bytes.Repeat([]byte("a"), 100_000)))
		}))
	})
	resp, body := ts.do(t, "GET", "/", nil)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Len(t, body, 100_000)
}

// gzipper is a compressing middleware as a service might stack it: eager
// sets Content-Encoding before calling next, like gorilla/handlers; lazy
// sets it when the status is written, like chi's Compress. Like both, it
// starts the gzip stream only when the response does, so a handler that
// panics before writing leaves nothing written.
func gzipper(eager bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if eager {
			w.Header().Set("Content-Encoding", "gzip")
		}
		gw := &gzipWriter{ResponseWriter: w, eager: eager}
		defer gw.close()
		next.ServeHTTP(gw, r)
	})
}

type gzipWriter struct {
	http.ResponseWriter
	zw    *gzip.Writer
	eager bool
}

func (g *gzipWriter) WriteHeader(code int) {
	if !g.eager {
		g.Header().Set("Content-Encoding", "gzip")
	}
	g.Header().Del("Content-Length")
	g.ResponseWriter.WriteHeader(code)
	g.zw = gzip.NewWriter(g.ResponseWriter)
}

func (g *gzipWriter) Write(b []byte) (int, error) {
	if g.zw == nil {
		g.WriteHeader(http.StatusOK)
	}
	return g.zw.Write(b)
}

func (g *gzipWriter) close() {
	if g.zw != nil {
		g.zw.Close()
	}
}

func (g *gzipWriter) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// TestContentEncoding checks that a problem is never labelled with an
// encoding it was not given, whether a compressor sits above Wrap, below
// it, or a handler set the header for content it then did not send.
func TestContentEncoding(t *testing.T) {
	routes := func(m *middleware.Middleware) *http.ServeMux {
		mux := http.NewServeMux()
		mux.Handle("GET /err", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			return problem.New(http.StatusConflict, "stale")
		}))
		mux.Handle("GET /precompressed", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			w.Header().Set("Content-Encoding", "gzip") // about to send a .gz file, then fails
			return problem.New(http.StatusConflict, "stale")
		}))
		mux.HandleFunc("GET /panic", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
		return mux
	}
	for _, tc := range []struct {
		name  string
		build func(m *middleware.Middleware) http.Handler
	}{
		{"compressor above, eager", func(m *middleware.Middleware) http.Handler { return gzipper(true, m.Wrap(routes(m))) }},
		{"compressor above, lazy", func(m *middleware.Middleware) http.Handler { return gzipper(false, m.Wrap(routes(m))) }},
		{"compressor below, eager", func(m *middleware.Middleware) http.Handler { return m.Wrap(gzipper(true, routes(m))) }},
		{"compressor below, lazy", func(m *middleware.Middleware) http.Handler { return m.Wrap(gzipper(false, routes(m))) }},
		{"no compressor", func(m *middleware.Middleware) http.Handler { return m.Wrap(routes(m)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newServer(t, &middleware.Options{Instance: noInstance}, tc.build)
			for path, status := range map[string]int{"/err": 409, "/precompressed": 409, "/panic": 500, "/missing": 404} {
				// The client asks for gzip and decodes it; a body labelled
				// gzip that is not fails the read.
				resp, body := ts.do(t, "GET", path, nil)
				assert.Equal(t, status, resp.StatusCode, path)
				var p problem.Problem
				assert.NoError(t, json.Unmarshal([]byte(body), &p), "%s: %q", path, body)
			}
		})
	}
}

// TestInstanceIsNeverAnotherHost sends a request-target that starts with
// "//", which read as a URI reference would name another host.
func TestInstanceIsNeverAnotherHost(t *testing.T) {
	ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler {
		return m.Handle(func(w http.ResponseWriter, r *http.Request) error { return problem.New(404, "") })
	})
	resp := ts.rawGet(t, "//evil.example/x")
	body, _ := io.ReadAll(resp.Body)
	assert.Contains(t, string(body), `"instance":"/evil.example/x"`)
}

// TestInstanceIsAURIReference: the default instance, the request's path,
// is a URI reference (RFC 9457 §3.1.5) whatever the request-target holds,
// so that Respond has nothing to warn of: "[" and "]", which EscapedPath
// leaves as they are, are percent-encoded.
func TestInstanceIsAURIReference(t *testing.T) {
	tests := []struct{ name, target, want string }{
		{"plain", "/items/42", "/items/42"},
		{"brackets", "/items[0]", "/items%5B0%5D"},
		{"brackets and an escape", "/a[%41]", "/a%5B%41%5D"},
		{"escaped brackets", "/a%5Bb%5D", "/a%5Bb%5D"},
		{"braces", "/a{b}", "/a%7Bb%7D"},
		{"beyond ASCII, escaped", "/caf%C3%A9", "/caf%C3%A9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler {
				return m.Handle(func(w http.ResponseWriter, r *http.Request) error { return problem.New(404, "") })
			})
			resp := ts.rawGet(t, tt.target)
			var p problem.Problem
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&p))
			assert.Equal(t, tt.want, p.Instance)
			for _, rec := range ts.logs.Records(t) {
				assert.NotEqual(t, "WARN", rec["level"], "%v", rec["error"])
			}
		})
	}
}

// TestInstanceIsThePathTheClientSent: the default instance is the path of
// the request-target the client sent, not the one a router further out
// rewrote. A relative reference is resolved against the request's URL
// (RFC 9457 §3.1.5), so behind http.StripPrefix the stripped path
// "/items/42" would name another resource than the "/api/items/42" the
// client asked for. A target with bytes a URI cannot hold is
// percent-encoded, as EscapedPath does.
func TestInstanceIsThePathTheClientSent(t *testing.T) {
	tests := []struct{ name, target, want string }{
		{"stripped", "/api/items/42", "/api/items/42"},
		{"stripped, with a query", "/api/items/42?x=1", "/api/items/42"},
		{"stripped, an escaped slash", "/api/a%2Fb", "/api/a%2Fb"},
		{"stripped, absolute-form", "http://test/api/items/42?x=1", "/api/items/42"},
		{"stripped, bytes a URI cannot hold", "/api/a\"b<c>[0]\xff", "/api/a%22b%3Cc%3E%5B0%5D%FF"},
		{"stripped, a stray percent sign", "/api/a%%41", ""}, // net/http refuses it: 400 before Wrap
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler {
				api := m.Handle(func(w http.ResponseWriter, r *http.Request) error { return problem.New(404, "") })
				mux := http.NewServeMux()
				mux.Handle("/api/", http.StripPrefix("/api", api))
				mux.Handle("//api/", http.StripPrefix("//api", api))
				return mux
			})
			resp := ts.rawGet(t, tt.target)
			if tt.want == "" {
				assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
				return
			}
			require.Equal(t, http.StatusNotFound, resp.StatusCode)
			var p problem.Problem
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&p))
			assert.Equal(t, tt.want, p.Instance)
			for _, rec := range ts.logs.Records(t) {
				assert.NotEqual(t, "WARN", rec["level"], "%v", rec["error"])
			}
		})
	}
}

// TestInstanceOfAnAbsoluteFormWithoutPath: an absolute-form
// request-target with an empty path names the resource "/" (RFC 9112
// §3.2.1, RFC 9110 §4.2.3), whatever its query holds: a "/" in the query
// does not start the path.
func TestInstanceOfAnAbsoluteFormWithoutPath(t *testing.T) {
	tests := []struct{ name, target string }{
		{"a query with a slash", "http://test?next=/admin/users"},
		{"a query", "http://test?x=1"},
		{"nothing after the authority", "http://test"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler {
				return m.Handle(func(w http.ResponseWriter, r *http.Request) error { return problem.New(404, "") })
			})
			resp := ts.rawGet(t, tt.target)
			require.Equal(t, http.StatusNotFound, resp.StatusCode)
			var p problem.Problem
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&p))
			assert.Equal(t, "/", p.Instance)
		})
	}
}

// TestFailedFlushCommitsNothing: a flush the writer below cannot do sends
// nothing, so a later error is still written (here inside
// http.TimeoutHandler, whose writer cannot flush).
func TestFailedFlushCommitsNothing(t *testing.T) {
	flushErr := make(chan error, 1)
	ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		return http.TimeoutHandler(m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			flushErr <- http.NewResponseController(w).Flush()
			return problem.New(http.StatusConflict, "stale")
		}), time.Minute, "")
	})
	resp, body := ts.do(t, "GET", "/", nil)
	assert.ErrorIs(t, <-flushErr, http.ErrNotSupported)
	assert.Equal(t, 409, resp.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Conflict","status":409,"detail":"stale"}`, body)
	assert.NotContains(t, ts.logs.String(), "committed")
}

func TestPanicsAreLoggedAtError(t *testing.T) {
	ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		return m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic(problem.New(403, "")) }))
	})
	resp, _ := ts.do(t, "GET", "/", nil)
	assert.Equal(t, 403, resp.StatusCode)
	recs := ts.logs.Records(t)
	require.Len(t, recs, 1)
	assert.Equal(t, "ERROR", recs[0]["level"], "a panic is a bug, whatever status it resolves to")
}

func TestBareUnusedStatusPasses(t *testing.T) {
	ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler {
		return m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "short and stout", http.StatusTeapot)
		}))
	})
	resp, body := ts.do(t, "GET", "/", nil)
	assert.Equal(t, 418, resp.StatusCode, "a status no problem may carry is left as the handler wrote it")
	assert.Equal(t, "short and stout\n", body)
	assert.Empty(t, ts.logs.String())
}

// TestHeldBackBodyJudgedWhole: an untyped error body is judged as a whole,
// however it is written, so text that merely starts like JSON never leaks,
// and JSON written in pieces still passes byte for byte.
func TestHeldBackBodyJudgedWhole(t *testing.T) {
	const secret = "10.0.0.5"
	flush := func(w http.ResponseWriter) { _ = http.NewResponseController(w).Flush() }
	bigJSON := "[" + strings.Repeat(`"0123456789",`, 1000) + `"end"]` // past the 8 KiB held back
	for _, tc := range []struct {
		name    string
		status  int
		ctype   string
		pieces  []string // written in turn; "FLUSH" flushes
		copy    bool     // write with io.Copy (ReadFrom) instead
		passes  bool     // the body goes out as written, else a problem replaces it
		comment string
	}{
		{name: "bracket, then text", status: 500, pieces: []string{"[", "ERROR] dial tcp 10.0.0.5:5432"}},
		{name: "brace, then text", status: 502, pieces: []string{"{", "upstream 10.0.0.5 refused"}},
		{name: "whole JSON, then text", status: 500, pieces: []string{`{"a":1}`, " dial tcp 10.0.0.5:5432"}},
		{name: "bracket, flush, text", status: 500, pieces: []string{"[", "FLUSH", "ERROR] dial tcp 10.0.0.5:5432"}},
		{name: "text/plain with a leading space", status: 500, ctype: " text/plain; charset=utf-8", pieces: []string{"pq: password for 10.0.0.5"}},
		{name: "text past the cap", status: 500, pieces: []string{"[", strings.Repeat("10.0.0.5 ", 2000)}},
		{name: "JSON in pieces", status: 422, pieces: []string{`{"errors":[{"field":`, `"name"}]}`}, passes: true},
		{name: "JSON a byte at a time", status: 409, pieces: []string{" ", "[", "1", ",", "2", "]", "\n"}, passes: true},
		{name: "JSON by io.Copy", status: 400, pieces: []string{`{"error":"bad"}`}, copy: true, passes: true},
		{name: "JSON, then a flush", status: 503, pieces: []string{`{"retry":true}`, "FLUSH"}, passes: true},
		{name: "JSON past the cap, streamed", status: 422, pieces: []string{bigJSON[:5000], bigJSON[5000:]}, passes: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
				return m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if tc.ctype != "" {
						w.Header().Set("Content-Type", tc.ctype)
					}
					w.WriteHeader(tc.status)
					if tc.copy {
						_, _ = io.Copy(w, strings.NewReader(strings.Join(tc.pieces, "")))
						return
					}
					for _, p := range tc.pieces {
						if p == "FLUSH" {
							flush(w)
							continue
						}
						_, _ = io.WriteString(w, p)
					}
				}))
			})
			resp, body := ts.do(t, "GET", "/", nil)
			assert.Equal(t, tc.status, resp.StatusCode)
			if tc.passes {
				assert.Equal(t, strings.ReplaceAll(strings.Join(tc.pieces, ""), "FLUSH", ""), body, "byte for byte")
				assert.NotEqual(t, "application/problem+json", resp.Header.Get("Content-Type"))
				return
			}
			p := decode(t, resp, body)
			assert.Equal(t, tc.status, p.Status)
			assert.NotContains(t, body, secret)
		})
	}
}

// abortSelf is an error that wraps itself: looking for
// http.ErrAbortHandler in it must end.
type abortSelf struct{}

func (e *abortSelf) Error() string { return "self" }
func (e *abortSelf) Unwrap() error { return e }

// abortPanicky is an error whose Unwrap panics, as a typed nil's methods
// can.
type abortPanicky struct{}

func (*abortPanicky) Error() string { return "panicky" }
func (*abortPanicky) Unwrap() error { panic("unwrap") }

// TestWrappedErrAbortHandlerAborts: Wrap tells recoverers further
// out to recognise an abort with errors.Is (its own abort wraps
// http.ErrAbortHandler), so it must honour the same test itself. A panic
// with an error that wraps http.ErrAbortHandler, such as a proxy's
// fmt.Errorf("copy: %w", http.ErrAbortHandler), aborts the response
// (conformance C8: the client sees the connection end, not a problem),
// and is passed on unchanged. Errors that do not wrap it, or whose chain
// cannot be read, are panics like any other: a 500 problem.
func TestWrappedErrAbortHandlerAborts(t *testing.T) {
	wrapped := fmt.Errorf("copy body: %w", http.ErrAbortHandler)
	tests := []struct {
		name      string
		value     any
		wantAbort bool
	}{
		{name: "wrapped by fmt.Errorf", value: wrapped, wantAbort: true},
		{name: "in a join", value: errors.Join(errors.New("upstream reset"), http.ErrAbortHandler), wantAbort: true},
		{name: "an error that wraps itself", value: &abortSelf{}},
		{name: "an error whose Unwrap panics", value: &abortPanicky{}},
		{name: "the text alone", value: errors.New(http.ErrAbortHandler.Error())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			passed := make(chan any, 1) // what reaches the recoverer outside Wrap
			ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler {
				inner := m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic(tt.value) }))
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					defer func() {
						v := recover()
						passed <- v
						if v != nil {
							panic(v)
						}
					}()
					inner.ServeHTTP(w, r)
				})
			})
			resp, err := ts.Client().Get(ts.URL)
			if !tt.wantAbort {
				require.NoError(t, err)
				_ = resp.Body.Close()
				assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
				assert.Nil(t, <-passed, "recovered")
				return
			}
			require.Error(t, err, "the client sees the connection abort, not a problem")
			assert.Same(t, tt.value, <-passed, "passed on unchanged")
			assert.Empty(t, ts.logs.String(), "an abort is not logged as a failure")
			assert.False(t, strings.Contains(ts.serverLog.String(), "superfluous"))
		})
	}
}

// TestServeMuxMethods: OPTIONS and other methods a ServeMux route
// lacks become 405 problems with the mux's Allow (RFC 9110 §15.5.6; C2);
// HEAD gets the status and headers of GET, Content-Length included, and no
// body (RFC 9110 §9.3.2, §8.6; B9), for the mux's 404 and a handler's
// problem alike.
func TestServeMuxMethods(t *testing.T) {
	ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		mux := http.NewServeMux()
		mux.Handle("GET /items/{id}", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			return problem.New(http.StatusNotFound, "item "+r.PathValue("id")+" <does not> exist")
		}))
		mux.HandleFunc("POST /items/{id}", func(w http.ResponseWriter, r *http.Request) {})
		return m.Wrap(mux)
	})
	const (
		notAllowed = `{"type":"about:blank","title":"Method Not Allowed","status":405}`
		noItem     = `{"type":"about:blank","title":"Not Found","status":404,"detail":"item 7 \u003cdoes not\u003e exist"}`
		noRoute    = `{"type":"about:blank","title":"Not Found","status":404}`
	)
	for _, tt := range []struct {
		method, path string
		status       int
		allow        []string
		body         string // GET's body; HEAD gets none, with its length
	}{
		{http.MethodOptions, "/items/7", http.StatusMethodNotAllowed, []string{"GET, HEAD, POST"}, notAllowed},
		{http.MethodDelete, "/items/7", http.StatusMethodNotAllowed, []string{"GET, HEAD, POST"}, notAllowed},
		{http.MethodGet, "/items/7", http.StatusNotFound, nil, noItem},
		{http.MethodHead, "/items/7", http.StatusNotFound, nil, noItem},
		{http.MethodHead, "/nothing", http.StatusNotFound, nil, noRoute},
	} {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			resp, body := ts.do(t, tt.method, tt.path, nil)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.allow, resp.Header["Allow"])
			assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
			assert.Equal(t, strconv.Itoa(len(tt.body)), resp.Header.Get("Content-Length"))
			if tt.method == http.MethodHead {
				assert.Empty(t, body)
			} else {
				assert.Equal(t, tt.body, body)
			}
		})
	}
}

// TestAcceptLanguageHostile: an Accept-Language that is not UTF-8,
// that refuses every language, or that names a language only after 2 KiB
// of junk gets the base language, with Content-Language and Vary as for
// any other request (RFC 9110 §12.5.4, §12.5.5), and never a panic.
func TestAcceptLanguageHostile(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(`{"statuses": [{"code": 404, "phrase": "Not Found"}]}`))
	require.NoError(t, err)
	cat, err = cat.WithTranslation(strings.NewReader(`{"language": "de", "statuses": [{"code": 404, "phrase": "Nicht gefunden"}]}`))
	require.NoError(t, err)
	ts := newServer(t, &middleware.Options{Catalog: cat, Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		return m.Handle(func(w http.ResponseWriter, r *http.Request) error { return problem.New(http.StatusNotFound, "") })
	})
	for _, tt := range []struct {
		name, value, lang, title string
	}{
		{"not UTF-8", "\xff\xfe;q=1, de;q=0.5", "de", "Nicht gefunden"},
		{"only bytes that are not UTF-8", "\xff\xfe", "en", "Not Found"},
		{"every language refused", "en;q=0, de;q=0, *;q=0", "en", "Not Found"},
		{"a wildcard after a refusal", "de;q=0, *", "en", "Not Found"},
		{"a q beyond 1", "de;q=7", "de", "Nicht gefunden"},
		{"the language after 2 KiB of junk", strings.Repeat("xx-yy, ", 300) + "de", "en", "Not Found"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := ts.do(t, http.MethodGet, "/", nil, "Accept-Language", tt.value)
			assert.Equal(t, http.StatusNotFound, resp.StatusCode)
			assert.Equal(t, []string{tt.lang}, resp.Header["Content-Language"])
			assert.Equal(t, []string{"Accept", "Accept-Language"}, resp.Header["Vary"])
			assert.Equal(t, `{"type":"about:blank","title":"`+tt.title+`","status":404}`, body)
		})
	}
}

// TestPanicAfterReplacedBareError: a bare error longer than Wrap
// holds back is replaced by its problem as soon as it grows past the
// limit, and that problem, which Wrap wrote itself, is whole. A panic after
// that is logged as lost; it must not abort the response (Wrap aborts to
// keep a cut body from looking whole), which would take the whole problem
// with it: the client got nothing at all.
func TestPanicAfterReplacedBareError(t *testing.T) {
	passed := make(chan any, 1) // what reaches the recoverer outside Wrap
	ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		inner := m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, strings.Repeat("x", 9000), http.StatusBadRequest) // past the 8 KiB held back
			panic("after the error")
		}))
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				v := recover()
				passed <- v
				if v != nil {
					panic(v)
				}
			}()
			inner.ServeHTTP(w, r)
		})
	})
	resp, body := ts.do(t, http.MethodGet, "/", nil)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
	assert.Equal(t, `{"type":"about:blank","title":"Bad Request","status":400}`, body)
	assert.Nil(t, <-passed, "nothing to abort")
	recs := ts.logs.Records(t)
	require.Len(t, recs, 2, "the bare error, then the panic")
	assert.Equal(t, "error after the response was committed", recs[1]["msg"])
	assert.Equal(t, "panic: after the error", recs[1]["error"])
	assert.Contains(t, recs[1]["stack"], "goroutine ")
	assert.Empty(t, ts.serverLog.String(), "net/http saw no panic")
}

// TestHeaderAfterWriteHeader holds the header of a response Wrap held back
// to net/http's rule: it is the header as it stood at WriteHeader. What a
// handler changes after that is not sent, but for the value of a declared
// trailer, which goes out at the end. Each handler runs bare on a server
// of its own, the oracle, and behind Wrap; both must send the same header
// fields and trailers under test, whatever replaces the body.
func TestHeaderAfterWriteHeader(t *testing.T) {
	for _, tt := range []struct {
		name    string
		h       http.HandlerFunc
		problem bool // whether Wrap replaces the body with a problem
	}{
		{"a cookie set after a bare 500", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
			w.Header().Set("Set-Cookie", "late=1")
			_, _ = io.WriteString(w, "boom")
		}, true},
		{"a header kept from before WriteHeader, changed after", func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Retry-After", "5")
			w.WriteHeader(http.StatusServiceUnavailable)
			h.Set("Retry-After", "120")
			h.Set("X-Late", "1")
			_, _ = io.WriteString(w, "down")
		}, true},
		{"a header deleted after WriteHeader", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", "GET")
			w.WriteHeader(http.StatusMethodNotAllowed)
			w.Header().Del("Allow")
		}, true},
		{"an untyped JSON error, passed as written", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			w.Header().Set("X-Late", "1")
			_, _ = io.WriteString(w, `{"error":"bad"}`)
		}, false},
		{"a declared trailer, its value set before and after", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Trailer", "X-Sum")
			w.Header().Set("X-Sum", "early")
			http.Error(w, "boom", http.StatusInternalServerError)
			w.Header().Set("X-Sum", "late")
		}, true},
		{"a trailer by its prefix, set after a flush", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"error":"bad"}`)
			w.(http.Flusher).Flush()
			w.Header().Set(http.TrailerPrefix+"X-Sum", "after")
		}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			bare := httptest.NewServer(tt.h)
			t.Cleanup(bare.Close)
			want, _ := testkit.Do(t, bare.Client(), "GET", bare.URL, nil)
			ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler { return m.Wrap(tt.h) })
			got, _ := ts.do(t, "GET", "/", nil)

			assert.Equal(t, want.StatusCode, got.StatusCode)
			for _, name := range []string{"Set-Cookie", "Retry-After", "X-Late", "Allow", "X-Sum", "Trailer"} {
				assert.Equal(t, want.Header.Values(name), got.Header.Values(name), "header %s", name)
			}
			assert.Equal(t, want.Trailer, got.Trailer, "trailers")
			if tt.problem {
				assert.Equal(t, "application/problem+json", got.Header.Get("Content-Type"))
			} else {
				assert.Equal(t, want.Header.Get("Content-Type"), got.Header.Get("Content-Type"))
			}
		})
	}
}

// TestAbortPassesRecoverersOutside: a panic after the response was
// committed aborts it, with a recoverer further out too. Such recoverers
// let http.ErrAbortHandler through by identity, as net/http tells it (C8):
// chi's Recoverer does, and Echo's Recover (see problemecho's
// TestAbortPassesEchoRecover). Anything else they take for a panic of
// their own, and return: the client would take the cut body for a whole
// one.
func TestAbortPassesRecoverersOutside(t *testing.T) {
	reported := make(chan error, 2) // OnError runs on the server's goroutine
	ts := newServer(t, &middleware.Options{OnError: func(r *http.Request, p *problem.Problem, err error) { reported <- err }},
		func(m *middleware.Middleware) http.Handler {
			return chimw.Recoverer(m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, strings.Repeat("x", 10))
				http.NewResponseController(w).Flush()
				panic("late")
			})))
		})
	resp, err := ts.Client().Get(ts.URL)
	require.NoError(t, err, "the status went out")
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Error(t, err, "the client sees the response aborted, not a cut body taken as whole")

	recs := ts.logs.Records(t)
	require.Len(t, recs, 1, "logged once, by Wrap")
	assert.Equal(t, "error after the response was committed", recs[0]["msg"])
	require.Len(t, reported, 1)
	perr := <-reported
	pe, ok := errors.AsType[*middleware.PanicError](perr)
	require.True(t, ok, "OnError gets the panic: %v", perr)
	assert.Equal(t, "late", pe.Value)
}
