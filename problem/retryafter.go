package problem

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"
)

// maxRetryAfter is the largest delay a time.Duration holds, in seconds.
const maxRetryAfter = math.MaxInt64 / int64(time.Second)

// FormatRetryAfter returns d as a Retry-After delay (RFC 9110 §10.2.3): whole
// seconds, rounded up, so a client never retries early. Negative delays
// give "0"; delays beyond the longest [ParseRetryAfter] returns (about 292
// years) give that longest delay.
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
// as "Sun, 06 Nov 1994 08:49:37 GMT", whatever t's location. A fraction of
// a second rounds up, so a client never retries early. An IMF-fixdate has a
// four-digit year, so a time after 9999 gives the last date there is,
// "Fri, 31 Dec 9999 23:59:59 GMT" (wait as long as a date can say), and a
// time before year 0 gives the first, "Sat, 01 Jan 0000 00:00:00 GMT" (in
// the past, as t is).
func FormatRetryAt(t time.Time) string {
	t = t.UTC()
	switch {
	case !t.Before(lastDate):
		t = lastDate
	case t.Before(firstDate):
		t = firstDate
	case t.Nanosecond() != 0:
		t = t.Truncate(time.Second).Add(time.Second) // at most lastDate
	}
	return t.Format(http.TimeFormat)
}

// The first and last times an IMF-fixdate can hold.
var (
	firstDate = time.Date(0, time.January, 1, 0, 0, 0, 0, time.UTC)
	lastDate  = time.Date(9999, time.December, 31, 23, 59, 59, 0, time.UTC)
)

var errRetryAfter = errors.New("problem: invalid Retry-After value")

// ParseRetryAfter returns how long a Retry-After value asks a client to wait,
// counted from now. It accepts delay-seconds and all three HTTP-date forms
// (IMF-fixdate, RFC 850 and asctime). A date in the past gives 0; a date
// further ahead than the longest delay (about 292 years), or more
// delay-seconds than that, gives that delay (as RFC 9111 §1.2.2 has a
// recipient take an over-long delta-seconds for the largest it can hold),
// so that what it returns, [FormatRetryAfter] writes and it reads back.
func ParseRetryAfter(value string, now time.Time) (time.Duration, error) {
	if value == "" {
		return 0, errRetryAfter
	}
	if isDigits(value) {
		// All digits, so the only error is a value out of range: the
		// longest delay, as for a date beyond it.
		s, err := strconv.ParseInt(value, 10, 64)
		if err != nil || s > maxRetryAfter {
			s = maxRetryAfter
		}
		return time.Duration(s) * time.Second, nil
	}
	t, err := http.ParseTime(value)
	if err != nil {
		return 0, errRetryAfter
	}
	return min(max(t.Sub(now), 0), time.Duration(maxRetryAfter)*time.Second), nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
