package problem_test

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/problem"
)

func TestFormatRetryAfter(t *testing.T) {
	for d, want := range map[time.Duration]string{
		120 * time.Second:        "120",
		1500 * time.Millisecond:  "2",
		time.Nanosecond:          "1",
		0:                        "0",
		-5 * time.Second:         "0",
		time.Second:              "1",
		59*time.Second + 1:       "60",
		time.Duration(1<<63 - 1): "9223372036", // the longest delay ParseRetryAfter takes
	} {
		got := problem.FormatRetryAfter(d)
		assert.Equal(t, want, got, "FormatRetryAfter(%v)", d)
		assert.Regexp(t, `^[0-9]+$`, got)
		back, err := problem.ParseRetryAfter(got, time.Now())
		require.NoError(t, err, "ParseRetryAfter(FormatRetryAfter(%v))", d)
		assert.GreaterOrEqual(t, back, min(d, 9223372036*time.Second), "never earlier than asked, up to the longest")
	}
}

var imfFixdate = regexp.MustCompile(`^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$`)

func TestFormatRetryAt(t *testing.T) {
	at := time.Date(1994, 11, 6, 9, 49, 37, 0, time.FixedZone("X", 3600))
	got := problem.FormatRetryAt(at)
	assert.Equal(t, "Sun, 06 Nov 1994 08:49:37 GMT", got)
	assert.Regexp(t, imfFixdate, got)
	back, err := problem.ParseRetryAfter(got, at.Add(-time.Minute))
	require.NoError(t, err)
	assert.Equal(t, time.Minute, back)
}

// TestParseRetryAfterTwoDigitYears: an RFC 850 date's year is the one of
// those digits not more than 50 years ahead (RFC 9110 §5.6.7), whatever
// the year now, not Go's fixed split at 69.
func TestParseRetryAfterTwoDigitYears(t *testing.T) {
	for _, tt := range []struct {
		name, value string
		now, want   time.Time
	}{
		{"44 years ahead", "Sunday, 01-Jan-70 00:00:00 GMT", time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), time.Date(2070, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"51 years ahead is the past", "Friday, 01-Jan-77 00:00:00 GMT", time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), time.Date(1977, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"this century", "Monday, 01-Jan-24 00:00:00 GMT", time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"the last century, as then", "Sunday, 06-Nov-94 08:49:37 GMT", time.Date(1994, 11, 6, 8, 49, 0, 0, time.UTC), time.Date(1994, 11, 6, 8, 49, 37, 0, time.UTC)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := problem.ParseRetryAfter(tt.value, tt.now)
			require.NoError(t, err)
			assert.Equal(t, max(tt.want.Sub(tt.now), 0), got)
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(1994, 11, 6, 8, 49, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"0":                              0,
		"120":                            120 * time.Second,
		"007":                            7 * time.Second,
		"Sun, 06 Nov 1994 08:49:37 GMT":  37 * time.Second, // IMF-fixdate
		"Sunday, 06-Nov-94 08:49:37 GMT": 37 * time.Second, // RFC 850
		"Sun Nov  6 08:49:37 1994":       37 * time.Second, // asctime
		"Sun, 06 Nov 1994 08:48:00 GMT":  0,                // in the past
		"9223372036":                     9223372036 * time.Second,
		"9223372037":                     9223372036 * time.Second, // beyond a Duration: the longest
		"99999999999999999999999":        9223372036 * time.Second,
	} {
		got, err := problem.ParseRetryAfter(in, now)
		require.NoError(t, err, "%q", in)
		assert.Equal(t, want, got, "%q", in)
	}
	for _, in := range []string{"", "-1", "+5", "1.5", " 5", "5 ", "soon"} {
		_, err := problem.ParseRetryAfter(in, now)
		assert.Error(t, err, "%q", in)
	}
}

// TestParseRetryAfterHTTPDateGrammar: a date is read by the HTTP-date
// grammar (RFC 9110 §5.6.7), which http.ParseTime is more lenient than:
// whole seconds, and GMT the only zone. So a client refuses what Respond
// refuses to send, and does not read a zone name such as EST by the time
// zone of the machine it runs on (ParseTime does, for the local zone's
// own abbreviations, and takes any other as UTC).
func TestParseRetryAfterHTTPDateGrammar(t *testing.T) {
	now := time.Date(1994, 11, 6, 8, 49, 0, 0, time.UTC)
	for _, in := range []string{
		"Sun, 06 Nov 1994 08:49:37.5 GMT",  // a fraction of a second
		"Sunday, 06-Nov-94 08:49:37.5 GMT", // in the RFC 850 form
		"Sun Nov  6 08:49:37.5 1994",       // in the asctime form
		"Sunday, 06-Nov-94 08:49:37 EST",   // another zone
		"Sunday, 06-Nov-94 08:49:37 UTC",
	} {
		_, err := http.ParseTime(in)
		require.NoError(t, err, "http.ParseTime reads %q", in)
		d, err := problem.ParseRetryAfter(in, now)
		assert.Error(t, err, "%q read as %v", in, d)
	}
}

// TestFormatRetryAtRange: an IMF-fixdate has a four-digit year, so a time
// outside 0000-9999 is sent as the nearest date there is: one after 9999
// asks the client to wait as long as a date can say, one before 0000 is in
// the past like it. A fraction of a second rounds up, so that a client
// never retries early.
func TestFormatRetryAtRange(t *testing.T) {
	tests := []struct {
		name string
		at   time.Time
		want string
	}{
		{"year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "Fri, 31 Dec 9999 23:59:59 GMT"},
		{"the latest time", time.Unix(1<<63-1-62135596800, 999999999), "Fri, 31 Dec 9999 23:59:59 GMT"},
		{"year 9999 in another zone", time.Date(9999, 12, 31, 23, 30, 0, 0, time.FixedZone("W", -3600)), "Fri, 31 Dec 9999 23:59:59 GMT"},
		{"the last second, with a fraction", time.Date(9999, 12, 31, 23, 59, 59, 1, time.UTC), "Fri, 31 Dec 9999 23:59:59 GMT"},
		{"year -1", time.Date(-1, 6, 1, 0, 0, 0, 0, time.UTC), "Sat, 01 Jan 0000 00:00:00 GMT"},
		{"the zero time", time.Time{}, "Mon, 01 Jan 0001 00:00:00 GMT"},
		{"year 0", time.Date(0, 3, 1, 12, 0, 0, 0, time.UTC), "Wed, 01 Mar 0000 12:00:00 GMT"},
		{"a fraction", time.Date(1994, 11, 6, 8, 49, 37, 1, time.UTC), "Sun, 06 Nov 1994 08:49:38 GMT"},
	}
	now := time.Date(1994, 11, 6, 8, 49, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problem.FormatRetryAt(tt.at)
			assert.Equal(t, tt.want, got)
			assert.Regexp(t, imfFixdate, got)
			d, err := problem.ParseRetryAfter(got, now)
			require.NoError(t, err, "the date parses back")
			sent := problem.New(503, "").WithRetryAt(tt.at).Header.Get("Retry-After")
			assert.Equal(t, got, sent, "WithRetryAt sends the same")
			if tt.at.After(now) {
				assert.Positive(t, d, "a date in the future asks to wait")
			}
		})
	}
}

// TestRetryAfterRoundTrip: what ParseRetryAfter returns, FormatRetryAfter
// writes as a value that parses to it again (rounded up to whole seconds),
// for dates up to the last one an IMF-fixdate holds.
func TestRetryAfterRoundTrip(t *testing.T) {
	now := time.Date(1994, 11, 6, 8, 49, 0, 500, time.UTC)
	for _, in := range []string{
		"0", "1", "120", "9223372036",
		"Sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:48:00 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
		"Fri, 31 Dec 2100 23:59:59 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", problem.FormatRetryAt(time.Date(20000, 1, 1, 0, 0, 0, 0, time.UTC)),
	} {
		d, err := problem.ParseRetryAfter(in, now)
		require.NoError(t, err, in)
		formatted := problem.FormatRetryAfter(d)
		back, err := problem.ParseRetryAfter(formatted, now)
		require.NoError(t, err, "%q: %v formats as %q", in, d, formatted)
		want := d.Truncate(time.Second)
		if want != d {
			want += time.Second
		}
		assert.Equal(t, want, back, "%q: %v formats as %q", in, d, formatted)
	}
}

// TestRetryAfterOf: a Retry-After date is counted from the header's Date
// when Date is an HTTP-date by the grammar ParseRetryAfter applies (RFC
// 9110 §10.2.3, §6.6.1, §5.6.7), else from the time received;
// delay-seconds always from received.
func TestRetryAfterOf(t *testing.T) {
	received := time.Date(2026, 12, 2, 7, 0, 0, 0, time.UTC)
	const date = "Sun, 06 Nov 1994 08:49:37 GMT"
	inAMinute := problem.FormatRetryAt(received.Add(time.Minute))
	tests := []struct {
		name   string
		header http.Header
		want   time.Duration
		wantOK bool
	}{
		{name: "no Retry-After", header: http.Header{"Date": {date}}},
		{name: "an empty Retry-After", header: http.Header{"Retry-After": {""}}},
		{name: "an invalid Retry-After", header: http.Header{"Retry-After": {"soon"}, "Date": {date}}},
		{name: "delay-seconds, whatever Date says", header: http.Header{"Retry-After": {"120"}, "Date": {date}}, want: 2 * time.Minute, wantOK: true},
		{name: "a date counted from Date", header: http.Header{"Retry-After": {"Sun, 06 Nov 1994 08:50:07 GMT"}, "Date": {date}}, want: 30 * time.Second, wantOK: true},
		{name: "a date before Date", header: http.Header{"Retry-After": {"Sun, 06 Nov 1994 08:49:00 GMT"}, "Date": {date}}, want: 0, wantOK: true},
		{name: "an RFC 850 Date", header: http.Header{"Retry-After": {"Sun, 06 Nov 1994 08:50:07 GMT"}, "Date": {"Sunday, 06-Nov-94 08:49:37 GMT"}}, want: 30 * time.Second, wantOK: true},
		{name: "an asctime Date", header: http.Header{"Retry-After": {"Sun, 06 Nov 1994 08:50:07 GMT"}, "Date": {"Sun Nov  6 08:49:37 1994"}}, want: 30 * time.Second, wantOK: true},
		{name: "the first of two Dates", header: http.Header{"Retry-After": {"Sun, 06 Nov 1994 08:50:07 GMT"}, "Date": {date, "Sun, 06 Nov 1994 08:50:00 GMT"}}, want: 30 * time.Second, wantOK: true},
		{name: "without Date, from received", header: http.Header{"Retry-After": {inAMinute}}, want: time.Minute, wantOK: true},
		{name: "an empty Date", header: http.Header{"Retry-After": {inAMinute}, "Date": {""}}, want: time.Minute, wantOK: true},
		{name: "a Date with a fraction of a second", header: http.Header{"Retry-After": {inAMinute}, "Date": {"Sun, 06 Nov 1994 08:49:37.5 GMT"}}, want: time.Minute, wantOK: true},
		{name: "a Date in another zone", header: http.Header{"Retry-After": {inAMinute}, "Date": {"Sunday, 06-Nov-94 08:49:37 PST"}}, want: time.Minute, wantOK: true},
		{name: "a Date that does not parse", header: http.Header{"Retry-After": {inAMinute}, "Date": {"yesterday"}}, want: time.Minute, wantOK: true},
		{name: "a nil header", header: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := problem.RetryAfterOf(tt.header, received)
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}
