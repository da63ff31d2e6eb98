package middleware_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
)

// testServer is a real server on loopback whose middleware logs, at Debug
// and up, into logs, and whose net/http error log goes to serverLog.
type testServer struct {
	*httptest.Server
	m         *middleware.Middleware
	logs      *testkit.LogBuffer
	serverLog *testkit.LogBuffer
}

// newServer starts a server running build(m) for a middleware built from
// opts (Logger is filled in).
func newServer(t *testing.T, opts *middleware.Options, build func(m *middleware.Middleware) http.Handler) *testServer {
	t.Helper()
	ts := &testServer{logs: new(testkit.LogBuffer), serverLog: new(testkit.LogBuffer)}
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
	return testkit.Do(t, ts.Client(), method, ts.URL+path, body, header...)
}

// rawGet sends GET target as written (Go's client would clean it up),
// over a connection of its own, and returns the response.
func (ts *testServer) rawGet(t *testing.T, target string) *http.Response {
	t.Helper()
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	_, err = fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n", target)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	return resp
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
