package problemvalidator_test

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-playground/locales/de"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"
	de_translations "github.com/go-playground/validator/v10/translations/de"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/internal/golden"
	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemvalidator"
)

// items returns the "errors" member of a validation problem.
func items(t *testing.T, err error) problem.InputErrors {
	t.Helper()
	var p *problem.Problem
	require.ErrorAs(t, err, &p)
	require.Equal(t, 422, p.Status)
	list, ok := p.Extensions["errors"].(problem.InputErrors)
	require.True(t, ok, "errors is %T", p.Extensions["errors"])
	return list
}

func pointers(list problem.InputErrors) []string {
	var out []string
	for _, e := range list {
		if e.Parameter != "" {
			out = append(out, "param:"+e.Parameter)
		} else {
			out = append(out, e.Pointer)
		}
	}
	return out
}

type Profile struct {
	Color string `json:"color" validate:"oneof=green red blue"`
}

type Signup struct {
	Age     int     `json:"age" validate:"gt=0,lte=130"`
	Profile Profile `json:"profile"`
}

// TestRFCExample is the validation example of RFC 9457 §3, byte for byte.
func TestRFCExample(t *testing.T) {
	v := problemvalidator.New(nil)
	v.Type = problem.Type{URI: "https://example.net/validation-error", Title: "Your request is not valid.", Status: 422}
	err := v.Validate(&Signup{Age: 0, Profile: Profile{Color: "yellow"}})
	var p *problem.Problem
	require.ErrorAs(t, err, &p)
	body, err := p.AppendJSON(nil)
	require.NoError(t, err)
	golden.Assert(t, "rfc-example.json", body)
}

// TestTypeWithCode: a Type with an error code, such as a catalog's, keeps
// its code member beside "errors".
func TestTypeWithCode(t *testing.T) {
	v := problemvalidator.New(nil)
	v.Type = problem.Type{URI: "https://example.net/validation-error", Title: "Your request is not valid.", Status: 422, Code: "VAL.0001"}
	err := v.Validate(&Profile{Color: "yellow"})
	var p *problem.Problem
	require.ErrorAs(t, err, &p)
	body, err := p.AppendJSON(nil)
	require.NoError(t, err)
	assert.Equal(t, `{"type":"https://example.net/validation-error","title":"Your request is not valid.","status":422,"code":"VAL.0001",`+
		`"errors":[{"detail":"must be 'green', 'red' or 'blue'","pointer":"#/color","rule":"oneof","param":"green red blue"}]}`, string(body))
}

// TestErrorsMemberIsAnExtension: the "errors" member of a validation
// problem is Extensions["errors"], an InputErrors, which a mapper or an
// Enrich or OnError hook reads and edits there, and what it holds is sent.
func TestErrorsMemberIsAnExtension(t *testing.T) {
	type order struct {
		Name string `json:"name" validate:"required"`
	}
	v := problemvalidator.New(validator.New())
	p, ok := v.Problem(v.Validate(order{}))
	require.True(t, ok)
	list, ok := p.Extensions["errors"].(problem.InputErrors)
	require.True(t, ok, "errors is %T", p.Extensions["errors"])
	list[0].Detail = "a name, please"
	body, err := p.AppendJSON(nil)
	require.NoError(t, err)
	assert.Equal(t, `{"type":"about:blank","status":422,"errors":[{"detail":"a name, please","pointer":"#/name","rule":"required"}]}`, string(body))
}

type Address struct {
	City string `json:"city" validate:"required"`
}

type Base struct {
	ID string `json:"id" validate:"required"`
}

type Named struct {
	Base `json:"base_tagged"`
}

type Nested struct {
	Base                             // untagged: encoding/json flattens it
	Addresses []Address              `json:"addresses" validate:"dive"`
	Grid      [][]int                `json:"grid" validate:"dive,dive,min=1"`
	Tags      map[string]string      `json:"tags" validate:"dive,min=2"`
	Places    map[string]Address     `json:"m" validate:"dive"`
	Ptr       *Address               `json:"ptr"`
	Skip      string                 `json:"-" validate:"required"`
	Plain     string                 `validate:"required"`
	Named     Named                  `json:"named"`
	Deep      map[string][]Address   `json:"deep" validate:"dive,dive"`
	Any       map[string]interface{} `json:"any"`
}

func TestPointers(t *testing.T) {
	in := &Nested{
		Addresses: []Address{{City: "a"}, {City: "b"}, {}},
		Grid:      [][]int{{1, 1}, {1, 0}},
		Tags:      map[string]string{"a/b.c": "x", "m~n": "y", " ": "z", "c%d": "w"},
		Places:    map[string]Address{"x.y": {}},
		Ptr:       &Address{},
		Named:     Named{},
		Deep:      map[string][]Address{"k": {{City: "ok"}, {}}},
	}
	same := []string{
		"#/id",
		"#/addresses/2/city",
		"#/grid/1/1",
		"#/ptr/city",
		"#/Plain",
		"#/named/base_tagged/id",
		"", // Skip: json:"-" is not in the body; no pointer
	}
	for _, tc := range []struct {
		name         string
		exposeValues bool
		want         []string
	}{
		{"map keys withheld", false, []string{"#/tags/*", "#/tags/*", "#/tags/*", "#/tags/*", "#/m/*/city", "#/deep/*/1/city"}},
		{"map keys exposed", true, []string{"#/tags/a~1b.c", "#/tags/m~0n", "#/tags/%20", "#/tags/c%25d", "#/m/x.y/city", "#/deep/k/1/city"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := problemvalidator.New(nil)
			v.ExposeValues = tc.exposeValues
			got := pointers(items(t, v.Validate(in)))
			assert.ElementsMatch(t, append(tc.want, same...), got)
		})
	}
}

// TestMapKeysInDetails: a translation names the field as the validator
// does, with its map key; the key is withheld there as in the pointer.
func TestMapKeysInDetails(t *testing.T) {
	vv, trans := germanValidate(t)
	type tagged struct {
		Tags  map[string]string `json:"tags" validate:"dive,min=2"`
		Codes map[string]int    `json:"codes" validate:"dive,keys,min=3,endkeys"`
	}
	in := &tagged{Tags: map[string]string{"secret-key": "x"}, Codes: map[string]int{"pw": 1}}
	type item struct{ pointer, detail string }
	for _, tc := range []struct {
		name         string
		exposeValues bool
		want         []item
	}{
		{"withheld", false, []item{
			{"#/tags/*", "tags[*] muss mindestens 2 Zeichen lang sein"},
			{"#/codes/*", "codes[*] muss mindestens 3 Zeichen lang sein"},
		}},
		{"exposed", true, []item{
			{"#/tags/secret-key", "tags[secret-key] muss mindestens 2 Zeichen lang sein"},
			{"#/codes/pw", "codes[pw] muss mindestens 3 Zeichen lang sein"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := problemvalidator.New(vv)
			v.Translator = trans
			v.ExposeValues = tc.exposeValues
			var got []item
			for _, e := range items(t, v.Validate(in)) {
				got = append(got, item{e.Pointer, e.Detail})
			}
			assert.ElementsMatch(t, tc.want, got)
		})
	}
}

// TestPointerCacheKeepsModesApart: Validators with and without
// ExposeValues share the pointer cache; neither gets the other's pointers.
func TestPointerCacheKeepsModesApart(t *testing.T) {
	withheld, exposed := problemvalidator.New(nil), problemvalidator.New(nil)
	exposed.ExposeValues = true
	in := &Nested{Base: Base{ID: "x"}, Plain: "x", Skip: "x", Named: Named{Base{ID: "x"}}, Tags: map[string]string{"key": "x"}, Places: map[string]Address{"p": {}}}
	for range 3 {
		assert.ElementsMatch(t, []string{"#/tags/*", "#/m/*/city"}, pointers(items(t, withheld.Validate(in))))
		assert.ElementsMatch(t, []string{"#/tags/key", "#/m/p/city"}, pointers(items(t, exposed.Validate(in))))
	}
}

// TestCachedChecksKeepKindsApart: a field whose value is an interface fails
// the same rule with a message for the kind of value it holds, however
// often each was seen before, and Validate (which knows the type) and
// Problem (which does not) each give their own pointer.
func TestCachedChecksKeepKindsApart(t *testing.T) {
	type Loose struct {
		Size any `json:"size" validate:"min=3"`
	}
	v := problemvalidator.New(nil)
	for range 3 {
		for _, c := range []struct {
			name string
			in   Loose
			want string
		}{
			{"string", Loose{Size: "ab"}, "must be at least 3 characters long"},
			{"number", Loose{Size: 2}, "must be 3 or greater"},
			{"slice", Loose{Size: []int{1}}, "must hold at least 3 items"},
		} {
			t.Run(c.name, func(t *testing.T) {
				err := v.Validate(&c.in)
				list := items(t, err)
				require.Len(t, list, 1)
				assert.Equal(t, c.want, list[0].Detail)
				assert.Equal(t, "#/size", list[0].Pointer)
				p, ok := v.Problem(errors.Unwrap(err))
				require.True(t, ok)
				assert.Equal(t, c.want, p.Extensions["errors"].(problem.InputErrors)[0].Detail)
			})
		}
	}
}

// TestCachedChecksKeepFormsApart: checks of fields with the same struct
// namespace ("Form.Name", of types of the same name declared apart) that
// differ in anything that decides their item, the rule, its parameter,
// the json name or the validated type alone, each get their own item,
// whichever was seen first and however often, by Validate and, where it
// can tell them apart without the type, by Problem.
func TestCachedChecksKeepFormsApart(t *testing.T) {
	var forms []any
	{
		type Form struct {
			Name string `json:"name" validate:"min=3"`
		}
		forms = append(forms, &Form{Name: "ab"})
	}
	{
		type Form struct {
			Name string `json:"name" validate:"min=5"`
		}
		forms = append(forms, &Form{Name: "ab"})
	}
	{
		type Form struct {
			Name string `json:"name" validate:"len=3"`
		}
		forms = append(forms, &Form{Name: "ab"})
	}
	{
		type Form struct {
			Name string `json:"title" validate:"min=3"`
		}
		forms = append(forms, &Form{Name: "ab"})
	}
	{
		type Form struct {
			Name string `query:"q" validate:"min=3"`
		}
		forms = append(forms, &Form{Name: "ab"})
	}
	{
		type Form struct {
			Name string `validate:"min=3"`
		}
		forms = append(forms, &Form{Name: "ab"})
	}
	want := []problem.InputError{
		{Detail: "must be at least 3 characters long", Pointer: "#/name", Rule: "min", Param: "3"},
		{Detail: "must be at least 5 characters long", Pointer: "#/name", Rule: "min", Param: "5"},
		{Detail: "must be exactly 3 characters long", Pointer: "#/name", Rule: "len", Param: "3"},
		{Detail: "must be at least 3 characters long", Pointer: "#/title", Rule: "min", Param: "3"},
		{Detail: "must be at least 3 characters long", Parameter: "q", Rule: "min", Param: "3"},
		{Detail: "must be at least 3 characters long", Pointer: "#/Name", Rule: "min", Param: "3"},
	}
	// Without the type, the query parameter is a field named as in Go.
	wantProblem := slices.Clone(want)
	wantProblem[4] = want[5]
	v := problemvalidator.New(nil)
	for round := range 3 {
		for i := range forms {
			i := (i + round) % len(forms) // each seen first once
			err := v.Validate(forms[i])
			got := items(t, err)
			require.Len(t, got, 1)
			assert.Equal(t, want[i], got[0], "Validate, form %d", i)
			p, ok := v.Problem(errors.Unwrap(err))
			require.True(t, ok)
			got = p.Extensions["errors"].(problem.InputErrors)
			require.Len(t, got, 1)
			assert.Equal(t, wantProblem[i], got[0], "Problem, form %d", i)
		}
	}
}

// TestCachedItemsAreCopies: the items of a check seen before are made from
// what is kept of it, and what is kept is the English item alone: a
// Validator with a Translator and one without share it and each gets its
// own details, whichever ran first; each problem gets the values of its
// own input; and a handler that edits its problem's items changes neither
// what is kept nor the next problem's.
func TestCachedItemsAreCopies(t *testing.T) {
	type Once struct {
		Age int `json:"age" validate:"gte=18"`
	}
	type Twice struct { // seen by the Translator first
		Age int `json:"age" validate:"gte=18"`
	}
	vv, trans := germanValidate(t)
	translated := problemvalidator.New(vv)
	translated.Translator = trans
	plain := problemvalidator.New(nil)
	exposed := problemvalidator.New(nil)
	exposed.ExposeValues = true

	for range 2 {
		got := items(t, translated.Validate(&Twice{Age: 7}))
		require.Len(t, got, 1)
		assert.Equal(t, "age muss 18 oder größer sein", got[0].Detail)
		got = items(t, plain.Validate(&Twice{Age: 7}))
		require.Len(t, got, 1)
		assert.Equal(t, "must be 18 or greater", got[0].Detail)
	}
	for i := range 3 {
		got := items(t, plain.Validate(&Once{Age: 7}))
		require.Len(t, got, 1)
		assert.Equal(t, problem.InputError{Detail: "must be 18 or greater", Pointer: "#/age", Rule: "gte", Param: "18"}, got[0])
		got[0].Detail, got[0].Pointer = "edited", "#/edited"

		got = items(t, translated.Validate(&Once{Age: 7}))
		require.Len(t, got, 1)
		assert.Equal(t, problem.InputError{Detail: "age muss 18 oder größer sein", Pointer: "#/age", Rule: "gte", Param: "18"}, got[0])

		got = items(t, exposed.Validate(&Once{Age: i}))
		require.Len(t, got, 1)
		assert.Equal(t, problem.InputError{Detail: "must be 18 or greater", Pointer: "#/age", Rule: "gte", Param: "18", Value: i}, got[0])
	}
}

func TestAnonymousRootAndVar(t *testing.T) {
	v := problemvalidator.New(nil)
	anon := struct {
		A string `json:"a" validate:"required"`
	}{}
	assert.Equal(t, []string{"#/a"}, pointers(items(t, v.Validate(&anon))))

	varErr := validator.New().Var("", "required")
	p, ok := problemvalidator.Problem(varErr)
	require.True(t, ok)
	assert.Equal(t, "#", p.Extensions["errors"].(problem.InputErrors)[0].Pointer, "a Var error concerns the whole value")
}

// TestPointersFromNamespace covers Problem(err), which has no value to walk:
// it reads the namespace, and is exact for the usual shapes.
func TestPointersFromNamespace(t *testing.T) {
	vv := validator.New()
	v := problemvalidator.New(vv)
	err := vv.Struct(&Nested{
		Base:      Base{ID: "x"},
		Plain:     "x",
		Skip:      "x",
		Named:     Named{Base{ID: "x"}},
		Addresses: []Address{{}},
		Tags:      map[string]string{"a/b": "x"},
		Places:    map[string]Address{"x.y": {}},
	})
	p, ok := v.Problem(err)
	require.True(t, ok)
	assert.ElementsMatch(t, []string{"#/addresses/0/city", "#/tags/*", "#/m/*/city"}, pointers(p.Extensions["errors"].(problem.InputErrors)),
		"map keys withheld, indices kept")
	v.ExposeValues = true
	p, ok = v.Problem(err)
	require.True(t, ok)
	assert.ElementsMatch(t, []string{"#/addresses/0/city", "#/tags/a~1b", "#/m/x.y/city"}, pointers(p.Extensions["errors"].(problem.InputErrors)))
	v.ExposeValues = false

	// Without the types, a key of digits looks like an index, and is kept.
	p, ok = v.Problem(vv.Struct(&Nested{Base: Base{ID: "x"}, Plain: "x", Skip: "x", Named: Named{Base{ID: "x"}}, Places: map[string]Address{"7": {}}}))
	require.True(t, ok)
	assert.Equal(t, []string{"#/m/7/city"}, pointers(p.Extensions["errors"].(problem.InputErrors)))

	// Through a mapper, as middleware uses it.
	mapped := problem.Resolve(fmt.Errorf("create: %w", err), v.Mapper())
	assert.Equal(t, 422, mapped.Status)
	var fails validator.ValidationErrors
	assert.ErrorAs(t, mapped, &fails, "the validation errors stay the cause")
}

type Search struct {
	Limit  int      `query:"limit" validate:"max=100"`
	ID     string   `param:"id" validate:"uuid"`
	Name   string   `form:"name" validate:"required"`
	Filter string   `json:"filter" query:"filter" validate:"max=3"`
	Page   int      `json:"-" query:"page" validate:"gte=1"`
	Sort   []string `query:"sort" validate:"dive,oneof=name date"`
}

// TestParameters: a top-level field bound from a parameter, and each
// value of a parameter given more than once (?sort=a&sort=b, bound to a
// slice), is named as the parameter, unless the body names it.
func TestParameters(t *testing.T) {
	v := problemvalidator.New(nil)
	got := items(t, v.Validate(&Search{Limit: 500, ID: "x", Filter: "long", Sort: []string{"name", "size"}}))
	assert.ElementsMatch(t, []string{"param:limit", "param:id", "param:name", "#/filter", "param:page", "param:sort"}, pointers(got),
		"json:\"-\" with a parameter tag is a parameter; a json name wins over a parameter tag")
}

type Everything struct {
	Name     string            `json:"name" validate:"required,min=3,max=10"`
	Short    string            `json:"short" validate:"len=1"`
	Age      int               `json:"age" validate:"gte=18,lte=130"`
	Score    float64           `json:"score" validate:"gt=0,lt=1"`
	Email    string            `json:"email" validate:"email"`
	Site     string            `json:"site" validate:"url"`
	ID       string            `json:"id" validate:"uuid"`
	Color    string            `json:"color" validate:"oneof=green red 'light blue'"`
	Tags     []string          `json:"tags" validate:"min=2"`
	Meta     map[string]string `json:"meta" validate:"max=1"`
	When     time.Time         `json:"when" validate:"gt"`
	Code     string            `json:"code" validate:"startswith=ab"`
	Password string            `json:"password" validate:"required"`
	Confirm  string            `json:"confirm" validate:"eqfield=Password"`
	Weird    string            `json:"weird" validate:"mac"`
	Pin      string            `json:"pin" validate:"numeric"`
}

func TestMessages(t *testing.T) {
	v := problemvalidator.New(nil)
	got := items(t, v.Validate(&Everything{
		Short: "ab", Age: 7, Score: 2, Email: "nope", Site: "::", ID: "1", Color: "yellow",
		Tags: []string{"x"}, Meta: map[string]string{"a": "1", "b": "2"}, When: time.Unix(0, 0),
		Code: "zz", Password: "secret", Confirm: "other", Weird: "x", Pin: "12a",
	}))
	byPointer := map[string]problem.InputError{}
	for _, e := range got {
		byPointer[e.Pointer] = e
	}
	for pointer, want := range map[string]struct{ detail, rule, param string }{
		"#/name":    {"is required", "required", ""},
		"#/short":   {"must be exactly 1 character long", "len", "1"},
		"#/age":     {"must be 18 or greater", "gte", "18"},
		"#/score":   {"must be less than 1", "lt", "1"},
		"#/email":   {"must be an email address", "email", ""},
		"#/site":    {"must be a URL", "url", ""},
		"#/id":      {"must be a UUID", "uuid", ""},
		"#/color":   {"must be 'green', 'red' or 'light blue'", "oneof", "green red 'light blue'"},
		"#/tags":    {"must hold at least 2 items", "min", "2"},
		"#/meta":    {"must hold at most 1 item", "max", "1"},
		"#/when":    {"must be after now", "gt", ""},
		"#/code":    {"must start with 'ab'", "startswith", "ab"},
		"#/confirm": {"must equal Password", "eqfield", "Password"},
		"#/weird":   {"must be a MAC address", "mac", ""},
		"#/pin":     {"must be a number", "numeric", ""},
	} {
		e, ok := byPointer[pointer]
		if assert.True(t, ok, "no error for %s; got %v", pointer, pointers(got)) {
			assert.Equal(t, want.detail, e.Detail, pointer)
			assert.Equal(t, want.rule, e.Rule, pointer)
			assert.Equal(t, want.param, e.Param, pointer)
			assert.Nil(t, e.Value, "values are not echoed by default")
		}
	}

	min := items(t, v.Validate(&Everything{Name: "ab", Short: "a", Age: 18, Score: 0.5, Email: "a@b.c", Site: "https://x", ID: "6ba7b810-9dad-11d1-80b4-00c04fd430c8", Color: "red", Tags: []string{"a", "b"}, When: time.Now().Add(time.Hour), Code: "abc", Password: "p", Confirm: "p", Weird: "00:00:5e:00:53:01", Pin: "1"}))
	require.Len(t, min, 1)
	assert.Equal(t, "must be at least 3 characters long", min[0].Detail)
}

// day is a type of the user's that converts to time.Time: the validator
// compares it as a time.
type day time.Time

// TestSizeRulesOnTimes: a size rule on a time, or on a type that converts
// to time.Time, is phrased as a comparison of times: the kind of value,
// a struct, decides it.
func TestSizeRulesOnTimes(t *testing.T) {
	type Booking struct {
		From time.Time `json:"from" validate:"gt"`
		To   day       `json:"to" validate:"lte"`
	}
	v := problemvalidator.New(nil)
	got := items(t, v.Validate(&Booking{From: time.Unix(0, 0), To: day(time.Now().Add(time.Hour))}))
	require.Len(t, got, 2)
	assert.Equal(t, "must be after now", got[0].Detail)
	assert.Equal(t, "must be now or earlier", got[1].Detail)
}

// germanValidate returns a validate with validator's German translations
// registered, and their translator.
func germanValidate(t *testing.T) (*validator.Validate, ut.Translator) {
	t.Helper()
	german := de.New()
	trans, ok := ut.New(german, german).GetTranslator("de")
	require.True(t, ok)
	vv := validator.New()
	require.NoError(t, de_translations.RegisterDefaultTranslations(vv, trans))
	return vv, trans
}

func TestExposeValues(t *testing.T) {
	v := problemvalidator.New(nil)
	v.ExposeValues = true
	got := items(t, v.Validate(&Signup{Age: 200, Profile: Profile{Color: "red"}}))
	require.Len(t, got, 1)
	assert.Equal(t, 200, got[0].Value)
}

func TestTranslator(t *testing.T) {
	vv, trans := germanValidate(t)
	require.NoError(t, vv.RegisterValidation("is_awesome", func(fl validator.FieldLevel) bool { return false }))
	v := problemvalidator.New(vv)
	v.Translator = trans

	got := items(t, v.Validate(&Everything{}))
	byPointer := map[string]string{}
	for _, e := range got {
		byPointer[e.Pointer] = e.Detail
	}
	assert.Equal(t, "name ist ein Pflichtfeld", byPointer["#/name"])
	assert.Equal(t, "age muss 18 oder größer sein", byPointer["#/age"])

	type custom struct {
		Mood string `json:"mood" validate:"is_awesome"`
	}
	got = items(t, v.Validate(&custom{}))
	require.Len(t, got, 1)
	assert.Equal(t, "must pass the is_awesome check", got[0].Detail, "no translation: the English message, not the validator's own text")
}

func TestInvalidValidationIsA500(t *testing.T) {
	v := problemvalidator.New(nil)
	for _, in := range []any{nil, (*Signup)(nil), 5} {
		err := v.Validate(in)
		var p *problem.Problem
		require.ErrorAs(t, err, &p, "%#v", in)
		assert.Equal(t, 500, p.Status)
		var invalid *validator.InvalidValidationError
		assert.ErrorAs(t, err, &invalid, "the cause is kept for the log")
	}
	assert.NoError(t, v.Validate(&Signup{Age: 1, Profile: Profile{Color: "red"}}))

	p, ok := problemvalidator.Problem(errors.New("not a validation error"))
	assert.False(t, ok)
	assert.Nil(t, p)
}

func TestValidateReturnsUntypedNil(t *testing.T) {
	v := problemvalidator.New(nil)
	var err error = v.Validate(&Signup{Age: 1, Profile: Profile{Color: "red"}})
	assert.True(t, err == nil, "a nil error, not a typed nil")
}

// TestThroughResponder writes a validation problem as a client sees it.
func TestThroughResponder(t *testing.T) {
	v := problemvalidator.New(nil)
	err := v.Validate(&Signup{Age: -1, Profile: Profile{Color: "yellow"}})
	rec := httptest.NewRecorder()
	require.NoError(t, (&problem.Responder{}).Respond(rec, httptest.NewRequest("POST", "/signup", nil), problem.Resolve(err)))
	assert.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	assert.Equal(t, `{"type":"about:blank","title":"Unprocessable Content","status":422,"errors":[{"detail":"must be greater than 0","pointer":"#/age","rule":"gt","param":"0"},{"detail":"must be 'green', 'red' or 'blue'","pointer":"#/profile/color","rule":"oneof","param":"green red blue"}]}`, rec.Body.String())
	assert.False(t, strings.Contains(rec.Body.String(), "yellow"), "the rejected value is not echoed")
}

func TestTypeWithoutStatus(t *testing.T) {
	v := problemvalidator.New(nil)
	v.Type = problem.Type{URI: "https://example.com/probs/invalid", Title: "Invalid input."}
	err := v.Validate(&Signup{Age: -1, Profile: Profile{Color: "red"}})
	var p *problem.Problem
	require.ErrorAs(t, err, &p)
	assert.Equal(t, 422, p.Status, "a type without a status is sent with 422")
	assert.Equal(t, "https://example.com/probs/invalid", p.Type)
}

func TestDashCommaNamesAField(t *testing.T) {
	type dash struct {
		//lint:ignore SA5008 "-," is the tag under test: encoding/json names the field "-"
		D string `json:"-," validate:"required"`
	}
	v := problemvalidator.New(nil)
	got := items(t, v.Validate(&dash{}))
	require.Len(t, got, 1)
	assert.Equal(t, "#/-", got[0].Pointer, `json:"-," names the field "-" in encoding/json`)
}

func TestProblemOfASelfWrappingError(t *testing.T) {
	p, ok := problemvalidator.Problem(&testkit.SelfWrap{})
	assert.False(t, ok)
	assert.Nil(t, p)
}

// TestTypeCodeIsKept: a Type of a catalog's error code keeps its code
// member beside the errors.
func TestTypeCodeIsKept(t *testing.T) {
	v := problemvalidator.New(nil)
	v.Type = problem.Type{URI: "https://example.com/errors/E.0422", Title: "Invalid input.", Status: 422, Code: "E.0422"}
	err := v.Validate(&Signup{Age: -1, Profile: Profile{Color: "red"}})
	var p *problem.Problem
	require.ErrorAs(t, err, &p)
	body, err := p.AppendJSON(nil)
	require.NoError(t, err)
	assert.Equal(t, `{"type":"https://example.com/errors/E.0422","title":"Invalid input.","status":422,"code":"E.0422","errors":[{"detail":"must be greater than 0","pointer":"#/age","rule":"gt","param":"0"}]}`, string(body))
}

// TestInvalidJSONNamesAreGoNames: encoding/json ignores a json tag name it
// does not accept (one holding a quote, a backslash or another character
// outside letters, digits and its punctuation) and names the field as in
// Go, keeping the tag's options; an embedded struct so tagged is
// flattened. Pointers and messages name such fields as it does, by
// Validate and by Problem alike.
func TestInvalidJSONNamesAreGoNames(t *testing.T) {
	type Inner struct {
		ID string `json:"id" validate:"required"`
	}
	// The tags are malformed on purpose: they are what is tested.
	type Odd struct {
		//lint:ignore SA5008 a json name encoding/json refuses, on purpose
		Quote string `json:"it's" validate:"required"`
		//lint:ignore SA5008 a json name encoding/json refuses, on purpose
		Backslash string `json:"a\\b,omitempty" validate:"required"`
		//lint:ignore SA5008 a json name encoding/json refuses, on purpose
		DQuote string `json:"a\"b" validate:"required"`
		Fine   string `json:"été x/~!#$%&()*+-.:;<=>?@[]^_{|}" validate:"required"`
		//lint:ignore SA5008 a json name encoding/json refuses, on purpose
		Inner `json:"in'ner"`
	}
	want := []string{"#/Quote", "#/Backslash", "#/DQuote", "#/%C3%A9t%C3%A9%20x~1~0!%23$%25&()*+-.:;%3C=%3E?@%5B%5D%5E_%7B%7C%7D", "#/id"}
	v := problemvalidator.New(nil)
	err := v.Validate(&Odd{})
	assert.Equal(t, want, pointers(items(t, err)), "Validate")
	p, ok := v.Problem(errors.Unwrap(err))
	require.True(t, ok)
	got := pointers(p.Extensions["errors"].(problem.InputErrors))
	assert.Equal(t, want[:3], got[:3], "Problem (which reads names with \".\" or \"[\" as more than one, as documented)")

	vv, trans := germanValidate(t)
	tv := problemvalidator.New(vv)
	tv.Translator = trans
	assert.Equal(t, "Quote ist ein Pflichtfeld", items(t, tv.Validate(&Odd{}))[0].Detail, "the message names the field as the body does")
}

// TestItemsAreAsManyAsFailures: the "errors" array has an item for each
// failure validator reports, however many the input makes, and a size
// rule before dive bounds them, as the package docs advise: validator
// stops at it without diving.
func TestItemsAreAsManyAsFailures(t *testing.T) {
	type Unbounded struct {
		Tags map[string]string `json:"tags" validate:"dive,min=3"`
	}
	type Bounded struct {
		Tags map[string]string `json:"tags" validate:"max=100,dive,min=3"`
		List []string          `json:"list" validate:"max=100,dive,min=3"`
	}
	tags := make(map[string]string, 10_000)
	for i := range 10_000 {
		tags[strconv.Itoa(i)+"k"] = "x"
	}
	v := problemvalidator.New(nil)
	got := items(t, v.Validate(&Unbounded{Tags: tags}))
	assert.Len(t, got, 10_000)
	assert.Equal(t, problem.InputError{Detail: "must be at least 3 characters long", Pointer: "#/tags/*", Rule: "min", Param: "3"}, got[9_999])

	got = items(t, v.Validate(&Bounded{Tags: tags, List: make([]string, 10_000)}))
	assert.Equal(t, []string{"#/tags", "#/list"}, pointers(got))
}

// TestExposedValuesThatJSONCannotHold: a rejected value JSON cannot hold,
// such as the NaN or infinity a query parameter binds to a float, or a
// value of a type encoding/json refuses, is left out of its item ("value"),
// and the other items and their values are sent as ever; without this,
// the whole "errors" member was dropped.
func TestExposedValuesThatJSONCannotHold(t *testing.T) {
	type Query struct {
		Limit  float64   `query:"limit" validate:"gte=0"`
		Scores []float32 `json:"scores" validate:"dive,lte=1"`
		Name   string    `json:"name" validate:"min=3"`
		Hook   func()    `json:"-" validate:"required"`
	}
	v := problemvalidator.New(nil)
	v.ExposeValues = true
	in := &Query{Limit: math.NaN(), Scores: []float32{float32(math.Inf(1)), 2}, Name: "ab"}
	rec := httptest.NewRecorder()
	err := (&problem.Responder{}).Respond(rec, httptest.NewRequest("GET", "/search", nil), problem.Resolve(v.Validate(in)))
	assert.NoError(t, err)
	assert.Equal(t, `{"type":"about:blank","title":"Unprocessable Content","status":422,"errors":[`+
		`{"detail":"must be 0 or greater","parameter":"limit","rule":"gte","param":"0"},`+
		`{"detail":"must be 1 or less","pointer":"#/scores/0","rule":"lte","param":"1"},`+
		`{"detail":"must be 1 or less","pointer":"#/scores/1","rule":"lte","param":"1","value":2},`+
		`{"detail":"must be at least 3 characters long","pointer":"#/name","rule":"min","param":"3","value":"ab"},`+
		`{"detail":"is required","rule":"required"}]}`, rec.Body.String())
}
