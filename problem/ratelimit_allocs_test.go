//go:build !race

// The race detector makes sync.Pool drop values at random, so allocation
// counts only hold without it.

package problem_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/problem"
)

// TestRespondQuotaPoliciesAllocs: a catalog without quota policies costs
// the writer nothing, whatever its types; one with policies costs the
// field's value and no more: the policies' copy, the value's buffer, the
// string and its slice, and the unit boxed for the Structured Field
// serialiser.
func TestRespondQuotaPoliciesAllocs(t *testing.T) {
	const none = `{"typeBase":"https://docs.example.com/errors/","statuses":[{"code":429,"phrase":"Slow"}],` +
		`"types":[{"code":"T","status":429,"title":"Throttled"}]}`
	const some = `{"typeBase":"https://docs.example.com/errors/","statuses":[{"code":429,"phrase":"Slow",` +
		`"quotaPolicies":[{"name":"default","quota":100,"window":60,"unit":"requests"}]}],` +
		`"types":[{"code":"T","status":429,"title":"Throttled"}]}`
	tests := []struct {
		name    string
		catalog string
		typed   bool
		want    float64
	}{
		{"no policies, about:blank", none, false, 0},
		{"no policies, a catalog type", none, true, 0},
		{"a status's policies", some, false, 5},
		{"a type's policies", some, true, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, err := catalog.Load(strings.NewReader(tt.catalog))
			require.NoError(t, err)
			p := problem.New(429, "")
			if tt.typed {
				typ, ok := cat.Type("T")
				require.True(t, ok)
				p = problem.Of(typ).New("")
			}
			rs := &problem.Responder{Catalog: cat}
			w, r := testkit.NewBenchWriter(), httptest.NewRequest("GET", "/", nil)
			allocs := testing.AllocsPerRun(100, func() {
				w.Reset()
				_ = rs.Respond(w, r, p)
			})
			assert.Equal(t, tt.want, allocs)
		})
	}
}
