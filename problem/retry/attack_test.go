package retry_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemtest"
	"github.com/problemkit/problemkit/problem/retry"
)

// TestAttackRetryAfterBeyondDuration: a Retry-After of more delay-seconds
// than a time.Duration holds is still valid (RFC 9110 §10.2.3:
// delay-seconds = 1*DIGIT); it asks for the longest wait there is, as an
// over-long delta-seconds means the largest value a recipient can
// represent (RFC 9111 §1.2.2). One digit more than 9223372036 must not turn
// "wait for centuries" into "no advice" and a retry a second later.
func TestAttackRetryAfterBeyondDuration(t *testing.T) {
	longest := time.Duration(1<<63-1) / time.Second * time.Second
	tests := []struct {
		name       string
		retryAfter string
	}{
		{name: "the longest delay a Duration holds", retryAfter: "9223372036"},
		{name: "one second more", retryAfter: "9223372037"},
		{name: "more digits than an int64", retryAfter: "99999999999999999999999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := problem.ParseRetryAfter(tt.retryAfter, time.Now())
			assert.NoError(t, err)
			assert.Equal(t, longest, d)

			up := problemtest.NewUpstream(t, nil,
				problemtest.ReplyStatus(http.StatusServiceUnavailable).WithRetryAfter(tt.retryAfter),
				problemtest.ReplyStatus(http.StatusOK))
			s := &sleeper{}
			req, err := http.NewRequest(http.MethodGet, up.URL+"/orders/7", nil)
			require.NoError(t, err)
			resp, err := client(retry.Options{}, s).Do(req)
			require.NoError(t, err)
			t.Cleanup(func() { _ = resp.Body.Close() })

			assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "a wait beyond MaxWait is not waited for")
			assert.Len(t, up.Requests(), 1, "attempts")
			assert.Empty(t, s.got(), "waits")

			a := retry.Advise(resp, nil, nil)
			assert.Equal(t, retry.RuleRetryAfter, a.Rule)
			assert.Equal(t, longest, a.After)
		})
	}
}
