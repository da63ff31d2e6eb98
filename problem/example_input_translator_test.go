package problem_test

import (
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"

	"golang.org/x/text/language"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/problem"
)

// checkFailure is the error a validation library of one's own returns: the
// fields that failed, by rule. Its adapter writes the "errors" items in
// English and, as an InputTranslator, in the languages it has messages in.
type checkFailure struct{ fields []string }

func (f *checkFailure) Error() string { return "check: " + strings.Join(f.fields, ", ") + " required" }

// checkMessages are the adapter's messages in each of its languages, and
// checkMatcher matches those languages, as catalog.MatchLanguage wants.
var (
	checkLanguages = []language.Tag{language.German}
	checkMessages  = []string{"ist erforderlich"}
	checkMatcher   = language.NewMatcher(checkLanguages)
)

// InputErrorsIn implements problem.InputTranslator: the items with their
// details in the language tag falls back to among the adapter's, left as
// they are where the handler changed them.
func (f *checkFailure) InputErrorsIn(tag language.Tag, items problem.InputErrors) (problem.InputErrors, bool) {
	i, ok := catalog.MatchLanguage(checkMatcher, tag)
	if !ok || len(items) != len(f.fields) {
		return nil, false
	}
	var out problem.InputErrors
	for j, item := range items {
		if item.Pointer != problem.Pointer(f.fields[j]) || item.Detail != "is required" {
			continue // the handler changed it
		}
		if out == nil {
			out = slices.Clone(items)
		}
		out[j].Detail = checkMessages[i]
	}
	return out, out != nil
}

// checkProblem is the adapter: a 422 problem with an item per field, which
// keeps the failure as its cause, for the Responder to translate.
func checkProblem(f *checkFailure) *problem.Problem {
	items := make(problem.InputErrors, len(f.fields))
	for i, name := range f.fields {
		items[i] = problem.InputError{Detail: "is required", Pointer: problem.Pointer(name), Rule: "required"}
	}
	return problem.Wrap(f, http.StatusUnprocessableEntity).WithExtension("errors", items)
}

// An adapter of another validation library gives its "errors" items in
// the language negotiated on Accept-Language by making its cause an
// InputTranslator.
func ExampleInputTranslator() {
	cat, err := catalog.Default().WithTranslation(strings.NewReader(
		`{"language":"de","statuses":[{"code":422,"phrase":"Nicht verarbeitbarer Inhalt"}]}`))
	if err != nil {
		log.Fatal(err)
	}
	rs := &problem.Responder{Catalog: cat}
	p := checkProblem(&checkFailure{fields: []string{"name"}})
	for _, lang := range []string{"de-AT", "fr"} {
		req := httptest.NewRequest(http.MethodPost, "/signup", nil)
		req.Header.Set("Accept-Language", lang)
		rec := httptest.NewRecorder()
		_ = rs.Respond(rec, req, p)
		fmt.Println(rec.Header().Get("Content-Language"), rec.Body.String())
	}
	// Output:
	// de {"type":"about:blank","title":"Nicht verarbeitbarer Inhalt","status":422,"errors":[{"detail":"ist erforderlich","pointer":"#/name","rule":"required"}]}
	// en {"type":"about:blank","title":"Unprocessable Content","status":422,"errors":[{"detail":"is required","pointer":"#/name","rule":"required"}]}
}
