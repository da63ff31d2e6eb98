package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryPrintedCurl runs each curl command the demo prints, as curl
// would send it, and checks the statuses its comment names, in order.
func TestEveryPrintedCurl(t *testing.T) {
	srv := httptest.NewServer(newServer(slog.New(slog.DiscardHandler)))
	defer srv.Close()
	var ran int
	for line := range strings.Lines(usage(srv.URL)) {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "curl ") {
			continue
		}
		commands, comment, ok := strings.Cut(line, "   # ")
		if !ok {
			commands, comment, _ = strings.Cut(line, " # ")
		}
		statuses := regexp.MustCompile(`\b[1-5][0-9][0-9]\b`).FindAllString(comment, -1)
		cmds := strings.Split(commands, "; ")
		require.Len(t, statuses, len(cmds), "%s: a status per command", line)
		for i, cmd := range cmds {
			want, _ := strconv.Atoi(statuses[i])
			resp, body := curl(t, strings.TrimSpace(cmd))
			assert.Equal(t, want, resp.StatusCode, "%s: %s", cmd, body)
			assert.NotContains(t, body, "hunter2", cmd)
			if want >= 400 {
				assert.Contains(t, resp.Header.Get("Content-Type"), "application/problem+", cmd)
			}
			switch want {
			case 405:
				assert.NotEmpty(t, resp.Header.Get("Allow"), cmd)
			case 429:
				assert.Equal(t, "10", resp.Header.Get("Retry-After"), cmd)
			}
			ran++
		}
	}
	assert.Equal(t, 13, ran, "every printed command ran")
}

// curl sends the request a curl command line of the demo's describes: -i,
// -X method, -H 'header', -d 'body' and the URL.
func curl(t *testing.T, cmd string) (*http.Response, string) {
	t.Helper()
	args := shellWords(t, cmd)
	require.Equal(t, "curl", args[0])
	method, url, body := "GET", "", ""
	var header []string
	for i := 1; i < len(args); i++ {
		switch args[i] {
		case "-i":
		case "-X":
			i++
			method = args[i]
		case "-H":
			i++
			k, v, ok := strings.Cut(args[i], ": ")
			require.True(t, ok, args[i])
			header = append(header, k, v)
		case "-d":
			i++
			body = args[i]
			if method == "GET" {
				method = "POST"
			}
		default:
			require.Empty(t, url, "one URL: %s", cmd)
			url = args[i]
		}
	}
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	for i := 0; i < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

// shellWords splits a command line as a shell does for the demo's
// commands: words separated by spaces, single quotes kept together.
func shellWords(t *testing.T, s string) []string {
	t.Helper()
	var words []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '\'' {
			end := strings.IndexByte(s[1:], '\'')
			require.GreaterOrEqual(t, end, 0, "unterminated quote in %s", s)
			words = append(words, s[1:1+end])
			s = s[2+end:]
			continue
		}
		word, rest, _ := strings.Cut(s, " ")
		words = append(words, word)
		s = rest
	}
	return words
}
