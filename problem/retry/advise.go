package retry

import (
	"net/http"
	"strconv"
	"time"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/problem"
)

// Rule names the rule of [Advise] that decided an [Advice].
type Rule uint8

const (
	// RuleNotFailure: there is no response, or its status is below 400;
	// nothing failed that a repeat could mend.
	RuleNotFailure Rule = iota
	// RuleStatus: the catalog's retry policy for the status decided, and
	// gave its default delay, if any.
	RuleStatus
	// RuleType: the retry policy of the problem's type in the catalog
	// decided, and gave its default delay, if any.
	RuleType
	// RuleMethod: the response allows a repeat, but the request is not
	// idempotent (RFC 9110 §9.2.2) and carries no Idempotency-Key (or
	// X-Idempotency-Key).
	RuleMethod
	// RuleRetryAfter: the response's Retry-After gave the delay.
	RuleRetryAfter
	// RuleRateLimit: a used-up limit of the response's RateLimit field
	// gave the delay, its reset, later than any Retry-After.
	RuleRateLimit
)

var ruleNames = [...]string{
	RuleNotFailure: "not a failure",
	RuleStatus:     "status",
	RuleType:       "type",
	RuleMethod:     "method",
	RuleRetryAfter: "Retry-After",
	RuleRateLimit:  "RateLimit",
}

// String returns the rule's name, such as "Retry-After".
func (r Rule) String() string {
	if int(r) < len(ruleNames) {
		return ruleNames[r]
	}
	return "Rule(" + strconv.Itoa(int(r)) + ")"
}

// Advice says whether to send a request again after a response, and when.
type Advice struct {
	// Retry reports whether to send the request again: the response says
	// a repeat may succeed, and the request may be repeated.
	Retry bool
	// After is the least time to wait before the repeat: what the server
	// asked for, or the catalog's default delay. Zero means the server
	// named no delay: the client's backoff decides.
	After time.Duration
	// Rule names the rule that decided.
	Rule Rule
}

// Advise says whether to send the request of resp again, and when, from
// the response, the problem read from it (p, which may be nil) and the
// catalog (nil means [catalog.Default]). It does not read the body. It
// takes the first of:
//
//  1. No response, or a status below 400: no retry (RuleNotFailure).
//  2. The retry policy: that of p's type when the catalog lists the type
//     ([catalog.Catalog.TypeByURI]), else that of the status
//     ([catalog.Catalog.Retry]: an unlisted status has that of its
//     class's x00). Never is no retry (RuleType, RuleStatus), unless the
//     response carries a valid Retry-After and its status is one that
//     gives Retry-After the meaning "repeat the request then": 503 (RFC
//     9110 §10.2.3), 413 for a condition that passes (§15.5.14), 429 (RFC
//     6585 §4), or a status whose own policy in the catalog is after-delay
//     (under a type whose policy is never). Elsewhere, as on a 404, a 400
//     or a 501, a Retry-After (a proxy's blanket one) repeats nothing.
//  3. The request (resp.Request): one that is not idempotent (RFC 9110
//     §9.2.2: GET, HEAD, OPTIONS, TRACE, PUT and DELETE are) and carries
//     no Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header)
//     nor X-Idempotency-Key, with any value, as net/http counts them for
//     its own replays, is not repeated (RuleMethod); nor is a response
//     without a request, whose method is unknown.
//  4. When: the delay of a valid Retry-After, delay-seconds or an
//     HTTP-date in any of its three forms (RuleRetryAfter); but the reset
//     of a used-up limit of the RateLimit field
//     (draft-ietf-httpapi-ratelimit-headers-11: r=0 with t) when it is
//     later (RuleRateLimit). Without either, the catalog's default delay
//     of the policy's type or status (0 when it has none: the client's
//     backoff decides).
//
// The Retry-After delay is [problem.RetryAfterOf]'s: a date is counted
// from the response's Date, the server's clock, so that a client whose
// clock is off still waits as long as the server asked (RFC 9110 §10.2.3,
// §6.6.1); without a Date, or with one that is not an HTTP-date by the
// grammar [problem.ParseRetryAfter] applies (whole seconds, GMT), from
// now, as the response is received. The problem [problem.FromResponse]
// reads from resp keeps Date, so its [problem.Problem.RetryAfter] says the
// same. A Retry-After or RateLimit field that does not parse is ignored,
// as RFC 9110 and RFC 9651 ask. Rate limits only tell when: a used-up
// limit does not make a response of a never status retryable.
func Advise(resp *http.Response, p *problem.Problem, cat *catalog.Catalog) Advice {
	var req *http.Request
	if resp != nil {
		req = resp.Request
	}
	return advise(resp, req, p, cat, false)
}

// advise is Advise for a response to req; anyMethod lets a request that is
// not idempotent be repeated.
func advise(resp *http.Response, req *http.Request, p *problem.Problem, cat *catalog.Catalog, anyMethod bool) Advice {
	// 1. Not a failure.
	if resp == nil || resp.StatusCode < 400 {
		return Advice{Rule: RuleNotFailure}
	}
	if cat == nil {
		cat = catalog.Default()
	}

	// 2. The policy.
	rule := RuleStatus
	policy, delay := cat.Retry(resp.StatusCode)
	if p != nil {
		if t, ok := cat.TypeByURI(p.Type); ok {
			rule, policy, delay = RuleType, t.Retry, t.RetryAfter
		}
	}
	retryAfter, hasRetryAfter := problem.RetryAfterOf(resp.Header, time.Now())
	if policy == catalog.RetryNever && !(hasRetryAfter && retryAfterRevives(resp.StatusCode, cat)) {
		return Advice{Rule: rule}
	}

	// 3. The request.
	if !anyMethod && !idempotent(req) {
		return Advice{Rule: RuleMethod}
	}

	// 4. When.
	a := Advice{Retry: true, Rule: rule}
	if policy == catalog.RetryAfterDelay {
		a.After = delay
	}
	if hasRetryAfter {
		a.After, a.Rule = retryAfter, RuleRetryAfter
	}
	if reset, ok := rateLimitReset(resp.Header); ok && (reset > a.After || !hasRetryAfter) {
		a.After, a.Rule = reset, RuleRateLimit
	}
	return a
}

// retryAfterRevives reports whether a Retry-After makes a response of
// status retryable whose policy is never (see [Advise], step 2).
func retryAfterRevives(status int, cat *catalog.Catalog) bool {
	switch status {
	case http.StatusRequestEntityTooLarge, http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return true
	}
	policy, _ := cat.Retry(status)
	return policy == catalog.RetryAfterDelay
}

// idempotent reports whether req may be sent again without harm: its
// method is idempotent (RFC 9110 §9.2.2) or it carries an Idempotency-Key
// or X-Idempotency-Key header, whatever its value (an empty one among
// them). That is net/http's own rule for replaying a request on a new
// connection (Request.isReplayable in net/http/request.go, used by
// Transport.roundTrip), which the Transport then follows too; it looks
// the keys up as net/http does, by their canonical form in the map.
func idempotent(req *http.Request) bool {
	if req == nil {
		return false
	}
	switch req.Method {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace, http.MethodPut, http.MethodDelete:
		return true // "" is GET (net/http)
	}
	_, key := req.Header["Idempotency-Key"]
	_, xKey := req.Header["X-Idempotency-Key"]
	return key || xKey
}
