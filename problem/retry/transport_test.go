package retry_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemtest"
	"github.com/problemkit/problemkit/problem/retry"
)

// sleeper is a fake clock: it records each wait and returns at once, or
// with the context's error when the context is done.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return nil
}

func (s *sleeper) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.waits
}

// client returns a client whose transport retries with opts on the fake
// clock, with the largest jitter (so waits are the full backoff).
func client(opts retry.Options, s *sleeper) *http.Client {
	opts.Sleep = s.sleep
	tr := retry.NewTransport(nil, &opts)
	retry.SetJitter(tr, func() float64 { return 1 })
	return &http.Client{Transport: tr}
}

// TestTransport: the RoundTripper repeats a request on Advise's advice,
// against a real loopback server, on a fake clock.
func TestTransport(t *testing.T) {
	bill := billing(t)
	used := problem.RateLimit{Limits: []problem.ServiceLimit{{Policy: "default", Remaining: 0, Reset: 5 * time.Second}}}
	unavailable := func(retryAfter string) problemtest.Reply {
		return problemtest.ReplyStatus(http.StatusServiceUnavailable).WithRetryAfter(retryAfter)
	}
	ok := problemtest.ReplyStatus(http.StatusOK)
	const date = "Sun, 06 Nov 1994 08:49:37 GMT"

	tests := []struct {
		name         string
		opts         retry.Options
		serve        *catalog.Catalog
		replies      []problemtest.Reply
		method       string
		header       []string
		unreplayable bool // a body without GetBody
		wantStatus   int
		wantAttempts int
		wantWaits    []time.Duration
	}{
		{name: "503 with Retry-After, then a success", replies: []problemtest.Reply{unavailable("2"), ok},
			wantStatus: 200, wantAttempts: 2, wantWaits: []time.Duration{2 * time.Second}},
		{name: "503 with a Retry-After date", replies: []problemtest.Reply{
			unavailable("Sun, 06 Nov 1994 08:49:40 GMT").WithHeader("Date", date), ok},
			wantStatus: 200, wantAttempts: 2, wantWaits: []time.Duration{3 * time.Second}},
		{name: "429 with a used-up rate limit", replies: []problemtest.Reply{problemtest.ReplyStatus(429).WithRateLimit(used), ok},
			wantStatus: 200, wantAttempts: 2, wantWaits: []time.Duration{5 * time.Second}},
		{name: "capped exponential backoff without a delay",
			opts:       retry.Options{MaxAttempts: 6, BaseDelay: time.Second, MaxDelay: 3 * time.Second},
			replies:    []problemtest.Reply{problemtest.ReplyStatus(500), problemtest.ReplyStatus(502), problemtest.ReplyStatus(504), problemtest.ReplyStatus(500), ok},
			wantStatus: 200, wantAttempts: 5, wantWaits: []time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 3 * time.Second}},
		{name: "the backoff when it is longer than Retry-After", opts: retry.Options{MaxAttempts: 3},
			replies:    []problemtest.Reply{unavailable("1")},
			wantStatus: 503, wantAttempts: 3, wantWaits: []time.Duration{time.Second, 2 * time.Second}},
		{name: "Retry-After 0 still backs off", replies: []problemtest.Reply{unavailable("0"), ok},
			wantStatus: 200, wantAttempts: 2, wantWaits: []time.Duration{time.Second}},
		{name: "the last response after the last attempt", opts: retry.Options{MaxAttempts: 2},
			replies:    []problemtest.Reply{problemtest.ReplyStatus(500)},
			wantStatus: 500, wantAttempts: 2, wantWaits: []time.Duration{time.Second}},
		{name: "a never status", replies: []problemtest.Reply{problemtest.ReplyStatus(400), ok},
			wantStatus: 400, wantAttempts: 1},
		{name: "a never type", serve: bill, opts: retry.Options{Catalog: bill}, replies: []problemtest.Reply{problemtest.ReplyType("BILL.0004"), ok},
			wantStatus: 503, wantAttempts: 1},
		{name: "an anytime type", serve: bill, opts: retry.Options{Catalog: bill}, replies: []problemtest.Reply{problemtest.ReplyType("BILL.0002"), ok},
			wantStatus: 200, wantAttempts: 2, wantWaits: []time.Duration{time.Second}},
		{name: "POST is not repeated", method: http.MethodPost, replies: []problemtest.Reply{unavailable("1"), ok},
			wantStatus: 503, wantAttempts: 1},
		{name: "POST with an Idempotency-Key is", method: http.MethodPost, header: []string{"Idempotency-Key", `"k1"`},
			replies: []problemtest.Reply{unavailable("1"), ok}, wantStatus: 200, wantAttempts: 2, wantWaits: []time.Duration{time.Second}},
		{name: "POST when told to", method: http.MethodPost, opts: retry.Options{RetryNonIdempotent: true},
			replies: []problemtest.Reply{unavailable("1"), ok}, wantStatus: 200, wantAttempts: 2, wantWaits: []time.Duration{time.Second}},
		{name: "a body without GetBody is not replayed", method: http.MethodPut, unreplayable: true,
			replies: []problemtest.Reply{unavailable("1"), ok}, wantStatus: 503, wantAttempts: 1},
		{name: "a delay beyond MaxWait is not waited for", replies: []problemtest.Reply{unavailable("120"), ok},
			wantStatus: 503, wantAttempts: 1},
		{name: "MaxWait bounds the sum of the waits", opts: retry.Options{MaxWait: 50 * time.Second},
			replies: []problemtest.Reply{unavailable("20")}, wantStatus: 503, wantAttempts: 3,
			wantWaits: []time.Duration{20 * time.Second, 20 * time.Second}},
		{name: "a delay of centuries after a wait is not waited for", replies: []problemtest.Reply{unavailable("1"), unavailable("9223372036"), ok},
			wantStatus: 503, wantAttempts: 2, wantWaits: []time.Duration{time.Second}},
		{name: "a success", replies: []problemtest.Reply{ok}, wantStatus: 200, wantAttempts: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := problemtest.NewUpstream(t, tt.serve, tt.replies...)
			s := &sleeper{}
			method := tt.method
			if method == "" {
				method = http.MethodPut
			}
			var body io.Reader = strings.NewReader(`{"qty":2}`)
			if tt.unreplayable {
				body = io.MultiReader(body) // http.NewRequest cannot rewind it
			}
			req, err := http.NewRequest(method, up.URL+"/orders/7", body)
			require.NoError(t, err)
			for i := 0; i+1 < len(tt.header); i += 2 {
				req.Header.Set(tt.header[i], tt.header[i+1])
			}
			resp, err := client(tt.opts, s).Do(req)
			require.NoError(t, err)
			t.Cleanup(func() { _ = resp.Body.Close() })

			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, tt.wantWaits, s.got(), "waits")
			got := up.Requests()
			assert.Len(t, got, tt.wantAttempts, "attempts")
			for i, r := range got {
				assert.Equal(t, `{"qty":2}`, string(r.Body), "attempt %d sends the whole body", i+1)
				assert.Equal(t, method, r.Method)
			}
			if tt.wantStatus >= 400 {
				p, err := problem.FromResponse(resp)
				require.NoError(t, err, "the last response keeps its body")
				assert.Equal(t, tt.wantStatus, p.Status)
			}
		})
	}
}

// TestTransportJitter: the backoff before retry n is drawn from half to
// all of BaseDelay·2ⁿ⁻¹, capped at MaxDelay.
func TestTransportJitter(t *testing.T) {
	for _, tt := range []struct {
		name   string
		jitter float64
		want   []time.Duration
	}{
		{"least", 0, []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 2 * time.Second}},
		{"middle", 0.5, []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second, 3 * time.Second}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			up := problemtest.NewUpstream(t, nil, problemtest.ReplyStatus(http.StatusBadGateway))
			s := &sleeper{}
			tr := retry.NewTransport(nil, &retry.Options{MaxAttempts: 5, MaxDelay: 4 * time.Second, Sleep: s.sleep})
			retry.SetJitter(tr, func() float64 { return tt.jitter })
			resp, err := (&http.Client{Transport: tr}).Get(up.URL)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			assert.Equal(t, tt.want, s.got())
		})
	}
}

// TestTransportCancel: a cancelled context stops the wait at once, on the
// real clock.
func TestTransportCancel(t *testing.T) {
	up := problemtest.NewUpstream(t, nil, problemtest.ReplyStatus(http.StatusServiceUnavailable).WithRetryAfter("30"))
	ctx, cancel := context.WithCancel(t.Context())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, up.URL, nil)
	require.NoError(t, err)
	time.AfterFunc(50*time.Millisecond, cancel)

	start := time.Now()
	resp, err := (&http.Client{Transport: retry.NewTransport(nil, nil)}).Do(req)
	assert.Nil(t, resp)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 5*time.Second, "the 30 s wait stopped with the context")
	assert.Len(t, up.Requests(), 1)
}

// TestTransportDeadline: a wait that would outlast the context's deadline
// is not begun: the response is returned at once.
func TestTransportDeadline(t *testing.T) {
	up := problemtest.NewUpstream(t, nil, problemtest.ReplyStatus(http.StatusServiceUnavailable).WithRetryAfter("30"))
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, up.URL, nil)
	require.NoError(t, err)
	s := &sleeper{}
	resp, err := client(retry.Options{}, s).Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Empty(t, s.got())
	assert.Len(t, up.Requests(), 1)
}

// trackedBody records how much of it was read and whether it was closed.
type trackedBody struct {
	r      *bytes.Reader
	size   int
	closed bool
}

func (b *trackedBody) Read(p []byte) (int, error) { return b.r.Read(p) }
func (b *trackedBody) Close() error               { b.closed = true; return nil }
func (b *trackedBody) unread() int                { return b.r.Len() }

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestTransportDiscards: the responses it does not return are drained (a
// bounded amount) and closed; the one it returns is neither.
func TestTransportDiscards(t *testing.T) {
	var bodies []*trackedBody
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		h := http.Header{"Content-Type": {"text/html"}}
		size := 100
		if len(bodies) == 1 {
			size = 10 << 20 // too large to drain: closed all the same
		}
		if len(bodies) == 2 {
			h.Set("Content-Type", "application/problem+json")
		}
		data := bytes.Repeat([]byte("x"), size)
		if len(bodies) == 2 {
			data = []byte(`{"type":"about:blank","status":503,"detail":"still down"}`)
		}
		b := &trackedBody{r: bytes.NewReader(data), size: len(data)}
		bodies = append(bodies, b)
		return &http.Response{StatusCode: http.StatusServiceUnavailable, Header: h, Body: b, Request: r}, nil
	})
	s := &sleeper{}
	tr := retry.NewTransport(base, &retry.Options{MaxAttempts: 3, Sleep: s.sleep})
	req, err := http.NewRequest(http.MethodGet, "http://upstream.test/", nil)
	require.NoError(t, err)
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	require.Len(t, bodies, 3)

	assert.True(t, bodies[0].closed)
	assert.Zero(t, bodies[0].unread(), "a small body is drained, so the connection can be reused")
	assert.True(t, bodies[1].closed)
	assert.Positive(t, bodies[1].unread(), "a large one is not read to its end")
	assert.False(t, bodies[2].closed, "the last is the caller's")
	p, err := problem.FromResponse(resp)
	require.NoError(t, err)
	assert.Equal(t, "still down", p.Detail, "read whole although the transport read it first")
	assert.True(t, bodies[2].closed, "closing the returned body closes the real one")
}

// TestTransportDiscardReadsAtMost: discarding a response reads at most
// 64 KiB of a body that is not a problem's, and of a problem body what it
// read to learn the type, up to problem.MaxResponseBody.
func TestTransportDiscardReadsAtMost(t *testing.T) {
	const drain = 64 << 10
	for _, tt := range []struct {
		name     string
		ct       string
		size     int
		wantRead int
	}{
		{"a text body to its end", "text/html", 1000, 1000},
		{"a text body, 64 KiB of it", "text/html", 200 << 10, drain},
		{"a problem body whole", "application/problem+json", 200 << 10, 200 << 10},
		{"a problem body above the limit, the limit and a byte", "application/problem+json", 3 << 20, problem.MaxResponseBody + 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var first *trackedBody
			base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				data := bytes.Repeat([]byte("x"), tt.size)
				copy(data, `{"detail":"`)
				b := &trackedBody{r: bytes.NewReader(data), size: len(data)}
				if first == nil {
					first = b
				}
				return &http.Response{StatusCode: http.StatusServiceUnavailable, Header: http.Header{"Content-Type": {tt.ct}}, Body: b, Request: r}, nil
			})
			tr := retry.NewTransport(base, &retry.Options{MaxAttempts: 2, Sleep: (&sleeper{}).sleep})
			resp, err := tr.RoundTrip(mustRequest(t))
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			require.NotNil(t, first)
			assert.True(t, first.closed)
			assert.Equal(t, tt.wantRead, tt.size-first.unread())
		})
	}
}

// TestTransportErrors: what the base transport or GetBody fails with
// ends the attempts.
func TestTransportErrors(t *testing.T) {
	t.Run("a transport error is returned at once", func(t *testing.T) {
		calls := 0
		boom := errors.New("connection refused")
		tr := retry.NewTransport(roundTripFunc(func(*http.Request) (*http.Response, error) { calls++; return nil, boom }), nil)
		req, err := http.NewRequest(http.MethodGet, "http://upstream.test/", nil)
		require.NoError(t, err)
		resp, err := tr.RoundTrip(req)
		assert.Nil(t, resp)
		assert.ErrorIs(t, err, boom)
		assert.Equal(t, 1, calls)
	})
	t.Run("a failing GetBody returns the response", func(t *testing.T) {
		up := problemtest.NewUpstream(t, nil, problemtest.ReplyStatus(http.StatusServiceUnavailable).WithRetryAfter("1"))
		req, err := http.NewRequest(http.MethodPut, up.URL, strings.NewReader("x"))
		require.NoError(t, err)
		req.GetBody = func() (io.ReadCloser, error) { return nil, errors.New("gone") }
		s := &sleeper{}
		resp, err := client(retry.Options{}, s).Do(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
		assert.Len(t, up.Requests(), 1)
		assert.Empty(t, s.got())
	})
}

// TestNewTransportRefuses: options that make no sense stop the program
// where the transport is built.
func TestNewTransportRefuses(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts retry.Options
		want string
	}{
		{"negative attempts", retry.Options{MaxAttempts: -1}, "retry: MaxAttempts -1 is negative"},
		{"negative wait", retry.Options{MaxWait: -time.Second}, "retry: MaxWait -1s is negative"},
		{"negative base", retry.Options{BaseDelay: -time.Second}, "retry: BaseDelay -1s is negative"},
		{"negative cap", retry.Options{MaxDelay: -time.Second}, "retry: MaxDelay -1s is negative"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.PanicsWithValue(t, tt.want, func() { retry.NewTransport(nil, &tt.opts) })
		})
	}
}

// TestNewTransportDelays: a delay left unset takes its default from the
// one that is set, and MaxDelay caps even the first backoff, so that no
// pair of delays stops the program.
func TestNewTransportDelays(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts retry.Options
		want []time.Duration // the backoffs before the retries, at the largest jitter
	}{
		{"the defaults", retry.Options{}, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}},
		{"MaxDelay alone, below the default BaseDelay", retry.Options{MaxDelay: 200 * time.Millisecond}, []time.Duration{200 * time.Millisecond, 200 * time.Millisecond, 200 * time.Millisecond}},
		{"MaxDelay alone, above the default BaseDelay", retry.Options{MaxDelay: 3 * time.Second}, []time.Duration{time.Second, 2 * time.Second, 3 * time.Second}},
		{"BaseDelay alone, above the default MaxDelay", retry.Options{BaseDelay: 40 * time.Second}, []time.Duration{40 * time.Second, 40 * time.Second, 40 * time.Second}},
		{"BaseDelay above MaxDelay", retry.Options{BaseDelay: time.Minute, MaxDelay: time.Second}, []time.Duration{time.Second, time.Second, time.Second}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := &sleeper{}
			opts := tt.opts
			opts.MaxAttempts, opts.MaxWait, opts.Sleep = 4, time.Hour, s.sleep
			var tr *retry.Transport
			require.NotPanics(t, func() { tr = retry.NewTransport(badGateway, &opts) })
			retry.SetJitter(tr, func() float64 { return 1 })
			resp, err := tr.RoundTrip(mustRequest(t))
			require.NoError(t, err)
			assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
			assert.Equal(t, tt.want, s.got())
		})
	}
}

// TestNewTransportOptionCombinations: NewTransport takes every combination
// of options that are not negative, and the transport it returns keeps
// them: no wait is longer than the cap (MaxDelay, or BaseDelay when only
// that is set and longer), none is negative, and the waits sum to no more
// than MaxWait.
func TestNewTransportOptionCombinations(t *testing.T) {
	const most = time.Duration(1<<63 - 1)
	delays := []time.Duration{0, 1, 200 * time.Millisecond, time.Minute, most}
	for _, base := range delays {
		for _, maxDelay := range delays {
			for _, maxWait := range []time.Duration{0, 1, time.Hour, most} {
				for _, attempts := range []int{0, 1, 3} {
					opts := retry.Options{BaseDelay: base, MaxDelay: maxDelay, MaxWait: maxWait, MaxAttempts: attempts}
					s := &sleeper{}
					opts.Sleep = s.sleep
					var tr *retry.Transport
					if !assert.NotPanics(t, func() { tr = retry.NewTransport(badGateway, &opts) }, "%+v", opts) {
						continue
					}
					retry.SetJitter(tr, func() float64 { return 1 })
					_, err := tr.RoundTrip(mustRequest(t))
					require.NoError(t, err)

					wantCap := maxDelay
					if wantCap == 0 {
						wantCap = max(30*time.Second, base)
					}
					wantMaxWait := maxWait
					if wantMaxWait == 0 {
						wantMaxWait = time.Minute
					}
					var sum time.Duration
					for _, d := range s.got() {
						assert.GreaterOrEqual(t, d, time.Duration(0), "%+v", opts)
						assert.LessOrEqual(t, d, wantCap, "%+v", opts)
						sum += d
					}
					assert.LessOrEqual(t, sum, wantMaxWait, "%+v", opts)
				}
			}
		}
	}
}

// badGateway is a base transport that answers every request with a 502.
var badGateway = roundTripFunc(func(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: http.StatusBadGateway, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
})

func mustRequest(t *testing.T) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, "http://upstream.test/", nil)
	require.NoError(t, err)
	return req
}

// TestTransportLongBackoff: doubling a long backoff stops at MaxDelay
// instead of overflowing.
func TestTransportLongBackoff(t *testing.T) {
	up := problemtest.NewUpstream(t, nil, problemtest.ReplyStatus(http.StatusBadGateway))
	s := &sleeper{}
	const most = time.Duration(1<<63 - 1)
	tr := retry.NewTransport(nil, &retry.Options{MaxAttempts: 70, MaxWait: most, MaxDelay: most, Sleep: s.sleep})
	retry.SetJitter(tr, func() float64 { return 1 })
	resp, err := (&http.Client{Transport: tr}).Get(up.URL)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	for i, d := range s.got() {
		assert.Positive(t, d, "wait %d", i+1)
	}
}

// TestRetryAfterBeyondDuration: a Retry-After of more delay-seconds
// than a time.Duration holds is still valid (RFC 9110 §10.2.3:
// delay-seconds = 1*DIGIT); it asks for the longest wait there is, as an
// over-long delta-seconds means the largest value a recipient can
// represent (RFC 9111 §1.2.2). One digit more than 9223372036 must not turn
// "wait for centuries" into "no advice" and a retry a second later.
func TestRetryAfterBeyondDuration(t *testing.T) {
	longest := time.Duration(1<<63-1) / time.Second * time.Second
	tests := []struct {
		name       string
		retryAfter string
	}{
		{name: "the longest delay a Duration holds", retryAfter: "9223372036"},
		{name: "one second more", retryAfter: "9223372037"},
		{name: "more digits than an int64", retryAfter: "99999999999999999999999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := problem.ParseRetryAfter(tt.retryAfter, time.Now())
			assert.NoError(t, err)
			assert.Equal(t, longest, d)

			up := problemtest.NewUpstream(t, nil,
				problemtest.ReplyStatus(http.StatusServiceUnavailable).WithRetryAfter(tt.retryAfter),
				problemtest.ReplyStatus(http.StatusOK))
			s := &sleeper{}
			req, err := http.NewRequest(http.MethodGet, up.URL+"/orders/7", nil)
			require.NoError(t, err)
			resp, err := client(retry.Options{}, s).Do(req)
			require.NoError(t, err)
			t.Cleanup(func() { _ = resp.Body.Close() })

			assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "a wait beyond MaxWait is not waited for")
			assert.Len(t, up.Requests(), 1, "attempts")
			assert.Empty(t, s.got(), "waits")

			a := retry.Advise(resp, nil, nil)
			assert.Equal(t, retry.RuleRetryAfter, a.Rule)
			assert.Equal(t, longest, a.After)
		})
	}
}
