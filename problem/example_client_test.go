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
