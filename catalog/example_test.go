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
	var table strings.Builder
	_ = cat.WriteMarkdown(&table)
	for _, line := range strings.Split(table.String(), "\n") {
		if strings.HasPrefix(line, "| Code") || strings.HasPrefix(line, "| ---") ||
			strings.HasPrefix(line, "| 404") || strings.HasPrefix(line, "| 429") {
			fmt.Println(line)
		}
	}
	// Output:
	// | Code | Phrase | Description | Retry |
	// | ---: | --- | --- | --- |
	// | 404 | Not Found | There is no resource at this URI, or the server will not say whether there is. | Change the request before repeating it |
	// | 429 | TooManyRequests | Too many requests. | Repeat after Retry-After (30 s by default) |
}

func ExampleCatalog_WriteOpenAPI() {
	// Writes an OpenAPI 3.1 document whose components describe every 4xx
	// and 5xx response of the catalog.
	_ = catalog.Default().WriteOpenAPI(os.Stdout)
}
