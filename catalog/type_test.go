package catalog_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
)

const typesFile = `{
  "typeBase": "https://docs.example.com/errors/",
  "statuses": [
    {"code": 429, "phrase": "TooManyRequests", "retry": "after-delay", "retryAfter": 30},
    {"code": 503, "phrase": "Unavailable", "retry": "after-delay", "retryAfter": 60}
  ],
  "types": [
    {"code": "APIGW.0301", "status": 401, "title": "Incorrect IAM authentication information",
     "description": "The token is missing, malformed or expired.", "retry": "never"},
    {"code": "APIGW.0308", "status": 429, "title": "The throttling threshold has been reached",
     "retry": "after-delay", "retryAfter": 10},
    {"code": "APIGW.0101", "status": 503, "title": "The API does not exist or has not been published"},
    {"code": "APIGW.0201", "status": 400, "title": "Request body too large", "type": "body-too-large"},
    {"code": "APIGW.0999", "status": 500, "title": "Gateway failure", "type": "https://status.example.com/gateway"}
  ]
}`

func loadTypes(t *testing.T, input string) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Load(strings.NewReader(input))
	require.NoError(t, err)
	return cat
}

func TestLoadTypes(t *testing.T) {
	cat := loadTypes(t, typesFile)
	tests := []struct {
		name string
		code string
		want catalog.Type
	}{
		{"retry given", "APIGW.0301", catalog.Type{Code: "APIGW.0301", CodeMember: "code", Status: 401,
			URI: "https://docs.example.com/errors/APIGW.0301", Title: "Incorrect IAM authentication information",
			Description: "The token is missing, malformed or expired.", Retry: catalog.RetryNever}},
		{"own delay beats the status's", "APIGW.0308", catalog.Type{Code: "APIGW.0308", CodeMember: "code", Status: 429,
			URI: "https://docs.example.com/errors/APIGW.0308", Title: "The throttling threshold has been reached",
			Retry: catalog.RetryAfterDelay, RetryAfter: 10 * time.Second}},
		{"retry from the file's status", "APIGW.0101", catalog.Type{Code: "APIGW.0101", CodeMember: "code", Status: 503,
			URI: "https://docs.example.com/errors/APIGW.0101", Title: "The API does not exist or has not been published",
			Retry: catalog.RetryAfterDelay, RetryAfter: 60 * time.Second}},
		{"relative type against typeBase", "APIGW.0201", catalog.Type{Code: "APIGW.0201", CodeMember: "code", Status: 400,
			URI: "https://docs.example.com/errors/body-too-large", Title: "Request body too large", Retry: catalog.RetryNever}},
		{"absolute type, retry from the default status", "APIGW.0999", catalog.Type{Code: "APIGW.0999", CodeMember: "code", Status: 500,
			URI: "https://status.example.com/gateway", Title: "Gateway failure", Retry: catalog.RetryAnytime}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := cat.Type(tt.code)
			require.True(t, ok)
			assert.Equal(t, tt.want, got)
			byURI, ok := cat.TypeByURI(tt.want.URI)
			require.True(t, ok)
			assert.Equal(t, tt.want, byURI)
		})
	}
	_, ok := cat.Type("APIGW.0000")
	assert.False(t, ok, "a code the file lacks")
	_, ok = catalog.Default().Type("APIGW.0301")
	assert.False(t, ok, "the default catalog has no types")

	var order []string
	for typ := range cat.Types() {
		order = append(order, typ.Code)
	}
	assert.Equal(t, []string{"APIGW.0301", "APIGW.0308", "APIGW.0101", "APIGW.0201", "APIGW.0999"}, order, "file order")

	sub := cat.Subset(func(e catalog.Entry) bool { return e.Code >= 400 })
	assert.Equal(t, order, slices.Collect(func(yield func(string) bool) {
		for typ := range sub.Types() {
			if !yield(typ.Code) {
				return
			}
		}
	}), "Subset keeps the types")
}

func TestLoadTypesCodeMember(t *testing.T) {
	cat := loadTypes(t, `{"codeMember": "errorCode", "statuses": [],
		"types": [{"code": "E1", "status": 404, "title": "No such item", "type": "https://example.com/e1"}]}`)
	typ, ok := cat.Type("E1")
	require.True(t, ok)
	assert.Equal(t, "errorCode", typ.CodeMember)
}

func TestLoadTypesErrors(t *testing.T) {
	const base = `"typeBase": "https://example.com/e/", "statuses": [], `
	tests := []struct {
		name, input, want string
	}{
		{"types not an array", `{"statuses": [], "types": {}}`, `catalog: "types" is not an array`},
		{"null types", `{"statuses": [], "types": null}`, `catalog: "types" is not an array`},
		{"repeated types", `{"statuses": [], "types": [], "types": []}`, `catalog: field "types" appears more than once`},
		{"repeated typeBase", `{"typeBase": "https://a/", "typeBase": "https://b/", "statuses": []}`, `catalog: field "typeBase" appears more than once`},
		{"relative typeBase", `{"typeBase": "/errors/", "statuses": []}`, `catalog: typeBase "/errors/" is not an absolute URI`},
		{"typeBase not a string", `{"typeBase": 1, "statuses": []}`, `catalog: typeBase 1 is not a string`},
		{"typeBase beyond ASCII", `{"typeBase": "https://example.com/fehler/ü/", "statuses": []}`,
			`catalog: typeBase "https://example.com/fehler/ü/" is not a URI reference: it holds U+00FC, which is not ASCII (percent-encode its UTF-8 bytes, RFC 3986 §2.1)`},
		{"typeBase with a brace", `{"typeBase": "https://example.com/{v}/", "statuses": []}`,
			`catalog: typeBase "https://example.com/{v}/" is not a URI reference: it holds U+007B '{', which a URI cannot`},
		{"typeBase with a bad escape", `{"typeBase": "https://example.com/?p=%zz&c=", "statuses": []}`,
			`catalog: typeBase "https://example.com/?p=%zz&c=" is not a URI reference: "%" is not followed by two hex digits`},
		{"codeMember standard", `{"codeMember": "Status", "statuses": []}`, `catalog: codeMember "Status" is a standard member of a problem (RFC 9457 §3.1)`},
		{"codeMember folds to standard", `{"codeMember": "ſtatus", "statuses": []}`, `catalog: codeMember "ſtatus" is a standard member of a problem (RFC 9457 §3.1)`},
		{"codeMember blank", `{"codeMember": " ", "statuses": []}`, `catalog: codeMember is blank`},
		{"codeMember control", `{"codeMember": "a\u0001", "statuses": []}`, `catalog: codeMember has control character U+0001 at byte 1`},
		{"not an object", `{` + base + `"types": [7]}`, `catalog: types[0]: not a JSON object`},
		{"unknown field", `{` + base + `"types": [{"code": "A.1", "status": 400, "title": "T", "Title": "U"}]}`,
			`catalog: types[0] (code "A.1"): unknown field "Title"`},
		{"repeated field", `{` + base + `"types": [{"code": "A.1", "status": 400, "title": "T", "title": "U"}]}`,
			`catalog: types[0] (code "A.1"): field "title" appears more than once`},
		{"missing code", `{` + base + `"types": [{"status": 400, "title": "T"}]}`, `catalog: types[0]: missing "code"`},
		{"blank code", `{` + base + `"types": [{"code": " ", "status": 400, "title": "T"}]}`, `catalog: types[0]: code is blank`},
		{"code not a string", `{` + base + `"types": [{"code": 301, "status": 400, "title": "T"}]}`, `catalog: types[0]: code 301 is not a string`},
		{"code unprintable", `{` + base + `"types": [{"code": "A\u00001", "status": 400, "title": "T"}]}`,
			`catalog: types[0]: code "A\x001" has unprintable character U+0000 at byte 1`},
		{"code padded", `{` + base + `"types": [{"code": "A.1 ", "status": 400, "title": "T"}]}`,
			`catalog: types[0]: code "A.1 " starts or ends with a space`},
		{"duplicate code", `{` + base + `"types": [{"code": "A.1", "status": 400, "title": "T"}, {"code": "A.2", "status": 400, "title": "T"}, {"code": "A.1", "status": 404, "title": "U"}]}`,
			`catalog: types[2] (code "A.1"): duplicate code; first listed at types[0]`},
		{"duplicate URI", `{` + base + `"types": [{"code": "A.1", "status": 400, "title": "T"}, {"code": "A.2", "status": 400, "title": "T", "type": "A.1"}]}`,
			`catalog: types[1] (code "A.2"): type "https://example.com/e/A.1" is also that of types[0] (code "A.1")`},
		{"missing status", `{` + base + `"types": [{"code": "A.1", "title": "T"}]}`, `catalog: types[0] (code "A.1"): missing "status"`},
		{"status not an error", `{` + base + `"types": [{"code": "A.1", "status": 302, "title": "T"}]}`,
			`catalog: types[0] (code "A.1"): status 302 is not one a problem can be sent with (an assigned 4xx or 5xx)`},
		{"status unused", `{` + base + `"types": [{"code": "A.1", "status": 418, "title": "T"}]}`,
			`catalog: types[0] (code "A.1"): status 418 is not one a problem can be sent with (an assigned 4xx or 5xx)`},
		{"status a string", `{` + base + `"types": [{"code": "A.1", "status": "400", "title": "T"}]}`,
			`catalog: types[0] (code "A.1"): status "400" is not one a problem can be sent with (an assigned 4xx or 5xx)`},
		{"status huge", `{` + base + `"types": [{"code": "A.1", "status": 4294967696, "title": "T"}]}`,
			`catalog: types[0] (code "A.1"): status 4294967696 is not one a problem can be sent with (an assigned 4xx or 5xx)`},
		{"missing title", `{` + base + `"types": [{"code": "A.1", "status": 400}]}`, `catalog: types[0] (code "A.1"): missing "title"`},
		{"blank title", `{` + base + `"types": [{"code": "A.1", "status": 400, "title": " "}]}`, `catalog: types[0] (code "A.1"): missing "title"`},
		{"title with newline", `{` + base + `"types": [{"code": "A.1", "status": 400, "title": "a\nb"}]}`,
			`catalog: types[0] (code "A.1"): title has control character U+000A at byte 1`},
		{"title not a string", `{` + base + `"types": [{"code": "A.1", "status": 400, "title": null}]}`,
			`catalog: types[0] (code "A.1"): title null is not a string`},
		{"description with tab", `{` + base + `"types": [{"code": "A.1", "status": 400, "title": "T", "description": "a\tb"}]}`,
			`catalog: types[0] (code "A.1"): description has control character U+0009 at byte 1`},
		{"no URI at all", `{"statuses": [], "types": [{"code": "A.1", "status": 400, "title": "T"}]}`,
			`catalog: types[0] (code "A.1"): missing "type", and the catalog has no "typeBase"`},
		{"relative type without typeBase", `{"statuses": [], "types": [{"code": "A.1", "status": 400, "title": "T", "type": "a1"}]}`,
			`catalog: types[0] (code "A.1"): type "a1" is not an absolute URI, nor a reference against typeBase`},
		{"type with space", `{` + base + `"types": [{"code": "A.1", "status": 400, "title": "T", "type": "a 1"}]}`,
			`catalog: types[0] (code "A.1"): type "a 1" is not a URI reference: it holds U+0020`},
		{"absolute type beyond ASCII", `{"statuses": [], "types": [{"code": "A.1", "status": 400, "title": "T", "type": "https://example.com/probs/é"}]}`,
			`catalog: types[0] (code "A.1"): type "https://example.com/probs/é" is not a URI reference: it holds U+00E9, which is not ASCII (percent-encode its UTF-8 bytes, RFC 3986 §2.1)`},
		{"relative type beyond ASCII", `{` + base + `"types": [{"code": "A.1", "status": 400, "title": "T", "type": "prüfung"}]}`,
			`catalog: types[0] (code "A.1"): type "prüfung" is not a URI reference: it holds U+00FC, which is not ASCII (percent-encode its UTF-8 bytes, RFC 3986 §2.1)`},
		{"type with a caret", `{"statuses": [], "types": [{"code": "A.1", "status": 400, "title": "T", "type": "https://example.com/a^b"}]}`,
			`catalog: types[0] (code "A.1"): type "https://example.com/a^b" is not a URI reference: it holds U+005E '^', which a URI cannot`},
		{"relative type with a backslash", `{` + base + `"types": [{"code": "A.1", "status": 400, "title": "T", "type": "a\\b"}]}`,
			`catalog: types[0] (code "A.1"): type "a\\b" is not a URI reference: it holds U+005C '\', which a URI cannot`},
		{"type with hash twice", `{"statuses": [], "types": [{"code": "A.1", "status": 400, "title": "T", "type": "https://example.com/p#a#b"}]}`,
			`catalog: types[0] (code "A.1"): type "https://example.com/p#a#b" is not a URI reference: it holds "#" twice`},
		{"type with brackets in the path", `{"statuses": [], "types": [{"code": "A.1", "status": 400, "title": "T", "type": "https://example.com/p[1]"}]}`,
			`catalog: types[0] (code "A.1"): type "https://example.com/p[1]" is not a URI reference: it holds "[" or "]" outside the host`},
		{"relative type with a bad escape in the query", `{` + base + `"types": [{"code": "A.1", "status": 400, "title": "T", "type": "a?q=%zz"}]}`,
			`catalog: types[0] (code "A.1"): type "a?q=%zz" is not a URI reference: "%" is not followed by two hex digits`},
		{"empty type", `{` + base + `"types": [{"code": "A.1", "status": 400, "title": "T", "type": ""}]}`,
			`catalog: types[0] (code "A.1"): type is empty`},
		{"IANA prefix", `{"statuses": [], "types": [{"code": "A.1", "status": 400, "title": "T", "type": "https://iana.org/assignments/http-problem-types#date"}]}`,
			`catalog: types[0] (code "A.1"): type "https://iana.org/assignments/http-problem-types#date" claims the IANA registry's prefix; the types registered there are built in (catalog.IANA)`},
		{"IANA prefix by typeBase", `{"typeBase": "https://www.IANA.org/assignments/http-problem-types#", "statuses": [], "types": [{"code": "A.1", "status": 400, "title": "T"}]}`,
			`catalog: types[0] (code "A.1"): type "https://www.IANA.org/assignments/http-problem-types#A.1" claims the IANA registry's prefix; the types registered there are built in (catalog.IANA)`},
		{"about:blank", `{"statuses": [], "types": [{"code": "A.1", "status": 400, "title": "T", "type": "about:blank"}]}`,
			`catalog: types[0] (code "A.1"): type "about:blank" is the type of problems that have no type of their own (RFC 9457 §4.2.1): its title is the status's phrase, not a type's`},
		{"about:blank in another case", `{"statuses": [], "types": [{"code": "A.1", "status": 400, "title": "T", "type": "ABOUT:blank"}]}`,
			`catalog: types[0] (code "A.1"): type "ABOUT:blank" is the type of problems that have no type of their own (RFC 9457 §4.2.1): its title is the status's phrase, not a type's`},
		{"unknown retry", `{` + base + `"types": [{"code": "A.1", "status": 503, "title": "T", "retry": "soon"}]}`,
			`catalog: types[0] (code "A.1"): unknown retry "soon" (want never, anytime or after-delay)`},
		{"negative delay", `{` + base + `"types": [{"code": "A.1", "status": 503, "title": "T", "retryAfter": -5}]}`,
			`catalog: types[0] (code "A.1"): retryAfter -5 is negative`},
		{"delay with never", `{` + base + `"types": [{"code": "A.1", "status": 503, "title": "T", "retry": "never", "retryAfter": 5}]}`,
			`catalog: types[0] (code "A.1"): retryAfter needs retry "after-delay", not "never"`},
		{"delay on a never status", `{` + base + `"types": [{"code": "A.1", "status": 404, "title": "T", "retryAfter": 5}]}`,
			`catalog: types[0] (code "A.1"): retryAfter needs retry "after-delay", and status 404's is "never"`},
		{"status from the file decides", `{"typeBase": "https://example.com/e/", "types": [{"code": "A.1", "status": 418, "title": "T"}], "statuses": [{"code": 400, "phrase": "B"}]}`,
			`catalog: types[0] (code "A.1"): status 418 is not one a problem can be sent with (an assigned 4xx or 5xx)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, err := catalog.Load(strings.NewReader(tt.input))
			assert.True(t, cat == nil, "no catalog with an error")
			assert.EqualError(t, err, tt.want)
		})
	}
}

func TestLoadTypesStatusOfTheFile(t *testing.T) {
	// A status the file gives a phrase of its own becomes sendable, and the
	// types read after the statuses whatever their place in the file.
	cat := loadTypes(t, `{"typeBase": "https://example.com/e/",
		"types": [{"code": "TEA", "status": 418, "title": "A teapot"}],
		"statuses": [{"code": 418, "phrase": "I'm a teapot"}]}`)
	typ, ok := cat.Type("TEA")
	require.True(t, ok)
	assert.Equal(t, 418, typ.Status)
}

// TestIANATypes checks the built-in types against the IANA HTTP Problem
// Types registry.
func TestIANATypes(t *testing.T) {
	tests := []struct {
		name, title string
		status      int
		members     []string
	}{
		{"date", "Date Not Acceptable", 400, nil},
		{"ohttp-key", "Oblivious HTTP key configuration not acceptable", 400, nil},
		{"digest-unsupported-algorithms", "Unsupported Hashing Algorithms", 400, []string{"unsupported-algorithms"}},
		{"digest-invalid-values", "Invalid Digest Values", 400, []string{"invalid-digests"}},
		{"digest-mismatched-values", "Mismatched Digest Values", 400, []string{"mismatched-digests"}},
	}
	var names []string
	for typ := range catalog.IANATypes() {
		names = append(names, strings.TrimPrefix(typ.URI, catalog.IANAPrefix))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Contains(t, names, tt.name)
			typ, ok := catalog.IANA(tt.name)
			require.True(t, ok)
			assert.Equal(t, "https://iana.org/assignments/http-problem-types#"+tt.name, typ.URI)
			assert.Equal(t, tt.title, typ.Title)
			assert.Equal(t, tt.status, typ.Status)
			assert.Equal(t, tt.members, typ.Members)
			assert.Empty(t, typ.Code, "a registered type needs no vendor code")
			assert.NotEmpty(t, typ.Description)
			assert.Equal(t, catalog.RetryNever, typ.Retry)
			if len(typ.Members) > 0 {
				typ.Members[0] = "changed"
				again, _ := catalog.IANA(tt.name)
				assert.Equal(t, tt.members, again.Members, "the built-in table cannot be changed through a copy")
			}
		})
	}
	assert.Len(t, names, len(tests))
	_, ok := catalog.IANA("nope")
	assert.False(t, ok)
}

// A type may not claim the IANA registry's prefix by spelling its URI
// another way.
func TestLoadTypesRefusesIANASpellings(t *testing.T) {
	t.Parallel()
	for _, uri := range []string{
		"https://iana.org:443/assignments/http-problem-types#date",
		"http://iana.org:80/assignments/http-problem-types#date",
		"https://iana.org./assignments/http-problem-types#date",
		"https://WWW.IANA.ORG/assignments/http-problem-types#date",
		"https://iana.org/assignments/./http-problem-types#date",
		"https://iana.org/x/../assignments/http-problem-types#date",
	} {
		_, err := catalog.Load(strings.NewReader(`{"statuses": [], "types": [{"code": "A.1", "status": 400, "title": "T", "type": "` + uri + `"}]}`))
		assert.ErrorContains(t, err, "claims the IANA registry's prefix", uri)
	}
	for _, uri := range []string{
		"https://iana.org:8443/assignments/http-problem-types#date", // another server
		"https://example.com/assignments/http-problem-types#date",
	} {
		_, err := catalog.Load(strings.NewReader(`{"statuses": [], "types": [{"code": "A.1", "status": 400, "title": "T", "type": "` + uri + `"}]}`))
		assert.NoError(t, err, uri)
	}
}

// TestCodeMemberXMLName: the code member is sent in every format,
// and in problem+xml a member is an element, so its name must be an XML
// Name without a colon (RFC 9457 §3.2, Appendix B). Load refuses one that is
// not, naming it, rather than let every XML response of every type drop the
// code.
func TestCodeMemberXMLName(t *testing.T) {
	load := func(member string) (*catalog.Catalog, error) {
		return catalog.Load(strings.NewReader(`{"codeMember": "` + member + `", "typeBase": "https://e.example/errors/",
			"statuses": [], "types": [{"code": "E1", "status": 400, "title": "Bad"}]}`))
	}
	for _, tt := range []struct {
		name, member, want string
	}{
		{"space", "error code", `catalog: codeMember "error code" is not an XML name (RFC 9457 §3.2), so problem+xml could not carry it`},
		{"markup", "x<y", `catalog: codeMember "x<y" is not an XML name (RFC 9457 §3.2), so problem+xml could not carry it`},
		{"leading digit", "1code", `catalog: codeMember "1code" is not an XML name (RFC 9457 §3.2), so problem+xml could not carry it`},
		{"namespace prefix", "x:code", `catalog: codeMember "x:code" is not an XML name (RFC 9457 §3.2), so problem+xml could not carry it`},
		{"leading hyphen", "-code", `catalog: codeMember "-code" is not an XML name (RFC 9457 §3.2), so problem+xml could not carry it`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cat, err := load(tt.member)
			assert.True(t, cat == nil, "no catalog")
			assert.EqualError(t, err, tt.want)
		})
	}
	for _, member := range []string{"code", "errorCode", "error-code", "error_code", "_code", "fehlercode", "código", "错误码"} {
		t.Run("accepts "+member, func(t *testing.T) {
			cat, err := load(member)
			require.NoError(t, err)
			typ, ok := cat.Type("E1")
			require.True(t, ok)
			assert.Equal(t, member, typ.CodeMember)
		})
	}
}
