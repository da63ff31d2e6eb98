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
	assert.Equal(t, "APIGW.0301", p.Code(), "the problem carries the code")
	assert.Nil(t, p.Extensions, "the code is carried outside Extensions")

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

// TestTypeIsComparable: a Type is a plain value. Two Types made for one
// catalog type are ==, equal to the same Type written out, usable as map
// keys and as the cases of a switch on an error.
func TestTypeIsComparable(t *testing.T) {
	cat := vendor(t, codesCatalog)
	a, b := problem.MustType(cat, "APIGW.0301"), problem.MustType(cat, "APIGW.0301")
	typ, _ := cat.Type("APIGW.0301")
	assert.True(t, a == b, "MustType twice for one code gives == Types")
	assert.True(t, a == problem.Of(typ), "Of and MustType give == Types")
	_ = a.New("") // a problem made of it changes nothing of the Type
	assert.True(t, a == b)

	byType := map[problem.Type]string{a: "auth"}
	assert.Equal(t, "auth", byType[b], "a Type as a map key")

	written := problem.Type{URI: "https://docs.example.com/errors/APIGW.0301", Title: "Incorrect IAM authentication information",
		Status: 401, Code: "APIGW.0301", CodeMember: "code"}
	assert.Equal(t, written, a, "equal to the Type written out")
	assert.True(t, written == a)

	var err error = a
	switch err {
	case b:
	default:
		t.Error("switch err { case T: } does not match a Type returned as an error")
	}
	assert.ErrorIs(t, fmt.Errorf("auth: %w", a), b, "errors.Is finds a Type by ==")
}

// TestCodeIsWhatIsSent: Code returns the code member the client gets: the
// type's code, the entry of Extensions that replaces it, nothing for a
// member that is never sent, and the "code" member of a problem of no
// type with a code, such as one read from a response.
func TestCodeIsWhatIsSent(t *testing.T) {
	tests := []struct {
		name string
		p    *problem.Problem
		want string
	}{
		{"the type's code", problem.Type{Status: 409, Code: "C1"}.New(""), "C1"},
		{"replaced by an entry of Extensions", problem.Type{Status: 409, Code: "C1"}.New("").WithExtension("code", "mine"), "mine"},
		{"replaced by an entry that is not a string", problem.Type{Status: 409, Code: "C1"}.New("").WithExtension("code", 7), ""},
		{"an entry of another name beside it", problem.Type{Status: 409, Code: "C1"}.New("").WithExtension("errorCode", "mine"), "C1"},
		{"a member of its own name", problem.Type{Status: 409, Code: "C1", CodeMember: "errorCode"}.New(""), "C1"},
		{"a member of its own name, replaced", problem.Type{Status: 409, Code: "C1", CodeMember: "errorCode"}.New("").WithExtension("errorCode", "mine"), "mine"},
		{"a standard member's name, never sent", problem.Type{Status: 409, Code: "C1", CodeMember: "status"}.New(""), ""},
		{"a name sent as that of an earlier member", problem.Type{Status: 409, Code: "C1", CodeMember: "a\xff"}.New("").WithExtension("a\xfe", 1), ""},
		{"no type's code", problem.New(409, ""), ""},
		{"no type's code, a code member", problem.New(409, "").WithExtension("code", "E7"), "E7"},
		{"a type without a code", problem.Type{Status: 409}.New(""), ""},
		{"nil", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.p.Code())
			if tt.p == nil {
				return
			}
			b, _ := tt.p.AppendJSON(nil)
			if tt.want != "" {
				assert.Contains(t, string(b), fmt.Sprintf(`:%q`, tt.want), "what Code returns is sent")
			}
		})
	}
}

// TestSendWithoutTypeCode: a problem of a copy of a catalog's Type with
// Code cleared sends no code member, and an entry of Extensions of the
// code member's name is sent instead of the code, as documented on
// Type.Code.
func TestSendWithoutTypeCode(t *testing.T) {
	cat := vendor(t, codesCatalog)
	expired := problem.MustType(cat, "APIGW.0301")
	uncoded := expired
	uncoded.Code = ""
	assertJSON(t, `{"type":"https://docs.example.com/errors/APIGW.0301","title":"Incorrect IAM authentication information","status":401,"detail":"expired"}`,
		uncoded.New("expired"))
	p := expired.New("expired")
	p.Extensions = map[string]any{"tenant": "acme"}
	assertJSON(t, `{"type":"https://docs.example.com/errors/APIGW.0301","title":"Incorrect IAM authentication information","status":401,"detail":"expired","code":"APIGW.0301","tenant":"acme"}`, p)
	p.Extensions["code"] = "GENERIC"
	assertJSON(t, `{"type":"https://docs.example.com/errors/APIGW.0301","title":"Incorrect IAM authentication information","status":401,"detail":"expired","code":"GENERIC","tenant":"acme"}`, p)
}

// TestTypeCodeSentAsExtension: the code a problem carries from its type
// is sent as the same member in Extensions would be, in every format and
// in the log: in its sorted place, replaced by an entry of the same name,
// and dropped, with the same errors, where its name cannot be sent (it
// shadows a standard member, or comes out as that of an earlier member).
func TestTypeCodeSentAsExtension(t *testing.T) {
	coded := func(member string) problem.Type {
		return problem.Type{URI: "https://example.com/e", Status: 422, Code: "E1", CodeMember: member}
	}
	of := func(member string) problem.Type {
		return problem.Of(catalog.Type{URI: "https://example.com/e", Title: "E <one>", Status: 422, Code: "E1", CodeMember: member})
	}
	tests := []struct {
		name    string
		carried *problem.Problem
		ext     map[string]any // what Extensions must hold to send the same
	}{
		{"code", coded("").New("d"), map[string]any{"code": "E1"}},
		{"code of a catalog's type", of("").New("d"), map[string]any{"code": "E1"}},
		{"code of a catalog's type, among extensions", withExt(of("").New("d"), map[string]any{"balance": 30, "zeta": true}),
			map[string]any{"balance": 30, "code": "E1", "zeta": true}},
		{"code of a catalog's type, replaced", withExt(of("").New("d"), map[string]any{"code": "mine"}), map[string]any{"code": "mine"}},
		{"code of a catalog's type, shadowing a standard member", of("title").New("d"), map[string]any{"title": "E1"}},
		{"a problem of a catalog's type, its type and title changed", func() *problem.Problem {
			p := of("").New("d")
			p.Type, p.Title = "https://example.com/other", "Other <title>"
			return p
		}(), map[string]any{"code": "E1"}},
		{"code among extensions", withExt(coded("").New("d"), map[string]any{"balance": 30, "zeta": true}),
			map[string]any{"balance": 30, "code": "E1", "zeta": true}},
		{"an extension replaces the code", withExt(coded("").New("d"), map[string]any{"code": "mine"}), map[string]any{"code": "mine"}},
		{"code member of its own name", coded("errorCode").New("d"), map[string]any{"errorCode": "E1"}},
		{"code member shadowing a standard member", coded("Status").New("d"), map[string]any{"Status": "E1"}},
		{"code member sent as an earlier name", withExt(coded("a\xff").New("d"), map[string]any{"a\xfe": 1}),
			map[string]any{"a\xfe": 1, "a\xff": "E1"}},
		{"code member sent as a later name", withExt(coded("a\xfe").New("d"), map[string]any{"a\xff": 1}),
			map[string]any{"a\xfe": "E1", "a\xff": 1}},
		{"code beside input errors", withExt(coded("").Wrap(nil), map[string]any{"errors": problem.InputErrors{{Detail: "is required", Pointer: "#/name"}}}),
			map[string]any{"code": "E1", "errors": problem.InputErrors{{Detail: "is required", Pointer: "#/name"}}}},
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

// TestTypeCodeSurvivesCopies: the copies Clone and the With... methods
// make carry the code on, and changing a copy leaves the original alone.
func TestTypeCodeSurvivesCopies(t *testing.T) {
	base := problem.Type{URI: "https://example.com/e", Status: 422, Code: "E1"}.New("")
	tests := []struct {
		name string
		copy *problem.Problem
	}{
		{"Clone", base.Clone()},
		{"WithExtension", base.WithExtension("balance", 30)},
		{"WithHeader", base.WithHeader("Retry-After", "5")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, "E1", tt.copy.Code())
			assert.Equal(t, "E1", base.Code(), "the original keeps its code")
			assert.Nil(t, base.Extensions)
		})
	}

	var code string
	require.NoError(t, base.Extension("code", &code))
	assert.Equal(t, "E1", code, "Extension reads the code the problem carries")
	require.NoError(t, base.WithExtension("code", "mine").Extension("code", &code))
	assert.Equal(t, "mine", code, "an entry of Extensions is what is sent")
}

// TestPrepareChecksTypeWithCode: a Type with a code has its URI checked
// once (see typeCodes), and a URI that is not a URI reference is still
// reported for each of its problems, as for any other.
func TestPrepareChecksTypeWithCode(t *testing.T) {
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
