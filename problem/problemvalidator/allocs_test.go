//go:build !race

package problemvalidator_test

import (
	"strconv"
	"testing"

	"github.com/go-playground/validator/v10"
	"github.com/stretchr/testify/assert"

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

// treeNode is a recursive type: a client nests it as deep as its body
// goes, and the namespaces and pointers of its failures grow with the
// depth.
type treeNode struct {
	Name     string     `json:"name" validate:"required"`
	Children []treeNode `json:"children" validate:"dive"`
}

// TestDeepPointersAllocs: the pointer of a failure deep in the input is
// made with as many allocations however deep it is, by Validate's path
// (from the types) and the Mapper's (from the namespace): its tokens are
// made once, not grown, so that input nested deep costs the size of the
// pointers it gets.
func TestDeepPointersAllocs(t *testing.T) {
	validate := validator.New()
	v := problemvalidator.New(validate)
	mapper := v.Mapper()
	// perItem returns the allocations of the Mapper and of Validate
	// (beyond the validator's own) per failure, at a depth.
	perItem := func(depth int) (mapped, validated float64) {
		root := treeNode{}
		for range depth {
			root = treeNode{Children: []treeNode{root}}
		}
		fails := validate.Struct(&root)
		own := testing.AllocsPerRun(10, func() { _ = validate.Struct(&root) })
		items := float64(depth + 1)
		mapped = (testing.AllocsPerRun(10, func() { _ = mapper(fails) }) - 5) / items
		validated = (testing.AllocsPerRun(10, func() { _ = v.Validate(&root) }) - own - 5) / items
		return mapped, validated
	}
	// (Pointers of 32 bytes or fewer are made on the stack: the few of
	// them at depth 50 are what the delta allows for.)
	shallowMapped, shallowValidated := perItem(50)
	deepMapped, deepValidated := perItem(400)
	assert.InDelta(t, shallowMapped, deepMapped, 0.25, "the Mapper, per failure, at depth 50 and 400")
	assert.InDelta(t, shallowValidated, deepValidated, 0.25, "Validate, per failure, at depth 50 and 400")
}

// TestValidateAllocsAsTheMapper: the failures of map entries and slice
// items, whose pointers are made anew each time, cost Validate (which
// walks the types) the allocations they cost the Mapper (which reads the
// namespace): a pointer's tokens stay on the stack in both. It is what
// guards the two instances of walkFrom (see walkLevel in locate.go): with
// one, escape analysis moves the tokens to the heap, and this fails.
func TestValidateAllocsAsTheMapper(t *testing.T) {
	type listed struct {
		Tags map[string]string `json:"tags" validate:"dive,min=3"`
		List []string          `json:"list" validate:"dive,min=3"`
	}
	tags := map[string]string{}
	for i := range 50 {
		tags["k"+strconv.Itoa(i)] = "x"
	}
	in := &listed{Tags: tags, List: make([]string, 50)}
	validate := validator.New()
	v := problemvalidator.New(validate)
	fails := validate.Struct(in)
	mapper := v.Mapper()
	own := testing.AllocsPerRun(20, func() { _ = validate.Struct(in) })
	validated := testing.AllocsPerRun(20, func() { _ = v.Validate(in) }) - own
	mapped := testing.AllocsPerRun(20, func() { _ = mapper(fails) })
	assert.InDelta(t, mapped, validated, 5, "Validate beyond the validator's, and the Mapper, for 100 failures")
}
