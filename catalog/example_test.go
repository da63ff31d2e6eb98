package catalog_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/problemkit/problemkit/catalog"
)

// A vendor's status table, loaded over the default catalog.
func ExampleLoad() {
	cat, err := catalog.Load(strings.NewReader(`{
	  "statuses": [
	    {"code": 400, "phrase": "BadRequest", "description": "The request is invalid.", "retry": "never"},
	    {"code": 429, "phrase": "TooManyRequests", "retry": "after-delay", "retryAfter": 30},
	    {"code": 504, "phrase": "ServerTimeout", "retry": "anytime"}
	  ]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	e, _ := cat.Lookup(429)
	fmt.Println(e.Phrase, e.Retry, e.RetryAfter)
	fmt.Println(cat.Title(404), "/", cat.Title(499))

	_, err = catalog.Load(strings.NewReader(`{"statuses": [{"code": 429, "phrase": "Slow", "retry": "later"}]}`))
	fmt.Println(err)
	// Output:
	// TooManyRequests after-delay 30s
	// Not Found / Client Error
	// catalog: statuses[0] (code 429): unknown retry "later" (want never, anytime or after-delay)
}

func ExampleCatalog_WriteMarkdown() {
	cat, _ := catalog.Load(strings.NewReader(`{"statuses": [
	  {"code": 429, "phrase": "TooManyRequests", "description": "Too many requests.", "retry": "after-delay", "retryAfter": 30}
	]}`))
	// The statuses the file lists; MarkdownOptions.AllStatuses lists
	// those of the default table too.
	_ = cat.WriteMarkdown(os.Stdout)
	// Output:
	// | Code | Phrase | Description | Retry |
	// | ---: | --- | --- | --- |
	// | 429 | TooManyRequests | Too many requests. | Repeat after Retry-After (30 s by default) |
}

func ExampleCatalog_WriteOpenAPI() {
	// Writes an OpenAPI 3.1 document whose components describe every 4xx
	// and 5xx response of the catalog.
	_ = catalog.Default().WriteOpenAPI(os.Stdout)
}

// A vendor's error codes: each is a problem type with its own retry
// guidance, or its status's.
func ExampleCatalog_Types() {
	cat, err := catalog.Load(strings.NewReader(`{
	  "typeBase": "https://docs.example.com/errors/",
	  "statuses": [{"code": 429, "phrase": "TooManyRequests", "retry": "after-delay", "retryAfter": 30}],
	  "types": [
	    {"code": "APIGW.0301", "status": 401, "title": "Incorrect IAM authentication information"},
	    {"code": "APIGW.0308", "status": 429, "title": "The throttling threshold has been reached", "retryAfter": 10},
	    {"code": "APIGW.0309", "status": 429, "title": "The daily quota is used up"}
	  ]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for t := range cat.Types() {
		fmt.Println(t.Code, t.Status, t.URI, t.Retry, t.RetryAfter)
	}
	// Output:
	// APIGW.0301 401 https://docs.example.com/errors/APIGW.0301 never 0s
	// APIGW.0308 429 https://docs.example.com/errors/APIGW.0308 after-delay 10s
	// APIGW.0309 429 https://docs.example.com/errors/APIGW.0309 after-delay 30s
}

// The problem types registered with IANA are built in.
func ExampleIANA() {
	t, _ := catalog.IANA("digest-mismatched-values")
	fmt.Println(t.URI)
	fmt.Println(t.Status, t.Title, t.Members)
	// Output:
	// https://iana.org/assignments/http-problem-types#digest-mismatched-values
	// 400 Mismatched Digest Values [mismatched-digests]
}
