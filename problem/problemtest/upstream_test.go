package problemtest_test

import (
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemtest"
)

// billing is a vendor's catalog: a 503 with a default delay and two
// error-code types.
func billing(t *testing.T) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Load(strings.NewReader(`{
	  "typeBase": "https://billing.example/errors/",
	  "statuses": [{"code": 503, "phrase": "Service Unavailable", "retry": "after-delay", "retryAfter": 7}],
	  "types": [
	    {"code": "BILL.0001", "status": 403, "title": "Out of credit", "retry": "never"},
	    {"code": "BILL.0002", "status": 409, "title": "Ledger busy", "retry": "anytime"}
	  ]
	}`))
	require.NoError(t, err)
	return cat
}

// TestUpstream: the fake upstream answers its script in order with the
// catalog's problems, as the Responder writes them, then repeats its last
// reply, and records what it was sent.
func TestUpstream(t *testing.T) {
	quota, err := problem.RateLimited("quota-exceeded", problem.RateLimit{
		Limits: []problem.ServiceLimit{{Policy: "default", Remaining: 0, Reset: 30 * time.Second}},
	}, "default")
	require.NoError(t, err)
	up := problemtest.NewUpstream(t, billing(t),
		problemtest.ReplyStatus(http.StatusServiceUnavailable),
		problemtest.ReplyStatus(http.StatusServiceUnavailable).WithRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT"),
		problemtest.ReplyType("BILL.0001"),
		problemtest.ReplyStatus(http.StatusTooManyRequests).WithRetryAfter("2").
			WithRateLimit(problem.RateLimit{Limits: []problem.ServiceLimit{{Policy: "default", Remaining: 0, Reset: 5 * time.Second}}}),
		problemtest.ReplyProblem(quota),
		problemtest.ReplyStatus(http.StatusNoContent).WithHeader("X-Trace", "7"),
	)

	tests := []struct {
		name        string
		status      int
		contentType string
		header      http.Header
		body        string
	}{
		{"a status, with the catalog's default delay", 503, "application/problem+json",
			http.Header{"Retry-After": {"7"}},
			`{"type":"about:blank","title":"Service Unavailable","status":503}`},
		{"a Retry-After date", 503, "application/problem+json",
			http.Header{"Retry-After": {"Sun, 06 Nov 1994 08:49:37 GMT"}},
			`{"type":"about:blank","title":"Service Unavailable","status":503}`},
		{"a catalog type", 403, "application/problem+json", nil,
			`{"type":"https://billing.example/errors/BILL.0001","title":"Out of credit","status":403,"code":"BILL.0001"}`},
		{"rate limit: Retry-After held back to the reset", 429, "application/problem+json",
			http.Header{"Retry-After": {"5"}, "Ratelimit": {`"default";r=0;t=5`}},
			`{"type":"about:blank","title":"Too Many Requests","status":429}`},
		{"any problem", 429, "application/problem+json",
			http.Header{"Ratelimit": {`"default";r=0;t=30`}},
			`{"type":"https://iana.org/assignments/http-problem-types#quota-exceeded","title":"Quota Exceeded","status":429,"violated-policies":["default"]}`},
		{"a success", 204, "", http.Header{"X-Trace": {"7"}}, ""},
		{"the last reply again", 204, "", http.Header{"X-Trace": {"7"}}, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPut, fmt.Sprintf("%s/orders/%d", up.URL, i), strings.NewReader(fmt.Sprint("body ", i)))
			require.NoError(t, err)
			req.Header.Set("Idempotency-Key", fmt.Sprint("key-", i))
			resp, err := up.Client().Do(req)
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())

			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.contentType, resp.Header.Get("Content-Type"))
			for k, v := range tt.header {
				assert.Equal(t, v, resp.Header.Values(k), k)
			}
			if _, ok := tt.header["Retry-After"]; !ok {
				assert.Empty(t, resp.Header.Values("Retry-After"))
			}
			assert.Equal(t, tt.body, string(body))
		})
	}

	got := up.Requests()
	require.Len(t, got, len(tests))
	for i, r := range got {
		assert.Equal(t, http.MethodPut, r.Method)
		assert.Equal(t, fmt.Sprintf("/orders/%d", i), r.URL.Path)
		assert.Equal(t, fmt.Sprint("key-", i), r.Header.Get("Idempotency-Key"))
		assert.Equal(t, fmt.Sprint("body ", i), string(r.Body))
	}
	got[0].Header.Set("Idempotency-Key", "changed")
	assert.Equal(t, "key-0", up.Requests()[0].Header.Get("Idempotency-Key"), "Requests returns copies")
}

// TestUpstreamConcurrent: requests at once each get one reply of the
// script, and all are recorded.
func TestUpstreamConcurrent(t *testing.T) {
	up := problemtest.NewUpstream(t, nil, problemtest.ReplyStatus(500), problemtest.ReplyStatus(502), problemtest.ReplyStatus(200))
	var wg sync.WaitGroup
	statuses := make([]int, 8)
	for i := range statuses {
		wg.Go(func() {
			resp, err := up.Client().Get(up.URL)
			if assert.NoError(t, err) {
				statuses[i] = resp.StatusCode
				_ = resp.Body.Close()
			}
		})
	}
	wg.Wait()
	assert.Len(t, up.Requests(), 8)
	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	assert.Equal(t, map[int]int{500: 1, 502: 1, 200: 6}, count)
}

// fatalRecorder is a testing.TB whose Fatalf records the message and
// stops the goroutine, as t.Fatalf does.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// TestNewUpstreamRefuses: a script that cannot be answered fails the test
// at once, saying why.
func TestNewUpstreamRefuses(t *testing.T) {
	tests := []struct {
		name    string
		replies []problemtest.Reply
		want    string
	}{
		{"no replies", nil, "problemtest: NewUpstream needs at least one reply"},
		{"unknown code", []problemtest.Reply{problemtest.ReplyStatus(200), problemtest.ReplyType("BILL.9999")},
			`problemtest: reply 1: the catalog has no type with code "BILL.9999"`},
		{"no status", []problemtest.Reply{problemtest.ReplyStatus(0)}, "problemtest: reply 0: status 0 is not 200 to 599"},
		{"a zero Reply", []problemtest.Reply{{}}, "problemtest: reply 0: status 0 is not 200 to 599"},
		// net/http sends a 1xx only as an interim response: the client would get 200.
		{"an informational status", []problemtest.Reply{problemtest.ReplyStatus(http.StatusEarlyHints)},
			"problemtest: reply 0: status 103 is informational, which net/http sends only before a final response; an Upstream replies 200 to 599"},
		{"100 Continue", []problemtest.Reply{problemtest.ReplyStatus(http.StatusContinue)},
			"problemtest: reply 0: status 100 is informational, which net/http sends only before a final response; an Upstream replies 200 to 599"},
		{"above 599", []problemtest.Reply{problemtest.ReplyStatus(600)}, "problemtest: reply 0: status 600 is not 200 to 599"},
		{"nil problem", []problemtest.Reply{problemtest.ReplyProblem(nil)}, "problemtest: reply 0: nil problem"},
		{"a broken rate limit", []problemtest.Reply{problemtest.ReplyStatus(429).WithRateLimit(problem.RateLimit{Limits: []problem.ServiceLimit{{Remaining: 1}}})},
			"problemtest: reply 0: problem: a rate-limit limit needs a name"},
		{"a header with a line break", []problemtest.Reply{problemtest.ReplyStatus(503).WithRetryAfter("1\r\nX: y")},
			`problemtest: reply 0: header "Retry-After" has a line break`},
		// net/http's server leaves out a field whose name is not a token
		// (RFC 9110 §5.1), without a word: the client would get no such header.
		{"a header name with a space", []problemtest.Reply{problemtest.ReplyStatus(503).WithHeader("Retry After", "1")},
			`problemtest: reply 0: header name "Retry After" is not a token (RFC 9110 §5.1), which net/http does not send`},
		{"a header name with a colon, on a reply without a problem", []problemtest.Reply{problemtest.ReplyStatus(204).WithHeader("X:Y", "1")},
			`problemtest: reply 0: header name "X:Y" is not a token (RFC 9110 §5.1), which net/http does not send`},
		{"an empty header name", []problemtest.Reply{problemtest.ReplyStatus(503).WithHeader("", "1")},
			`problemtest: reply 0: header name "" is not a token (RFC 9110 §5.1), which net/http does not send`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &fatalRecorder{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				problemtest.NewUpstream(rec, billing(t), tt.replies...)
			}()
			<-done
			assert.Equal(t, tt.want, rec.msg)
		})
	}
}

// TestUpstreamWithHeader: a header given with WithHeader reaches the
// client as given, also where the Responder writes one of its own on a
// problem reply (a proxy's HTML 502, a cache's Cache-Control), and on a
// reply without a problem.
func TestUpstreamWithHeader(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		key, value string
	}{
		{"Content-Type of a proxy's HTML page", http.StatusBadGateway, "Content-Type", "text/html"},
		{"Cache-Control", http.StatusBadGateway, "Cache-Control", "max-age=60"},
		{"Vary", http.StatusBadGateway, "Vary", "Origin"},
		{"Content-Language", http.StatusBadGateway, "Content-Language", "fr"},
		{"Retry-After as written", http.StatusServiceUnavailable, "Retry-After", "soon"},
		{"a header the Responder does not write", http.StatusNotFound, "X-Trace", "7"},
		{"on a success", http.StatusOK, "Cache-Control", "no-store"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := problemtest.NewUpstream(t, nil, problemtest.ReplyStatus(tt.status).WithHeader(tt.key, tt.value))
			resp, err := up.Client().Get(up.URL)
			require.NoError(t, err)
			_, err = io.Copy(io.Discard, resp.Body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, []string{tt.value}, resp.Header.Values(tt.key))
		})
	}
}
