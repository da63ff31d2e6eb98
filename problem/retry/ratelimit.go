package retry

import (
	"net/http"
	"strings"
	"time"

	"github.com/problemkit/problemkit/internal/sf"
)

// rateLimitReset returns the latest reset among the used-up limits of the
// RateLimit field in h (draft-ietf-httpapi-ratelimit-headers-11 §4.1): the
// items with r=0 and a t. It reports false when there is none, or the
// field does not parse as a Structured Field List of Items (RFC 9651
// §4.2: a field that fails to parse is ignored).
func rateLimitReset(h http.Header) (time.Duration, bool) {
	lines := h.Values("Ratelimit")
	if len(lines) == 0 {
		return 0, false
	}
	items, err := sf.ParseList(strings.Join(lines, ","))
	if err != nil {
		return 0, false
	}
	var reset int64
	found := false
	for _, it := range items {
		r, _ := it.Param("r")
		t, _ := it.Param("t")
		if r, ok := r.(int64); ok && r == 0 {
			if t, ok := t.(int64); ok && t >= 0 {
				reset, found = max(reset, t), true
			}
		}
	}
	// t is at most 999,999,999,999,999 s: more than a Duration holds.
	const maxSeconds = int64(1<<63-1) / int64(time.Second)
	return time.Duration(min(reset, maxSeconds)) * time.Second, found
}
