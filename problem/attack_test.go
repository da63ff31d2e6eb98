package problem_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/problem"
)

// TestAttackRetryAfterSyntax: whatever a problem, the stack or an upstream
// puts in Retry-After, the response carries delay-seconds or an
// IMF-fixdate (RFC 9110 §10.2.3; §5.6.7: senders MUST generate the
// IMF-fixdate form), or no Retry-After: a value of another form is
// dropped, as a header with a control character is, and one of the
// obsolete date forms is written as an IMF-fixdate.
func TestAttackRetryAfterSyntax(t *testing.T) {
	relayed := func(value string) *problem.Problem {
		resp := &http.Response{StatusCode: http.StatusServiceUnavailable,
			Header:  http.Header{"Content-Type": {"application/problem+json"}, "Retry-After": {value}},
			Body:    io.NopCloser(strings.NewReader(`{"title":"Down"}`)),
			Request: httptest.NewRequest(http.MethodGet, "https://up.example/x", nil)}
		p, err := problem.FromResponse(resp)
		require.NoError(t, err)
		return problem.Relay(&problem.RelayOptions{Header: []string{"Retry-After"}})(p)
	}
	tests := []struct {
		name  string
		p     *problem.Problem
		stack string // a Retry-After already on the response
		want  []string
		quiet bool // sent as it is, without a report
	}{
		{name: "the problem's word", p: problem.New(503, "").WithHeader("Retry-After", "soon")},
		{name: "the problem's fraction", p: problem.New(503, "").WithHeader("Retry-After", "1.5")},
		{name: "the problem's signed delay", p: problem.New(503, "").WithHeader("Retry-After", "+5")},
		{name: "the problem's asctime date", p: problem.New(503, "").WithHeader("Retry-After", "Sun Nov  6 08:49:37 1994"),
			want: []string{"Sun, 06 Nov 1994 08:49:37 GMT"}},
		{name: "the stack's word", p: problem.New(503, ""), stack: "later"},
		{name: "an upstream's word, relayed", p: relayed("tomorrow")},
		{name: "a valid delay stays", p: problem.New(503, "").WithHeader("Retry-After", "120"), want: []string{"120"}, quiet: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NotNil(t, tt.p)
			rec := httptest.NewRecorder()
			if tt.stack != "" {
				rec.Header().Set("Retry-After", tt.stack)
			}
			err := (&problem.Responder{}).Respond(rec, httptest.NewRequest(http.MethodGet, "/", nil), tt.p)
			assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
			assert.Equal(t, tt.want, rec.Header()["Retry-After"])
			if tt.quiet {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, "problem: Retry-After", "what was dropped or rewritten is reported")
			}
		})
	}
}

// TestAttackOwnContentEncoding: Respond writes the problem's body itself,
// unencoded, so a Content-Encoding the problem carries in its Header
// cannot describe it (RFC 9110 §8.4): sent, it makes the body undecodable
// (Go's client fails with "gzip: invalid header"). It must be dropped and
// reported, as the problem's Content-Length and Transfer-Encoding are; a
// Content-Encoding of the stack's, a compressor's, is another matter.
func TestAttackOwnContentEncoding(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := problem.New(http.StatusBadRequest, "bad").WithHeader("Content-Encoding", "gzip")
		err := (&problem.Responder{}).Respond(w, r, p)
		assert.ErrorContains(t, err, "problem: Content-Encoding cannot describe the body Respond writes, which is not encoded (RFC 9110 §8.4); dropped",
			"the dropped header is reported")
	}))
	t.Cleanup(srv.Close)
	resp, err := srv.Client().Get(srv.URL)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, resp.Body.Close())
	require.NoError(t, err, "the body decodes")
	assert.Empty(t, resp.Header["Content-Encoding"])
	assert.Equal(t, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"bad"}`, string(body))
}

// TestAttackBlankChallenge: a 401 always carries a challenge (RFC 9110
// §15.5.2, §11.6.1: WWW-Authenticate = #challenge, challenge = auth-scheme
// ...). A blank or scheme-less value from the problem is no challenge; it
// is dropped and replaced by Challenge, as one with a control character
// is.
func TestAttackBlankChallenge(t *testing.T) {
	for _, value := range []string{" ", "=x", `"realm"`} {
		t.Run(value, func(t *testing.T) {
			rec := httptest.NewRecorder()
			err := (&problem.Responder{}).Respond(rec, httptest.NewRequest(http.MethodGet, "/", nil),
				problem.New(http.StatusUnauthorized, "").WithAuthenticate(value))
			assert.Equal(t, []string{"Bearer"}, rec.Header()["Www-Authenticate"])
			assert.ErrorContains(t, err, "holds no challenge", "the replaced value is reported")
		})
	}
}

// TestAttackUpgradeRequired: a 426 MUST carry Upgrade (RFC 9110
// §15.5.22), as a 405 must carry Allow and a 407 Proxy-Authenticate.
// Respond cannot invent the protocol, so, as for those two, it sends the
// response and reports what is missing.
func TestAttackUpgradeRequired(t *testing.T) {
	rec := httptest.NewRecorder()
	err := (&problem.Responder{}).Respond(rec, httptest.NewRequest(http.MethodGet, "/", nil), problem.New(http.StatusUpgradeRequired, ""))
	assert.Equal(t, http.StatusUpgradeRequired, rec.Code)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Upgrade")

	rec = httptest.NewRecorder()
	err = (&problem.Responder{}).Respond(rec, httptest.NewRequest(http.MethodGet, "/", nil),
		problem.New(http.StatusUpgradeRequired, "").WithHeader("Upgrade", "HTTP/2.0"))
	assert.NoError(t, err)
	assert.Equal(t, []string{"HTTP/2.0"}, rec.Header()["Upgrade"])
}
