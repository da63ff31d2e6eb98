package problemvalidator_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-playground/locales"
	"github.com/go-playground/locales/de"
	"github.com/go-playground/locales/zh"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"
	de_translations "github.com/go-playground/validator/v10/translations/de"
	zh_translations "github.com/go-playground/validator/v10/translations/zh"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/middleware/problemecho"
	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemvalidator"
)

// order is the input of the language tests: a required field, a number,
// and a map whose keys come from the client.
type order struct {
	Name  string            `json:"name" validate:"required"`
	Qty   int               `json:"qty" validate:"gte=1"`
	Notes map[string]string `json:"notes" validate:"dive,max=3"`
}

const orderBody = `{"qty":0,"notes":{"secret-key":"long"}}`

// languageCatalog is the default catalog in English, Chinese and German.
func languageCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	cat := catalog.Default()
	for _, tr := range []string{
		`{"language":"zh","statuses":[{"code":422,"phrase":"无法处理的内容"}]}`,
		`{"language":"de","statuses":[{"code":422,"phrase":"Nicht verarbeitbarer Inhalt"}]}`,
	} {
		var err error
		cat, err = cat.WithTranslation(strings.NewReader(tr))
		require.NoError(t, err)
	}
	return cat
}

// languageValidator is a Validator with the validator's Chinese and German
// translations.
func languageValidator(t *testing.T, exposeValues bool) *problemvalidator.Validator {
	t.Helper()
	v := problemvalidator.New(nil)
	v.ExposeValues = exposeValues
	require.NoError(t, v.AddTranslation(zh.New(), zh_translations.RegisterDefaultTranslations))
	require.NoError(t, v.AddTranslation(de.New(), de_translations.RegisterDefaultTranslations))
	return v
}

// The bodies of the language tests. The titles are the catalog's, in the
// language negotiated; the items' details are the validator's translations.
const (
	orderZH = `{"type":"about:blank","title":"无法处理的内容","status":422,"instance":"/orders","errors":[` +
		`{"detail":"name为必填字段","pointer":"#/name","rule":"required"},` +
		`{"detail":"qty必须大于或等于1","pointer":"#/qty","rule":"gte","param":"1"},` +
		`{"detail":"notes[*]长度不能超过3个字符","pointer":"#/notes/*","rule":"max","param":"3"}]}`
	orderDE = `{"type":"about:blank","title":"Nicht verarbeitbarer Inhalt","status":422,"instance":"/orders","errors":[` +
		`{"detail":"name ist ein Pflichtfeld","pointer":"#/name","rule":"required"},` +
		`{"detail":"qty muss 1 oder größer sein","pointer":"#/qty","rule":"gte","param":"1"},` +
		`{"detail":"notes[*] darf maximal 3 Zeichen lang sein","pointer":"#/notes/*","rule":"max","param":"3"}]}`
	orderEN = `{"type":"about:blank","title":"Unprocessable Content","status":422,"instance":"/orders","errors":[` +
		`{"detail":"is required","pointer":"#/name","rule":"required"},` +
		`{"detail":"must be 1 or greater","pointer":"#/qty","rule":"gte","param":"1"},` +
		`{"detail":"must be at most 3 characters long","pointer":"#/notes/*","rule":"max","param":"3"}]}`
)

// languageCases are the requests of the language tests, each with the
// body and Content-Language it gets.
var languageCases = []struct {
	name           string
	acceptLanguage string
	exposeValues   bool
	edit           bool // the handler writes its own details
	wantLanguage   string
	wantBody       string
}{
	{name: "zh", acceptLanguage: "zh", wantLanguage: "zh", wantBody: orderZH},
	{name: "zh-CN", acceptLanguage: "zh-CN", wantLanguage: "zh", wantBody: orderZH},
	{name: "de-CH falls back to de", acceptLanguage: "de-CH", wantLanguage: "de", wantBody: orderDE},
	{name: "by q-value", acceptLanguage: "fr;q=0.9, de;q=0.5, zh;q=0.7", wantLanguage: "zh", wantBody: orderZH},
	{name: "unknown language gets English", acceptLanguage: "fr", wantLanguage: "en", wantBody: orderEN},
	{name: "no Accept-Language gets English", wantLanguage: "en", wantBody: orderEN},
	{
		name: "map keys exposed", acceptLanguage: "zh", exposeValues: true, wantLanguage: "zh",
		wantBody: `{"type":"about:blank","title":"无法处理的内容","status":422,"instance":"/orders","errors":[` +
			`{"detail":"name为必填字段","pointer":"#/name","rule":"required","value":""},` +
			`{"detail":"qty必须大于或等于1","pointer":"#/qty","rule":"gte","param":"1","value":0},` +
			`{"detail":"notes[secret-key]长度不能超过3个字符","pointer":"#/notes/secret-key","rule":"max","param":"3","value":"long"}]}`,
	},
	{
		name: "details the handler wrote stay as written", acceptLanguage: "zh", edit: true, wantLanguage: "zh",
		wantBody: `{"type":"about:blank","title":"无法处理的内容","status":422,"detail":"Check the order.","instance":"/orders","errors":[` +
			`{"detail":"a name, please","pointer":"#/name","rule":"required"},` +
			`{"detail":"qty必须大于或等于1","pointer":"#/qty","rule":"gte","param":"1"},` +
			`{"detail":"notes[*]长度不能超过3个字符","pointer":"#/notes/*","rule":"max","param":"3"}]}`,
	},
}

// editOrderProblem writes the handler's own details into a validation
// problem: the problem's detail and the first item's.
func editOrderProblem(t *testing.T, err error) error {
	p, ok := errors.AsType[*problem.Problem](err)
	require.True(t, ok)
	p.Detail = "Check the order."
	p.Extensions["errors"].(problem.InputErrors)[0].Detail = "a name, please"
	return p
}

// TestLanguages: a 422 of the middleware has the validator's messages in
// the language negotiated on Accept-Language among the catalog's, where
// the Validator has a translation of it, and English otherwise, with
// Content-Language and Vary (conformance B: RFC 9110 §8.5, §12.5.5).
func TestLanguages(t *testing.T) {
	cat := languageCatalog(t)
	for _, tc := range languageCases {
		t.Run(tc.name, func(t *testing.T) {
			v := languageValidator(t, tc.exposeValues)
			h := middleware.New(&middleware.Options{Catalog: cat}).Handle(func(w http.ResponseWriter, r *http.Request) error {
				var in order
				require.NoError(t, json.NewDecoder(r.Body).Decode(&in))
				err := v.Validate(&in)
				if tc.edit {
					return editOrderProblem(t, err)
				}
				return err
			})
			req := httptest.NewRequest(http.MethodPost, "/orders", strings.NewReader(orderBody))
			if tc.acceptLanguage != "" {
				req.Header.Set("Accept-Language", tc.acceptLanguage)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			assert.Equal(t, http.StatusUnprocessableEntity, rec.Code)
			assert.Equal(t, tc.wantBody, rec.Body.String())
			assert.Equal(t, []string{tc.wantLanguage}, rec.Header()["Content-Language"])
			assert.Equal(t, []string{"Accept", "Accept-Language"}, rec.Header()["Vary"])
		})
	}
}

// TestLanguagesOnEcho: the same requests on Echo v4, through e.Validator
// and problemecho, get the same bytes.
func TestLanguagesOnEcho(t *testing.T) {
	cat := languageCatalog(t)
	for _, tc := range languageCases {
		t.Run(tc.name, func(t *testing.T) {
			e := echo.New()
			e.HTTPErrorHandler = problemecho.ErrorHandler(&middleware.Options{Catalog: cat})
			e.Validator = languageValidator(t, tc.exposeValues)
			e.POST("/orders", func(c echo.Context) error {
				var in order
				if err := c.Bind(&in); err != nil {
					return err
				}
				err := c.Validate(&in)
				if tc.edit {
					return editOrderProblem(t, err)
				}
				return err
			})
			req := httptest.NewRequest(http.MethodPost, "/orders", strings.NewReader(orderBody))
			req.Header.Set("Content-Type", "application/json")
			if tc.acceptLanguage != "" {
				req.Header.Set("Accept-Language", tc.acceptLanguage)
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			assert.Equal(t, http.StatusUnprocessableEntity, rec.Code)
			assert.Equal(t, tc.wantBody, rec.Body.String())
			assert.Equal(t, []string{tc.wantLanguage}, rec.Header()["Content-Language"])
			assert.Equal(t, []string{"Accept", "Accept-Language"}, rec.Header()["Vary"])
		})
	}
}

// TestLanguagesNeedTheCatalogs: with a catalog of one language nothing is
// negotiated, and the messages stay English whatever the client asks for.
func TestLanguagesNeedTheCatalogs(t *testing.T) {
	v := languageValidator(t, false)
	h := middleware.New(nil).Handle(func(w http.ResponseWriter, r *http.Request) error {
		var in order
		require.NoError(t, json.NewDecoder(r.Body).Decode(&in))
		return v.Validate(&in)
	})
	req := httptest.NewRequest(http.MethodPost, "/orders", strings.NewReader(orderBody))
	req.Header.Set("Accept-Language", "zh")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assert.Equal(t, orderEN, rec.Body.String())
	assert.Empty(t, rec.Header()["Content-Language"])
}

// TestLanguageFallsBackAlongItsChain: a catalog language the Validator
// lacks gets the translation of the language it falls back to, and the
// problem written keeps its own items.
func TestLanguageFallsBackAlongItsChain(t *testing.T) {
	cat, err := catalog.Default().WithTranslation(strings.NewReader(`{"language":"de-CH","statuses":[{"code":422,"phrase":"Nicht verarbeitbarer Inhalt"}]}`))
	require.NoError(t, err)
	v := languageValidator(t, false)
	err = v.Validate(&order{Name: "x", Qty: 1, Notes: map[string]string{"k": "long"}})
	req := httptest.NewRequest(http.MethodPost, "/orders", nil)
	req.Header.Set("Accept-Language", "de-CH")
	rec := httptest.NewRecorder()
	p := problem.Resolve(err)
	require.NoError(t, (&problem.Responder{Catalog: cat}).Respond(rec, req, p))
	assert.Equal(t, `{"type":"about:blank","title":"Nicht verarbeitbarer Inhalt","status":422,"errors":[`+
		`{"detail":"notes[*] darf maximal 3 Zeichen lang sein","pointer":"#/notes/*","rule":"max","param":"3"}]}`, rec.Body.String())
	assert.Equal(t, []string{"de-CH"}, rec.Header()["Content-Language"])
	assert.Equal(t, "must be at most 3 characters long", p.Extensions["errors"].(problem.InputErrors)[0].Detail,
		"the problem itself is left as it was")
}

// TestLanguageFallsBackAsNegotiated: the Validator's translation of a
// language is chosen as Accept-Language negotiation chooses the catalog's
// (catalog.MatchLanguage): zh-Hant, whose parent along Tag.Parent is und,
// gets the zh translation, as Accept-Language: zh-Hant gets the catalog's
// zh texts; a language close to none of the Validator's keeps the details
// as made.
func TestLanguageFallsBackAsNegotiated(t *testing.T) {
	cat, err := catalog.Default().WithTranslation(strings.NewReader(`{"language":"zh-Hant","statuses":[{"code":422,"phrase":"無法處理的內容"}]}`))
	require.NoError(t, err)
	cat, err = cat.WithTranslation(strings.NewReader(`{"language":"fr","statuses":[{"code":422,"phrase":"Contenu non traitable"}]}`))
	require.NoError(t, err)
	v := languageValidator(t, false)
	for _, tc := range []struct {
		name, accept, want string
	}{
		{"zh-Hant", "zh-Hant", `{"type":"about:blank","title":"無法處理的內容","status":422,"errors":[` +
			`{"detail":"qty必须大于或等于1","pointer":"#/qty","rule":"gte","param":"1"}]}`},
		{"fr: as made", "fr", `{"type":"about:blank","title":"Contenu non traitable","status":422,"errors":[` +
			`{"detail":"must be 1 or greater","pointer":"#/qty","rule":"gte","param":"1"}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := v.Validate(&order{Name: "x", Qty: 0})
			req := httptest.NewRequest(http.MethodPost, "/orders", nil)
			req.Header.Set("Accept-Language", tc.accept)
			rec := httptest.NewRecorder()
			require.NoError(t, (&problem.Responder{Catalog: cat}).Respond(rec, req, problem.Resolve(err)))
			assert.Equal(t, tc.want, rec.Body.String())
		})
	}
}

// TestAddTranslationErrors: a locale without a language, a language added
// twice and a failing registration are errors.
func TestAddTranslationErrors(t *testing.T) {
	register := func(*validator.Validate, ut.Translator) error { return nil }
	for _, tc := range []struct {
		name     string
		locale   locales.Translator
		register func(*validator.Validate, ut.Translator) error
		wantErr  string
	}{
		{"twice", zh.New(), register, `problemvalidator: the Validator has language "zh" already`},
		{"registration fails", de.New(), func(*validator.Validate, ut.Translator) error { return errors.New("boom") }, `problemvalidator: registering the translations of "de": boom`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := problemvalidator.New(nil)
			require.NoError(t, v.AddTranslation(zh.New(), register))
			assert.EqualError(t, v.AddTranslation(tc.locale, tc.register), tc.wantErr)
		})
	}
}
