package problemvalidator_test

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/go-playground/locales/zh"
	zh_translations "github.com/go-playground/validator/v10/translations/zh"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem/problemvalidator"
)

// AddTranslation gives the details in the language negotiated on
// Accept-Language, among the catalog's languages.
func ExampleValidator_AddTranslation() {
	cat, err := catalog.Default().WithTranslation(strings.NewReader(
		`{"language":"zh","statuses":[{"code":422,"phrase":"无法处理的内容"}]}`))
	if err != nil {
		log.Fatal(err)
	}
	v := problemvalidator.New(nil)
	if err := v.AddTranslation(zh.New(), zh_translations.RegisterDefaultTranslations); err != nil {
		log.Fatal(err)
	}
	type signup struct {
		Name string `json:"name" validate:"min=3"`
	}
	h := middleware.New(&middleware.Options{Catalog: cat}).Handle(func(w http.ResponseWriter, r *http.Request) error {
		var req signup
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			return err
		}
		return v.Validate(&req)
	})

	for _, lang := range []string{"zh", "en"} {
		req := httptest.NewRequest(http.MethodPost, "/signup", strings.NewReader(`{"name":"a"}`))
		req.Header.Set("Accept-Language", lang)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Println(rec.Header().Get("Content-Language"), rec.Body.String())
	}
	// Output:
	// zh {"type":"about:blank","title":"无法处理的内容","status":422,"instance":"/signup","errors":[{"detail":"name长度必须至少为3个字符","pointer":"#/name","rule":"min","param":"3"}]}
	// en {"type":"about:blank","title":"Unprocessable Content","status":422,"instance":"/signup","errors":[{"detail":"must be at least 3 characters long","pointer":"#/name","rule":"min","param":"3"}]}
}
