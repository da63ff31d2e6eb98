package problem_test

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/problem"
)

// pk decodes a partition key as the draft writes it. Two of the draft's
// keys (cHsdsRa894==, sdfjLJUOUH==) have stray bits in their last base64
// character: a decoder that is not strict drops them, and an encoder,
// writing canonical base64 as RFC 9651 §4.1.8 does, cannot produce them.
func pk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	require.NoError(t, err)
	return b
}

// The fields of draft-ietf-httpapi-ratelimit-headers-11, §3, §3.2, §4.2,
// §7, §8.5 and Appendix B. The draft writes one list without a space after
// the comma (§3); RFC 9651 §4.1.1 serialises a list with ", ", which parses
// the same, so the want below has the space.
func TestFormatRateLimitPolicyDraftExamples(t *testing.T) {
	tests := []struct {
		name     string
		policies []catalog.QuotaPolicy
		want     string
	}{
		{"§3 two policies", []catalog.QuotaPolicy{
			{Name: "burst", Quota: 100, Window: time.Minute}, {Name: "daily", Quota: 1000, Window: 24 * time.Hour}},
			`"burst";q=100;w=60, "daily";q=1000;w=86400`},
		{"§3.2 window", []catalog.QuotaPolicy{{Name: "default", Quota: 100, Window: 10 * time.Second}},
			`"default";q=100;w=10`},
		{"§3.2 multiple policies", []catalog.QuotaPolicy{
			{Name: "permin", Quota: 50, Window: time.Minute}, {Name: "perhr", Quota: 1000, Window: time.Hour}},
			`"permin";q=50;w=60, "perhr";q=1000;w=3600`},
		{"§3.2 partition key (canonical base64 of the draft's key)", []catalog.QuotaPolicy{
			{Name: "peruser", Quota: 100, Window: time.Minute, PartitionKey: pk(t, "cHsdsRa894==")}},
			`"peruser";q=100;w=60;pk=:cHsdsRa89w==:`},
		{"§3.2 partition key and unit (canonical base64 of the draft's key)", []catalog.QuotaPolicy{
			{Name: "peruser", Quota: 65535, Unit: catalog.QuotaUnitContentBytes, Window: 10 * time.Second, PartitionKey: pk(t, "sdfjLJUOUH==")}},
			`"peruser";q=65535;qu="content-bytes";w=10;pk=:sdfjLJUOUA==:`},
		{"§8.5", []catalog.QuotaPolicy{{Name: "somepolicy", Quota: 10000, Window: 1000 * time.Second}},
			`"somepolicy";q=10000;w=1000`},
		{"B.1.3", []catalog.QuotaPolicy{{Name: "basic", Quota: 100, Window: time.Minute}}, `"basic";q=100;w=60`},
		{"B.2.3", []catalog.QuotaPolicy{{Name: "dynamic", Quota: 15, Window: 20 * time.Second}}, `"dynamic";q=15;w=20`},
		{"B.3.1 multiple windows", []catalog.QuotaPolicy{
			{Name: "hour", Quota: 1000, Window: time.Hour}, {Name: "day", Quota: 5000, Window: 24 * time.Hour}},
			`"hour";q=1000;w=3600, "day";q=5000;w=86400`},
		{"no window, requests", []catalog.QuotaPolicy{{Name: "total", Quota: 0, Unit: catalog.QuotaUnitRequests}},
			`"total";q=0;qu="requests"`},
		{"window rounds up", []catalog.QuotaPolicy{{Name: "x", Quota: 1, Window: 1500 * time.Millisecond}}, `"x";q=1;w=2`},
		{"escapes", []catalog.QuotaPolicy{{Name: `a "b" \c`, Quota: 1}}, `"a \"b\" \\c";q=1`},
		{"none", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := problem.FormatRateLimitPolicy(tt.policies...)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestFormatRateLimitDraftExamples(t *testing.T) {
	tests := []struct {
		name   string
		limits []problem.ServiceLimit
		want   string
	}{
		{"§4 and §4.2", []problem.ServiceLimit{{Policy: "default", Remaining: 50, Reset: 30 * time.Second}}, `"default";r=50;t=30`},
		{"§4.2 partition key, no window", []problem.ServiceLimit{{Policy: "default", Remaining: 999, PartitionKey: pk(t, "dHJpYWwxMjEzMjM=")}},
			`"default";r=999;pk=:dHJpYWwxMjEzMjM=:`},
		{"§4.2 300MB", []problem.ServiceLimit{{Policy: "default", Remaining: 300000000, Reset: time.Minute, PartitionKey: []byte("App-999")}},
			`"default";r=300000000;t=60;pk=:QXBwLTk5OQ==:`},
		{"§6", []problem.ServiceLimit{{Policy: "problemPolicy", Remaining: 0, Reset: 10 * time.Second}}, `"problemPolicy";r=0;t=10`},
		{"§7", []problem.ServiceLimit{{Policy: "default", Remaining: 1, Reset: 7 * time.Second}}, `"default";r=1;t=7`},
		{"§8.5", []problem.ServiceLimit{{Policy: "daily", Remaining: 1, Reset: 24 * time.Hour}}, `"daily";r=1;t=86400`},
		{"B.1.1", []problem.ServiceLimit{{Policy: "default", Remaining: 0, Reset: 50 * time.Second}}, `"default";r=0;t=50`},
		{"B.1.2", []problem.ServiceLimit{{Policy: "dayLimit", Remaining: 100, Reset: 10 * time.Hour}}, `"dayLimit";r=100;t=36000`},
		{"B.3", []problem.ServiceLimit{{Policy: "dynamic", Remaining: 15, Reset: 40 * time.Second}}, `"dynamic";r=15;t=40`},
		{"reset rounds up", []problem.ServiceLimit{{Policy: "x", Remaining: 0, Reset: 4*time.Second + 1}}, `"x";r=0;t=5`},
		{"two", []problem.ServiceLimit{{Policy: "a", Remaining: 0, Reset: time.Second}, {Policy: "b", Remaining: 9}},
			`"a";r=0;t=1, "b";r=9`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := problem.FormatRateLimit(tt.limits...)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestFormatRateLimitRefuses(t *testing.T) {
	tests := []struct {
		name     string
		policies []catalog.QuotaPolicy
		limits   []problem.ServiceLimit
		want     string
	}{
		{name: "empty policy name", policies: []catalog.QuotaPolicy{{Quota: 1}}, want: "problem: a rate-limit policy needs a name"},
		{name: "CR LF in a name", policies: []catalog.QuotaPolicy{{Name: "a\r\nSet-Cookie: x", Quota: 1}}, want: "printable ASCII"},
		{name: "non-ASCII name", limits: []problem.ServiceLimit{{Policy: "dé"}}, want: "printable ASCII"},
		{name: "LF in a unit", policies: []catalog.QuotaPolicy{{Name: "a", Quota: 1, Unit: "x\n"}}, want: "quota unit of policy"},
		{name: "negative quota", policies: []catalog.QuotaPolicy{{Name: "a", Quota: -1}}, want: "q=-1"},
		{name: "quota too large", policies: []catalog.QuotaPolicy{{Name: "a", Quota: 1_000_000_000_000_000}}, want: "outside 0 to 999999999999999"},
		{name: "negative window", policies: []catalog.QuotaPolicy{{Name: "a", Quota: 1, Window: -time.Second}}, want: "negative window"},
		{name: "empty limit name", limits: []problem.ServiceLimit{{Remaining: 1}}, want: "needs a name"},
		{name: "negative remaining", limits: []problem.ServiceLimit{{Policy: "a", Remaining: -1}}, want: "r=-1"},
		{name: "negative reset", limits: []problem.ServiceLimit{{Policy: "a", Reset: -1}}, want: "negative reset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.policies != nil {
				_, err = problem.FormatRateLimitPolicy(tt.policies...)
			} else {
				_, err = problem.FormatRateLimit(tt.limits...)
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)

			p := problem.New(429, "")
			q, err := p.WithRateLimit(problem.RateLimit{Policies: tt.policies, Limits: tt.limits})
			require.Error(t, err)
			assert.Same(t, p, q, "a problem with a broken field is not made")
			assert.Empty(t, q.Header)
		})
	}
}

func TestWithRateLimit(t *testing.T) {
	p := problem.New(429, "slow down").WithHeader("RateLimit", "stale")
	q, err := p.WithRateLimit(problem.RateLimit{
		Policies: []catalog.QuotaPolicy{{Name: "fixedwindow", Quota: 100, Window: time.Minute}},
		Limits:   []problem.ServiceLimit{{Policy: "fixedwindow", Remaining: 99, Reset: 50 * time.Second}},
	})
	require.NoError(t, err)
	assert.Equal(t, http.Header{
		"Ratelimit-Policy": {`"fixedwindow";q=100;w=60`},
		"Ratelimit":        {`"fixedwindow";r=99;t=50`},
	}, q.Header)
	assert.Equal(t, []string{"stale"}, p.Header["Ratelimit"], "the receiver is left alone")

	r, err := q.WithRateLimit(problem.RateLimit{})
	require.NoError(t, err)
	assert.Empty(t, r.Header, "empty lists remove the fields")
}

func TestRateLimited(t *testing.T) {
	rl := problem.RateLimit{Limits: []problem.ServiceLimit{{Policy: "default", Remaining: 0, Reset: 5 * time.Second}}}
	p, err := problem.RateLimited("quota-exceeded", rl, "default")
	require.NoError(t, err)
	w := httptest.NewRecorder()
	require.NoError(t, new(problem.Responder).Respond(w, httptest.NewRequest("GET", "/items/123", nil), p))

	assert.Equal(t, 429, w.Code)
	assert.Equal(t, `"default";r=0;t=5`, w.Header().Get("RateLimit"))
	assert.Empty(t, w.Header().Values("Retry-After"), "none is made up when nothing sets one")
	assert.JSONEq(t, `{
		"type": "https://iana.org/assignments/http-problem-types#quota-exceeded",
		"title": "Quota Exceeded",
		"status": 429,
		"violated-policies": ["default"]
	}`, w.Body.String())

	for typ := range catalog.RateLimitTypes() {
		name := strings.TrimPrefix(typ.URI, catalog.IANAPrefix)
		p, err := problem.RateLimited(name, problem.RateLimit{})
		require.NoError(t, err, name)
		assert.Equal(t, typ.Status, p.Status, name)
		assert.Equal(t, typ.URI, p.Type, name)
		assert.Empty(t, p.Extensions, "no violated policies, no member")
		assert.ErrorIs(t, p, problem.Of(typ))
	}

	_, err = problem.RateLimited("too-many", rl)
	assert.EqualError(t, err, `problem: no rate-limit problem type "too-many"`)
	_, err = problem.RateLimited("quota-exceeded", problem.RateLimit{Limits: []problem.ServiceLimit{{}}})
	assert.Error(t, err)
}

// TestRespondHoldsRetryAfterToTheReset: a Retry-After, whoever sets it, is
// never earlier than the reset of a used-up limit; limits with quota left
// (draft Appendix B.3: Retry-After 20 beside r=15;t=40) do not hold it.
func TestRespondHoldsRetryAfterToTheReset(t *testing.T) {
	slow, err := catalog.Load(strings.NewReader(`{"statuses":[{"code":429,"phrase":"Too Many Requests","retry":"after-delay","retryAfter":2}]}`))
	require.NoError(t, err)
	soon := time.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat)
	late := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	tests := []struct {
		name    string
		catalog *catalog.Catalog
		own     string
		limits  []problem.ServiceLimit
		want    string
	}{
		{name: "own delay earlier", own: "1", limits: []problem.ServiceLimit{{Policy: "default", Remaining: 0, Reset: 5 * time.Second}}, want: "5"},
		{name: "own delay later", own: "9", limits: []problem.ServiceLimit{{Policy: "default", Remaining: 0, Reset: 5 * time.Second}}, want: "9"},
		{name: "own date earlier", own: soon, limits: []problem.ServiceLimit{{Policy: "default", Remaining: 0, Reset: time.Minute}}, want: "60"},
		{name: "own date later", own: late, limits: []problem.ServiceLimit{{Policy: "default", Remaining: 0, Reset: time.Minute}}, want: late},
		{name: "catalog default earlier", catalog: slow, limits: []problem.ServiceLimit{{Policy: "default", Remaining: 0, Reset: 30 * time.Second}}, want: "30"},
		{name: "latest used-up limit", own: "1", limits: []problem.ServiceLimit{
			{Policy: "burst", Remaining: 0, Reset: 10 * time.Second},
			{Policy: "daily", Remaining: 0, Reset: 20 * time.Second},
			{Policy: "hourly", Remaining: 7, Reset: time.Hour},
		}, want: "20"},
		{name: "B.3 quota left", own: "20", limits: []problem.ServiceLimit{{Policy: "dynamic", Remaining: 15, Reset: 40 * time.Second}}, want: "20"},
		{name: "reset rounds up", own: "4", limits: []problem.ServiceLimit{{Policy: "default", Remaining: 0, Reset: 4*time.Second + time.Millisecond}}, want: "5"},
		{name: "none set", limits: []problem.ServiceLimit{{Policy: "default", Remaining: 0, Reset: 5 * time.Second}}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := problem.New(429, "")
			if tt.own != "" {
				p = p.WithHeader("Retry-After", tt.own)
			}
			p, err := p.WithRateLimit(problem.RateLimit{Limits: tt.limits})
			require.NoError(t, err)
			w := httptest.NewRecorder()
			rs := &problem.Responder{Catalog: tt.catalog}
			require.NoError(t, rs.Respond(w, httptest.NewRequest("GET", "/", nil), p))
			assert.Equal(t, tt.want, w.Header().Get("Retry-After"))
			assert.Len(t, w.Header().Values("Retry-After"), min(1, len(tt.want)))
		})
	}
}

// FuzzFormatRateLimit: whatever the names and numbers, a field value is
// printable ASCII (no CR, LF or other control character can reach a
// header) or there is an error and no value.
func FuzzFormatRateLimit(f *testing.F) {
	f.Add("default", int64(50), int64(30), "content-bytes", []byte("App-999"))
	f.Add("a\r\nb", int64(-1), int64(0), "", []byte(nil))
	f.Add(`"\`, int64(999_999_999_999_999), int64(1<<40), "x\x00", []byte{0, 255})
	f.Fuzz(func(t *testing.T, name string, n, secs int64, unit string, key []byte) {
		d := time.Duration(secs) * time.Second
		policy, perr := problem.FormatRateLimitPolicy(catalog.QuotaPolicy{Name: name, Quota: n, Unit: unit, Window: d, PartitionKey: key})
		limit, lerr := problem.FormatRateLimit(problem.ServiceLimit{Policy: name, Remaining: n, Reset: d, PartitionKey: key})
		for _, v := range []struct {
			value string
			err   error
		}{{policy, perr}, {limit, lerr}} {
			if v.err != nil {
				assert.Empty(t, v.value)
				continue
			}
			assert.Regexp(t, `^"([\x20-\x21\x23-\x5b\x5d-\x7e]|\\["\\])*";`, v.value)
			for i := 0; i < len(v.value); i++ {
				require.True(t, v.value[i] >= 0x20 && v.value[i] <= 0x7e, "byte %#x in %q", v.value[i], v.value)
			}
		}
	})
}

// WithRateLimit replaces a field of the problem's own header however its
// key is spelled, so the response carries one.
func TestWithRateLimitReplacesAnySpelling(t *testing.T) {
	t.Parallel()
	p := problem.New(http.StatusTooManyRequests, "")
	p.Header = http.Header{"RateLimit": {`"old";r=5`}, "RATELIMIT-POLICY": {`"old";q=5`}}
	q, err := p.WithRateLimit(problem.RateLimit{
		Policies: []catalog.QuotaPolicy{{Name: "new", Quota: 10}},
		Limits:   []problem.ServiceLimit{{Policy: "new", Remaining: 0}},
	})
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	var rs problem.Responder
	_ = rs.Respond(rec, httptest.NewRequest("GET", "/", nil), q)
	h := rec.Result().Header
	assert.Equal(t, []string{`"new";r=0`}, h["Ratelimit"])
	assert.Equal(t, []string{`"new";q=10`}, h["Ratelimit-Policy"])
}

// quotaCatalog declares quota policies on its 429 and on one type; another
// type falls back to the 429's, and one opts out with an empty list.
const quotaCatalog = `{
  "typeBase": "https://docs.example.com/errors/",
  "statuses": [
    {"code": 429, "phrase": "Too Many Requests", "retry": "after-delay",
     "quotaPolicies": [{"name": "default", "quota": 100, "window": 60, "unit": "requests"}]}
  ],
  "types": [
    {"code": "UPLOAD.QUOTA", "status": 429, "title": "Upload quota used up",
     "quotaPolicies": [{"name": "peruser", "quota": 65535, "window": 10, "unit": "content-bytes"}, {"name": "total", "quota": 0}]},
    {"code": "API.THROTTLED", "status": 429, "title": "Throttled"},
    {"code": "API.OPEN", "status": 429, "title": "Throttled, no policy", "quotaPolicies": []},
    {"code": "API.DOWN", "status": 503, "title": "Down"}
  ]
}`

// TestRespondCatalogQuotaPolicies: a response whose problem sets no
// RateLimit-Policy advertises the catalog's policies of its type, else of
// its status, serialised as WithRateLimit serialises them.
func TestRespondCatalogQuotaPolicies(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(quotaCatalog))
	require.NoError(t, err)
	typ := func(code string) *problem.Problem {
		ct, ok := cat.Type(code)
		require.True(t, ok, code)
		return problem.Of(ct).New("")
	}
	tests := []struct {
		name   string
		p      *problem.Problem
		header http.Header // the response's, before Respond
		want   []string
	}{
		{name: "429 from the catalog entry", p: problem.New(429, ""), want: []string{`"default";q=100;qu="requests";w=60`}},
		{name: "a type with its own", p: typ("UPLOAD.QUOTA"), want: []string{`"peruser";q=65535;qu="content-bytes";w=10, "total";q=0`}},
		{name: "a type falls back to its status's", p: typ("API.THROTTLED"), want: []string{`"default";q=100;qu="requests";w=60`}},
		{name: "a type with an empty list", p: typ("API.OPEN")},
		{name: "a status without", p: typ("API.DOWN")},
		{name: "a built-in type has its status's", p: mustRateLimited(t, "quota-exceeded"), want: []string{`"default";q=100;qu="requests";w=60`}},
		{name: "the problem's own wins", p: withPolicy(t, problem.New(429, ""), catalog.QuotaPolicy{Name: "mine", Quota: 5, Window: time.Second}),
			want: []string{`"mine";q=5;w=1`}},
		{name: "the problem's own wins over its type's", p: withPolicy(t, typ("UPLOAD.QUOTA"), catalog.QuotaPolicy{Name: "mine", Quota: 5}),
			want: []string{`"mine";q=5`}},
		{name: "the problem's own, set as a header", p: problem.New(429, "").WithHeader("RateLimit-Policy", `"hdr";q=1`), want: []string{`"hdr";q=1`}},
		{name: "one the stack set is kept", p: problem.New(429, ""), header: http.Header{"Ratelimit-Policy": {`"stack";q=9`}}, want: []string{`"stack";q=9`}},
		{name: "one the stack set, spelled otherwise", p: problem.New(429, ""), header: http.Header{"RateLimit-Policy": {`"stack";q=9`}}, want: []string{`"stack";q=9`}},
		{name: "another status", p: problem.New(404, "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			for k, vs := range tt.header {
				w.Header()[k] = vs
			}
			rs := &problem.Responder{Catalog: cat}
			require.NoError(t, rs.Respond(w, httptest.NewRequest("GET", "/", nil), tt.p))
			h := w.Result().Header
			assert.Equal(t, tt.want, h["Ratelimit-Policy"])
			assert.Empty(t, h["Ratelimit"], "RateLimit is the request's, not the catalog's")
		})
	}
}

func mustRateLimited(t *testing.T, name string) *problem.Problem {
	t.Helper()
	p, err := problem.RateLimited(name, problem.RateLimit{})
	require.NoError(t, err)
	return p
}

func withPolicy(t *testing.T, p *problem.Problem, policies ...catalog.QuotaPolicy) *problem.Problem {
	t.Helper()
	q, err := p.WithRateLimit(problem.RateLimit{Policies: policies})
	require.NoError(t, err)
	return q
}

// TestRespondCatalogQuotaPoliciesWire: the whole header section of a 429
// from a catalog entry with policies: the policy field beside the others,
// and no RateLimit.
func TestRespondCatalogQuotaPoliciesWire(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(quotaCatalog))
	require.NoError(t, err)
	w := httptest.NewRecorder()
	rs := &problem.Responder{Catalog: cat}
	require.NoError(t, rs.Respond(w, httptest.NewRequest("GET", "/", nil), problem.New(429, "")))
	assert.Equal(t, http.Header{
		"Content-Type":           {"application/problem+json"},
		"X-Content-Type-Options": {"nosniff"},
		"Cache-Control":          {"no-store"},
		"Vary":                   {"Accept"},
		"Ratelimit-Policy":       {`"default";q=100;qu="requests";w=60`},
	}, w.Result().Header)
}

// TestRespondCatalogQuotaPoliciesDraftExamples: the policies of the
// draft's RateLimit-Policy examples (draft-ietf-httpapi-ratelimit-headers-11
// §3 and §3.2; the quota policy item is defined in §3.1), declared in a
// catalog file, go out as the draft writes them, with ", " between list
// members (RFC 9651 §4.1.1). Partition keys are the request's, so the
// catalog has none.
func TestRespondCatalogQuotaPoliciesDraftExamples(t *testing.T) {
	tests := []struct {
		name, policies, want string
	}{
		{"§3 two policies", `[{"name":"burst","quota":100,"window":60},{"name":"daily","quota":1000,"window":86400}]`,
			`"burst";q=100;w=60, "daily";q=1000;w=86400`},
		{"§3.2 window", `[{"name":"default","quota":100,"window":10}]`, `"default";q=100;w=10`},
		{"§3.2 multiple policies", `[{"name":"permin","quota":50,"window":60},{"name":"perhr","quota":1000,"window":3600}]`,
			`"permin";q=50;w=60, "perhr";q=1000;w=3600`},
		{"§3.2 unit, without the partition key", `[{"name":"peruser","quota":65535,"unit":"content-bytes","window":10}]`,
			`"peruser";q=65535;qu="content-bytes";w=10`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, err := catalog.Load(strings.NewReader(`{"statuses":[{"code":429,"phrase":"Too Many Requests","quotaPolicies":` + tt.policies + `}]}`))
			require.NoError(t, err)
			w := httptest.NewRecorder()
			rs := &problem.Responder{Catalog: cat}
			require.NoError(t, rs.Respond(w, httptest.NewRequest("GET", "/", nil), problem.New(429, "")))
			assert.Equal(t, []string{tt.want}, w.Result().Header["Ratelimit-Policy"])
		})
	}
}
