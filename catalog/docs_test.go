package catalog_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/golden"
)

func TestWriteMarkdown(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, catalog.Default().WriteMarkdown(&buf))
	golden.Assert(t, "default-catalog.md", buf.Bytes())

	vendor, err := catalog.Load(strings.NewReader(vendorCatalog))
	require.NoError(t, err)
	buf.Reset()
	require.NoError(t, vendor.WriteMarkdown(&buf))
	assert.Contains(t, buf.String(), "| 429 | TooManyRequests | The client has sent too many requests in a given time (RFC 6585). | Repeat after Retry-After (30 s by default) |\n")
	assert.Contains(t, buf.String(), "| 520 | UnknownError | Something failed upstream. | May be repeated |\n")
}

func TestWriteMarkdownTypes(t *testing.T) {
	cat := loadTypes(t, typesFile)
	var buf bytes.Buffer
	require.NoError(t, cat.WriteMarkdown(&buf))
	_, types, found := strings.Cut(buf.String(), "\n\n")
	require.True(t, found, "the error-code table follows the status table after a blank line")
	assert.Equal(t, `| Status | Code | Title | Description | What to do |
| ---: | --- | --- | --- | --- |
| 401 | APIGW.0301 | Incorrect IAM authentication information | The token is missing, malformed or expired. | Change the request before repeating it |
| 429 | APIGW.0308 | The throttling threshold has been reached |  | Repeat after Retry-After (10 s by default) |
| 503 | APIGW.0101 | The API does not exist or has not been published |  | Repeat after Retry-After (60 s by default) |
| 400 | APIGW.0201 | Request body too large |  | Change the request before repeating it |
| 500 | APIGW.0999 | Gateway failure |  | May be repeated |
`, types)

	escaped := loadTypes(t, `{"statuses": [], "typeBase": "https://example.com/e/",
		"types": [{"code": "A|B_*", "status": 400, "title": "<b>T</b>", "description": "[x](javascript:y)"}]}`)
	buf.Reset()
	require.NoError(t, escaped.WriteMarkdown(&buf))
	assert.Contains(t, buf.String(), "\n| 400 | A\\|B\\_\\* | &lt;b&gt;T&lt;/b&gt; | \\[x\\](javascript:y) | Change the request before repeating it |\n")

	buf.Reset()
	require.NoError(t, catalog.Default().WriteMarkdown(&buf))
	assert.NotContains(t, buf.String(), "\n\n", "no error-code table without types")
}

func TestWriteMarkdownEscapes(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(`{"statuses":[
		{"code":400,"phrase":"Bad | Request","description":"<script>alert(1)</script> *bold* [link](javascript:x) a\\b & c"}]}`))
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, cat.WriteMarkdown(&buf))
	assert.Contains(t, buf.String(), `| 400 | Bad \| Request | &lt;script&gt;alert(1)&lt;/script&gt; \*bold\* \[link\](javascript:x) a\\b &amp; c | Change the request before repeating it |`+"\n")
	for i, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		assert.Equal(t, 5, strings.Count(line, "|")-strings.Count(line, `\|`), "line %d has 4 cells: %s", i, line)
	}
}

// docsCatalog is a vendor's catalog of a few statuses and error codes, in
// English with translations into Chinese and German.
const (
	docsCatalog = `{
  "typeBase": "https://docs.example.com/errors/",
  "statuses": [
    {"code": 400, "phrase": "Bad Request", "description": "The request is invalid.", "retry": "never"},
    {"code": 429, "phrase": "Too Many Requests", "description": "Too many requests in a minute.", "retry": "after-delay", "retryAfter": 30},
    {"code": 503, "phrase": "Service Unavailable", "retry": "after-delay"}
  ],
  "types": [
    {"code": "DOC.0401", "status": 401, "title": "The API key is missing", "description": "Send the key in Authorization.\u2028See the guide."},
    {"code": "DOC.0429", "status": 429, "title": "The quota | limit is used up", "retry": "after-delay", "retryAfter": 60},
    {"code": "DOC.0500", "status": 500, "title": "Internal error", "retry": "anytime"}
  ]
}`
	docsChinese = `{
  "language": "zh",
  "statuses": [
    {"code": 400, "phrase": "错误的请求", "description": "请求无效。"},
    {"code": 429, "phrase": "请求过多"}
  ],
  "types": [
    {"code": "DOC.0401", "title": "缺少 API 密钥", "description": "请在 Authorization 中发送密钥。"},
    {"code": "DOC.0429", "title": "配额已用完"}
  ]
}`
	docsGerman = `{
  "language": "de",
  "statuses": [{"code": 400, "phrase": "Ungültige Anfrage"}],
  "types": [{"code": "DOC.0500", "title": "Interner Fehler"}]
}`
)

// loadDocsCatalog loads docsCatalog, cut down to the statuses it lists,
// with its translations.
func loadDocsCatalog(t *testing.T, base string, translations ...string) *catalog.Catalog {
	t.Helper()
	cat := loadTypes(t, base)
	cat = cat.Subset(func(e catalog.Entry) bool { return e.Code == 400 || e.Code == 404 || e.Code == 429 || e.Code == 503 })
	for _, tr := range translations {
		var err error
		cat, err = cat.WithTranslation(strings.NewReader(tr))
		require.NoError(t, err)
	}
	return cat
}

// TestWriteMarkdownIn: the docs in each language of the catalog, with its
// texts and the fixed words (headings, retry guidance) in that language,
// and a language the catalog lacks getting the one it falls back to, or
// the base language's.
func TestWriteMarkdownIn(t *testing.T) {
	cat := loadDocsCatalog(t, docsCatalog, docsChinese, docsGerman)
	for _, tc := range []struct {
		name   string
		tag    language.Tag
		golden string
	}{
		{"English", language.English, "docs-en.md"},
		{"Chinese", language.Chinese, "docs-zh.md"},
		{"zh-CN falls back to zh", language.MustParse("zh-CN"), "docs-zh.md"},
		{"German", language.German, "docs-de.md"},
		{"de-CH falls back to de", language.MustParse("de-CH"), "docs-de.md"},
		{"a language the catalog lacks gets the base language", language.French, "docs-en.md"},
		// The cases a walk along Tag.Parent (zh-Hant's parent is und) and
		// Accept-Language negotiation answered differently.
		{"zh-Hant gets zh, as Accept-Language: zh-Hant negotiates", language.TraditionalChinese, "docs-zh.md"},
		{"gsw gets de, as Accept-Language: gsw negotiates", language.MustParse("gsw"), "docs-de.md"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, cat.WriteMarkdownIn(&buf, tc.tag))
			golden.Assert(t, tc.golden, buf.Bytes())
		})
	}

	var buf bytes.Buffer
	require.NoError(t, cat.WriteMarkdown(&buf))
	golden.Assert(t, "docs-en.md", buf.Bytes())
}

// TestWriteMarkdownBaseLanguage: WriteMarkdown writes the fixed words in
// the catalog file's language.
func TestWriteMarkdownBaseLanguage(t *testing.T) {
	cat := loadDocsCatalog(t, `{"language": "zh", "statuses": [{"code": 429, "phrase": "请求过多", "retry": "after-delay", "retryAfter": 30}]}`)
	var buf bytes.Buffer
	require.NoError(t, cat.WriteMarkdown(&buf))
	assert.Equal(t, "| 状态码 | 名称 | 说明 | 重试 |\n| ---: | --- | --- | --- |\n"+
		"| 429 | 请求过多 | The client has sent too many requests in a given time (RFC 6585). | 请在 Retry-After 指定的时间后重试（默认 30 秒） |\n",
		buf.String(), "the file lists only 429")

	all, err := cat.Markdown(&catalog.MarkdownOptions{AllStatuses: true})
	require.NoError(t, err)
	assert.Equal(t, "| 状态码 | 名称 | 说明 | 重试 |\n| ---: | --- | --- | --- |\n"+
		"| 400 | Bad Request | The request is malformed or invalid; the server cannot process it as it is. | 请修改请求后再重试 |\n"+
		"| 404 | Not Found | There is no resource at this URI, or the server will not say whether there is. | 请修改请求后再重试 |\n"+
		"| 429 | 请求过多 | The client has sent too many requests in a given time (RFC 6585). | 请在 Retry-After 指定的时间后重试（默认 30 秒） |\n"+
		"| 503 | Service Unavailable | The server cannot handle the request now, because of load or maintenance. | 请在 Retry-After 指定的时间后重试 |\n",
		string(all), "AllStatuses: the entries of the default table the subset keeps")
}

// TestWriteMarkdownWordsFallBack: a catalog language the fixed words lack
// gets those of the language it falls back to as negotiation has it
// (catalog.MatchLanguage): the Chinese words for zh-Hant, the German ones
// for gsw, the English ones for fr.
func TestWriteMarkdownWordsFallBack(t *testing.T) {
	for _, tc := range []struct {
		name, language, wantHead string
	}{
		{"zh-Hant", "zh-Hant", "| 状态码 | 名称 | 说明 | 重试 |\n"},
		{"zh-TW", "zh-TW", "| 状态码 | 名称 | 说明 | 重试 |\n"},
		{"gsw", "gsw", "| Code | Phrase | Beschreibung | Wiederholen |\n"},
		{"de-AT", "de-AT", "| Code | Phrase | Beschreibung | Wiederholen |\n"},
		{"fr", "fr", "| Code | Phrase | Description | Retry |\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cat := loadTypes(t, `{"language": "`+tc.language+`", "statuses": [{"code": 429, "phrase": "x"}]}`)
			var buf bytes.Buffer
			require.NoError(t, cat.WriteMarkdown(&buf))
			head, _, _ := strings.Cut(buf.String(), "| ---:")
			assert.Equal(t, tc.wantHead, head)
		})
	}
}

// TestWriteMarkdownListed: the status table of a vendor's catalog lists
// the statuses its file lists, as the OpenAPI document describes them, not
// those Load adds from the default table; AllStatuses lists the table.
func TestWriteMarkdownListed(t *testing.T) {
	vendor, err := catalog.Load(strings.NewReader(vendorCatalog))
	require.NoError(t, err)
	rows := func(md []byte) []string {
		table, _, _ := strings.Cut(string(md), "\n\n")
		var codes []string
		for _, line := range strings.Split(table, "\n")[2:] {
			if code, _, ok := strings.Cut(strings.TrimPrefix(line, "| "), " |"); ok {
				codes = append(codes, code)
			}
		}
		return codes
	}
	var all []string
	for e := range vendor.All() {
		all = append(all, strconv.Itoa(e.Code))
	}
	for _, tc := range []struct {
		name string
		opts *catalog.MarkdownOptions
		want []string
	}{
		{"the file's statuses", nil, []string{"400", "408", "418", "429", "504", "520"}},
		{"AllStatuses", &catalog.MarkdownOptions{AllStatuses: true}, all},
	} {
		t.Run(tc.name, func(t *testing.T) {
			md, err := vendor.Markdown(tc.opts)
			require.NoError(t, err)
			assert.Equal(t, tc.want, rows(md))
		})
	}
	var buf bytes.Buffer
	require.NoError(t, vendor.WriteMarkdown(&buf))
	assert.Equal(t, []string{"400", "408", "418", "429", "504", "520"}, rows(buf.Bytes()), "WriteMarkdown lists the file's statuses")
	assert.Greater(t, len(all), 60, "the default table's entries are in the catalog")
}

// TestWriteMarkdownQuotaPolicies: a status's or a type's quota policies
// (a type without its own has its status's) are named after the retry
// guidance, in the language of the docs, as the OpenAPI document names
// them in its RateLimit-Policy header; a type whose list is empty, and a
// status without, get the guidance alone.
func TestWriteMarkdownQuotaPolicies(t *testing.T) {
	cat := loadTypes(t, quotaCatalog)
	for _, tr := range []string{
		`{"language": "zh", "types": [{"code": "API.THROTTLED", "title": "已限流"}]}`,
		`{"language": "de", "types": [{"code": "API.THROTTLED", "title": "Gedrosselt"}]}`,
	} {
		var err error
		cat, err = cat.WithTranslation(strings.NewReader(tr))
		require.NoError(t, err)
	}
	tests := []struct {
		name string
		tag  language.Tag
		want string
	}{
		{"English", language.English, `| Code | Phrase | Description | Retry |
| ---: | --- | --- | --- |
| 429 | Too Many Requests | The client has sent too many requests in a given time (RFC 6585). | Repeat after Retry-After. Quota: 100 requests per 60 s (policy "default"). |
| 503 | Service Unavailable | The server cannot handle the request now, because of load or maintenance. | Repeat after Retry-After |

| Status | Code | Title | Description | What to do |
| ---: | --- | --- | --- | --- |
| 429 | UPLOAD.QUOTA | Upload quota used up |  | Repeat after Retry-After. Quota: 65535 bytes of content per 10 s (policy "peruser"); 0 requests (policy "total"). |
| 429 | API.THROTTLED | Throttled |  | Repeat after Retry-After. Quota: 100 requests per 60 s (policy "default"). |
| 429 | API.OPEN | Throttled, no policy |  | Repeat after Retry-After |
| 503 | API.DOWN | Down |  | Repeat after Retry-After |
`},
		{"Chinese", language.Chinese, `| 状态码 | 名称 | 说明 | 重试 |
| ---: | --- | --- | --- |
| 429 | Too Many Requests | The client has sent too many requests in a given time (RFC 6585). | 请在 Retry-After 指定的时间后重试。配额：每 60 秒 100 个请求（策略 "default"）。 |
| 503 | Service Unavailable | The server cannot handle the request now, because of load or maintenance. | 请在 Retry-After 指定的时间后重试 |

| 状态码 | 错误码 | 标题 | 说明 | 处理建议 |
| ---: | --- | --- | --- | --- |
| 429 | UPLOAD.QUOTA | Upload quota used up |  | 请在 Retry-After 指定的时间后重试。配额：每 10 秒 65535 字节内容（策略 "peruser"）；0 个请求（策略 "total"）。 |
| 429 | API.THROTTLED | 已限流 |  | 请在 Retry-After 指定的时间后重试。配额：每 60 秒 100 个请求（策略 "default"）。 |
| 429 | API.OPEN | Throttled, no policy |  | 请在 Retry-After 指定的时间后重试 |
| 503 | API.DOWN | Down |  | 请在 Retry-After 指定的时间后重试 |
`},
		{"German", language.German, `| Code | Phrase | Beschreibung | Wiederholen |
| ---: | --- | --- | --- |
| 429 | Too Many Requests | The client has sent too many requests in a given time (RFC 6585). | Nach Retry-After wiederholen. Kontingent: 100 Anfragen pro 60 s (Richtlinie "default"). |
| 503 | Service Unavailable | The server cannot handle the request now, because of load or maintenance. | Nach Retry-After wiederholen |

| Status | Code | Titel | Beschreibung | Vorgehen |
| ---: | --- | --- | --- | --- |
| 429 | UPLOAD.QUOTA | Upload quota used up |  | Nach Retry-After wiederholen. Kontingent: 65535 Byte Inhalt pro 10 s (Richtlinie "peruser"); 0 Anfragen (Richtlinie "total"). |
| 429 | API.THROTTLED | Gedrosselt |  | Nach Retry-After wiederholen. Kontingent: 100 Anfragen pro 60 s (Richtlinie "default"). |
| 429 | API.OPEN | Throttled, no policy |  | Nach Retry-After wiederholen |
| 503 | API.DOWN | Down |  | Nach Retry-After wiederholen |
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, cat.WriteMarkdownIn(&buf, tt.tag))
			assert.Equal(t, tt.want, buf.String())
		})
	}
}

// TestWriteMarkdownQuotaWords: each unit of the draft's registry in words,
// one and many, a unit of the catalog's own by its name, a policy without
// a window, and a name the Markdown escapes.
func TestWriteMarkdownQuotaWords(t *testing.T) {
	tests := []struct {
		name, policies         string
		wantEn, wantZh, wantDe string
	}{
		{name: "one request",
			policies: `[{"name": "a", "quota": 1, "window": 1}]`,
			wantEn:   `Quota: 1 request per 1 s (policy "a").`,
			wantZh:   `配额：每 1 秒 1 个请求（策略 "a"）。`,
			wantDe:   `Kontingent: 1 Anfrage pro 1 s (Richtlinie "a").`},
		{name: "requests without a window",
			policies: `[{"name": "a", "quota": 5000, "unit": "requests"}]`,
			wantEn:   `Quota: 5000 requests (policy "a").`,
			wantZh:   `配额：5000 个请求（策略 "a"）。`,
			wantDe:   `Kontingent: 5000 Anfragen (Richtlinie "a").`},
		{name: "bytes of content",
			policies: `[{"name": "a", "quota": 1, "unit": "content-bytes"}, {"name": "b", "quota": 2, "unit": "content-bytes", "window": 3600}]`,
			wantEn:   `Quota: 1 byte of content (policy "a"); 2 bytes of content per 3600 s (policy "b").`,
			wantZh:   `配额：1 字节内容（策略 "a"）；每 3600 秒 2 字节内容（策略 "b"）。`,
			wantDe:   `Kontingent: 1 Byte Inhalt (Richtlinie "a"); 2 Byte Inhalt pro 3600 s (Richtlinie "b").`},
		{name: "concurrent requests",
			policies: `[{"name": "a", "quota": 1, "unit": "concurrent-requests"}, {"name": "b", "quota": 8, "unit": "concurrent-requests"}]`,
			wantEn:   `Quota: 1 concurrent request (policy "a"); 8 concurrent requests (policy "b").`,
			wantZh:   `配额：1 个并发请求（策略 "a"）；8 个并发请求（策略 "b"）。`,
			wantDe:   `Kontingent: 1 gleichzeitige Anfrage (Richtlinie "a"); 8 gleichzeitige Anfragen (Richtlinie "b").`},
		{name: "a unit of the catalog's own, a name with markup",
			policies: `[{"name": "per_user \"x\" <b>", "quota": 3, "unit": "tokens", "window": 60}]`,
			wantEn:   `Quota: 3 tokens per 60 s (policy "per\_user \\"x\\" &lt;b&gt;").`,
			wantZh:   `配额：每 60 秒 3 tokens（策略 "per\_user \\"x\\" &lt;b&gt;"）。`,
			wantDe:   `Kontingent: 3 tokens pro 60 s (Richtlinie "per\_user \\"x\\" &lt;b&gt;").`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat := loadTypes(t, `{"statuses": [{"code": 200, "phrase": "OK", "description": "Fine.", "quotaPolicies": `+tt.policies+`}]}`)
			for _, tr := range []string{`{"language": "zh"}`, `{"language": "de"}`} {
				var err error
				cat, err = cat.WithTranslation(strings.NewReader(tr))
				require.NoError(t, err)
			}
			for _, w := range []struct {
				tag  language.Tag
				want string
			}{{language.English, tt.wantEn}, {language.Chinese, tt.wantZh}, {language.German, tt.wantDe}} {
				var buf bytes.Buffer
				require.NoError(t, cat.WriteMarkdownIn(&buf, w.tag))
				assert.Contains(t, buf.String(), "| 200 | OK | Fine. | "+w.want+" |\n", "%v, the guidance of a 200 (—) left out", w.tag)
			}
		})
	}
}
