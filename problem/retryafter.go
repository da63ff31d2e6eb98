package problem

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
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
// (IMF-fixdate, RFC 850 and asctime) by their grammar (RFC 9110 §5.6.7):
// whole seconds, and GMT the zone of the two forms that name one, so that
// it reads nothing that Respond drops. A date in the past gives 0; a date
// further ahead than the longest delay (about 292 years), or more
// delay-seconds than that, gives that delay (as RFC 9111 §1.2.2 has a
// recipient take an over-long delta-seconds for the largest it can hold),
// so that what it returns, [FormatRetryAfter] writes and it reads back.
func ParseRetryAfter(value string, now time.Time) (time.Duration, error) {
	if isDelaySeconds(value) {
		// All digits, so the only error is a value out of range: the
		// longest delay, as for a date beyond it.
		s, err := strconv.ParseInt(value, 10, 64)
		if err != nil || s > maxRetryAfter {
			s = maxRetryAfter
		}
		return time.Duration(s) * time.Second, nil
	}
	t, ok := parseHTTPDate(value, now)
	if !ok {
		return 0, errRetryAfter
	}
	return min(max(t.Sub(now), 0), time.Duration(maxRetryAfter)*time.Second), nil
}

// RetryAfterOf returns how long the Retry-After field of a response's
// header h asks a client to wait, counted from received, the time the
// response was received, and whether h holds a valid one. It reads the
// first Retry-After value as [ParseRetryAfter] does. A date is counted
// from h's Date, the server's clock when it made the response (RFC 9110
// §10.2.3, §6.6.1), so that a client whose clock is off still waits as
// long as the server asked: the delay is the time from Date to the
// Retry-After date, whenever it is asked. Date must be an HTTP-date by the
// grammar ParseRetryAfter applies (the first Date value); without one, or
// with one that is not (a recipient may then take the time it received the
// response for the Date, §6.6.1), the date is counted from received.
// Delay-seconds are counted from received whatever Date says.
func RetryAfterOf(h http.Header, received time.Time) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if date, ok := parseHTTPDate(h.Get("Date"), received); ok {
		received = date
	}
	d, err := ParseRetryAfter(v, received)
	return d, err == nil
}

// parseHTTPDate reads v, an HTTP-date in any of its three forms, by their
// grammar (RFC 9110 §5.6.7, see ParseRetryAfter); now places an RFC 850
// date's two-digit year.
func parseHTTPDate(v string, now time.Time) (time.Time, bool) {
	t, err := http.ParseTime(v)
	if err != nil || !httpDateForm(v) {
		return time.Time{}, false
	}
	if strings.Contains(v, "-") { // RFC 850: a two-digit year
		t = rfc850Year(t, now)
	}
	return t, true
}

// sentRetryAfter returns the Retry-After value a sender writes for value
// (RFC 9110 §10.2.3: Retry-After = HTTP-date / delay-seconds), read as
// ParseRetryAfter reads it, without the white space around it (which is no
// part of a field value): delay-seconds as they are, and an HTTP-date as
// the IMF-fixdate [FormatRetryAt] writes, the one form senders may
// generate (§5.6.7), so that an RFC 850 or asctime date is rewritten. A
// value of any other form is an error. Only a rewrite allocates.
func sentRetryAfter(value string) (string, error) {
	v := trimOWS(value)
	if isDelaySeconds(v) {
		return v, nil
	}
	t, ok := parseHTTPDate(v, time.Now())
	if !ok {
		return "", errRetryAfter
	}
	// An IMF-fixdate that is one already is sent as it is: it reads as a
	// time in UTC of a whole second in the years 0000-9999, which
	// FormatRetryAt writes as this does. (ParseTime also reads a fraction
	// of a second, which FormatRetryAt rounds up, a wrong day name, and
	// any zone name in the RFC 850 form.)
	var buf [len(http.TimeFormat)]byte
	if t.Location() == time.UTC && t.Nanosecond() == 0 && string(t.AppendFormat(buf[:0], http.TimeFormat)) == v {
		return v, nil
	}
	return FormatRetryAt(t), nil
}

// httpDateForm reports whether v, which http.ParseTime reads, keeps to the
// grammar of an HTTP-date (RFC 9110 §5.6.7), which ParseTime is more
// lenient than: whole seconds only, and GMT as the zone of the two forms
// that name one (ParseTime takes any zone name, an unknown one as UTC, a
// known one as the server's local time zone has it).
func httpDateForm(v string) bool {
	if strings.ContainsRune(v, '.') {
		return false
	}
	return !strings.ContainsRune(v, ',') || strings.HasSuffix(v, " GMT")
}

// rfc850Year reads the two-digit year of t, an RFC 850 date, as RFC 9110
// §5.6.7 asks: a year more than 50 years ahead of now is the latest past
// year with those digits. (ParseTime puts 69 to 99 in the 1900s, 00 to 68
// in the 2000s, whatever the year now.)
func rfc850Year(t, now time.Time) time.Time {
	century := now.Year() / 100 * 100
	y := century + t.Year()%100
	if y > now.Year()+50 {
		y -= 100
	}
	return t.AddDate(y-t.Year(), 0, 0)
}

// isDelaySeconds reports whether s is delay-seconds (RFC 9110 §10.2.3:
// 1*DIGIT).
func isDelaySeconds(s string) bool {
	return s != "" && isDigits(s)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
