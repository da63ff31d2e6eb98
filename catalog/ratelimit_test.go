package catalog_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
)

// TestRateLimitTypes checks the types against draft-ietf-httpapi-ratelimit-
// headers-11 §10.2: the URI, title and recommended status of each
// registration, and the member §5 defines for all three.
func TestRateLimitTypes(t *testing.T) {
	tests := []struct {
		name   string
		status int
		title  string
	}{
		{"quota-exceeded", 429, "Quota Exceeded"},
		{"temporary-reduced-capacity", 503, "Temporary Reduced Capacity"},
		{"abnormal-usage-detected", 429, "Abnormal Usage Detected"},
	}
	var names []string
	for typ := range catalog.RateLimitTypes() {
		names = append(names, typ.URI)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ, ok := catalog.RateLimitType(tt.name)
			require.True(t, ok)
			assert.Equal(t, "https://iana.org/assignments/http-problem-types#"+tt.name, typ.URI)
			assert.Equal(t, tt.status, typ.Status)
			assert.Equal(t, tt.title, typ.Title)
			assert.Equal(t, []string{"violated-policies"}, typ.Members)
			assert.Equal(t, catalog.RetryAfterDelay, typ.Retry, "the default catalog's policy for %d", tt.status)
			assert.NotEmpty(t, typ.Description)
			assert.Contains(t, names, typ.URI, "RateLimitTypes lists it")
			_, ok = catalog.IANA(tt.name)
			assert.False(t, ok, "a draft's type is not in the IANA registry yet")
		})
	}
	assert.Len(t, names, len(tests))

	_, ok := catalog.RateLimitType("quota")
	assert.False(t, ok)
	typ, _ := catalog.RateLimitType("quota-exceeded")
	typ.Members[0] = "changed"
	again, _ := catalog.RateLimitType("quota-exceeded")
	assert.Equal(t, []string{"violated-policies"}, again.Members, "each call returns its own Members")
}

// quotaCatalog is a catalog file whose 429 and one of whose types declare
// quota policies, and whose other type falls back to its status's.
const quotaCatalog = `{
  "typeBase": "https://docs.example.com/errors/",
  "statuses": [
    {"code": 429, "phrase": "Too Many Requests", "retry": "after-delay",
     "quotaPolicies": [{"name": "default", "quota": 100, "window": 60, "unit": "requests"}]},
    {"code": 503, "phrase": "Service Unavailable"}
  ],
  "types": [
    {"code": "UPLOAD.QUOTA", "status": 429, "title": "Upload quota used up",
     "quotaPolicies": [{"name": "peruser", "quota": 65535, "window": 10, "unit": "content-bytes"}, {"name": "total", "quota": 0}]},
    {"code": "API.THROTTLED", "status": 429, "title": "Throttled"},
    {"code": "API.OPEN", "status": 429, "title": "Throttled, no policy", "quotaPolicies": []},
    {"code": "API.DOWN", "status": 503, "title": "Down"}
  ]
}`

func TestLoadQuotaPolicies(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(quotaCatalog))
	require.NoError(t, err)
	byStatus := []catalog.QuotaPolicy{{Name: "default", Quota: 100, Window: time.Minute, Unit: catalog.QuotaUnitRequests}}
	tests := []struct {
		name string
		got  func() []catalog.QuotaPolicy
		want []catalog.QuotaPolicy
	}{
		{"status entry", func() []catalog.QuotaPolicy { e, _ := cat.Lookup(429); return e.QuotaPolicies }, byStatus},
		{"status without", func() []catalog.QuotaPolicy { e, _ := cat.Lookup(503); return e.QuotaPolicies }, nil},
		{"type's own", func() []catalog.QuotaPolicy { typ, _ := cat.Type("UPLOAD.QUOTA"); return typ.QuotaPolicies }, []catalog.QuotaPolicy{
			{Name: "peruser", Quota: 65535, Window: 10 * time.Second, Unit: catalog.QuotaUnitContentBytes}, {Name: "total", Quota: 0}}},
		{"type falls back to its status's", func() []catalog.QuotaPolicy { typ, _ := cat.Type("API.THROTTLED"); return typ.QuotaPolicies }, byStatus},
		{"type by URI", func() []catalog.QuotaPolicy {
			typ, _ := cat.TypeByURI("https://docs.example.com/errors/API.THROTTLED")
			return typ.QuotaPolicies
		}, byStatus},
		{"type with an empty list has none", func() []catalog.QuotaPolicy { typ, _ := cat.Type("API.OPEN"); return typ.QuotaPolicies }, nil},
		{"type whose status has none", func() []catalog.QuotaPolicy { typ, _ := cat.Type("API.DOWN"); return typ.QuotaPolicies }, nil},
		{"default catalog", func() []catalog.QuotaPolicy { e, _ := catalog.Default().Lookup(429); return e.QuotaPolicies }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.got()
			if tt.want == nil {
				assert.Empty(t, got)
				return
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestQuotaPoliciesAreCopies: a catalog is immutable, so what its lookups
// return is the caller's to change.
func TestQuotaPoliciesAreCopies(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(quotaCatalog))
	require.NoError(t, err)
	e, _ := cat.Lookup(429)
	e.QuotaPolicies[0].Name = "changed"
	for e := range cat.All() {
		if e.Code == 429 {
			e.QuotaPolicies[0].Quota = 1
		}
	}
	typ, _ := cat.Type("API.THROTTLED")
	typ.QuotaPolicies[0].Name = "changed"
	for typ := range cat.Types() {
		if len(typ.QuotaPolicies) > 0 {
			typ.QuotaPolicies[0].Name = "changed"
		}
	}
	de, err := cat.WithTranslation(strings.NewReader(`{"language":"de","types":[{"code":"API.THROTTLED","title":"Gedrosselt"}]}`))
	require.NoError(t, err)
	typ, _ = de.TypeByURIIn(de.Languages()[1], "https://docs.example.com/errors/API.THROTTLED")
	typ.QuotaPolicies[0].Name = "changed"

	want := []catalog.QuotaPolicy{{Name: "default", Quota: 100, Window: time.Minute, Unit: catalog.QuotaUnitRequests}}
	e, _ = cat.Lookup(429)
	assert.Equal(t, want, e.QuotaPolicies)
	typ, _ = cat.Type("API.THROTTLED")
	assert.Equal(t, want, typ.QuotaPolicies)
	typ, _ = cat.Type("UPLOAD.QUOTA")
	assert.Equal(t, "peruser", typ.QuotaPolicies[0].Name)
}

func TestLoadQuotaPoliciesErrors(t *testing.T) {
	status := func(policies string) string {
		return `{"statuses":[{"code":400,"phrase":"Bad"},{"code":429,"phrase":"Slow","quotaPolicies":` + policies + `}]}`
	}
	typ := func(policies string) string {
		return `{"typeBase":"https://docs.example.com/errors/","statuses":[],"types":[{"code":"X.1","status":429,"title":"T","quotaPolicies":` + policies + `}]}`
	}
	const pre = "catalog: statuses[1] (code 429): "
	tests := []struct {
		name, in, want string
	}{
		{"not an array", status(`{"name":"a","quota":1}`), pre + "quotaPolicies is not an array"},
		{"null", status(`null`), pre + "quotaPolicies is not an array"},
		{"not an object", status(`["a"]`), pre + "quotaPolicies[0]: not a JSON object"},
		{"unknown field", status(`[{"name":"a","quota":1,"pk":"x"}]`), pre + `quotaPolicies[0]: unknown field "pk"`},
		{"field case", status(`[{"Name":"a","quota":1}]`), pre + `quotaPolicies[0]: unknown field "Name"`},
		{"repeated field", status(`[{"name":"a","quota":1,"quota":2}]`), pre + `quotaPolicies[0]: field "quota" appears more than once`},
		{"missing name", status(`[{"quota":1}]`), pre + `quotaPolicies[0]: missing "name"`},
		{"empty name", status(`[{"name":"","quota":1}]`), pre + `quotaPolicies[0]: name is empty`},
		{"name not a string", status(`[{"name":7,"quota":1}]`), pre + `quotaPolicies[0]: name 7 is not a string`},
		{"name with LF", status(`[{"name":"a\nb","quota":1}]`), pre + `quotaPolicies[0]: name "a\nb" is not printable ASCII (byte 1)`},
		{"name beyond ASCII", status(`[{"name":"dé","quota":1}]`), pre + `quotaPolicies[0]: name "dé" is not printable ASCII (byte 1)`},
		{"duplicate name", status(`[{"name":"a","quota":1},{"name":"b","quota":1},{"name":"a","quota":2}]`),
			pre + `quotaPolicies[2]: duplicate name "a"; first listed at quotaPolicies[0]`},
		{"missing quota", status(`[{"name":"a"}]`), pre + `quotaPolicies[0]: missing "quota"`},
		{"quota not a number", status(`[{"name":"a","quota":"100"}]`), pre + `quotaPolicies[0]: quota "100" is not a whole number`},
		{"quota a fraction", status(`[{"name":"a","quota":1.5}]`), pre + `quotaPolicies[0]: quota 1.5 is not a whole number`},
		{"negative quota", status(`[{"name":"a","quota":-1}]`), pre + `quotaPolicies[0]: quota -1 is outside 0 to 999999999999999`},
		{"quota too large", status(`[{"name":"a","quota":1000000000000000}]`), pre + `quotaPolicies[0]: quota 1000000000000000 is outside 0 to 999999999999999`},
		{"window not whole", status(`[{"name":"a","quota":1,"window":1.5}]`), pre + `quotaPolicies[0]: window 1.5 is not a whole number of seconds`},
		{"window zero", status(`[{"name":"a","quota":1,"window":0}]`), pre + `quotaPolicies[0]: window 0 is not positive; leave it out for none`},
		{"negative window", status(`[{"name":"a","quota":1,"window":-60}]`), pre + `quotaPolicies[0]: window -60 is not positive; leave it out for none`},
		{"window too large", status(`[{"name":"a","quota":1,"window":9300000000}]`), pre + `quotaPolicies[0]: window 9300000000 is too large`},
		{"unit not a string", status(`[{"name":"a","quota":1,"unit":1}]`), pre + `quotaPolicies[0]: unit 1 is not a string`},
		{"unit not a token", status(`[{"name":"a","quota":1,"unit":"content bytes"}]`), pre + `quotaPolicies[0]: unit "content bytes" is not a token, such as "content-bytes"`},
		{"unit empty", status(`[{"name":"a","quota":1,"unit":""}]`), pre + `quotaPolicies[0]: unit "" is not a token, such as "content-bytes"`},
		{"type", typ(`[{"name":"a","quota":-1}]`), `catalog: types[0] (code "X.1"): quotaPolicies[0]: quota -1 is outside 0 to 999999999999999`},
		{"type not an array", typ(`"a"`), `catalog: types[0] (code "X.1"): quotaPolicies is not an array`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := catalog.Load(strings.NewReader(tt.in))
			assert.EqualError(t, err, tt.want)
		})
	}
}

// TestWithTranslationRefusesQuotaPolicies: a translation holds texts only.
func TestWithTranslationRefusesQuotaPolicies(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(quotaCatalog))
	require.NoError(t, err)
	tests := []struct {
		name, in, want string
	}{
		{"status", `{"language":"de","statuses":[{"code":429,"phrase":"Langsam","quotaPolicies":[{"name":"a","quota":1}]}]}`,
			`catalog: translation "de": statuses[0] (code 429): field "quotaPolicies" is not a text; a translation gives only texts`},
		{"type", `{"language":"de","types":[{"code":"API.THROTTLED","title":"Gedrosselt","quotaPolicies":[]}]}`,
			`catalog: translation "de": types[0] (code "API.THROTTLED"): field "quotaPolicies" is not a text; a translation gives only texts`},
		{"top level", `{"language":"de","quotaPolicies":[]}`,
			`catalog: translation: field "quotaPolicies" is not a text; a translation gives only texts`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := cat.WithTranslation(strings.NewReader(tt.in))
			assert.EqualError(t, err, tt.want)
		})
	}
}

func TestHasQuotaPolicies(t *testing.T) {
	load := func(s string) *catalog.Catalog {
		cat, err := catalog.Load(strings.NewReader(s))
		require.NoError(t, err)
		return cat
	}
	quota := load(quotaCatalog)
	tests := []struct {
		name string
		cat  *catalog.Catalog
		want bool
	}{
		{"default", catalog.Default(), false},
		{"a file without", load(`{"statuses":[{"code":429,"phrase":"Slow"}],"types":[{"code":"A","status":429,"title":"T","type":"https://example.com/a"}]}`), false},
		{"a status's", load(`{"statuses":[{"code":429,"phrase":"Slow","quotaPolicies":[{"name":"a","quota":1}]}]}`), true},
		{"a type's only", load(`{"statuses":[],"types":[{"code":"A","status":429,"title":"T","type":"https://example.com/a","quotaPolicies":[{"name":"a","quota":1}]}]}`), true},
		{"empty lists", load(`{"statuses":[{"code":429,"phrase":"Slow","quotaPolicies":[]}]}`), false},
		{"a subset without the status", quota.Subset(func(e catalog.Entry) bool { return e.Code != 429 }), true}, // its types keep theirs
		{"a translation", func() *catalog.Catalog {
			de, err := quota.WithTranslation(strings.NewReader(`{"language":"de"}`))
			require.NoError(t, err)
			return de
		}(), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.cat.HasQuotaPolicies())
		})
	}
}

// TestOpenAPIQuotaPolicies: the response of a status whose problems may
// advertise quota policies documents the RateLimit-Policy header, naming
// the policies of the status and of its types.
func TestOpenAPIQuotaPolicies(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(quotaCatalog))
	require.NoError(t, err)
	b, err := cat.OpenAPI(nil)
	require.NoError(t, err)
	openapiValidate(t, b)
	doc := openapiParse(t, b)
	assert.Equal(t, map[string]any{
		"description": "The quota policies (draft-ietf-httpapi-ratelimit-headers): default, peruser, total.",
		"schema":      map[string]any{"type": "string"},
	}, doc.Components.Responses["TooManyRequests"].Headers["RateLimit-Policy"])
	assert.NotContains(t, doc.Components.Responses["ServiceUnavailable"].Headers, "RateLimit-Policy")

	b, err = catalog.Default().OpenAPI(nil)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "RateLimit-Policy")
}
