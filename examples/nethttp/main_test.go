package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
)

// TestDemo runs the demo's routes as the printed curl commands do.
func TestDemo(t *testing.T) {
	m := middleware.New(&middleware.Options{
		Logger:  slog.New(slog.DiscardHandler),
		Mappers: []problem.Mapper{problem.MapIs(errNotFound, problem.Type{Status: http.StatusNotFound})},
	})
	srv := httptest.NewServer(m.Wrap(newMux(m)))
	defer srv.Close()

	for _, tc := range []struct {
		method, path, body string
		status             int
		contains           string
	}{
		{"GET", "/items/1", "", 200, `"name":"teapot"`},
		{"GET", "/items/9", "", 404, `"title":"Not Found"`},
		{"GET", "/nope", "", 404, `"instance":"/nope"`},
		{"DELETE", "/items/1", "", 405, `"title":"Method Not Allowed"`},
		{"POST", "/items/1/orders", `{"quantity":0,"email":"x"}`, 422, `"pointer":"#/quantity"`},
		{"POST", "/items/2/orders", `{"quantity":1,"email":"a@b.c"}`, 409, `"type":"https://example.com/probs/out-of-stock"`},
		{"POST", "/items/1/orders", `{"email":"` + strings.Repeat("a", 80) + `"}`, 413, `"title":"Content Too Large"`},
		{"GET", "/limited", "", 200, "ok"},
		{"GET", "/limited", "", 429, `"title":"Too Many Requests"`},
		{"GET", "/panic", "", 500, `"title":"Internal Server Error"`},
		{"GET", "/slow", "", 503, `"title":"Service Unavailable"`},
	} {
		req, err := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, tc.status, resp.StatusCode, "%s %s", tc.method, tc.path)
		assert.Contains(t, string(body), tc.contains, "%s %s", tc.method, tc.path)
		assert.NotContains(t, string(body), "hunter2")
	}
}
