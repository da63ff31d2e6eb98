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
package problemvalidator

import (
	"net/http"
	"reflect"
	"strings"

	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"

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
	// Default: nil, the built-in English messages.
	Translator ut.Translator

	// ExposeValues adds each rejected value to its item as "value", and
	// keeps map keys in pointers and translated details. It echoes input
	// back to the client, and input can be a password or a token.
	// Default: false: a map key is [KeyToken] ("#/tags/*").
	ExposeValues bool

	validate *validator.Validate
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
	tag := f.Tag.Get("json")
	name, _, _ := strings.Cut(tag, ",")
	if name == "" || tag == "-" {
		return f.Name
	}
	return name
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
// which sees the value, is exact in every case. Without the value, a map
// key of digits cannot be told from an index and is kept even when values
// are not exposed.
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

// detail says what the value of a failed field must be: in the
// Translator's language when it has a translation for the rule, else in
// English. (Without one, the validator's Translate gives its own
// developer-facing text, which names Go types: "Key: 'Signup.age'
// Error:Field validation for ...".) A translation names the field with its
// map keys ("tags[k]"); names gives them in their withheld form.
func (v *Validator) detail(fe validator.FieldError, names keyNames) string {
	if v.Translator != nil {
		if d := fe.Translate(v.Translator); d != fe.Error() {
			return names.withholdIn(d, fe.Field())
		}
	}
	return message(fe)
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
		item.Rule, item.Param = fe.Tag(), fe.Param()
		item.Pointer, item.Parameter, item.Detail = v.describe(fe, root)
		if v.ExposeValues {
			item.Value = fe.Value()
		}
	}
	t := v.Type
	if t.Status == 0 {
		t.Status = http.StatusUnprocessableEntity
	}
	return t.WrapInput(err, items)
}
