package problemecho_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	echomw "github.com/labstack/echo/v4/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
)

// TestRateLimiterDenyHandler: a service that runs Echo's RateLimiter
// attaches its quota policy through DenyHandler, and the 429 carries
// RateLimit-Policy, RateLimit and a Retry-After no earlier than the reset,
// though the catalog's default for 429 is shorter.
func TestRateLimiterDenyHandler(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(`{"statuses":[{"code":429,"phrase":"Too Many Requests","retry":"after-delay","retryAfter":30}]}`))
	require.NoError(t, err)
	// One request per 100 s, in bursts of up to 2.
	const every, burst = 100 * time.Second, 2
	policy := catalog.QuotaPolicy{Name: "per-client", Quota: burst, Window: burst * every}
	s := newEcho(t, &middleware.Options{Catalog: cat}, func(e *echo.Echo) {
		e.Use(echomw.RateLimiterWithConfig(echomw.RateLimiterConfig{
			Store: echomw.NewRateLimiterMemoryStoreWithConfig(echomw.RateLimiterMemoryStoreConfig{
				Rate: 0.01, Burst: burst, ExpiresIn: time.Hour}),
			DenyHandler: func(c echo.Context, identifier string, err error) error {
				p, perr := problem.RateLimited("quota-exceeded", problem.RateLimit{
					Policies: []catalog.QuotaPolicy{policy},
					Limits:   []problem.ServiceLimit{{Policy: policy.Name, Remaining: 0, Reset: every}},
				}, policy.Name)
				if perr != nil {
					return perr // a broken policy: a 500, logged
				}
				return p
			},
		}))
		e.GET("/items/123", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	})

	for range burst {
		resp, _ := s.do(t, "GET", "/items/123", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
	resp, body := s.do(t, "GET", "/items/123", nil)
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode, body)
	assert.Equal(t, []string{`"per-client";q=2;w=200`}, resp.Header.Values("RateLimit-Policy"))
	assert.Equal(t, []string{`"per-client";r=0;t=100`}, resp.Header.Values("RateLimit"))
	assert.Equal(t, []string{"100"}, resp.Header.Values("Retry-After"), "the catalog's 30 s is earlier than the reset")
	assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &got), body)
	assert.Equal(t, map[string]any{
		"type":              "https://iana.org/assignments/http-problem-types#quota-exceeded",
		"title":             "Quota Exceeded",
		"status":            float64(429),
		"violated-policies": []any{"per-client"},
	}, got)
}
