package problem_test

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/problem"
)

func ExampleNew() {
	p := problem.New(http.StatusNotFound, "item 42 does not exist")
	body, _ := p.AppendJSON(nil)
	fmt.Println(p)
	fmt.Println(string(body))
	// Output:
	// 404 Not Found: item 42 does not exist
	// {"type":"about:blank","status":404,"detail":"item 42 does not exist"}
}

// A problem type is defined once and used for every occurrence. errors.Is
// recognizes its problems by the type URI.
func ExampleType() {
	var OutOfCredit = problem.Type{
		URI:    "https://example.com/probs/out-of-credit",
		Title:  "You do not have enough credit.",
		Status: http.StatusForbidden,
	}

	err := fmt.Errorf("charge order 7: %w",
		OutOfCredit.New("Your current balance is 30, but that costs 50.").WithExtension("balance", 30))

	fmt.Println(errors.Is(err, OutOfCredit))
	body, _ := problem.Resolve(err).AppendJSON(nil)
	fmt.Println(string(body))
	// Output:
	// true
	// {"type":"https://example.com/probs/out-of-credit","title":"You do not have enough credit.","status":403,"detail":"Your current balance is 30, but that costs 50.","balance":30}
}

// A vendor's error code comes from its catalog file. The type is made once, at
// startup; a handler returns a problem of it in one line, and the code travels
// as the member "code".
func ExampleMustType() {
	cat, err := catalog.Load(strings.NewReader(`{
	  "typeBase": "https://docs.example.com/errors/",
	  "statuses": [],
	  "types": [
	    {"code": "APIGW.0301", "status": 401, "title": "Incorrect IAM authentication information"}
	  ]
	}`))
	if err != nil {
		panic(err)
	}
	TokenExpired := problem.MustType(cat, "APIGW.0301")

	err = fmt.Errorf("auth: %w", TokenExpired.New("token expired"))
	fmt.Println(errors.Is(err, TokenExpired))
	body, _ := problem.Resolve(err).AppendJSON(nil)
	fmt.Println(string(body))
	// Output:
	// true
	// {"type":"https://docs.example.com/errors/APIGW.0301","title":"Incorrect IAM authentication information","status":401,"detail":"token expired","code":"APIGW.0301"}
}

// Wrap keeps an error as the cause without sending its text; Resolve finds the
// problem again through any wrapping.
func ExampleWrap() {
	err := fmt.Errorf("handler: %w", problem.Wrap(sql.ErrConnDone, http.StatusServiceUnavailable))

	p := problem.Resolve(err)
	fmt.Println(p.Status, p.Detail == "")
	fmt.Println(errors.Is(err, sql.ErrConnDone))
	// Output:
	// 503 true
	// true
}

// Resolve turns any error into a problem. Errors it does not know become a 500
// that says nothing about them; mappers teach it others.
func ExampleResolve() {
	notFound := problem.MapIs(sql.ErrNoRows, problem.Type{Status: http.StatusNotFound})

	for _, err := range []error{
		fmt.Errorf("load user 7: %w", sql.ErrNoRows),
		errors.New("pq: relation users does not exist"),
		errors.Join(problem.New(http.StatusBadRequest, "bad name"), problem.New(http.StatusServiceUnavailable, "db down")),
	} {
		p := problem.Resolve(err, notFound)
		fmt.Printf("%d %q\n", p.Status, p.Detail)
	}
	// Output:
	// 404 ""
	// 500 ""
	// 503 "db down"
}

// Newf wraps errors with %w like fmt.Errorf. For a 5xx the wrapped text is
// internal: a Responder leaves it out unless ExposeErrors is set.
func ExampleNewf() {
	p := problem.Newf(http.StatusBadRequest, "parse limit: %w", errors.New(`"abc" is not a number`))
	fmt.Println(p.Detail)
	// Output:
	// parse limit: "abc" is not a number
}
