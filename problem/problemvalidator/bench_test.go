package problemvalidator_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/go-playground/locales/zh"
	"github.com/go-playground/validator/v10"
	zh_translations "github.com/go-playground/validator/v10/translations/zh"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemvalidator"
)

// Forms with 1, 3 and 10 fields that fail, one rule each.
type (
	form1 struct {
		Name string `json:"name" validate:"min=3"`
	}
	form3 struct {
		Name  string `json:"name" validate:"required,min=3"`
		Email string `json:"email" validate:"required,email"`
		Age   int    `json:"age" validate:"gte=18"`
	}
	form10 struct {
		Name    string   `json:"name" validate:"required,min=3"`
		Email   string   `json:"email" validate:"required,email"`
		Age     int      `json:"age" validate:"gte=18"`
		City    string   `json:"city" validate:"required"`
		Zip     string   `json:"zip" validate:"len=5"`
		Country string   `json:"country" validate:"iso3166_1_alpha2"`
		Phone   string   `json:"phone" validate:"e164"`
		Color   string   `json:"color" validate:"oneof=green red blue"`
		Tags    []string `json:"tags" validate:"min=1"`
		Score   int      `json:"score" validate:"lte=100"`
	}
)

// The items each form's failures give, in order.
var benchItems = []string{
	`{"detail":"must be at least 3 characters long","pointer":"#/name","rule":"min","param":"3"}`,
	`{"detail":"must be an email address","pointer":"#/email","rule":"email"}`,
	`{"detail":"must be 18 or greater","pointer":"#/age","rule":"gte","param":"18"}`,
	`{"detail":"is required","pointer":"#/city","rule":"required"}`,
	`{"detail":"must be exactly 5 characters long","pointer":"#/zip","rule":"len","param":"5"}`,
	`{"detail":"must be a two-letter country code","pointer":"#/country","rule":"iso3166_1_alpha2"}`,
	`{"detail":"must be a phone number in E.164 format, such as +14155552671","pointer":"#/phone","rule":"e164"}`,
	`{"detail":"must be 'green', 'red' or 'blue'","pointer":"#/color","rule":"oneof","param":"green red blue"}`,
	`{"detail":"must hold at least 1 item","pointer":"#/tags","rule":"min","param":"1"}`,
	`{"detail":"must be 100 or less","pointer":"#/score","rule":"lte","param":"100"}`,
}

// Header values the floor-assign rows assign: one slice each, shared by
// every response, which Set, Add and Del never write into.
var (
	problemJSON = []string{"application/problem+json"}
	nosniff     = []string{"nosniff"}
	noStore     = []string{"no-store"}
	varyAccept  = []string{"Accept"}
)

// BenchmarkValidate is a request whose input fails validation, end to end
// on net/http: every row calls validate.Struct on the input, as the
// request would. The floor is a handler that does so and, on failure,
// writes the prebuilt problem with the same headers (set with Header.Set,
// as a careful hand-written handler does; bare, not behind Wrap, since
// Wrap is part of what the other rows cost); "floor-assign" assigns
// prebuilt header values instead, which allocates nothing, and bounds
// what any writer could reach. "Validate" returns
// Validator.Validate's problem from a Handle handler (pointers from the
// types), "Mapper" returns Struct's error and lets the Mapper make the
// problem (pointers from the namespaces). The sub-benchmarks per number of
// failed fields show whether the cost grows linearly.
func BenchmarkValidate(b *testing.B) {
	validate := validator.New()
	v := problemvalidator.New(validate) // fields named as in JSON
	m := middleware.New(&middleware.Options{
		Logger:   slog.New(slog.DiscardHandler),
		Instance: func(*http.Request) string { return "" },
		Mappers:  []problem.Mapper{v.Mapper()},
	})
	r := httptest.NewRequest("POST", "/signup", nil)
	for _, bench := range []struct {
		fields int
		in     any
	}{
		{1, &form1{Name: "ab"}},
		{3, &form3{Name: "ab", Email: "nope", Age: 7}},
		{10, &form10{Name: "ab", Email: "nope", Age: 7, Zip: "123", Country: "xx", Phone: "123", Color: "yellow", Score: 101}},
	} {
		name := "fields=" + strconv.Itoa(bench.fields)
		body := []byte(`{"type":"about:blank","title":"Unprocessable Content","status":422,"errors":[` +
			strings.Join(benchItems[:bench.fields], ",") + `]}`)
		floor := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if err := validate.Struct(bench.in); err != nil {
				h := w.Header()
				h.Set("Content-Type", "application/problem+json")
				h.Set("X-Content-Type-Options", "nosniff")
				h.Set("Cache-Control", "no-store")
				h.Add("Vary", "Accept")
				w.WriteHeader(http.StatusUnprocessableEntity)
				_, _ = w.Write(body)
			}
		})
		floorAssign := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if err := validate.Struct(bench.in); err != nil {
				h := w.Header()
				h["Content-Type"] = problemJSON
				h["X-Content-Type-Options"] = nosniff
				h["Cache-Control"] = noStore
				h["Vary"] = varyAccept
				w.WriteHeader(http.StatusUnprocessableEntity)
				_, _ = w.Write(body)
			}
		})
		rows := []testkit.Row{
			{Name: "floor", H: floor},
			{Name: "floor-assign", H: floorAssign},
			{Name: "Validate", H: m.Handle(func(w http.ResponseWriter, r *http.Request) error { return v.Validate(bench.in) })},
			{Name: "Mapper", H: m.Handle(func(w http.ResponseWriter, r *http.Request) error { return validate.Struct(bench.in) })},
		}
		testkit.RequireSameResponse(b, r, rows...)
		for _, row := range rows {
			b.Run(name+"/"+row.Name, func(b *testing.B) {
				w := testkit.NewBenchWriter()
				b.ReportAllocs()
				for b.Loop() {
					w.Reset()
					row.H.ServeHTTP(w, r)
				}
			})
		}
	}
}

// BenchmarkProblem is problemvalidator's own share of a failed validation:
// the problem made from errors Struct returned once, by Validate's path
// (with the validated type) and by the Mapper's (without).
func BenchmarkProblem(b *testing.B) {
	validate := validator.New()
	v := problemvalidator.New(validate)
	for _, bench := range []struct {
		fields int
		in     any
	}{
		{1, &form1{Name: "ab"}},
		{3, &form3{Name: "ab", Email: "nope", Age: 7}},
		{10, &form10{Name: "ab", Email: "nope", Age: 7, Zip: "123", Country: "xx", Phone: "123", Color: "yellow", Score: 101}},
	} {
		fails := validate.Struct(bench.in)
		mapper := v.Mapper()
		if p := mapper(fails); p == nil || len(p.Extensions["errors"].(problem.InputErrors)) != bench.fields {
			b.Fatalf("%d fields: the problem is %v", bench.fields, p)
		}
		b.Run("fields="+strconv.Itoa(bench.fields), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = mapper(fails)
			}
		})
	}
}

// BenchmarkValidateLanguage is a failed validation of three fields behind
// a catalog in English and Chinese: "plain" is a Validator without
// translations, "en" one with the validator's Chinese translations asked
// for English (its details stay as made), "zh" the same asked for Chinese
// (each detail translated as the response is written).
func BenchmarkValidateLanguage(b *testing.B) {
	cat, err := catalog.Default().WithTranslation(strings.NewReader(`{"language":"zh","statuses":[{"code":422,"phrase":"无法处理的内容"}]}`))
	if err != nil {
		b.Fatal(err)
	}
	m := middleware.New(&middleware.Options{
		Catalog:  cat,
		Logger:   slog.New(slog.DiscardHandler),
		Instance: func(*http.Request) string { return "" },
	})
	plain := problemvalidator.New(nil)
	translated := problemvalidator.New(nil)
	if err := translated.AddTranslation(zh.New(), zh_translations.RegisterDefaultTranslations); err != nil {
		b.Fatal(err)
	}
	in := &form3{Name: "ab", Email: "nope", Age: 7}
	for _, bench := range []struct {
		name, lang string
		v          *problemvalidator.Validator
	}{
		{"plain", "en", plain},
		{"en", "en", translated},
		{"zh", "zh", translated},
	} {
		h := m.Handle(func(w http.ResponseWriter, r *http.Request) error { return bench.v.Validate(in) })
		r := httptest.NewRequest("POST", "/signup", nil)
		r.Header.Set("Accept-Language", bench.lang)
		b.Run(bench.name, func(b *testing.B) {
			w := testkit.NewBenchWriter()
			b.ReportAllocs()
			for b.Loop() {
				w.Reset()
				h.ServeHTTP(w, r)
			}
		})
	}
}
