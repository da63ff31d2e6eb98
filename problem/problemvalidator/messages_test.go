package problemvalidator_test

import (
	"testing"

	"github.com/go-playground/validator/v10"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemvalidator"
)

// TestAliasMessages: a failure of an alias (RegisterAlias) reports the
// alias as its rule, with the parameter of the rule inside it that failed
// (conformance E2), and is phrased as that rule, whose parameter it is;
// an alias of alternatives has no one rule inside, and a message of its
// own or the generic one. Two validators that define an alias of the same
// name apart each get their own message for the same field, whichever
// was seen first and however often.
func TestAliasMessages(t *testing.T) {
	type Account struct {
		Password string `json:"password" validate:"pw"`
		Color    string `json:"color" validate:"iscolor"`
		Code     string `json:"code" validate:"code"`
		Size     string `json:"size" validate:"lim"`
	}
	in := &Account{Password: "short", Color: "zz", Code: "-", Size: "abc"}
	atLeast, exactly := validator.New(), validator.New()
	for _, vv := range []*validator.Validate{atLeast, exactly} {
		vv.RegisterAlias("pw", "min=8,max=64")
		vv.RegisterAlias("code", "numeric|alpha")
	}
	atLeast.RegisterAlias("lim", "min=5")
	exactly.RegisterAlias("lim", "len=5")
	want := map[*validator.Validate]problem.InputErrors{
		atLeast: {
			{Detail: "must be at least 8 characters long", Pointer: "#/password", Rule: "pw", Param: "8"},
			{Detail: "must be a color", Pointer: "#/color", Rule: "iscolor"},
			{Detail: "must pass the code check", Pointer: "#/code", Rule: "code"},
			{Detail: "must be at least 5 characters long", Pointer: "#/size", Rule: "lim", Param: "5"},
		},
		exactly: {
			{Detail: "must be at least 8 characters long", Pointer: "#/password", Rule: "pw", Param: "8"},
			{Detail: "must be a color", Pointer: "#/color", Rule: "iscolor"},
			{Detail: "must pass the code check", Pointer: "#/code", Rule: "code"},
			{Detail: "must be exactly 5 characters long", Pointer: "#/size", Rule: "lim", Param: "5"},
		},
	}
	for round := range 3 {
		order := []*validator.Validate{atLeast, exactly}
		if round%2 == 1 {
			order = []*validator.Validate{exactly, atLeast}
		}
		for _, vv := range order {
			v := problemvalidator.New(vv)
			got := items(t, v.Validate(in))
			require.Len(t, got, 4)
			assert.Equal(t, want[vv], got, "round %d", round)
		}
	}
}
