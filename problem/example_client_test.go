package problem_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/problemkit/problemkit/problem"
)

// A client reads a problem response back into an error.
func ExampleFromResponse() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rs := &problem.Responder{}
		_ = rs.Respond(w, r, problem.New(http.StatusServiceUnavailable, "maintenance").WithRetryAfter(2*time.Minute))
	}))
	defer srv.Close()

	resp, err := http.Get(srv.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := problem.FromResponse(resp)
	if err != nil {
		fmt.Println(err)
		return
	}
	err = fmt.Errorf("call status service: %w", p)
	fmt.Println(err)

	var retry interface{ RetryAfter() time.Duration }
	if errors.As(err, &retry) {
		fmt.Println("retry after", retry.RetryAfter())
	}
	// Output:
	// call status service: 503 Service Unavailable: maintenance
	// retry after 2m0s
}

// A gateway passes on what an upstream said, but only what it chooses to.
func ExampleRelay() {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := problem.Type{URI: "https://example.com/probs/out-of-credit", Title: "You do not have enough credit.", Status: http.StatusForbidden}.
			New("Your current balance is 30, but that costs 50.").
			WithExtension("balance", 30).
			WithExtension("account", "internal-7f3a")
		_ = (&problem.Responder{}).Respond(w, r, p)
	}))
	defer upstream.Close()

	resp, err := http.Get(upstream.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := problem.FromResponse(resp)
	if err != nil {
		fmt.Println(err)
		return
	}
	err = fmt.Errorf("charge card: %w", p)

	fmt.Println(problem.Resolve(err).Status) // foreign: unknown unless mapped
	relayed := problem.Resolve(err, problem.Relay(&problem.RelayOptions{Extensions: []string{"balance"}}))
	fmt.Println(relayed.Status, relayed.Title, relayed.Detail, relayed.Extensions)
	// Output:
	// 500
	// 403 You do not have enough credit. Your current balance is 30, but that costs 50. map[balance:30]
}
