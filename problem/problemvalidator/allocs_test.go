//go:build !race

package problemvalidator_test

import (
	"testing"

	"github.com/go-playground/validator/v10"

	"github.com/problemkit/problemkit/problem/problemvalidator"
)

// TestProblemAllocs holds the making of a validation problem to its
// budget, whatever the number of fields: the items and the problem, one
// allocation each, and the "errors" extension, the map (two) and the items
// in it as an interface value (one).
func TestProblemAllocs(t *testing.T) {
	validate := validator.New()
	v := problemvalidator.New(validate)
	tests := []struct {
		name string
		in   any
	}{
		{"one field", &form1{Name: "ab"}},
		{"three fields", &form3{Name: "ab", Email: "nope", Age: 7}},
		{"ten fields", &form10{Name: "ab", Email: "nope", Age: 7, Zip: "123", Country: "xx", Phone: "123", Color: "yellow", Score: 101}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fails := validate.Struct(tt.in)
			mapper := v.Mapper()
			if allocs := testing.AllocsPerRun(100, func() { _ = mapper(fails) }); allocs != 5 {
				t.Errorf("the Mapper allocates %v times, want 5", allocs)
			}
		})
	}
}
