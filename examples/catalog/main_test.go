package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/problem"
)

// TestDocsMatchCatalog fails when STATUS.md or openapi.json no longer match
// vendor.json. Regenerate them with
//
//	go run ./examples/catalog > examples/catalog/STATUS.md
//	go run ./examples/catalog -openapi > examples/catalog/openapi.json
func TestDocsMatchCatalog(t *testing.T) {
	cat, err := load("")
	require.NoError(t, err)
	for file, write := range map[string]func(io.Writer) error{
		"STATUS.md":    cat.Subset(errorsOnly).WriteMarkdown,
		"openapi.json": cat.WriteOpenAPI,
	} {
		var want bytes.Buffer
		require.NoError(t, write(&want))
		got, err := os.ReadFile(file)
		require.NoError(t, err)
		assert.Equal(t, want.String(), string(got), "%s is out of date: regenerate it from vendor.json", file)
	}
}

// TestAPIAnswersAsDocumented checks that the API's titles and Retry-After
// are the catalog's.
func TestAPIAnswersAsDocumented(t *testing.T) {
	cat, err := load("")
	require.NoError(t, err)
	srv := httptest.NewServer(newAPI(cat, slog.New(slog.DiscardHandler)))
	defer srv.Close()

	for _, tc := range []struct {
		path, title string
		status      int
		header      string
		value       string
	}{
		{"/parcels/P9", "NotFound", 404, "", ""},
		{"/track", "Unauthorized", 401, "WWW-Authenticate", `Bearer realm="parcelly"`},
		{"/quota", "", 200, "", ""},
		{"/quota", "TooManyRequests", 429, "Retry-After", "30"},
		{"/depots/slow", "ServerTimeout", 504, "", ""},
		{"/nowhere", "NotFound", 404, "", ""},
	} {
		resp, err := http.Get(srv.URL + tc.path)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, tc.status, resp.StatusCode, tc.path)
		if tc.header != "" {
			assert.Equal(t, tc.value, resp.Header.Get(tc.header), tc.path)
		}
		if tc.status >= 400 {
			var p problem.Problem
			require.NoError(t, json.Unmarshal(body, &p), tc.path)
			assert.Equal(t, tc.title, p.Title, tc.path)
			e, _ := cat.Lookup(tc.status)
			assert.Equal(t, e.Phrase, p.Title, "%s: the title is the documented phrase", tc.path)
		}
	}
}
