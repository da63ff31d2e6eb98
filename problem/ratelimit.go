package problem

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/sf"
)

// ServiceLimit is the quota still available under a policy, as the
// RateLimit field tells it (draft-ietf-httpapi-ratelimit-headers-11 §4.1).
type ServiceLimit struct {
	// Policy names the policy (see [catalog.QuotaPolicy.Name]), with the
	// same rules.
	Policy string
	// Remaining is the quota left to the client (r), from 0 to
	// 999,999,999,999,999.
	Remaining int64
	// Reset is the effective window (t): the time within which the client
	// can use no more than Remaining. It is sent in whole seconds, rounded
	// up so that a client never comes back early. Zero, the default, sends
	// no t.
	Reset time.Duration
	// PartitionKey is the quota partition the request fell in (pk).
	// Empty, the default, sends none.
	PartitionKey []byte
}

// RateLimit is what a response says about rate limits: the policies for the
// RateLimit-Policy field and the current limits for the RateLimit field.
// Either may be empty; then its field is not sent.
type RateLimit struct {
	// Policies are the quota policies, for RateLimit-Policy. Nil, the
	// default, sends no such field.
	Policies []catalog.QuotaPolicy
	// Limits are the service limits, for RateLimit. Nil, the default, sends
	// no such field.
	Limits []ServiceLimit
}

// FormatRateLimitPolicy returns the value of a RateLimit-Policy field that
// lists policies, serialised as a Structured Field List (RFC 9651 §4.1.1),
// such as `"permin";q=50;w=60, "perhr";q=1000;w=3600`. It returns an error,
// and no value, when a policy cannot be sent as it is: an empty name or a
// name or unit outside printable ASCII, a number out of range, a negative
// window. A value it returns holds only printable ASCII.
func FormatRateLimitPolicy(policies ...catalog.QuotaPolicy) (string, error) {
	if len(policies) == 0 {
		return "", nil
	}
	// Room for the usual policy, `"default";q=100;qu="requests";w=60`, so
	// that the value is built in one allocation.
	b := make([]byte, 0, 48*len(policies))
	for i, p := range policies {
		if i > 0 {
			b = append(b, ", "...)
		}
		var err error
		if b, err = appendSFName(b, "policy", p.Name); err != nil {
			return "", err
		}
		if b, err = appendSFInteger(b, "q", p.Quota, p.Name); err != nil {
			return "", err
		}
		if p.Unit != "" {
			if b, err = sf.AppendParam(b, "qu", p.Unit); err != nil {
				return "", fmt.Errorf("problem: quota unit of policy %q: %w", p.Name, err)
			}
		}
		if p.Window < 0 {
			return "", fmt.Errorf("problem: policy %q has a negative window", p.Name)
		}
		if p.Window > 0 {
			if b, err = appendSFInteger(b, "w", seconds(p.Window), p.Name); err != nil {
				return "", err
			}
		}
		b = appendSFPartitionKey(b, p.PartitionKey)
	}
	return string(b), nil
}

// FormatRateLimit returns the value of a RateLimit field that lists limits,
// serialised as a Structured Field List (RFC 9651 §4.1.1), such as
// `"default";r=50;t=30`. It returns an error, and no value, when a limit
// cannot be sent as it is (see [FormatRateLimitPolicy]; a negative Reset is
// refused too). A value it returns holds only printable ASCII.
func FormatRateLimit(limits ...ServiceLimit) (string, error) {
	var b []byte
	for i, l := range limits {
		if i > 0 {
			b = append(b, ", "...)
		}
		var err error
		if b, err = appendSFName(b, "limit", l.Policy); err != nil {
			return "", err
		}
		if b, err = appendSFInteger(b, "r", l.Remaining, l.Policy); err != nil {
			return "", err
		}
		if l.Reset < 0 {
			return "", fmt.Errorf("problem: limit %q has a negative reset", l.Policy)
		}
		if l.Reset > 0 {
			if b, err = appendSFInteger(b, "t", seconds(l.Reset), l.Policy); err != nil {
				return "", err
			}
		}
		b = appendSFPartitionKey(b, l.PartitionKey)
	}
	return string(b), nil
}

// WithRateLimit returns a copy of p whose response carries rl: a
// RateLimit-Policy field for its policies and a RateLimit field for its
// limits (each replacing an earlier one; an empty list removes it). When
// a limit is used up (Remaining 0) and has a Reset, the Retry-After the
// response carries, whoever sets it, is never earlier than the latest such
// reset: the client may not come back before that window ends
// (draft-ietf-httpapi-ratelimit-headers-11 §6). Limits with quota left do
// not hold Retry-After back.
//
// On an error (see [FormatRateLimitPolicy], [FormatRateLimit]) it returns
// p itself and the error: a problem without rate-limit fields is sounder
// than one with a broken field.
func (p *Problem) WithRateLimit(rl RateLimit) (*Problem, error) {
	policy, err := FormatRateLimitPolicy(rl.Policies...)
	if err != nil {
		return p, err
	}
	limit, err := FormatRateLimit(rl.Limits...)
	if err != nil {
		return p, err
	}
	q := p.Clone()
	if q.Header == nil {
		q.Header = make(http.Header, 2)
	}
	setOrDelete(q.Header, "Ratelimit-Policy", policy)
	setOrDelete(q.Header, "Ratelimit", limit)
	q.rateReset = 0
	for _, l := range rl.Limits {
		if l.Remaining == 0 {
			q.rateReset = max(q.rateReset, uint32(min(seconds(l.Reset), math.MaxUint32)))
		}
	}
	return q, nil
}

// RateLimited returns a problem of the rate-limit type with the given name
// (see [catalog.RateLimitType]: "quota-exceeded", "temporary-reduced-capacity"
// or "abnormal-usage-detected"), with its status and title, the member
// violated-policies listing violated (left out when there are none), and
// the fields of rl (see [Problem.WithRateLimit]). These types come from an
// Internet-Draft, draft-ietf-httpapi-ratelimit-headers-11, and may change
// with it.
//
// An unknown name returns nil and an error. A field that cannot be sent
// returns the problem without the rate-limit fields, and the error.
func RateLimited(name string, rl RateLimit, violated ...string) (*Problem, error) {
	t, ok := catalog.RateLimitType(name)
	if !ok {
		return nil, fmt.Errorf("problem: no rate-limit problem type %q", name)
	}
	p := Of(t).New("")
	if len(violated) > 0 {
		p.Extensions = map[string]any{catalog.ViolatedPoliciesMember: slices.Clone(violated)}
	}
	return p.WithRateLimit(rl)
}

// setCatalogRateLimitPolicy gives h, the header of v's response, the
// catalog's quota policies of v's type, else of its status, as a
// RateLimit-Policy field, unless h has one: the problem's own or the
// stack's. typ is v's type when the catalog lists it (isType), found by
// URI. A type's policies are its status's unless it declares its own (see
// [catalog.Type.QuotaPolicies]).
func setCatalogRateLimitPolicy(h http.Header, v *Problem, cat *catalog.Catalog, typ catalog.Type, isType bool) error {
	var policies []catalog.QuotaPolicy
	if isType {
		policies = typ.QuotaPolicies
	} else if e, ok := cat.Lookup(v.Status); ok {
		policies = e.QuotaPolicies
	}
	if len(policies) == 0 {
		return nil
	}
	if _, ok := h["Ratelimit-Policy"]; ok {
		return nil
	}
	value, err := FormatRateLimitPolicy(policies...)
	if err != nil { // catalog.Load refuses such policies; this is a guard
		return fmt.Errorf("%w; sent no RateLimit-Policy", err)
	}
	h["Ratelimit-Policy"] = []string{value}
	return nil
}

// holdRetryAfter makes the Retry-After in h no earlier than reset from now:
// a Retry-After that asks for less (or cannot be read) becomes reset. Where
// there is none it adds one only if one was meant (a value Respond dropped
// as malformed).
func holdRetryAfter(h http.Header, reset time.Duration, meant bool) {
	vs := h["Retry-After"]
	if len(vs) == 0 && !meant {
		return
	}
	if len(vs) == 0 {
		h["Retry-After"] = []string{FormatRetryAfter(reset)}
		return
	}
	if d, _ := ParseRetryAfter(vs[0], time.Now()); d < reset { // 0 when it cannot be read
		h["Retry-After"] = []string{FormatRetryAfter(reset)}
	}
}

func setOrDelete(h http.Header, key, value string) {
	for k := range h {
		if k != key && strings.EqualFold(k, key) { // the same field, spelled otherwise
			delete(h, k)
		}
	}
	if value == "" {
		delete(h, key)
		return
	}
	h[key] = []string{value}
}

// seconds returns d in whole seconds, rounded up.
func seconds(d time.Duration) int64 {
	s := int64(d / time.Second)
	if d%time.Second != 0 {
		s++
	}
	return s
}

// appendSFName appends an item's bare item, the policy name, as a
// Structured Field String; what says whose name it is, for the error.
func appendSFName(b []byte, what, name string) ([]byte, error) {
	if name == "" {
		return b, fmt.Errorf("problem: a rate-limit %s needs a name", what)
	}
	b, err := sf.AppendString(b, name)
	if err != nil {
		return b, fmt.Errorf("problem: rate-limit %s name: %w", what, err)
	}
	return b, nil
}

// appendSFInteger appends the parameter key=n, n a Structured Field Integer
// (RFC 9651 §4.1.4) that the draft asks to be non-negative, for the item
// name.
func appendSFInteger(b []byte, key string, n int64, name string) ([]byte, error) {
	if n < 0 || n > sf.MaxInteger {
		return b, fmt.Errorf("problem: %s=%d of %q is outside 0 to %d", key, n, name, int64(sf.MaxInteger))
	}
	return sf.AppendParam(b, key, n)
}

// appendSFPartitionKey appends the parameter pk=key, key a Structured
// Field Byte Sequence (RFC 9651 §4.1.8). An empty key appends nothing.
func appendSFPartitionKey(b, key []byte) []byte {
	if len(key) == 0 {
		return b
	}
	b, _ = sf.AppendParam(b, "pk", key) // a Byte Sequence always serialises
	return b
}
