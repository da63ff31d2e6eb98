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

// A client reads an extension member into a Go value.
func ExampleProblem_Extension() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := problem.Type{URI: "https://example.com/probs/out-of-credit", Title: "You do not have enough credit.", Status: http.StatusForbidden}.
			New("Your current balance is 30, but that costs 50.").
			WithExtension("balance", 30)
		_ = (&problem.Responder{}).Respond(w, r, p)
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
	var balance int
	fmt.Println(p.Extension("balance", &balance), balance)
	var name string
	fmt.Println(p.Extension("balance", &name))
	fmt.Println(errors.Is(p.Extension("credit", &balance), problem.ErrNoExtension))
	// Output:
	// <nil> 30
	// problem: extension member "balance": json: cannot unmarshal number into Go value of type string
	// true
}

// OutOfCredit is what a client keeps of an out-of-credit problem. *OutOfCredit
// is an error, so that errors.As finds it.
type OutOfCredit struct {
	Balance  int      `json:"balance"`
	Accounts []string `json:"accounts"`
}

func (e *OutOfCredit) Error() string { return fmt.Sprintf("out of credit: balance %d", e.Balance) }

// A client registers a Go type for a problem type, and finds the members
// of such a problem with errors.As.
func ExampleRegistry() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := problem.Type{URI: "https://example.com/probs/out-of-credit", Title: "You do not have enough credit.", Status: http.StatusForbidden}.
			New("Your current balance is 30, but that costs 50.").
			WithExtension("balance", 30).
			WithExtension("accounts", []string{"/account/12345"})
		_ = (&problem.Responder{}).Respond(w, r, p)
	}))
	defer srv.Close()

	billing := problem.NewRegistry(problem.Register[OutOfCredit]("https://example.com/probs/out-of-credit"))

	resp, err := http.Get(srv.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := billing.CheckResponse(resp); err != nil {
		err = fmt.Errorf("charge card: %w", err)
		fmt.Println(err)
		if oc, ok := errors.AsType[*OutOfCredit](err); ok {
			fmt.Println(oc.Balance, oc.Accounts)
		}
		fmt.Println(problem.Resolve(err).Status) // still foreign: not this server's answer
	}
	// Output:
	// charge card: 403 You do not have enough credit.: Your current balance is 30, but that costs 50.
	// 30 [/account/12345]
	// 500
}
