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
)

// TestDemo runs the demo's routes as the printed curl commands do.
func TestDemo(t *testing.T) {
	srv := httptest.NewServer(newServer(slog.New(slog.DiscardHandler)))
	defer srv.Close()
	json := "application/json"
	for _, tc := range []struct {
		method, path, ctype, body string
		status                    int
		contains                  string
	}{
		{"GET", "/users/1", "", "", 200, `"name":"Ada"`},
		{"GET", "/users/9", "", "", 404, `"title":"Not Found"`},
		{"GET", "/nope", "", "", 404, `"title":"Not Found"`},
		{"DELETE", "/users/1", "", "", 405, `"title":"Method Not Allowed"`},
		{"GET", "/users/abc", "", "", 400, `"parameter":"id"`},
		{"POST", "/users", json, `{"name":"A","email":"nope","age":7,"role":"boss"}`, 422, `"pointer":"#/role"`},
		{"POST", "/users", json, `{"name":"Ada","email":"ada@example.com","age":36,"role":"reader"}`, 409, `"type":"https://example.com/probs/email-taken"`},
		{"POST", "/users", json, `{"age":"old"}`, 400, `wrong type at \"age\"`},
		{"POST", "/users", json, `{"name":"` + strings.Repeat("a", 1100) + `"}`, 413, `"title":"Content Too Large"`},
		{"GET", "/limited", "", "", 200, "ok"},
		{"GET", "/limited", "", "", 429, `"title":"Too Many Requests"`},
		{"GET", "/panic", "", "", 500, `"title":"Internal Server Error"`},
	} {
		req, err := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
		require.NoError(t, err)
		if tc.ctype != "" {
			req.Header.Set("Content-Type", tc.ctype)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, tc.status, resp.StatusCode, "%s %s: %s", tc.method, tc.path, body)
		assert.Contains(t, string(body), tc.contains, "%s %s", tc.method, tc.path)
		assert.NotContains(t, string(body), "hunter2")
		if tc.status == 429 {
			assert.Equal(t, "10", resp.Header.Get("Retry-After"))
		}
	}
}
