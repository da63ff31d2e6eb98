package problem_test

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/problem"
)

const codesCatalog = `{
  "typeBase": "https://docs.example.com/errors/",
  "statuses": [
    {"code": 429, "phrase": "TooManyRequests", "retry": "after-delay", "retryAfter": 30},
    {"code": 503, "phrase": "Unavailable", "retry": "after-delay", "retryAfter": 60}
  ],
  "types": [
    {"code": "APIGW.0301", "status": 401, "title": "Incorrect IAM authentication information"},
    {"code": "APIGW.0308", "status": 429, "title": "The throttling threshold has been reached", "retryAfter": 10},
    {"code": "APIGW.0101", "status": 503, "title": "The API is not published", "retry": "never"},
    {"code": "APIGW.0102", "status": 503, "title": "The backend is down"}
  ]
}`

func vendor(t *testing.T, input string) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Load(strings.NewReader(input))
	require.NoError(t, err)
	return cat
}

func TestMustType(t *testing.T) {
	cat := vendor(t, codesCatalog)
	tokenExpired := problem.MustType(cat, "APIGW.0301")
	assert.Equal(t, problem.Type{
		URI: "https://docs.example.com/errors/APIGW.0301", Title: "Incorrect IAM authentication information",
		Status: 401, Code: "APIGW.0301", CodeMember: "code",
	}, tokenExpired)

	p := tokenExpired.New("token expired")
	assert.Equal(t, "https://docs.example.com/errors/APIGW.0301", p.Type)
	assert.Equal(t, "Incorrect IAM authentication information", p.Title)
	assert.Equal(t, 401, p.Status)
	assert.Equal(t, "token expired", p.Detail)
	assert.Equal(t, map[string]any{"code": "APIGW.0301"}, p.Extensions, "the code travels as an extension member")

	f := tokenExpired.Newf("token %s: %w", "expired", fs.ErrPermission)
	assert.Equal(t, map[string]any{"code": "APIGW.0301"}, f.Extensions)
	assert.ErrorIs(t, f, fs.ErrPermission)
	w := tokenExpired.Wrap(fs.ErrClosed)
	assert.Equal(t, map[string]any{"code": "APIGW.0301"}, w.Extensions)

	assert.PanicsWithValue(t, `problem: the catalog has no type with code "APIGW.9999"`, func() {
		problem.MustType(cat, "APIGW.9999")
	}, "an unknown code is a programming error, caught where the type is made")
}

func TestTypeCodeMember(t *testing.T) {
	cat := vendor(t, `{"codeMember": "errorCode", "statuses": [],
		"types": [{"code": "E1", "status": 404, "title": "No such item", "type": "https://example.com/e1"}]}`)
	p := problem.MustType(cat, "E1").New("")
	assert.Equal(t, map[string]any{"errorCode": "E1"}, p.Extensions)

	// A Type made by hand with a code and no member name uses "code".
	assert.Equal(t, map[string]any{"code": "X"}, problem.Type{URI: "https://example.com/x", Status: 400, Code: "X"}.New("").Extensions)
	assert.Nil(t, problem.Type{Status: 400}.New("").Extensions, "no code, no member")
}

func TestOfIANAType(t *testing.T) {
	date, ok := catalog.IANA("date")
	require.True(t, ok)
	p := problem.Of(date).New("the request's Date is an hour off")
	assert.Equal(t, "https://iana.org/assignments/http-problem-types#date", p.Type)
	assert.Equal(t, "Date Not Acceptable", p.Title)
	assert.Equal(t, 400, p.Status)
	assert.Nil(t, p.Extensions, "a registered type has no vendor code to carry")
}

func TestIsMatchesCatalogType(t *testing.T) {
	cat := vendor(t, codesCatalog)
	tokenExpired := problem.MustType(cat, "APIGW.0301")
	throttled := problem.MustType(cat, "APIGW.0308")
	err := fmt.Errorf("auth: %w", tokenExpired.New("token expired"))
	assert.ErrorIs(t, err, tokenExpired)
	assert.NotErrorIs(t, err, throttled)
	assert.NotErrorIs(t, err, problem.Type{Status: 401}, "an about:blank 401 is another type")

	typ, _ := cat.Type("APIGW.0301")
	assert.ErrorIs(t, err, problem.Of(typ), "Of and MustType make the same type")

	p, ok := errors.AsType[*problem.Problem](problem.Resolve(fmt.Errorf("x: %w", throttled)))
	require.True(t, ok, "a Type returned as an error resolves to a problem of it")
	assert.Equal(t, map[string]any{"code": "APIGW.0308"}, p.Extensions)
}

func TestRespondCatalogType(t *testing.T) {
	cat := vendor(t, codesCatalog)
	rs := &problem.Responder{Catalog: cat}
	tests := []struct {
		name, code, retryAfter string
	}{
		{"the type's delay beats its status's", "APIGW.0308", "10"},
		{"the type's never beats its status's delay", "APIGW.0101", ""},
		{"a type without retry guidance has its status's", "APIGW.0102", "60"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			require.NoError(t, rs.Respond(rec, httptest.NewRequest("GET", "/", nil), problem.MustType(cat, tt.code).New("")))
			assert.Equal(t, tt.retryAfter, rec.Header().Get("Retry-After"))
			typ, _ := cat.Type(tt.code)
			assert.Equal(t, fmt.Sprintf(`{"type":%q,"title":%q,"status":%d,"code":%q}`, typ.URI, typ.Title, typ.Status, tt.code),
				strings.TrimSpace(rec.Body.String()))
		})
	}
}
