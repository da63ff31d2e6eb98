package problem_test

import (
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
	} {
		got, err := problem.ParseRetryAfter(in, now)
		require.NoError(t, err, "%q", in)
		assert.Equal(t, want, got, "%q", in)
	}
	for _, in := range []string{"", "-1", "+5", "1.5", " 5", "5 ", "soon", "9223372037", "99999999999999999999999"} {
		_, err := problem.ParseRetryAfter(in, now)
		assert.Error(t, err, "%q", in)
	}
}
