package middleware_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
)

// logBuffer collects log output from many goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// records returns the JSON log records written so far.
func (b *logBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec))
		out = append(out, rec)
	}
	return out
}

// testServer is a real server on loopback whose middleware logs, at Debug
// and up, into logs, and whose net/http error log goes to serverLog.
type testServer struct {
	*httptest.Server
	m         *middleware.Middleware
	logs      *logBuffer
	serverLog *logBuffer
}

// newServer starts a server running build(m) for a middleware built from
// opts (Logger is filled in).
func newServer(t *testing.T, opts *middleware.Options, build func(m *middleware.Middleware) http.Handler) *testServer {
	t.Helper()
	ts := &testServer{logs: new(logBuffer), serverLog: new(logBuffer)}
	var o middleware.Options
	if opts != nil {
		o = *opts
	}
	o.Logger = slog.New(slog.NewJSONHandler(ts.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ts.m = middleware.New(&o)
	ts.Server = httptest.NewUnstartedServer(build(ts.m))
	ts.Config.ErrorLog = log.New(ts.serverLog, "", 0)
	ts.Start()
	t.Cleanup(ts.Close)
	return ts
}

// do sends a request and returns the response with its body read.
func (ts *testServer) do(t *testing.T, method, path string, body io.Reader, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, body)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	resp, err := ts.Client().Do(req)
	require.NoError(t, err)
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return resp, string(data)
}

// decode reads a problem+json body.
func decode(t *testing.T, resp *http.Response, body string) *problem.Problem {
	t.Helper()
	require.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"), "body: %s", body)
	var p problem.Problem
	require.NoError(t, json.Unmarshal([]byte(body), &p), "body: %s", body)
	require.Equal(t, resp.StatusCode, p.Status, "the status member equals the status line")
	return &p
}

// noInstance leaves the instance member out, so bodies stay short.
func noInstance(*http.Request) string { return "" }

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
