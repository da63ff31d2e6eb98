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
	assert.Equal(t, "https://docs.example.com/errors/APIGW.0301", tokenExpired.URI)
	assert.Equal(t, "Incorrect IAM authentication information", tokenExpired.Title)
	assert.Equal(t, 401, tokenExpired.Status)
	assert.Equal(t, "APIGW.0301", tokenExpired.Code)
	assert.Equal(t, "code", tokenExpired.CodeMember)

	p := tokenExpired.New("token expired")
	assert.Equal(t, "https://docs.example.com/errors/APIGW.0301", p.Type)
	assert.Equal(t, "Incorrect IAM authentication information", p.Title)
	assert.Equal(t, 401, p.Status)
	assert.Equal(t, "token expired", p.Detail)
	assert.Equal(t, "APIGW.0301", p.Code(), "the problem carries the code")
	assert.Nil(t, p.Extensions, "the code is not among the user's members")

	f := tokenExpired.Newf("token %s: %w", "expired", fs.ErrPermission)
	assert.Equal(t, "APIGW.0301", f.Code())
	assert.Equal(t, "token expired: permission denied", f.Detail)
	assert.ErrorIs(t, f, fs.ErrPermission)
	w := tokenExpired.Wrap(fs.ErrClosed)
	assert.Equal(t, "APIGW.0301", w.Code())
	assert.ErrorIs(t, w, fs.ErrClosed)

	assert.PanicsWithValue(t, `problem: the catalog has no type with code "APIGW.9999"`, func() {
		problem.MustType(cat, "APIGW.9999")
	}, "an unknown code is a programming error, caught where the type is made")
}

func TestTypeCodeMember(t *testing.T) {
	cat := vendor(t, `{"codeMember": "errorCode", "statuses": [],
		"types": [{"code": "E1", "status": 404, "title": "No such item", "type": "https://example.com/e1"}]}`)
	p := problem.MustType(cat, "E1").New("")
	assert.Equal(t, "E1", p.Code())
	assertJSON(t, `{"type":"https://example.com/e1","title":"No such item","status":404,"errorCode":"E1"}`, p)

	// A Type made by hand with a code and no member name uses "code".
	x := problem.Type{URI: "https://example.com/x", Status: 400, Code: "X"}.New("")
	assertJSON(t, `{"type":"https://example.com/x","status":400,"code":"X"}`, x)
	none := problem.Type{Status: 400}.New("")
	assert.Empty(t, none.Code(), "no code")
	assertJSON(t, `{"type":"about:blank","status":400}`, none)
}

func assertJSON(t *testing.T, want string, p *problem.Problem) {
	t.Helper()
	got, err := p.AppendJSON(nil)
	require.NoError(t, err)
	assert.Equal(t, want, string(got))
}

func TestOfIANAType(t *testing.T) {
	date, ok := catalog.IANA("date")
	require.True(t, ok)
	p := problem.Of(date).New("the request's Date is an hour off")
	assert.Equal(t, "https://iana.org/assignments/http-problem-types#date", p.Type)
	assert.Equal(t, "Date Not Acceptable", p.Title)
	assert.Equal(t, 400, p.Status)
	assert.Empty(t, p.Code(), "a registered type has no vendor code to carry")
	assert.Nil(t, p.Extensions)
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
	assert.Equal(t, "APIGW.0308", p.Code())
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

// TestCarriedMembersAreSentAsExtensions: the code and the input errors a
// problem carries are sent as the same members in Extensions would be, in
// every format and in the log: in their sorted places, replaced by an
// entry of the same name, and dropped, with the same errors, where a name
// cannot be sent (it shadows a standard member, or comes out as that of
// an earlier member).
func TestCarriedMembersAreSentAsExtensions(t *testing.T) {
	items := problem.InputErrors{{Detail: "is required", Pointer: "#/name", Rule: "required"}}
	coded := func(member string) problem.Type {
		return problem.Type{URI: "https://example.com/e", Status: 422, Code: "E1", CodeMember: member}
	}
	of := func(member string) problem.Type { // its code member made once, shared
		return problem.Of(catalog.Type{URI: "https://example.com/e", Status: 422, Code: "E1", CodeMember: member})
	}
	changed := of("")
	changed.Code, changed.CodeMember = "E2", "errorCode"
	tests := []struct {
		name    string
		carried *problem.Problem
		ext     map[string]any // what Extensions must hold to send the same
	}{
		{"code", coded("").New("d"), map[string]any{"code": "E1"}},
		{"code of a type made by Of", of("").New("d"), map[string]any{"code": "E1"}},
		{"code of a type made by Of, among extensions", withExt(of("").New("d"), map[string]any{"balance": 30, "zeta": true}),
			map[string]any{"balance": 30, "code": "E1", "zeta": true}},
		{"code of a type made by Of, replaced", withExt(of("").New("d"), map[string]any{"code": "mine"}), map[string]any{"code": "mine"}},
		{"code of a type made by Of, shadowing a standard member", of("title").New("d"), map[string]any{"title": "E1"}},
		{"code of a type changed since Of", changed.New("d"), map[string]any{"errorCode": "E2"}},
		{"a problem of a type made by Of, its type and title changed", func() *problem.Problem {
			p := of("").New("d")
			p.Type, p.Title = "https://example.com/other", "Other <title>"
			return p
		}(), map[string]any{"code": "E1"}},
		{"code of a type made by Of, and input errors", of("").WrapInput(nil, problem.InputErrors{}), map[string]any{"code": "E1", "errors": problem.InputErrors{}}},
		{"code among extensions", withExt(coded("").New("d"), map[string]any{"balance": 30, "zeta": true}),
			map[string]any{"balance": 30, "code": "E1", "zeta": true}},
		{"an extension replaces the code", withExt(coded("").New("d"), map[string]any{"code": "mine"}), map[string]any{"code": "mine"}},
		{"code member of its own name", coded("errorCode").New("d"), map[string]any{"errorCode": "E1"}},
		{"code member shadowing a standard member", coded("Status").New("d"), map[string]any{"Status": "E1"}},
		{"code member sent as an earlier name", withExt(coded("a\xff").New("d"), map[string]any{"a\xfe": 1}),
			map[string]any{"a\xfe": 1, "a\xff": "E1"}},
		{"code member sent as a later name", withExt(coded("a\xfe").New("d"), map[string]any{"a\xff": 1}),
			map[string]any{"a\xfe": "E1", "a\xff": 1}},
		{"input errors", problem.Type{Status: 422}.WrapInput(nil, items), map[string]any{"errors": items}},
		{"input errors and code", coded("").WrapInput(nil, items), map[string]any{"code": "E1", "errors": items}},
		{"input errors replace a code named errors", coded("errors").WrapInput(nil, items), map[string]any{"errors": items}},
		{"an extension replaces input errors", withExt(problem.New(422, "").WithInputErrors(items), map[string]any{"errors": "mine"}),
			map[string]any{"errors": "mine"}},
		{"empty input errors", problem.New(422, "").WithInputErrors(problem.InputErrors{}), map[string]any{"errors": problem.InputErrors{}}},
		{"no input errors", problem.New(422, "").WithInputErrors(nil), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.carried
			want := &problem.Problem{Type: c.Type, Title: c.Title, Status: c.Status, Detail: c.Detail, Extensions: tt.ext}

			for _, f := range []func(*problem.Problem) (string, error){
				func(p *problem.Problem) (string, error) { b, err := p.AppendJSON(nil); return string(b), err },
				func(p *problem.Problem) (string, error) { b, err := p.AppendXML(nil); return string(b), err },
				func(p *problem.Problem) (string, error) {
					r := httptest.NewRequest("GET", "/", nil)
					r.Header.Set("Accept", "text/html")
					rec := httptest.NewRecorder()
					err := (&problem.Responder{HTML: true}).Respond(rec, r, p)
					return rec.Body.String(), err
				},
				func(p *problem.Problem) (string, error) { return p.LogValue().String(), nil },
			} {
				got, gotErr := f(tt.carried)
				wantOut, wantErr := f(want)
				assert.Equal(t, wantOut, got)
				assert.Equal(t, fmt.Sprint(wantErr), fmt.Sprint(gotErr))
			}
		})
	}
}

// withExt returns p with the extensions ext set on a copy.
func withExt(p *problem.Problem, ext map[string]any) *problem.Problem {
	for k, v := range ext {
		p = p.WithExtension(k, v)
	}
	return p
}

// TestCarriedMembersSurviveCopies: the copies Clone and the With...
// methods make carry the code and the input errors on, and changing a copy
// leaves the original alone.
func TestCarriedMembersSurviveCopies(t *testing.T) {
	items := problem.InputErrors{{Detail: "is required", Pointer: "#/name"}}
	other := problem.InputErrors{{Detail: "is too long", Pointer: "#/bio"}}
	base := problem.Type{URI: "https://example.com/e", Status: 422, Code: "E1"}.WrapInput(nil, items)
	tests := []struct {
		name      string
		copy      *problem.Problem
		wantInput problem.InputErrors
	}{
		{"Clone", base.Clone(), items},
		{"WithExtension", base.WithExtension("balance", 30), items},
		{"WithHeader", base.WithHeader("Retry-After", "5"), items},
		{"WithInputErrors", base.WithInputErrors(other), other},
		{"WithInputErrors nil", base.WithInputErrors(nil), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, "E1", tt.copy.Code())
			assert.Equal(t, tt.wantInput, tt.copy.InputErrors())
			assert.Equal(t, "E1", base.Code(), "the original keeps its code")
			assert.Equal(t, items, base.InputErrors(), "the original keeps its input errors")
			assert.Nil(t, base.Extensions)
		})
	}

	v, ok := base.Member("code")
	assert.True(t, ok)
	assert.Equal(t, "E1", v)
	v, ok = base.Member("errors")
	assert.True(t, ok)
	assert.Equal(t, items, v)
	_, ok = base.Member("balance")
	assert.False(t, ok)
	v, ok = base.WithExtension("code", "mine").Member("code")
	assert.True(t, ok)
	assert.Equal(t, "mine", v, "an entry of Extensions is what is sent")

	var code string
	require.NoError(t, base.Extension("code", &code))
	assert.Equal(t, "E1", code, "Extension reads what the problem carries too")
	var got problem.InputErrors
	require.NoError(t, base.Extension("errors", &got))
	assert.Equal(t, items, got)
}

// TestTypeIs: a Type matches the problems of its type and Types of the
// same URI, however each was made, as errors.Is(err, t) needs when a
// handler returns the Type itself.
func TestTypeIs(t *testing.T) {
	cat := vendor(t, codesCatalog)
	expired, throttled := problem.MustType(cat, "APIGW.0301"), problem.MustType(cat, "APIGW.0308")
	typ, _ := cat.Type("APIGW.0301")
	tests := []struct {
		name   string
		err    error
		target error
		want   bool
	}{
		{"the same Type", expired, expired, true},
		{"made by Of and by MustType", expired, problem.Of(typ), true},
		{"made by Of and written out", expired, problem.Type{URI: expired.URI, Status: expired.Status}, true},
		{"another type", expired, throttled, false},
		{"a problem of it", expired, expired.New(""), true},
		{"a problem of another type", expired, throttled.New(""), false},
		{"wrapped", fmt.Errorf("auth: %w", expired), problem.Of(typ), true},
		{"about:blank, the same status", problem.Type{Status: 404}, problem.Type{URI: "about:blank", Status: 404}, true},
		{"about:blank, another status", problem.Type{Status: 404}, problem.Type{Status: 410}, false},
		{"about:blank and a type", problem.Type{Status: 401}, expired, false},
		{"a nil problem", expired, (*problem.Problem)(nil), false},
		{"another error", expired, fs.ErrNotExist, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, errors.Is(tt.err, tt.target), "errors.Is(%v, %v)", tt.err, tt.target)
		})
	}
}

// TestPrepareChecksTypeOfOf: a Type made by Of has its URI checked once,
// and a URI that is not a URI reference is still reported for each of its
// problems, as for any other.
func TestPrepareChecksTypeOfOf(t *testing.T) {
	bad := problem.Of(catalog.Type{URI: "https://example.com/a b", Status: 400, Code: "B1", Title: "Bad"})
	good := problem.Of(catalog.Type{URI: "https://example.com/b", Status: 400, Code: "B2", Title: "Good"})
	rs := &problem.Responder{}
	for range 2 {
		_, err := rs.Prepare(bad.New(""))
		assert.ErrorContains(t, err, `problem: type "https://example.com/a b" is not a URI reference`)
		_, err = rs.Prepare(good.New(""))
		assert.NoError(t, err)
	}
	p := good.New("")
	p.Type = "https://example.com/c d"
	_, err := rs.Prepare(p)
	assert.ErrorContains(t, err, "is not a URI reference", "a type changed since is checked")
}
