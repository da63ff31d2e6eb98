package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"
)

// ViolatedPoliciesMember is the extension member of the rate-limit problem
// types (see [RateLimitType]): a list of the names of the quota policies
// the client's requests exceeded.
const ViolatedPoliciesMember = "violated-policies"

// rateLimitTypes are the problem types that the Internet-Draft "RateLimit
// header fields for HTTP" (draft-ietf-httpapi-ratelimit-headers-11, §5 and
// §10.2) asks IANA to register, by the name after IANAPrefix.
var rateLimitTypes = []Type{
	{URI: IANAPrefix + "quota-exceeded", Status: 429, Title: "Quota Exceeded",
		Description: "The client's requests exceed one or more quota policies; the member names them (draft-ietf-httpapi-ratelimit-headers).",
		Members:     []string{ViolatedPoliciesMember}},
	{URI: IANAPrefix + "temporary-reduced-capacity", Status: 503, Title: "Temporary Reduced Capacity",
		Description: "The server's capacity is reduced for a while, so the client's requests cannot be served now; a RateLimit-Policy field may give the lower quota (draft-ietf-httpapi-ratelimit-headers).",
		Members:     []string{ViolatedPoliciesMember}},
	{URI: IANAPrefix + "abnormal-usage-detected", Status: 429, Title: "Abnormal Usage Detected",
		Description: "The server sees a pattern of requests that suggests unintended or malicious behaviour by the client (draft-ietf-httpapi-ratelimit-headers).",
		Members:     []string{ViolatedPoliciesMember}},
}

// RateLimitType returns the rate-limit problem type with the given name,
// the part of its URI after [IANAPrefix]: "quota-exceeded" (429),
// "temporary-reduced-capacity" (503) or "abnormal-usage-detected" (429).
// Each has the title and status the draft registers and the member
// [ViolatedPoliciesMember]; its retry guidance is that of its status in
// the default catalog.
//
// These types are a draft: draft-ietf-httpapi-ratelimit-headers-11 asks
// IANA to register them, and until it is published as an RFC their names,
// titles and members may still change. [IANA] does not return them.
func RateLimitType(name string) (Type, bool) { return builtIn(rateLimitTypes, name) }

// RateLimitTypes returns the draft's rate-limit problem types (see
// [RateLimitType]) in the order the draft registers them.
func RateLimitTypes() iter.Seq[Type] { return builtIns(rateLimitTypes) }

// The quota units of draft-ietf-httpapi-ratelimit-headers-11 §3.1.2, for
// [QuotaPolicy.Unit].
const (
	QuotaUnitRequests           = "requests"
	QuotaUnitContentBytes       = "content-bytes"
	QuotaUnitConcurrentRequests = "concurrent-requests"
)

// QuotaPolicy is a quota policy as the RateLimit-Policy field advertises it
// (draft-ietf-httpapi-ratelimit-headers-11 §3.1): a named allocation of
// quota units over a time window. A catalog file declares those of a
// status or a type in "quotaPolicies" (see [Load]); package problem
// serialises them (problem.FormatRateLimitPolicy) and sends them.
type QuotaPolicy struct {
	// Name identifies the policy; a service limit of the RateLimit field
	// and the violated-policies member refer to it by this name. It is
	// sent as a Structured Field String, so it must be printable ASCII; it
	// must not be empty.
	Name string
	// Quota is the number of quota units the policy allocates (q). It must
	// be between 0 and 999,999,999,999,999, the range of a Structured Field
	// Integer.
	Quota int64
	// Unit names the quota units (qu), such as [QuotaUnitContentBytes].
	// Empty, the default, sends no qu: the units are then requests.
	Unit string
	// Window is the time window of the quota (w), sent in whole seconds,
	// rounded up. Zero, the default, sends no window.
	Window time.Duration
	// PartitionKey is the quota partition the request fell in (pk), sent as
	// a Byte Sequence. Empty, the default, sends none; a catalog's policies
	// have none, since the partition is the request's.
	PartitionKey []byte
}

// maxQuota is the largest quota, that of a Structured Field Integer (RFC
// 9651 §3.3.1).
const maxQuota = 999_999_999_999_999

// decodeQuotaPolicies decodes and checks the "quotaPolicies" of a status
// or a type (see Load). An empty list gives an empty, non-nil slice.
func decodeQuotaPolicies(raw json.RawMessage) ([]QuotaPolicy, error) {
	var raws []json.RawMessage
	if len(raw) == 0 || raw[0] != '[' || json.Unmarshal(raw, &raws) != nil {
		return nil, errors.New("quotaPolicies is not an array")
	}
	policies := make([]QuotaPolicy, 0, len(raws))
	names := make(map[string]int, len(raws))
	for i, raw := range raws {
		p, err := decodeQuotaPolicy(raw)
		if err == nil {
			if first, dup := names[p.Name]; dup {
				err = fmt.Errorf("duplicate name %q; first listed at quotaPolicies[%d]", p.Name, first)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("quotaPolicies[%d]: %w", i, err)
		}
		names[p.Name] = i
		policies = append(policies, p)
	}
	return policies, nil
}

// decodeQuotaPolicy decodes and checks one quota policy.
func decodeQuotaPolicy(raw json.RawMessage) (QuotaPolicy, error) {
	var p QuotaPolicy
	fields, err := jsonObject(raw, "name", "quota", "window", "unit")
	if err != nil {
		return p, err
	}
	nameRaw, ok := fields["name"]
	if !ok {
		return p, errors.New(`missing "name"`)
	}
	if p.Name, ok = jsonString(nameRaw); !ok {
		return p, fmt.Errorf("name %s is not a string", nameRaw)
	}
	if p.Name == "" {
		return p, errors.New("name is empty")
	}
	for i := 0; i < len(p.Name); i++ {
		if c := p.Name[i]; c < 0x20 || c > 0x7e { // a Structured Field String's bytes
			return p, fmt.Errorf("name %q is not printable ASCII (byte %d)", p.Name, i)
		}
	}

	quotaRaw, ok := fields["quota"]
	if !ok {
		return p, errors.New(`missing "quota"`)
	}
	if p.Quota, ok = jsonInt(quotaRaw); !ok {
		return p, fmt.Errorf("quota %s is not a whole number", quotaRaw)
	}
	if p.Quota < 0 || p.Quota > maxQuota {
		return p, fmt.Errorf("quota %d is outside 0 to %d", p.Quota, maxQuota)
	}

	if raw, ok := fields["window"]; ok {
		s, ok := jsonInt(raw)
		switch {
		case !ok:
			return p, fmt.Errorf("window %s is not a whole number of seconds", raw)
		case s <= 0:
			return p, fmt.Errorf("window %d is not positive; leave it out for none", s)
		case s > maxRetryAfter:
			return p, fmt.Errorf("window %d is too large", s)
		}
		p.Window = time.Duration(s) * time.Second
	}

	if raw, ok := fields["unit"]; ok {
		if p.Unit, ok = jsonString(raw); !ok {
			return p, fmt.Errorf("unit %s is not a string", raw)
		}
		if !quotaUnitToken(p.Unit) {
			return p, fmt.Errorf("unit %q is not a token, such as %q", p.Unit, QuotaUnitContentBytes)
		}
	}
	return p, nil
}

// quotaUnitToken reports whether s is a token (RFC 9110 §5.6.2), as the
// names of the quota unit registry are.
func quotaUnitToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}
