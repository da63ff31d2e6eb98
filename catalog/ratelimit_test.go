package catalog_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
)

// TestRateLimitTypes checks the types against draft-ietf-httpapi-ratelimit-
// headers-11 §10.2: the URI, title and recommended status of each
// registration, and the member §5 defines for all three.
func TestRateLimitTypes(t *testing.T) {
	tests := []struct {
		name   string
		status int
		title  string
	}{
		{"quota-exceeded", 429, "Quota Exceeded"},
		{"temporary-reduced-capacity", 503, "Temporary Reduced Capacity"},
		{"abnormal-usage-detected", 429, "Abnormal Usage Detected"},
	}
	var names []string
	for typ := range catalog.RateLimitTypes() {
		names = append(names, typ.URI)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ, ok := catalog.RateLimitType(tt.name)
			require.True(t, ok)
			assert.Equal(t, "https://iana.org/assignments/http-problem-types#"+tt.name, typ.URI)
			assert.Equal(t, tt.status, typ.Status)
			assert.Equal(t, tt.title, typ.Title)
			assert.Equal(t, []string{"violated-policies"}, typ.Members)
			assert.Equal(t, catalog.RetryAfterDelay, typ.Retry, "the default catalog's policy for %d", tt.status)
			assert.NotEmpty(t, typ.Description)
			assert.Contains(t, names, typ.URI, "RateLimitTypes lists it")
			_, ok = catalog.IANA(tt.name)
			assert.False(t, ok, "a draft's type is not in the IANA registry yet")
		})
	}
	assert.Len(t, names, len(tests))

	_, ok := catalog.RateLimitType("quota")
	assert.False(t, ok)
	typ, _ := catalog.RateLimitType("quota-exceeded")
	typ.Members[0] = "changed"
	again, _ := catalog.RateLimitType("quota-exceeded")
	assert.Equal(t, []string{"violated-policies"}, again.Members, "each call returns its own Members")
}
