package retry_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemtest"
	"github.com/problemkit/problemkit/problem/retry"
)

// billing is a vendor's catalog: three error-code types with retry
// guidance of their own, and a 503 with a default delay.
func billing(t *testing.T) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Load(strings.NewReader(`{
	  "typeBase": "https://billing.example/errors/",
	  "statuses": [{"code": 503, "phrase": "Service Unavailable", "retry": "after-delay", "retryAfter": 7}],
	  "types": [
	    {"code": "BILL.0001", "status": 403, "title": "Out of credit", "retry": "never"},
	    {"code": "BILL.0002", "status": 409, "title": "Ledger busy", "retry": "anytime"},
	    {"code": "BILL.0003", "status": 409, "title": "Ledger closing", "retry": "after-delay", "retryAfter": 11},
	    {"code": "BILL.0004", "status": 503, "title": "Billing paused", "retry": "never"}
	  ]
	}`))
	require.NoError(t, err)
	return cat
}

// send sends a request to the upstream and returns the response and the
// problem read from it (nil for a response that carries none).
func send(t *testing.T, up *problemtest.Upstream, method string, header ...string) (*http.Response, *problem.Problem) {
	t.Helper()
	req, err := http.NewRequest(method, up.URL+"/orders/7", nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := up.Client().Do(req)
	require.NoError(t, err)
	p, _ := problem.FromResponse(resp) // closes the body
	return resp, p
}

// TestAdvise: one case per rule of Advise, each against the fake upstream
// (conformance B8: Retry-After is delay-seconds or an HTTP-date).
func TestAdvise(t *testing.T) {
	bill := billing(t)
	used := problem.RateLimit{Limits: []problem.ServiceLimit{{Policy: "default", Remaining: 0, Reset: 5 * time.Second}}}
	left := problem.RateLimit{Limits: []problem.ServiceLimit{{Policy: "default", Remaining: 3, Reset: 5 * time.Second}}}
	closing := problem.Type{URI: "https://billing.example/errors/BILL.0003", Status: http.StatusConflict}.New("")
	// A catalog whose 429 is never, and whose 423 is after-delay under a
	// type that is never.
	overrides, err := catalog.Load(strings.NewReader(`{
	  "typeBase": "https://locks.example/errors/",
	  "statuses": [{"code": 429, "phrase": "Too Many Requests", "retry": "never"}, {"code": 423, "phrase": "Locked", "retry": "after-delay"}],
	  "types": [{"code": "LOCK.0001", "status": 423, "title": "Locked for good", "retry": "never"}]
	}`))
	require.NoError(t, err)
	const date = "Sun, 06 Nov 1994 08:49:37 GMT"

	tests := []struct {
		name   string
		serve  *catalog.Catalog // the upstream's; nil: the default
		advise *catalog.Catalog // Advise's; nil: the default
		reply  problemtest.Reply
		method string
		header []string
		want   retry.Advice
	}{
		// 1. Not a failure.
		{name: "a success", reply: problemtest.ReplyStatus(http.StatusOK),
			want: retry.Advice{Retry: false, Rule: retry.RuleNotFailure}},
		{name: "a redirect, even with Retry-After", reply: problemtest.ReplyStatus(http.StatusFound).WithRetryAfter("3"),
			want: retry.Advice{Retry: false, Rule: retry.RuleNotFailure}},

		// 2. The policy: the type's, then the status's.
		{name: "status anytime", reply: problemtest.ReplyStatus(http.StatusInternalServerError),
			want: retry.Advice{Retry: true, Rule: retry.RuleStatus}},
		{name: "status never", reply: problemtest.ReplyStatus(http.StatusBadRequest),
			want: retry.Advice{Retry: false, Rule: retry.RuleStatus}},
		{name: "501 never", reply: problemtest.ReplyStatus(http.StatusNotImplemented),
			want: retry.Advice{Retry: false, Rule: retry.RuleStatus}},
		{name: "unlisted 4xx as 400", reply: problemtest.ReplyStatus(499),
			want: retry.Advice{Retry: false, Rule: retry.RuleStatus}},
		{name: "unlisted 5xx as 500", reply: problemtest.ReplyStatus(599),
			want: retry.Advice{Retry: true, Rule: retry.RuleStatus}},
		{name: "status after-delay without a delay", reply: problemtest.ReplyStatus(http.StatusTooManyRequests),
			want: retry.Advice{Retry: true, Rule: retry.RuleStatus}},
		{name: "status after-delay with the catalog's delay", advise: bill, reply: problemtest.ReplyStatus(http.StatusServiceUnavailable),
			want: retry.Advice{Retry: true, After: 7 * time.Second, Rule: retry.RuleStatus}},
		{name: "type never, status never", serve: bill, advise: bill, reply: problemtest.ReplyType("BILL.0001"),
			want: retry.Advice{Retry: false, Rule: retry.RuleType}},
		{name: "type never over status after-delay", serve: bill, advise: bill, reply: problemtest.ReplyType("BILL.0004"),
			want: retry.Advice{Retry: false, Rule: retry.RuleType}},
		{name: "type anytime over status never", serve: bill, advise: bill, reply: problemtest.ReplyType("BILL.0002"),
			want: retry.Advice{Retry: true, Rule: retry.RuleType}},
		{name: "type after-delay with its delay", advise: bill, reply: problemtest.ReplyProblem(closing),
			want: retry.Advice{Retry: true, After: 11 * time.Second, Rule: retry.RuleType}},
		{name: "a type the catalog lacks has its status's", serve: bill, reply: problemtest.ReplyType("BILL.0002"),
			want: retry.Advice{Retry: false, Rule: retry.RuleStatus}},

		// 3. The method.
		{name: "POST", method: http.MethodPost, reply: problemtest.ReplyStatus(http.StatusServiceUnavailable).WithRetryAfter("2"),
			want: retry.Advice{Retry: false, Rule: retry.RuleMethod}},
		{name: "PATCH", method: http.MethodPatch, reply: problemtest.ReplyStatus(http.StatusInternalServerError),
			want: retry.Advice{Retry: false, Rule: retry.RuleMethod}},
		{name: "POST with an Idempotency-Key", method: http.MethodPost, header: []string{"Idempotency-Key", `"8e03978e"`},
			reply: problemtest.ReplyStatus(http.StatusServiceUnavailable).WithRetryAfter("2"),
			want:  retry.Advice{Retry: true, After: 2 * time.Second, Rule: retry.RuleRetryAfter}},
		{name: "POST with an empty Idempotency-Key, present as net/http counts it", method: http.MethodPost, header: []string{"Idempotency-Key", ""},
			reply: problemtest.ReplyStatus(http.StatusServiceUnavailable).WithRetryAfter("2"),
			want:  retry.Advice{Retry: true, After: 2 * time.Second, Rule: retry.RuleRetryAfter}},
		{name: "POST with an X-Idempotency-Key, as net/http takes it", method: http.MethodPost, header: []string{"X-Idempotency-Key", `"8e03978e"`},
			reply: problemtest.ReplyStatus(http.StatusServiceUnavailable).WithRetryAfter("2"),
			want:  retry.Advice{Retry: true, After: 2 * time.Second, Rule: retry.RuleRetryAfter}},
		{name: "PUT", method: http.MethodPut, reply: problemtest.ReplyStatus(http.StatusBadGateway),
			want: retry.Advice{Retry: true, Rule: retry.RuleStatus}},
		{name: "DELETE", method: http.MethodDelete, reply: problemtest.ReplyStatus(http.StatusGatewayTimeout),
			want: retry.Advice{Retry: true, Rule: retry.RuleStatus}},
		{name: "never says no before the method", method: http.MethodPost, reply: problemtest.ReplyStatus(http.StatusBadRequest),
			want: retry.Advice{Retry: false, Rule: retry.RuleStatus}},

		// 4. When: Retry-After, then a used-up rate limit's reset.
		{name: "Retry-After delay-seconds", reply: problemtest.ReplyStatus(http.StatusServiceUnavailable).WithRetryAfter("2"),
			want: retry.Advice{Retry: true, After: 2 * time.Second, Rule: retry.RuleRetryAfter}},
		{name: "Retry-After HTTP-date, counted from Date",
			reply: problemtest.ReplyStatus(http.StatusServiceUnavailable).WithHeader("Date", date).WithRetryAfter("Sun, 06 Nov 1994 08:50:07 GMT"),
			want:  retry.Advice{Retry: true, After: 30 * time.Second, Rule: retry.RuleRetryAfter}},
		{name: "Retry-After asctime date",
			reply: problemtest.ReplyStatus(http.StatusServiceUnavailable).WithHeader("Date", date).WithRetryAfter("Sun Nov  6 08:49:57 1994"),
			want:  retry.Advice{Retry: true, After: 20 * time.Second, Rule: retry.RuleRetryAfter}},
		{name: "Retry-After date in the past",
			reply: problemtest.ReplyStatus(http.StatusServiceUnavailable).WithHeader("Date", date).WithRetryAfter("Sun, 06 Nov 1994 08:00:00 GMT"),
			want:  retry.Advice{Retry: true, After: 0, Rule: retry.RuleRetryAfter}},
		{name: "Retry-After over the catalog's delay", advise: bill, reply: problemtest.ReplyStatus(http.StatusServiceUnavailable).WithRetryAfter("2"),
			want: retry.Advice{Retry: true, After: 2 * time.Second, Rule: retry.RuleRetryAfter}},
		{name: "an invalid Retry-After is ignored", reply: problemtest.ReplyStatus(http.StatusServiceUnavailable).WithRetryAfter("soon"),
			want: retry.Advice{Retry: true, Rule: retry.RuleStatus}},
		{name: "Retry-After makes a never status retryable (413, RFC 9110 §15.5.14)",
			reply: problemtest.ReplyStatus(http.StatusRequestEntityTooLarge).WithRetryAfter("4"),
			want:  retry.Advice{Retry: true, After: 4 * time.Second, Rule: retry.RuleRetryAfter}},
		{name: "Retry-After makes a never 429 retryable (RFC 6585 §4)", advise: overrides,
			reply: problemtest.ReplyStatus(http.StatusTooManyRequests).WithRetryAfter("4"),
			want:  retry.Advice{Retry: true, After: 4 * time.Second, Rule: retry.RuleRetryAfter}},
		{name: "Retry-After makes a never type of 503 retryable (RFC 9110 §10.2.3)", serve: bill, advise: bill,
			reply: problemtest.ReplyType("BILL.0004").WithRetryAfter("4"),
			want:  retry.Advice{Retry: true, After: 4 * time.Second, Rule: retry.RuleRetryAfter}},
		{name: "Retry-After makes a never type of an after-delay status retryable", serve: overrides, advise: overrides,
			reply: problemtest.ReplyType("LOCK.0001").WithRetryAfter("4"),
			want:  retry.Advice{Retry: true, After: 4 * time.Second, Rule: retry.RuleRetryAfter}},
		{name: "Retry-After does not make a never 404 retryable", reply: problemtest.ReplyStatus(http.StatusNotFound).WithRetryAfter("1"),
			want: retry.Advice{Retry: false, Rule: retry.RuleStatus}},
		{name: "Retry-After does not make a never 400 retryable", reply: problemtest.ReplyStatus(http.StatusBadRequest).WithRetryAfter("1"),
			want: retry.Advice{Retry: false, Rule: retry.RuleStatus}},
		{name: "Retry-After does not make a never 501 retryable", reply: problemtest.ReplyStatus(http.StatusNotImplemented).WithRetryAfter("1"),
			want: retry.Advice{Retry: false, Rule: retry.RuleStatus}},
		{name: "Retry-After does not make a never type of a never status retryable", serve: bill, advise: bill,
			reply: problemtest.ReplyType("BILL.0001").WithRetryAfter("1"),
			want:  retry.Advice{Retry: false, Rule: retry.RuleType}},
		{name: "a used-up rate limit's reset", reply: problemtest.ReplyStatus(http.StatusTooManyRequests).WithRateLimit(used),
			want: retry.Advice{Retry: true, After: 5 * time.Second, Rule: retry.RuleRateLimit}},
		{name: "a rate limit with quota left", reply: problemtest.ReplyStatus(http.StatusTooManyRequests).WithRateLimit(left),
			want: retry.Advice{Retry: true, Rule: retry.RuleStatus}},
		{name: "a reset later than Retry-After",
			reply: problemtest.ReplyStatus(http.StatusTooManyRequests).WithRetryAfter("2").WithHeader("RateLimit", `"burst";r=4;t=1, "day";r=0;t=10`),
			want:  retry.Advice{Retry: true, After: 10 * time.Second, Rule: retry.RuleRateLimit}},
		{name: "a reset earlier than Retry-After",
			reply: problemtest.ReplyStatus(http.StatusTooManyRequests).WithRetryAfter("20").WithHeader("RateLimit", `"day";r=0;t=10`),
			want:  retry.Advice{Retry: true, After: 20 * time.Second, Rule: retry.RuleRetryAfter}},
		{name: "a RateLimit field that does not parse is ignored",
			reply: problemtest.ReplyStatus(http.StatusTooManyRequests).WithHeader("RateLimit", `"day";r=0;t=10,`),
			want:  retry.Advice{Retry: true, Rule: retry.RuleStatus}},
		{name: "a used-up limit does not make a never status retryable",
			reply: problemtest.ReplyStatus(http.StatusForbidden).WithHeader("RateLimit", `"day";r=0;t=10`),
			want:  retry.Advice{Retry: false, Rule: retry.RuleStatus}},
		{name: "the draft's quota-exceeded type", reply: problemtest.ReplyProblem(mustRateLimited(t, used)),
			want: retry.Advice{Retry: true, After: 5 * time.Second, Rule: retry.RuleRateLimit}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := problemtest.NewUpstream(t, tt.serve, tt.reply)
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			resp, p := send(t, up, method, tt.header...)
			assert.Equal(t, tt.want, retry.Advise(resp, p, tt.advise))
		})
	}
}

func mustRateLimited(t *testing.T, rl problem.RateLimit) *problem.Problem {
	t.Helper()
	p, err := problem.RateLimited("quota-exceeded", rl, "default")
	require.NoError(t, err)
	return p
}

// TestAdviseWithoutEverything: Advise copes with what a caller may not
// have: no response, no request, no problem, no Date.
func TestAdviseWithoutEverything(t *testing.T) {
	get, err := http.NewRequest(http.MethodGet, "https://api.example/orders", nil)
	require.NoError(t, err)
	tests := []struct {
		name string
		resp *http.Response
		want retry.Advice
	}{
		{"no response", nil, retry.Advice{Rule: retry.RuleNotFailure}},
		{"no request: not known to be idempotent", &http.Response{StatusCode: 503, Header: http.Header{}}, retry.Advice{Rule: retry.RuleMethod}},
		{"no header", &http.Response{StatusCode: 503, Request: get}, retry.Advice{Retry: true, Rule: retry.RuleStatus}},
		{"a date without Date is counted from now", &http.Response{StatusCode: 503, Request: get,
			Header: http.Header{"Retry-After": {time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)}}},
			retry.Advice{Retry: true, After: time.Hour, Rule: retry.RuleRetryAfter}},
		{"an invalid Date is ignored", &http.Response{StatusCode: 503, Request: get,
			Header: http.Header{"Date": {"yesterday"}, "Retry-After": {time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)}}},
			retry.Advice{Retry: true, After: time.Hour, Rule: retry.RuleRetryAfter}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := retry.Advise(tt.resp, nil, nil)
			assert.InDelta(t, tt.want.After, got.After, float64(2*time.Second), "After")
			got.After = tt.want.After
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestRuleString(t *testing.T) {
	for rule, want := range map[retry.Rule]string{
		retry.RuleNotFailure: "not a failure",
		retry.RuleStatus:     "status",
		retry.RuleType:       "type",
		retry.RuleMethod:     "method",
		retry.RuleRetryAfter: "Retry-After",
		retry.RuleRateLimit:  "RateLimit",
		retry.Rule(99):       "Rule(99)",
	} {
		assert.Equal(t, want, rule.String())
	}
}

// TestAdviseCountsFromDate: a Retry-After date is counted from the
// response's Date, the server's clock, when it is an HTTP-date (RFC 9110
// §10.2.3, §6.6.1, §5.6.7: the three forms, GMT, whole seconds), and from
// now, the time the response was received, when Date is not one (a
// recipient may take an invalid Date for the time of receipt, §6.6.1).
// Advise and the Problem that problem.FromResponse reads from the same
// response say the same. The responses come from a loopback upstream.
func TestAdviseCountsFromDate(t *testing.T) {
	const date = "Sun, 06 Nov 1994 08:49:37 GMT"
	inAnHour := problem.FormatRetryAt(time.Now().Add(time.Hour))
	tests := []struct {
		name       string
		date       string // the Date sent
		retryAfter string
		want       time.Duration
	}{
		{name: "an IMF-fixdate Date", date: date, retryAfter: "Sun, 06 Nov 1994 08:50:07 GMT", want: 30 * time.Second},
		{name: "an RFC 850 Date", date: "Sunday, 06-Nov-94 08:49:37 GMT", retryAfter: "Sun, 06 Nov 1994 08:50:07 GMT", want: 30 * time.Second},
		{name: "an asctime Date", date: "Sun Nov  6 08:49:37 1994", retryAfter: "Sun, 06 Nov 1994 08:50:07 GMT", want: 30 * time.Second},
		{name: "a date before Date", date: date, retryAfter: "Sun, 06 Nov 1994 08:00:00 GMT", want: 0},
		{name: "delay-seconds, whatever Date says", date: date, retryAfter: "120", want: 2 * time.Minute},
		{name: "a Date with a fraction of a second is no HTTP-date", date: "Sun, 06 Nov 1994 08:49:37.5 GMT", retryAfter: inAnHour, want: time.Hour},
		{name: "a Date in another zone is no HTTP-date", date: "Sunday, 06-Nov-94 08:49:37 PST", retryAfter: inAnHour, want: time.Hour},
		{name: "an empty Date", date: "", retryAfter: inAnHour, want: time.Hour},
		{name: "a Date that does not parse", date: "yesterday", retryAfter: inAnHour, want: time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := problemtest.NewUpstream(t, nil, problemtest.ReplyStatus(http.StatusServiceUnavailable).
				WithHeader("Date", tt.date).WithRetryAfter(tt.retryAfter))
			resp, p := send(t, up, http.MethodGet)
			require.Equal(t, []string{tt.date}, resp.Header.Values("Date"), "the Date as sent")
			require.NotNil(t, p)

			a := retry.Advise(resp, p, nil)
			assert.Equal(t, retry.RuleRetryAfter, a.Rule)
			assert.InDelta(t, tt.want, a.After, float64(2*time.Second), "Advise")
			assert.InDelta(t, tt.want, p.RetryAfter(), float64(2*time.Second), "Problem.RetryAfter")
		})
	}
}
