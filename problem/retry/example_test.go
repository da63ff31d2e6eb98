package retry_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"time"

	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/retry"
)

// Advise reads what a failed response says about repeating the request.
func ExampleAdvise() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = (&problem.Responder{}).Respond(w, r, problem.New(http.StatusServiceUnavailable, "maintenance").WithRetryAfter(90*time.Second))
	}))
	defer srv.Close()

	for _, method := range []string{http.MethodGet, http.MethodPost} {
		req, _ := http.NewRequest(method, srv.URL, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		p, _ := problem.FromResponse(resp)
		a := retry.Advise(resp, p, nil)
		fmt.Println(method, a.Retry, a.After, a.Rule)
	}
	// Output:
	// GET true 1m30s Retry-After
	// POST false 0s method
}

// A client whose transport repeats requests on the server's advice, and
// reads the last failure as a problem.
func ExampleTransport() {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) < 3 {
			_ = (&problem.Responder{}).Respond(w, r, problem.New(http.StatusServiceUnavailable, "warming up").WithRetryAfter(2*time.Second))
			return
		}
		_ = (&problem.Responder{}).Respond(w, r, problem.New(http.StatusNotFound, "no order 7"))
	}))
	defer srv.Close()

	client := &http.Client{Transport: retry.NewTransport(nil, &retry.Options{
		Sleep: func(ctx context.Context, d time.Duration) error { // a clock for the example; leave nil to wait
			fmt.Println("waiting", d)
			return ctx.Err()
		},
	})}
	resp, err := client.Get(srv.URL + "/orders/7")
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := problem.CheckResponse(resp); err != nil {
		fmt.Println(fmt.Errorf("get order: %w", err))
		return
	}
	defer resp.Body.Close()
	// Output:
	// waiting 2s
	// waiting 2s
	// get order: 404 Not Found: no order 7
}
