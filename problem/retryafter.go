package problem

import (
	"errors"
	"net/http"
	"strconv"
	"time"
)

// FormatRetryAfter returns d as a Retry-After delay (RFC 9110 §10.2.3): whole
// seconds, rounded up, so a client never retries early. Negative delays
// give "0"; delays beyond what [ParseRetryAfter] accepts (about 292 years)
// give that longest delay.
func FormatRetryAfter(d time.Duration) string {
	if d <= 0 {
		return "0"
	}
	s := int64(d / time.Second)
	if d%time.Second != 0 {
		s++
	}
	return strconv.FormatInt(min(s, maxRetryAfter), 10)
}

// FormatRetryAt returns t as a Retry-After date: an IMF-fixdate in GMT, such
// as "Sun, 06 Nov 1994 08:49:37 GMT", whatever t's location.
func FormatRetryAt(t time.Time) string {
	return t.UTC().Format(http.TimeFormat)
}

var errRetryAfter = errors.New("problem: invalid Retry-After value")

// ParseRetryAfter returns how long a Retry-After value asks a client to wait,
// counted from now. It accepts delay-seconds and all three HTTP-date forms
// (IMF-fixdate, RFC 850 and asctime). A date in the past gives 0.
func ParseRetryAfter(value string, now time.Time) (time.Duration, error) {
	if value == "" {
		return 0, errRetryAfter
	}
	if isDigits(value) {
		s, err := strconv.ParseInt(value, 10, 64)
		if err != nil || s > maxRetryAfter {
			return 0, errRetryAfter
		}
		return time.Duration(s) * time.Second, nil
	}
	t, err := http.ParseTime(value)
	if err != nil {
		return 0, errRetryAfter
	}
	return max(t.Sub(now), 0), nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
