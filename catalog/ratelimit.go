package catalog

import "iter"

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
