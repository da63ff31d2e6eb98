package catalog_test

import (
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
)

// registry is table B22 of the conformance checklist: every status code
// registered with IANA and its recommended phrase (RFC 9110 §15 and the RFCs
// that define the others), with our decisions for 104, 306, 418 and 510.
var registry = map[int]string{
	100: "Continue", 101: "Switching Protocols", 102: "Processing", 103: "Early Hints",
	104: "Upload Resumption Supported",
	200: "OK", 201: "Created", 202: "Accepted", 203: "Non-Authoritative Information", 204: "No Content",
	205: "Reset Content", 206: "Partial Content", 207: "Multi-Status", 208: "Already Reported", 226: "IM Used",
	300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
	305: "Use Proxy", 306: "(Unused)", 307: "Temporary Redirect", 308: "Permanent Redirect",
	400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
	405: "Method Not Allowed", 406: "Not Acceptable", 407: "Proxy Authentication Required", 408: "Request Timeout",
	409: "Conflict", 410: "Gone", 411: "Length Required", 412: "Precondition Failed", 413: "Content Too Large",
	414: "URI Too Long", 415: "Unsupported Media Type", 416: "Range Not Satisfiable", 417: "Expectation Failed",
	418: "(Unused)", 421: "Misdirected Request", 422: "Unprocessable Content", 423: "Locked", 424: "Failed Dependency",
	425: "Too Early", 426: "Upgrade Required", 428: "Precondition Required", 429: "Too Many Requests",
	431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
	500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
	504: "Gateway Timeout", 505: "HTTP Version Not Supported", 506: "Variant Also Negotiates",
	507: "Insufficient Storage", 508: "Loop Detected", 510: "Not Extended", 511: "Network Authentication Required",
}

func TestDefaultMatchesRegistry(t *testing.T) {
	cat := catalog.Default()
	for code := 0; code < 1000; code++ {
		want, registered := registry[code]
		e, ok := cat.Lookup(code)
		if !assert.Equal(t, registered, ok, "Lookup(%d) found = %v", code, ok) || !ok {
			continue
		}
		assert.Equal(t, code, e.Code)
		assert.Equal(t, want, e.Phrase, "phrase of %d", code)
		assert.Equal(t, want, cat.Title(code), "title of %d", code)
		assert.NotEmpty(t, e.Description, "description of %d", code)
		assert.NotContains(t, e.Description, "\n")
		assert.Zero(t, e.RetryAfter, "the default catalog invents no delays (%d)", code)
	}
}

// TestStatusTextGuard fails if Go's http.StatusText changes for a code whose
// phrase we take to differ from it, or starts to differ elsewhere: either
// way the registry table above needs a look.
func TestStatusTextGuard(t *testing.T) {
	differs := map[int]bool{104: true, 306: true, 413: true, 414: true, 416: true, 418: true, 422: true}
	for code := 100; code < 600; code++ {
		phrase, registered := registry[code]
		if !registered {
			assert.Empty(t, http.StatusText(code), "Go knows %d, which the registry table lacks", code)
			continue
		}
		if differs[code] {
			assert.NotEqual(t, phrase, http.StatusText(code), "Go now agrees on %d; update the table", code)
		} else {
			assert.Equal(t, phrase, http.StatusText(code), "Go's phrase for %d changed", code)
		}
	}
}

func TestRetryPolicies(t *testing.T) {
	cat := catalog.Default()
	want := map[int]catalog.RetryPolicy{
		400: catalog.RetryNever, 404: catalog.RetryNever, 409: catalog.RetryNever, 413: catalog.RetryNever,
		408: catalog.RetryAnytime, 421: catalog.RetryAnytime, 425: catalog.RetryAnytime,
		429: catalog.RetryAfterDelay, 503: catalog.RetryAfterDelay,
		500: catalog.RetryAnytime, 502: catalog.RetryAnytime, 504: catalog.RetryAnytime,
		501: catalog.RetryNever, 505: catalog.RetryNever,
	}
	for code, policy := range want {
		e, ok := cat.Lookup(code)
		require.True(t, ok)
		assert.Equal(t, policy, e.Retry, "retry policy of %d", code)
	}
}

func TestRetry(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(`{"statuses":[
		{"code":429,"phrase":"TooManyRequests","retryAfter":30},
		{"code":500,"phrase":"Oops","retry":"after-delay","retryAfter":5}]}`))
	require.NoError(t, err)
	for _, tt := range []struct {
		name   string
		code   int
		policy catalog.RetryPolicy
		delay  time.Duration
	}{
		{"listed, with a delay", 429, catalog.RetryAfterDelay, 30 * time.Second},
		{"listed, default entry", 503, catalog.RetryAfterDelay, 0},
		{"listed, anytime", 408, catalog.RetryAnytime, 0},
		{"listed, never", 404, catalog.RetryNever, 0},
		{"unlisted 4xx takes 400's", 499, catalog.RetryNever, 0},
		{"unlisted 5xx takes 500's", 529, catalog.RetryAfterDelay, 5 * time.Second},
		{"listed 5xx keeps its own", 502, catalog.RetryAnytime, 0},
		{"unlisted class", 199, catalog.RetryNever, 0},
		{"out of range", 600, catalog.RetryNever, 0},
		{"negative", -1, catalog.RetryNever, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			policy, delay := cat.Retry(tt.code)
			assert.Equal(t, tt.policy, policy)
			assert.Equal(t, tt.delay, delay)
		})
	}
}

func TestUnknownCodes(t *testing.T) {
	cat := catalog.Default()
	for code, title := range map[int]string{
		199: "Informational", 299: "Successful", 399: "Redirection",
		419: "Client Error", 499: "Client Error", 520: "Server Error", 599: "Server Error",
		99: "", 600: "", 0: "", -1: "",
	} {
		_, ok := cat.Lookup(code)
		assert.False(t, ok, "Lookup(%d)", code)
		assert.Equal(t, title, cat.Title(code), "Title(%d)", code)
	}
}

func TestRetryPolicyText(t *testing.T) {
	for _, p := range []catalog.RetryPolicy{catalog.RetryNever, catalog.RetryAnytime, catalog.RetryAfterDelay} {
		text, err := p.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, p.String(), string(text))
		var back catalog.RetryPolicy
		require.NoError(t, back.UnmarshalText(text))
		assert.Equal(t, p, back)
	}
	_, err := catalog.RetryPolicy(9).MarshalText()
	assert.Error(t, err)
	assert.Equal(t, "RetryPolicy(9)", catalog.RetryPolicy(9).String())
	var p catalog.RetryPolicy
	assert.EqualError(t, p.UnmarshalText([]byte("later")), `unknown retry "later" (want never, anytime or after-delay)`)
}

const vendorCatalog = `{
  "statuses": [
    {"code": 400, "phrase": "BadRequest", "description": "The request is invalid.", "retry": "never"},
    {"code": 408, "phrase": "Request Time-out", "retry": "anytime"},
    {"code": 429, "phrase": "TooManyRequests", "retry": "after-delay", "retryAfter": 30},
    {"code": 504, "phrase": "ServerTimeout", "retry": "anytime"},
    {"code": 520, "phrase": "UnknownError", "description": "Something failed upstream."},
    {"code": 418, "phrase": "Teapot", "retry": "never"}
  ]
}`

func TestLoadOverrides(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(vendorCatalog))
	require.NoError(t, err)

	e, ok := cat.Lookup(400)
	require.True(t, ok)
	assert.Equal(t, catalog.Entry{Code: 400, Phrase: "BadRequest", Description: "The request is invalid.", Retry: catalog.RetryNever}, e)

	e, _ = cat.Lookup(408)
	assert.Equal(t, "Request Time-out", e.Phrase)
	def, _ := catalog.Default().Lookup(408)
	assert.Equal(t, def.Description, e.Description, "a field left out keeps the default's value")

	e, _ = cat.Lookup(429)
	assert.Equal(t, catalog.RetryAfterDelay, e.Retry)
	assert.Equal(t, 30*time.Second, e.RetryAfter)

	e, ok = cat.Lookup(520)
	require.True(t, ok, "a code the default lacks is added")
	assert.Equal(t, "UnknownError", e.Phrase)
	assert.Equal(t, catalog.RetryAnytime, e.Retry, "a new code without retry takes its class's x00 policy")

	assert.Equal(t, "Not Found", cat.Title(404), "codes not listed keep the default")
	assert.Equal(t, "Teapot", cat.Title(418))

	// The default catalog is unchanged.
	assert.Equal(t, "Bad Request", catalog.Default().Title(400))
	_, ok = catalog.Default().Lookup(520)
	assert.False(t, ok)

	var codes []int
	for e := range cat.All() {
		codes = append(codes, e.Code)
	}
	assert.IsIncreasing(t, codes)
	assert.Contains(t, codes, 520)
	assert.Len(t, codes, len(registry)+1)
}

func TestLoadEmptyListIsDefault(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(`{"statuses": []}`))
	require.NoError(t, err)
	for e := range catalog.Default().All() {
		got, ok := cat.Lookup(e.Code)
		require.True(t, ok)
		assert.Equal(t, e, got)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"not json", `{"statuses": [`, `catalog: unexpected EOF`},
		{"not an object", `[]`, `catalog: not a JSON object`},
		{"statuses not an array", `{"statuses": {}}`, `catalog: "statuses" is not an array`},
		{"field names are exact", `{"Statuses": []}`, `catalog: unknown field "Statuses"`},
		{"unknown top-level field", `{"statuses": [], "status": []}`, `catalog: unknown field "status"`},
		{"trailing data", `{"statuses": []} {}`, `catalog: unexpected data after the top-level object`},
		{"missing statuses", `{}`, `catalog: missing "statuses" array`},
		{"null statuses", `{"statuses": null}`, `catalog: missing "statuses" array`},
		{"unknown entry field", `{"statuses": [{"code": 404, "phrase": "NotFound", "retryafter": 3}]}`,
			`catalog: statuses[0] (code 404): unknown field "retryafter"`},
		{"missing code", `{"statuses": [{"phrase": "X"}]}`, `catalog: statuses[0]: missing "code"`},
		{"code too small", `{"statuses": [{"code": 99, "phrase": "X"}]}`, `catalog: statuses[0]: code 99 is not a status code from 100 to 599`},
		{"code too large", `{"statuses": [{"code": 600, "phrase": "X"}]}`, `catalog: statuses[0]: code 600 is not a status code from 100 to 599`},
		{"code not integer", `{"statuses": [{"code": 404.5, "phrase": "X"}]}`, `catalog: statuses[0]: code 404.5 is not a status code from 100 to 599`},
		{"code is a string", `{"statuses": [{"code": "404", "phrase": "X"}]}`, `catalog: statuses[0]: code "404" is not a status code from 100 to 599`},
		{"phrase not a string", `{"statuses": [{"code": 404, "phrase": 404}]}`, `catalog: statuses[0] (code 404): phrase 404 is not a string`},
		{"retry not a string", `{"statuses": [{"code": 404, "phrase": "X", "retry": 1}]}`, `catalog: statuses[0] (code 404): retry 1 is not a string`},
		{"description not a string", `{"statuses": [{"code": 404, "phrase": "X", "description": null}]}`, `catalog: statuses[0] (code 404): description null is not a string`},
		{"duplicate code", `{"statuses": [{"code": 404, "phrase": "A"}, {"code": 400, "phrase": "B"}, {"code": 404, "phrase": "C"}]}`,
			`catalog: statuses[2] (code 404): duplicate code; first listed at statuses[0]`},
		{"missing phrase", `{"statuses": [{"code": 404}]}`, `catalog: statuses[0] (code 404): missing "phrase"`},
		{"empty phrase", `{"statuses": [{"code": 404, "phrase": ""}]}`, `catalog: statuses[0] (code 404): phrase is blank`},
		{"blank phrase", `{"statuses": [{"code": 404, "phrase": " \t"}]}`, `catalog: statuses[0] (code 404): phrase is blank`},
		{"phrase with newline", `{"statuses": [{"code": 400, "phrase": "A"}, {"code": 404, "phrase": "Not\nFound"}]}`,
			`catalog: statuses[1] (code 404): phrase has control character U+000A at byte 3`},
		{"phrase with DEL", `{"statuses": [{"code": 404, "phrase": "Not\u007fFound"}]}`, `catalog: statuses[0] (code 404): phrase has control character U+007F at byte 3`},
		{"phrase with C1 control", `{"statuses": [{"code": 404, "phrase": "Not\u0085Found"}]}`, `catalog: statuses[0] (code 404): phrase has control character U+0085 at byte 3`},
		{"description with tab", `{"statuses": [{"code": 404, "phrase": "NotFound", "description": "a\tb"}]}`, `catalog: statuses[0] (code 404): description has control character U+0009 at byte 1`},
		{"invalid UTF-8 phrase", "{\"statuses\": [{\"code\": 404, \"phrase\": \"a\xffb\"}]}", `catalog: statuses[0] (code 404): phrase is not valid UTF-8`},
		{"code as float", `{"statuses": [{"code": 4.04e2, "phrase": "NotFound"}, {"code": 404, "phrase": "Again"}]}`, `catalog: statuses[1] (code 404): duplicate code; first listed at statuses[0]`},
		{"unknown retry", `{"statuses": [{"code": 503, "phrase": "Down", "retry": "later"}]}`,
			`catalog: statuses[0] (code 503): unknown retry "later" (want never, anytime or after-delay)`},
		{"negative delay", `{"statuses": [{"code": 429, "phrase": "Slow", "retry": "after-delay", "retryAfter": -1}]}`,
			`catalog: statuses[0] (code 429): retryAfter -1 is negative`},
		{"fractional delay", `{"statuses": [{"code": 429, "phrase": "Slow", "retryAfter": 1.5}]}`,
			`catalog: statuses[0] (code 429): retryAfter 1.5 is not a whole number of seconds`},
		{"huge delay", `{"statuses": [{"code": 429, "phrase": "Slow", "retryAfter": 99999999999}]}`,
			`catalog: statuses[0] (code 429): retryAfter 99999999999 is too large`},
		{"delay without after-delay", `{"statuses": [{"code": 500, "phrase": "Oops", "retry": "anytime", "retryAfter": 5}]}`,
			`catalog: statuses[0] (code 500): retryAfter needs retry "after-delay", not "anytime"`},
		{"delay on a default never code", `{"statuses": [{"code": 404, "phrase": "NotFound", "retryAfter": 5}]}`,
			`catalog: statuses[0] (code 404): retryAfter needs retry "after-delay", not "never"`},
		{"delay on a new code of a never class", `{"statuses": [{"code": 400, "phrase": "X"}, {"code": 499, "phrase": "Gone", "retryAfter": 5}]}`,
			`catalog: statuses[1] (code 499): retryAfter needs retry "after-delay", and the 400 class's is "never"`},
		{"entry not an object", `{"statuses": [{"code": 400, "phrase": "A"}, 7]}`, `catalog: statuses[1]: not a JSON object`},
		{"repeated statuses", `{"statuses": [{"code": 400, "phrase": "A"}], "statuses": []}`, `catalog: field "statuses" appears more than once`},
		{"repeated phrase", `{"statuses": [{"code": 404, "phrase": "A", "phrase": "B"}]}`, `catalog: statuses[0] (code 404): field "phrase" appears more than once`},
		{"repeated code", `{"statuses": [{"code": 404, "phrase": "A", "code": 410}]}`, `catalog: statuses[0] (code 410): field "code" appears more than once`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, err := catalog.Load(strings.NewReader(tt.input))
			assert.True(t, cat == nil, "no catalog with an error")
			assert.EqualError(t, err, tt.want)
		})
	}
}

func TestLoadNewCodeDelayFromClass(t *testing.T) {
	// 529 is new; the 500 class is made after-delay in the same file, so the
	// delay is accepted.
	cat, err := catalog.Load(strings.NewReader(`{"statuses": [
		{"code": 529, "phrase": "Overloaded", "retryAfter": 10},
		{"code": 500, "phrase": "Oops", "retry": "after-delay"}]}`))
	require.NoError(t, err)
	e, _ := cat.Lookup(529)
	assert.Equal(t, catalog.RetryAfterDelay, e.Retry)
	assert.Equal(t, 10*time.Second, e.RetryAfter)
}

func TestSubset(t *testing.T) {
	errorsOnly := catalog.Default().Subset(func(e catalog.Entry) bool { return e.Code >= 400 })
	for e := range errorsOnly.All() {
		assert.GreaterOrEqual(t, e.Code, 400)
	}
	_, ok := errorsOnly.Lookup(200)
	assert.False(t, ok)
	assert.Equal(t, "Successful", errorsOnly.Title(200))
	assert.Equal(t, "Not Found", errorsOnly.Title(404))
	_, ok = catalog.Default().Lookup(200)
	assert.True(t, ok, "the original is unchanged")
}

// generated is a reader of size bytes: head, then fill repeated, then tail.
// It counts what was read from it.
type generated struct {
	head, fill, tail string
	size, read       int64
}

func (g *generated) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && g.read < g.size {
		var b byte
		switch i := g.read; {
		case i < int64(len(g.head)):
			b = g.head[i]
		case i >= g.size-int64(len(g.tail)):
			b = g.tail[i-(g.size-int64(len(g.tail)))]
		default:
			b = g.fill[(i-int64(len(g.head)))%int64(len(g.fill))]
		}
		p[n] = b
		n++
		g.read++
	}
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

// TestLoadCap: Load reads at most MaxSize bytes, and one more to tell that
// the input is larger; it refuses such an input without holding it whole.
func TestLoadCap(t *testing.T) {
	const big = 64 << 20
	const entry = `{"code":404,"phrase":"NotFound","description":"No such thing."}`
	tests := []struct {
		name  string
		input *generated
		ok    bool // the input fits: a catalog
	}{
		{name: "one huge value", input: &generated{head: `{"statuses":[{"code":400,"phrase":"`, fill: "a", tail: `"}]}`, size: big}},
		{name: "endless whitespace", input: &generated{head: `{"statuses":[` + entry, fill: " ", tail: "]}", size: big}},
		{name: "trailing whitespace", input: &generated{head: `{"statuses":[` + entry + "]}", fill: "\n", size: big}},
		{name: "one byte over", input: &generated{head: `{"statuses":[` + entry + "]}", fill: " ", size: catalog.MaxSize + 1}},
		{name: "at the cap", input: &generated{head: `{"statuses":[` + entry + "]}", fill: " ", size: catalog.MaxSize}, ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			cat, err := catalog.Load(tt.input)
			runtime.ReadMemStats(&after)
			assert.LessOrEqual(t, tt.input.read, int64(catalog.MaxSize+1), "bytes read")
			if tt.ok {
				require.NoError(t, err)
				e, _ := cat.Lookup(404)
				assert.Equal(t, "NotFound", e.Phrase)
				return
			}
			assert.Nil(t, cat)
			assert.EqualError(t, err, "catalog: larger than 4 MiB (MaxSize); not read")
			allocated := after.TotalAlloc - before.TotalAlloc
			assert.Less(t, allocated, uint64(8*catalog.MaxSize), "allocated %d MiB", allocated>>20)
		})
	}
}

// TestListed: the entries the catalog file lists, not those Load adds from
// the default table; every entry of Default; a Subset's that its catalog
// lists.
func TestListed(t *testing.T) {
	codes := func(c *catalog.Catalog) []int {
		var out []int
		for e := range c.Listed() {
			out = append(out, e.Code)
		}
		return out
	}
	vendor, err := catalog.Load(strings.NewReader(vendorCatalog))
	require.NoError(t, err)
	var all []int
	for e := range catalog.Default().All() {
		all = append(all, e.Code)
	}
	for _, tc := range []struct {
		name string
		cat  *catalog.Catalog
		want []int
	}{
		{"a catalog file", vendor, []int{400, 408, 418, 429, 504, 520}},
		{"Default", catalog.Default(), all},
		{"a Subset", vendor.Subset(func(e catalog.Entry) bool { return e.Code >= 420 || e.Code == 404 }), []int{429, 504, 520}},
		{"a Subset of Default", catalog.Default().Subset(func(e catalog.Entry) bool { return e.Code == 404 }), []int{404}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, codes(tc.cat))
		})
	}
}
