package catalog_test

import (
	"fmt"

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
