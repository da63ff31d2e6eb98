// Package problemvalidator reports go-playground/validator
// (github.com/go-playground/validator/v10) failures as RFC 9457 problems:
// a 422 Unprocessable Content with an "errors" array that names each field
// that failed, with a readable detail, a JSON Pointer into the request body
// and the rule that failed.
//
//	v := problemvalidator.New(nil)
//	e.Validator = v // Echo: c.Validate(&req) now returns a 422 problem
//
//	if err := v.Validate(&req); err != nil { // anywhere else
//		return err
//	}
//
// gives
//
//	{"type":"about:blank","title":"Unprocessable Content","status":422,
//	 "errors":[{"detail":"must be at least 3 characters long","pointer":"#/name","rule":"min","param":"3"}]}
//
// The details are in English. A service whose catalog has other languages
// (see catalog.Catalog.WithTranslation) adds the validator's translations
// of them ([Validator.AddTranslation]), and each response gives the
// details in the language negotiated on Accept-Language:
//
//	v.AddTranslation(zh.New(), zh_translations.RegisterDefaultTranslations)
//
// gives, for Accept-Language: zh,
//
//	"errors":[{"detail":"name长度必须至少为3个字符","pointer":"#/name","rule":"min","param":"3"}]
//
// The "errors" array has an item for each failure validator reports, as
// many as the input makes: a map of 100,000 entries that each fail gives
// 100,000 items, some 90 bytes each in the body. Bound what a client can
// send with the rules, a size rule before dive ("max=100,dive,min=3"),
// at which validator stops without diving, and with a limit on the
// request body.
package problemvalidator

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"unicode"

	"github.com/go-playground/locales"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"
	"golang.org/x/text/language"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/errs"
	"github.com/problemkit/problemkit/problem"
)

// Validator validates values with a validator.Validate and turns its
// failures into problems. Set its fields before first use; after that it is
// safe for concurrent use.
type Validator struct {
	// Type is the problem type of validation failures. Default: status 422
	// and type about:blank, so the title is the catalog's phrase for 422
	// ("Unprocessable Content"; a Title without a URI is not sent). Give it
	// a URI of your own when your docs describe the "errors" member
	// (RFC 9457 §4); a Type without a status is sent with 422.
	Type problem.Type

	// Translator, if set, writes each item's detail with the validator's
	// translations in the translator's language (see
	// github.com/go-playground/validator/v10/translations); a rule without
	// a translation, such as a custom tag, keeps its English message.
	// These are the details of every response, whatever the client asks
	// for, but where a language negotiated has a translation added with
	// AddTranslation. Default: nil, the built-in English messages.
	Translator ut.Translator

	// ExposeValues adds each rejected value to its item as "value" (but
	// one JSON cannot hold, such as NaN, which is left out), and
	// keeps map keys in pointers and translated details (but those
	// KeyToken describes). It echoes input
	// back to the client, and input can be a password or a token.
	// Default: false: a map key is [KeyToken] ("#/tags/*").
	ExposeValues bool

	validate  *validator.Validate
	languages []translation    // see AddTranslation
	matcher   language.Matcher // of languages' tags; nil without any
}

// translation is a language the Validator's messages are written in, with
// the translator that writes them.
type translation struct {
	tag   language.Tag
	trans ut.Translator
}

// AddTranslation adds a language to the Validator's messages: that of
// locale (github.com/go-playground/locales/zh, .../de, ...), whose
// translations register registers on the Validator's validator.Validate
// (RegisterDefaultTranslations of
// github.com/go-playground/validator/v10/translations/zh, .../de, ...).
// The translator is made here, once.
//
// A validation problem's items are made in English (or in Translator's
// language), and stay so where no language is negotiated. When
// problem.Responder (and so the middleware) negotiates a language on
// Accept-Language, among the languages of its catalog, it writes each
// item's detail in that language where a translation added here has it,
// or in the one it falls back to, as the catalog's language is negotiated
// (catalog.MatchLanguage: de-CH to de, zh-Hant to zh); otherwise, and for a
// rule the translation lacks, the detail stays as made. An item whose
// detail, pointer or rule the handler changed stays as written, and so
// does the problem's own detail. Map keys are withheld from translated
// details as from pointers, unless ExposeValues is on.
//
//	v := problemvalidator.New(nil)
//	if err := v.AddTranslation(zh.New(), zh_translations.RegisterDefaultTranslations); err != nil {
//		log.Fatal(err)
//	}
//
// The problems of a Validator with translations keep the validation
// errors in a cause that wraps them: errors.As finds them as before.
//
// Call it before first use, as the Validator's fields are set. It returns
// an error when locale names no language, when the Validator has the
// language already, and when register fails.
func (v *Validator) AddTranslation(locale locales.Translator, register func(*validator.Validate, ut.Translator) error) error {
	name := locale.Locale()
	tag, err := language.Parse(name)
	if err != nil || tag == language.Und {
		return fmt.Errorf("problemvalidator: locale %q names no language", name)
	}
	for _, l := range v.languages {
		if l.tag == tag {
			return fmt.Errorf("problemvalidator: the Validator has language %q already", tag)
		}
	}
	trans, _ := ut.New(locale, locale).GetTranslator(name)
	if err := register(v.validate, trans); err != nil {
		return fmt.Errorf("problemvalidator: registering the translations of %q: %w", tag, err)
	}
	v.languages = append(v.languages, translation{tag, trans})
	tags := make([]language.Tag, len(v.languages))
	for i, l := range v.languages {
		tags[i] = l.tag
	}
	v.matcher = language.NewMatcher(tags)
	return nil
}

// translator returns the translator of the language tag falls back to
// among the Validator's (see catalog.MatchLanguage: as the catalog's
// language is negotiated, so de-CH gets de and zh-Hant zh), or nil.
func (v *Validator) translator(tag language.Tag) ut.Translator {
	if i, ok := catalog.MatchLanguage(v.matcher, tag); ok {
		return v.languages[i].trans
	}
	return nil
}

// New returns a Validator that validates with v, or with a new
// validator.Validate when v is nil. It registers on v a tag name function
// that names fields as encoding/json does, so that messages and namespaces
// use the names clients send.
func New(v *validator.Validate) *Validator {
	if v == nil {
		v = validator.New(validator.WithRequiredStructEnabled())
	}
	v.RegisterTagNameFunc(jsonName)
	return &Validator{Type: problem.Type{Status: http.StatusUnprocessableEntity}, validate: v}
}

// jsonName names a struct field as encoding/json does: its json tag name,
// else its Go name. A field tagged "-" is not in JSON; it keeps its Go name
// for messages. ("-," names a field "-".)
func jsonName(f reflect.StructField) string {
	if name, tagged := jsonTagName(f); tagged {
		return name
	}
	return f.Name
}

// jsonTagName returns the name a field's json tag gives it, as
// encoding/json reads the tag: false when there is none, when the tag is
// "-", and when encoding/json does not accept the name (see
// validJSONName), so that the field keeps its Go name (and an embedded
// struct is flattened).
func jsonTagName(f reflect.StructField) (string, bool) {
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", false
	}
	name, _, _ := strings.Cut(tag, ",")
	return name, validJSONName(name)
}

// validJSONName reports whether encoding/json takes name, a json tag's
// name, as the field's name: it is not empty and holds only letters,
// digits and the punctuation encoding/json allows (isValidTag there).
func validJSONName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		if !strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c) && !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			return false
		}
	}
	return true
}

// Validate validates the struct i (or pointer to one), so that the Validator
// satisfies echo.Validator. It returns nil, a 422 *problem.Problem naming
// each field that failed, or for a value the validator cannot validate (nil,
// not a struct) a 500 problem: that is a programming error.
func (v *Validator) Validate(i any) error {
	err := v.validate.Struct(i)
	if err == nil {
		return nil
	}
	if p := v.problem(err, reflect.TypeOf(i)); p != nil {
		return p
	}
	return err
}

// Problem returns the problem for a validation error from the Validator's
// validator: a 422 for validator.ValidationErrors, a 500 for
// *validator.InvalidValidationError, and false for other errors.
//
// Without the validated value, Problem builds pointers from the errors'
// namespaces. That is exact unless the validated struct type is unnamed,
// embeds a struct without a json tag (encoding/json flattens it), has json
// names or map keys holding "." or "]", or has fields bound from query, path
// or form parameters (named as pointers, not as parameters); Validate,
// which sees the value, is exact in every case but two: a map key holding
// "]." or "][" that the types read more than one way (see KeyToken), and
// the fields of a type with its own MarshalJSON, UnmarshalJSON or text
// methods, which are pointed at as encoding/json writes them without the
// methods (many such methods keep the fields; a value written as a string
// has none to point at).
// Without the value, a map key of digits cannot be told from an index and
// is kept even when values are not exposed, and a key holding "]." or "]["
// may be read as a key and field names (as by Validate inside a value of
// interface type, whose type it cannot see).
func (v *Validator) Problem(err error) (*problem.Problem, bool) {
	p := v.problem(err, nil)
	return p, p != nil
}

// Mapper returns a problem.Mapper for middleware.Options: validation errors
// become the problems Problem describes.
func (v *Validator) Mapper() problem.Mapper {
	return func(err error) *problem.Problem {
		switch err.(type) {
		case validator.ValidationErrors, *validator.InvalidValidationError:
			return v.problem(err, nil)
		}
		return nil
	}
}

var defaultValidator = New(nil)

// Problem is [Validator.Problem] with the defaults: English messages, type
// about:blank with status 422.
func Problem(err error) (*problem.Problem, bool) { return defaultValidator.Problem(err) }

// Mapper is [Validator.Mapper] with the defaults of [Problem].
func Mapper() problem.Mapper { return defaultValidator.Mapper() }

// translated returns the detail of a failed field in the language of
// trans, which is not nil, when trans has a translation for its rule.
// (Without one, the validator's Translate gives its own developer-facing
// text, which names Go types: "Key: 'Signup.age' Error:Field validation
// for ...".) A translation names the field with its map keys ("tags[k]");
// names gives them in their withheld form.
func translated(trans ut.Translator, fe validator.FieldError, names keyNames) (string, bool) {
	d := fe.Translate(trans)
	if d == fe.Error() {
		return "", false
	}
	return names.withholdIn(d, fe.Field()), true
}

// problem builds the problem for err; root is the validated type, if known.
func (v *Validator) problem(err error, root reflect.Type) *problem.Problem {
	fails, ok := err.(validator.ValidationErrors) // as Struct returns it, and as the Mapper gets it
	if !ok {
		if _, ok := errs.As[*validator.InvalidValidationError](err); ok {
			return problem.Wrap(err, http.StatusInternalServerError)
		}
		if fails, ok = errs.As[validator.ValidationErrors](err); !ok {
			return nil
		}
	}
	items := make(problem.InputErrors, len(fails))
	for i, fe := range fails {
		item := &items[i]
		v.describe(item, fe, root)
		if v.ExposeValues {
			item.Value = exposable(fe.Value())
		}
	}
	t := v.Type
	if t.Status == 0 {
		t.Status = http.StatusUnprocessableEntity
	}
	if len(v.languages) > 0 {
		err = &failure{err: err, fails: fails, v: v, root: root}
	}
	p := t.Wrap(err) // its type's code, if it has one, is carried beside
	p.Extensions = map[string]any{"errors": items}
	return p
}

// exposable returns value, a rejected value, when a problem can write it
// as an item's "value", else nil: JSON holds no NaN nor infinity (which a
// query parameter binds to a float), nor a value of a type encoding/json
// refuses, nor one nested too deeply, and one such value would drop the
// whole "errors" member.
func exposable(value any) any {
	switch x := value.(type) {
	case nil, string, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return value
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return value
	case float32:
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return nil
		}
		return value
	}
	if _, err := json.Marshal(problem.InputErrors{{Value: value}}); err != nil {
		return nil
	}
	return value
}

// failure is the cause of a validation problem of a Validator with
// translations (see AddTranslation): the error that held the validator's
// errors, which it wraps, with what it takes to write their details in
// another language. It is a problem.InputTranslator, which
// problem.Responder calls with the language it negotiated.
type failure struct {
	err   error // as given, so that unwrapping it does not allocate
	fails validator.ValidationErrors
	v     *Validator
	root  reflect.Type // the validated type, or nil
}

var _ problem.InputTranslator = (*failure)(nil)

func (f *failure) Error() string { return f.err.Error() }

func (f *failure) Unwrap() error { return f.err }

// InputErrorsIn implements problem.InputTranslator: it returns items with
// their details in the language tag, or
// false when the Validator has no translation of tag (nor of a language
// tag falls back to) or items are not those made of f. An item stays as
// it is where the translation lacks its rule, and where its detail,
// pointer, parameter or rule is not as made: the handler wrote it.
func (f *failure) InputErrorsIn(tag language.Tag, items problem.InputErrors) (problem.InputErrors, bool) {
	trans := f.v.translator(tag)
	if trans == nil || len(items) != len(f.fails) {
		return nil, false
	}
	var out problem.InputErrors
	for i, fe := range f.fails {
		item := &items[i]
		if item.Rule != fe.Tag() || item.Param != fe.Param() {
			continue
		}
		var made problem.InputError
		names := f.v.describe(&made, fe, f.root)
		if item.Detail != made.Detail || item.Pointer != made.Pointer || item.Parameter != made.Parameter {
			continue
		}
		d, ok := translated(trans, fe, names)
		if !ok || d == made.Detail {
			continue
		}
		if out == nil {
			out = slices.Clone(items)
		}
		out[i].Detail = d
	}
	return out, out != nil
}
