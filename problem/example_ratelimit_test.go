package problem_test

import (
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/problem"
)

// tokenBucket is a token bucket for one client: up to burst requests at
// once, one more every interval.
type tokenBucket struct {
	mu       sync.Mutex
	burst    int64
	interval time.Duration
	tokens   int64
	last     time.Time
	now      func() time.Time
}

// take takes a token if there is one, and returns the tokens left and the
// time until the next one comes (0 when the bucket is full).
func (b *tokenBucket) take() (ok bool, left int64, next time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if gained := int64(now.Sub(b.last) / b.interval); gained > 0 {
		b.tokens = min(b.burst, b.tokens+gained)
		b.last = b.last.Add(time.Duration(gained) * b.interval)
	}
	if b.tokens == b.burst {
		b.last = now
	}
	if ok = b.tokens > 0; ok {
		b.tokens--
	}
	if b.tokens < b.burst {
		next = b.interval - now.Sub(b.last)
	}
	return ok, b.tokens, next
}

// limit serves next while b has tokens, and tells every client its quota:
// RateLimit-Policy and RateLimit on each response, and a quota-exceeded
// problem with a Retry-After when the bucket is empty.
func limit(b *tokenBucket, rs *problem.Responder, next http.Handler) http.Handler {
	policy := catalog.QuotaPolicy{Name: "per-client", Quota: b.burst, Window: time.Duration(b.burst) * b.interval}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok, left, reset := b.take()
		rl := problem.RateLimit{
			Policies: []catalog.QuotaPolicy{policy},
			Limits:   []problem.ServiceLimit{{Policy: policy.Name, Remaining: left, Reset: reset}},
		}
		if ok {
			p, _ := problem.FormatRateLimitPolicy(rl.Policies...)
			l, _ := problem.FormatRateLimit(rl.Limits...)
			w.Header().Set("RateLimit-Policy", p)
			w.Header().Set("RateLimit", l)
			next.ServeHTTP(w, r)
			return
		}
		p, err := problem.RateLimited("quota-exceeded", rl, policy.Name)
		if err != nil {
			log.Print(err)
			p = problem.New(http.StatusTooManyRequests, "")
		}
		if err := rs.Respond(w, r, p.WithRetryAfter(time.Second)); err != nil {
			log.Print(err)
		}
	})
}

// A net/http service limits each client with a token bucket and publishes
// its quota policy. The Retry-After the handler asks for (1 s) is earlier
// than the reset of the used-up limit, so the response sends the reset.
func ExampleRateLimited() {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	b := &tokenBucket{burst: 2, interval: 10 * time.Second, tokens: 2, last: start,
		now: func() time.Time { return start }}
	h := limit(b, new(problem.Responder), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	}))
	for range 3 {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/items/123", nil))
		fmt.Println(w.Code, w.Header().Get("RateLimit-Policy"), w.Header().Get("RateLimit"))
		if w.Code != http.StatusOK {
			fmt.Println("Retry-After:", w.Header().Get("Retry-After"))
			fmt.Print(w.Body.String())
		}
	}
	// Output:
	// 200 "per-client";q=2;w=20 "per-client";r=1;t=10
	// 200 "per-client";q=2;w=20 "per-client";r=0;t=10
	// 429 "per-client";q=2;w=20 "per-client";r=0;t=10
	// Retry-After: 10
	// {"type":"https://iana.org/assignments/http-problem-types#quota-exceeded","title":"Quota Exceeded","status":429,"violated-policies":["per-client"]}
}

// A catalog's quota policies go out as RateLimit-Policy on every response
// of their status whose problem sets none.
func ExampleResponder_quotaPolicies() {
	cat, err := catalog.Load(strings.NewReader(`{"statuses": [{"code": 429, "phrase": "Too Many Requests",
	  "quotaPolicies": [{"name": "default", "quota": 100, "window": 60}]}]}`))
	if err != nil {
		log.Fatal(err)
	}
	rs := &problem.Responder{Catalog: cat}
	w := httptest.NewRecorder()
	_ = rs.Respond(w, httptest.NewRequest("GET", "/items", nil), problem.New(http.StatusTooManyRequests, ""))
	fmt.Println(w.Header().Get("RateLimit-Policy"))
	// Output:
	// "default";q=100;w=60
}
