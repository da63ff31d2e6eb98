package catalog_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/problemkit/problemkit/catalog"
)

// The rate-limit problem types of draft-ietf-httpapi-ratelimit-headers-11
// are built in, apart from the registered ones: the draft is not an RFC yet.
func ExampleRateLimitTypes() {
	for t := range catalog.RateLimitTypes() {
		fmt.Println(t.Status, t.Title, t.Members)
	}
	// Output:
	// 429 Quota Exceeded [violated-policies]
	// 503 Temporary Reduced Capacity [violated-policies]
	// 429 Abnormal Usage Detected [violated-policies]
}

// A catalog file declares the quota policies a vendor documents for a
// status; a type without its own has its status's.
func ExampleLoad_quotaPolicies() {
	cat, err := catalog.Load(strings.NewReader(`{
	  "typeBase": "https://docs.example.com/errors/",
	  "statuses": [{"code": 429, "phrase": "Too Many Requests", "retry": "after-delay",
	    "quotaPolicies": [{"name": "default", "quota": 100, "window": 60, "unit": "requests"}]}],
	  "types": [{"code": "API.THROTTLED", "status": 429, "title": "Throttled"}]
	}`))
	if err != nil {
		log.Fatal(err)
	}
	t, _ := cat.Type("API.THROTTLED")
	for _, p := range t.QuotaPolicies {
		fmt.Println(p.Name, p.Quota, p.Unit, p.Window)
	}
	// Output:
	// default 100 requests 1m0s
}
