package catalog_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/golden"
	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/internal/wire"
)

const (
	browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	pagesFile     = `{
  "typeBase": "https://docs.example.com/errors/",
  "statuses": [
    {"code": 429, "phrase": "Too Many Requests", "retry": "after-delay", "retryAfter": 30}
  ],
  "types": [
    {"code": "APIGW.0301", "status": 401, "title": "Incorrect IAM authentication information",
     "description": "The token is missing, malformed or expired.", "retry": "never"},
    {"code": "APIGW.0308", "status": 429, "title": "The throttling threshold has been reached",
     "description": "The API key has sent more requests than its plan allows in a minute.", "retryAfter": 10},
    {"code": "APIGW.0201", "status": 400, "title": "Request body too large", "type": "limits/body"},
    {"code": "APIGW.0999", "status": 500, "title": "Gateway failure", "type": "https://status.example.com/gateway"}
  ]
}`
)

// pagesCatalog is the catalog of the page tests: error-code types under
// https://docs.example.com/errors/ (one at a nested path, one elsewhere),
// six 4xx and 5xx statuses, in English and German.
func pagesCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Load(strings.NewReader(pagesFile))
	require.NoError(t, err)
	cat = cat.Subset(func(e catalog.Entry) bool {
		return e.Code == 400 || e.Code == 401 || e.Code == 404 || e.Code == 405 || e.Code == 429 || e.Code == 500
	})
	cat, err = cat.WithTranslation(strings.NewReader(germanTypes))
	require.NoError(t, err)
	return cat
}

// servePages serves h at /errors/, where the type URIs of pagesCatalog
// lead.
func servePages(t *testing.T, h http.Handler) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/errors/", h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestPagesWire pins the bytes of each kind of page, in each format: the
// type pages at their URIs' paths, the status pages under status/, the
// index at the root, and the 404 and 405 answers.
func TestPagesWire(t *testing.T) {
	tests := []struct {
		name, method, path string
		header             []string
	}{
		{name: "type.html", path: "/errors/APIGW.0301", header: []string{"Accept", browserAccept}},
		{name: "type.json", path: "/errors/APIGW.0301"},
		{name: "type-de.html", path: "/errors/APIGW.0308", header: []string{"Accept", browserAccept, "Accept-Language", "de-CH, en;q=0.5"}},
		{name: "type-de.json", path: "/errors/APIGW.0308", header: []string{"Accept-Language", "de"}},
		{name: "type-lang-query.html", path: "/errors/limits/body?lang=de", header: []string{"Accept", browserAccept, "Accept-Language", "en"}},
		{name: "status.html", path: "/errors/status/429", header: []string{"Accept", browserAccept}},
		{name: "status.json", path: "/errors/status/429", header: []string{"Accept", "application/json"}},
		{name: "index.html", path: "/errors/", header: []string{"Accept", browserAccept}},
		{name: "index.json", path: "/errors/"},
		{name: "not-found.html", path: "/errors/APIGW.9999", header: []string{"Accept", browserAccept}},
		{name: "not-found.json", path: "/errors/status/200"},
		{name: "method-not-allowed.json", method: http.MethodPost, path: "/errors/APIGW.0301"},
		{name: "head", method: http.MethodHead, path: "/errors/APIGW.0301", header: []string{"Accept", browserAccept}},
		{name: "partial-content.json", path: "/errors/APIGW.0301", header: []string{"Range", "bytes=0-9"}},
		{name: "partial-content.html", path: "/errors/APIGW.0301", header: []string{"Accept", browserAccept, "Range", "bytes=-16"}},
		{name: "not-modified.html", path: "/errors/APIGW.0301", header: []string{"Accept", browserAccept, "If-None-Match", "*"}},
	}
	url := servePages(t, pagesCatalog(t).Pages(nil))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			resp := testkit.Send(t, http.DefaultClient, method, url+tt.path, nil, tt.header...)
			golden.Assert(t, "pages/"+tt.name+".http", golden.Response(t, resp))
		})
	}
}

// TestPagesServeContentErrors pins the bytes of the answers to a GET or
// HEAD of a page that http.ServeContent refuses: an unsatisfiable Range
// and a failed If-Match or If-Unmodified-Since. They are problems like the
// 404 and 405 (an HTML page for a browser, else application/problem+json),
// not ServeContent's text/plain "invalid range" or its empty 412 labelled
// with the page's media type, and keep the fields their status calls for:
// the 416 its Content-Range: bytes */<length of the page> (RFC 9110
// §15.5.17, B4) and no validator (C12), the 412 the page's ETag and
// Last-Modified, which a client needs to make its next condition.
func TestPagesServeContentErrors(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(pagesFile))
	require.NoError(t, err)
	cat = cat.Subset(func(e catalog.Entry) bool {
		return e.Code == 401 || e.Code == 404 || e.Code == 405 || e.Code == 412 || e.Code == 416 || e.Code == 429
	})
	cat = translate(t, cat, germanTypes)
	url := servePages(t, cat.Pages(nil))
	modifiedURL := servePages(t, cat.Pages(&catalog.PagesOptions{LastModified: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}))
	tests := []struct {
		name, method string
		modified     bool // served with PagesOptions.LastModified
		header       []string
	}{
		{name: "range-not-satisfiable.json", header: []string{"Range", "bytes=99999-"}},
		{name: "range-not-satisfiable.html", header: []string{"Accept", browserAccept, "Range", "bytes=99999-"}},
		{name: "range-not-satisfiable-de.html", header: []string{"Accept", browserAccept, "Accept-Language", "de", "Range", "bytes=5000-5100, 6000-"}},
		{name: "range-not-satisfiable-head.html", method: http.MethodHead, header: []string{"Accept", browserAccept, "Range", "bytes=99999-"}},
		{name: "precondition-failed.json", header: []string{"If-Match", `"nope"`}},
		{name: "precondition-failed.html", header: []string{"Accept", browserAccept, "If-Match", `"nope", "other"`}},
		{name: "precondition-failed-head.json", method: http.MethodHead, header: []string{"If-Match", `"nope"`}},
		{name: "precondition-failed-since.json", modified: true, header: []string{"If-Unmodified-Since", "Mon, 30 Nov 2026 11:59:59 GMT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method, base := cmp.Or(tt.method, http.MethodGet), url
			if tt.modified {
				base = modifiedURL
			}
			resp := testkit.Send(t, http.DefaultClient, method, base+"/errors/APIGW.0301", nil, tt.header...)
			golden.Assert(t, "pages/"+tt.name+".http", golden.Response(t, resp))
		})
	}

	// ServeContent takes Content-Encoding off its 416 (net/http's
	// serveError), though a compressor outside goes on compressing what
	// comes: the problem keeps it, as the 404 does.
	t.Run("behind a compressor", func(t *testing.T) {
		h := testkit.GzipAll(cat.Pages(nil))
		for _, tt := range []struct {
			name, path string
			header     []string
			want       string
		}{
			{"416", "/errors/APIGW.0301", []string{"Range", "bytes=99999-"}, `{"type":"about:blank","title":"Range Not Satisfiable","status":416}`},
			{"412", "/errors/APIGW.0301", []string{"If-Match", `"nope"`}, `{"type":"about:blank","title":"Precondition Failed","status":412}`},
			{"404", "/errors/APIGW.9999", nil, `{"type":"about:blank","title":"Not Found","status":404}`},
		} {
			t.Run(tt.name, func(t *testing.T) {
				r := httptest.NewRequest(http.MethodGet, tt.path, nil)
				for i := 0; i+1 < len(tt.header); i += 2 {
					r.Header.Set(tt.header[i], tt.header[i+1])
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, r)
				resp := rec.Result()
				assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
				assert.Equal(t, tt.want, testkit.Decoded(t, resp))
			})
		}
	})

	// The length of the bytes before an encoding set outside is not the
	// length sent: the error answers leave it to the encoder, as
	// ServeContent does for a page.
	t.Run("no Content-Length under an encoding set outside", func(t *testing.T) {
		for _, tt := range []struct{ name, path, rng string }{
			{"404", "/errors/APIGW.9999", ""},
			{"416", "/errors/APIGW.0301", "bytes=99999-"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				r := httptest.NewRequest(http.MethodGet, tt.path, nil)
				if tt.rng != "" {
					r.Header.Set("Range", tt.rng)
				}
				rec := httptest.NewRecorder()
				rec.Header().Set("Content-Encoding", "gzip")
				cat.Pages(nil).ServeHTTP(rec, r)
				assert.Empty(t, rec.Header().Values("Content-Length"))
				assert.Equal(t, "gzip", rec.Header().Get("Content-Encoding"))
			})
		}
	})
}

// TestPagesRanges checks the satisfiable ranges of a page, which
// http.ServeContent answers as it does: several ranges with a
// multipart/byteranges 206 (RFC 9110 §14.6), and a Range under an If-Range
// of another tag with the whole page.
func TestPagesRanges(t *testing.T) {
	url := servePages(t, pagesCatalog(t).Pages(nil))
	whole, page := testkit.Do(t, http.DefaultClient, "GET", url+"/errors/APIGW.0301", nil)
	require.Equal(t, http.StatusOK, whole.StatusCode)
	etag := whole.Header.Get("Etag")

	resp, body := testkit.Do(t, http.DefaultClient, "GET", url+"/errors/APIGW.0301", nil, "Range", "bytes=0-1, 5-9")
	require.Equal(t, http.StatusPartialContent, resp.StatusCode)
	mediaType, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	require.NoError(t, err)
	assert.Equal(t, "multipart/byteranges", mediaType)
	assert.Equal(t, etag, resp.Header.Get("Etag"))
	assert.Equal(t, "en", resp.Header.Get("Content-Language"))
	mr := multipart.NewReader(strings.NewReader(body), params["boundary"])
	for _, want := range []struct{ contentRange, bytes string }{
		{fmt.Sprintf("bytes 0-1/%d", len(page)), page[0:2]},
		{fmt.Sprintf("bytes 5-9/%d", len(page)), page[5:10]},
	} {
		part, err := mr.NextPart()
		require.NoError(t, err)
		assert.Equal(t, want.contentRange, part.Header.Get("Content-Range"))
		assert.Equal(t, "application/json", part.Header.Get("Content-Type"))
		b, err := io.ReadAll(part)
		require.NoError(t, err)
		assert.Equal(t, want.bytes, string(b))
	}
	_, err = mr.NextPart()
	assert.Equal(t, io.EOF, err)

	for _, tt := range []struct {
		name, ifRange string
		wantStatus    int
		wantBody      string
	}{
		{"If-Range of the page", etag, http.StatusPartialContent, page[:4]},
		{"If-Range of another page", `"other"`, http.StatusOK, page},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := testkit.Do(t, http.DefaultClient, "GET", url+"/errors/APIGW.0301", nil, "Range", "bytes=0-3", "If-Range", tt.ifRange)
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, tt.wantBody, body)
		})
	}
}

// TestPagesEscaping serves a catalog whose texts hold markup and quotes:
// no page carries them unescaped, and the JSON documents give them back as
// written.
func TestPagesEscaping(t *testing.T) {
	const (
		phrase      = `Not <script>alert(1)</script> Found`
		description = `"quoted" & 'single' <b>bold</b>`
		code        = `X"><script>alert(2)</script>`
		title       = `<script>alert(3)</script>`
		typeText    = `</pre><img src=x onerror=alert(4)> "q" 'a'`
	)
	file, err := json.Marshal(map[string]any{
		"typeBase": "https://docs.example.com/errors/",
		"statuses": []any{map[string]any{"code": 404, "phrase": phrase, "description": description}},
		"types":    []any{map[string]any{"code": code, "status": 404, "title": title, "description": typeText}},
	})
	require.NoError(t, err)
	cat, err := catalog.Load(bytes.NewReader(file))
	require.NoError(t, err)
	cat = cat.Subset(func(e catalog.Entry) bool { return e.Code == 404 })
	url := servePages(t, cat.Pages(nil))
	tests := []struct {
		name, path string
		html       []string // what the HTML page shows, escaped
		json       []string // the texts of the JSON document
	}{
		{"index", "/errors/",
			[]string{"X&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;", "&lt;script&gt;alert(3)&lt;/script&gt;", "Not &lt;script&gt;alert(1)&lt;/script&gt; Found"},
			[]string{code, title, typeText, phrase, description}},
		{"type", "/errors/" + strings.ReplaceAll(neturl.PathEscape(code), "%2F", "%2f"),
			[]string{"X&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;", "&lt;script&gt;alert(3)&lt;/script&gt;", "&lt;/pre&gt;&lt;img src=x onerror=alert(4)&gt; &#34;q&#34; &#39;a&#39;"},
			[]string{code, title, typeText}},
		{"status", "/errors/status/404",
			[]string{"Not &lt;script&gt;alert(1)&lt;/script&gt; Found", "&#34;quoted&#34; &amp; &#39;single&#39; &lt;b&gt;bold&lt;/b&gt;"},
			[]string{phrase, description}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := testkit.Do(t, http.DefaultClient, "GET", url+tt.path, nil, "Accept", browserAccept)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			for _, raw := range []string{"<script", "<img", "<b>", `"quoted"`, `'single'`, `"q"`, "</pre><"} {
				assert.NotContains(t, body, raw)
			}
			for _, want := range tt.html {
				assert.Contains(t, body, want)
			}

			resp, body = testkit.Do(t, http.DefaultClient, "GET", url+tt.path, nil, "Accept", "application/json")
			require.Equal(t, http.StatusOK, resp.StatusCode)
			assert.NotContains(t, body, "<", "JSON escapes <, > and & too")
			assert.NotContains(t, body, ">")
			var doc any
			require.NoError(t, json.Unmarshal([]byte(body), &doc))
			texts := map[string]bool{}
			var walk func(v any)
			walk = func(v any) {
				switch v := v.(type) {
				case string:
					texts[v] = true
				case []any:
					for _, e := range v {
						walk(e)
					}
				case map[string]any:
					for _, e := range v {
						walk(e)
					}
				}
			}
			walk(doc)
			for _, want := range tt.json {
				assert.True(t, texts[want], "the document gives %q back", want)
			}
		})
	}
}

// TestPagesNegotiation checks the format (Accept), the language
// (Accept-Language, else ?lang=) and the headers that say what was chosen.
func TestPagesNegotiation(t *testing.T) {
	tests := []struct {
		name, path             string
		accept, acceptLanguage string
		wantType, wantLanguage string
	}{
		{name: "no Accept", wantType: "application/json", wantLanguage: "en"},
		{name: "any", accept: "*/*", wantType: "application/json", wantLanguage: "en"},
		{name: "browser", accept: browserAccept, wantType: "text/html; charset=utf-8", wantLanguage: "en"},
		{name: "json", accept: "application/json", wantType: "application/json", wantLanguage: "en"},
		{name: "json preferred", accept: "text/html;q=0.5, application/json", wantType: "application/json", wantLanguage: "en"},
		{name: "html preferred", accept: "application/json;q=0.5, text/html", wantType: "text/html; charset=utf-8", wantLanguage: "en"},
		{name: "text wildcard", accept: "text/*", wantType: "text/html; charset=utf-8", wantLanguage: "en"},
		{name: "most specific range wins", accept: "text/*;q=1, text/html;q=0.1, application/json;q=0.5", wantType: "application/json", wantLanguage: "en"},
		{name: "html refused", accept: "text/html;q=0, */*", wantType: "application/json", wantLanguage: "en"},
		{name: "nothing acceptable", accept: "image/png", wantType: "application/json", wantLanguage: "en"},
		{name: "malformed", accept: ";;,,q=", wantType: "application/json", wantLanguage: "en"},
		{name: "german", acceptLanguage: "de", wantType: "application/json", wantLanguage: "de"},
		{name: "regional german", acceptLanguage: "fr, de-AT;q=0.8, en;q=0.5", wantType: "application/json", wantLanguage: "de"},
		{name: "language the catalog lacks", acceptLanguage: "fr", wantType: "application/json", wantLanguage: "en"},
		{name: "query beats the header", path: "?lang=de", acceptLanguage: "en", wantType: "application/json", wantLanguage: "de"},
		{name: "query the catalog lacks", path: "?lang=fr", acceptLanguage: "de", wantType: "application/json", wantLanguage: "de"},
		{name: "query malformed", path: "?lang=%00", acceptLanguage: "de", wantType: "application/json", wantLanguage: "de"},
	}
	url := servePages(t, pagesCatalog(t).Pages(nil))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var header []string
			if tt.accept != "" {
				header = append(header, "Accept", tt.accept)
			}
			if tt.acceptLanguage != "" {
				header = append(header, "Accept-Language", tt.acceptLanguage)
			}
			resp, body := testkit.Do(t, http.DefaultClient, "GET", url+"/errors/APIGW.0308"+tt.path, nil, header...)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, tt.wantType, resp.Header.Get("Content-Type"))
			assert.Equal(t, tt.wantLanguage, resp.Header.Get("Content-Language"))
			assert.Equal(t, []string{"Accept, Accept-Language"}, resp.Header.Values("Vary"))
			if tt.wantLanguage == "de" {
				assert.Contains(t, body, "Die Drosselungsschwelle ist erreicht")
			} else {
				assert.Contains(t, body, "The throttling threshold has been reached")
			}
		})
	}

	t.Run("one language", func(t *testing.T) {
		cat, err := catalog.Load(strings.NewReader(pagesFile))
		require.NoError(t, err)
		url := servePages(t, cat.Pages(nil))
		resp, body := testkit.Do(t, http.DefaultClient, "GET", url+"/errors/APIGW.0301?lang=de", nil, "Accept", browserAccept, "Accept-Language", "de")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, "en", resp.Header.Get("Content-Language"), "the page's language, though nothing was negotiated")
		assert.Equal(t, []string{"Accept"}, resp.Header.Values("Vary"))
		assert.NotContains(t, body, `aria-label="Language"`, "no switcher with one language")
	})
}

// TestPagesCaching checks the validators: a strong ETag made from the
// content, which differs between representations, Last-Modified only when
// given, and 304 answers to the conditional requests (RFC 9110 §13.1).
func TestPagesCaching(t *testing.T) {
	cat := pagesCatalog(t)
	url := servePages(t, cat.Pages(nil))
	etag := func(t *testing.T, header ...string) string {
		t.Helper()
		resp, _ := testkit.Do(t, http.DefaultClient, "GET", url+"/errors/APIGW.0301", nil, header...)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Empty(t, resp.Header.Get("Last-Modified"), "no time unless given")
		return resp.Header.Get("Etag")
	}
	json, html, de := etag(t), etag(t, "Accept", browserAccept), etag(t, "Accept-Language", "de")
	assert.Regexp(t, `^"[A-Za-z0-9_-]{22}"$`, json, "strong: no W/ prefix")
	assert.Equal(t, json, etag(t), "the same content, the same tag")
	assert.NotEqual(t, json, html)
	assert.NotEqual(t, json, de)

	tests := []struct {
		name       string
		header     []string
		wantStatus int
	}{
		{"If-None-Match matches", []string{"If-None-Match", json}, http.StatusNotModified},
		{"If-None-Match among others", []string{"If-None-Match", `"other", ` + json}, http.StatusNotModified},
		{"If-None-Match weak comparison", []string{"If-None-Match", "W/" + json}, http.StatusNotModified},
		{"If-None-Match of another representation", []string{"If-None-Match", html}, http.StatusOK},
		{"If-None-Match star", []string{"If-None-Match", "*"}, http.StatusNotModified},
		{"If-Modified-Since without Last-Modified", []string{"If-Modified-Since", "Tue, 01 Dec 2026 00:00:00 GMT"}, http.StatusOK},
		{"If-Match matches", []string{"If-Match", json}, http.StatusOK},
		{"If-Match among others", []string{"If-Match", `"other", ` + json}, http.StatusOK},
		{"If-Match star", []string{"If-Match", "*"}, http.StatusOK},
		{"If-Match strong comparison", []string{"If-Match", "W/" + json}, http.StatusPreconditionFailed},
		{"If-Match of another representation", []string{"If-Match", html}, http.StatusPreconditionFailed},
		{"If-Unmodified-Since without Last-Modified", []string{"If-Unmodified-Since", "Mon, 30 Nov 2026 11:59:59 GMT"}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := testkit.Do(t, http.DefaultClient, "GET", url+"/errors/APIGW.0301", nil, tt.header...)
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			switch tt.wantStatus {
			case http.StatusNotModified:
				assert.Empty(t, body)
				assert.Equal(t, json, resp.Header.Get("Etag"))
				assert.Equal(t, []string{"Accept, Accept-Language"}, resp.Header.Values("Vary"))
			case http.StatusPreconditionFailed:
				assert.Equal(t, `{"type":"about:blank","title":"Client Error","status":412}`, body, "the catalog lacks 412")
				assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
				assert.Empty(t, resp.Header.Values("Etag"), "the error is not the page: no validator of the page's (RFC 9110 §6.4.2)")
			}
		})
	}

	t.Run("LastModified", func(t *testing.T) {
		modified := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
		url := servePages(t, cat.Pages(&catalog.PagesOptions{LastModified: modified}))
		for _, tt := range []struct {
			name       string
			since      string
			wantStatus int
		}{
			{"not modified since", "Mon, 30 Nov 2026 12:00:00 GMT", http.StatusNotModified},
			{"later", "Tue, 01 Dec 2026 00:00:00 GMT", http.StatusNotModified},
			{"modified since", "Mon, 30 Nov 2026 11:59:59 GMT", http.StatusOK},
		} {
			t.Run(tt.name, func(t *testing.T) {
				resp, _ := testkit.Do(t, http.DefaultClient, "GET", url+"/errors/", nil, "If-Modified-Since", tt.since)
				assert.Equal(t, tt.wantStatus, resp.StatusCode)
				if tt.wantStatus == http.StatusOK {
					assert.Equal(t, "Mon, 30 Nov 2026 12:00:00 GMT", resp.Header.Get("Last-Modified"))
				}
			})
		}
		for _, tt := range []struct {
			name       string
			since      string
			wantStatus int
		}{
			{"unmodified since", "Mon, 30 Nov 2026 12:00:00 GMT", http.StatusOK},
			{"unmodified since later", "Tue, 01 Dec 2026 00:00:00 GMT", http.StatusOK},
			{"modified since", "Mon, 30 Nov 2026 11:59:59 GMT", http.StatusPreconditionFailed},
			{"unparsable", "yesterday", http.StatusOK},
		} {
			t.Run("If-Unmodified-Since "+tt.name, func(t *testing.T) {
				resp, _ := testkit.Do(t, http.DefaultClient, "GET", url+"/errors/", nil, "If-Unmodified-Since", tt.since)
				assert.Equal(t, tt.wantStatus, resp.StatusCode)
				if tt.wantStatus == http.StatusOK {
					assert.Equal(t, "Mon, 30 Nov 2026 12:00:00 GMT", resp.Header.Get("Last-Modified"), "on the page")
				} else {
					assert.Empty(t, resp.Header.Values("Last-Modified"), "not on the 412, which is not the page")
				}
			})
		}
	})
}

// TestPagesServeRenderedPages: a page is rendered once, and each request
// for it served from the bytes and ETag made then, so that a GET costs
// about what sending fixed bytes with http.ServeContent costs (the floor
// of BenchmarkPagesType) and negotiating the language: what the handler
// does besides is finding the page, the format and a ?lang=, a few
// allocations, not rendering (an HTML page costs hundreds of allocations
// to render, a JSON document twenty or more).
func TestPagesServeRenderedPages(t *testing.T) {
	cat := pagesCatalog(t)
	pages := cat.Pages(nil)
	tests := []struct {
		name   string
		path   string
		header []string
	}{
		{"type html", "/errors/APIGW.0308", []string{"Accept", browserAccept, "Accept-Language", "de-CH, en;q=0.5"}},
		{"type json", "/errors/APIGW.0308", nil},
		{"type html, ?lang=", "/errors/limits/body?lang=de", []string{"Accept", browserAccept}},
		{"status json", "/errors/status/429", []string{"Accept-Language", "de"}},
		{"index html", "/errors/", []string{"Accept", browserAccept}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, tt.path, nil)
			for i := 0; i+1 < len(tt.header); i += 2 {
				r.Header.Set(tt.header[i], tt.header[i+1])
			}
			floor := pagesFloor(t, pages, r)
			testkit.RequireSameResponse(t, r, testkit.Row{Name: "floor", H: floor}, testkit.Row{Name: "pages", H: pages})
			w := testkit.NewBenchWriter()
			allocs := func(h http.Handler) float64 {
				return testing.AllocsPerRun(100, func() {
					w.Reset()
					h.ServeHTTP(w, r)
				})
			}
			negotiate := testing.AllocsPerRun(100, func() { cat.Negotiate(r.Header["Accept-Language"]) })
			got, base := allocs(pages), allocs(floor)
			assert.LessOrEqual(t, got, base+negotiate+8, "allocations per GET: %v, the floor's %v, Negotiate's %v", got, base, negotiate)
		})
	}
}

// TestPagesConcurrent: requests for the same pages at once, before any
// was rendered, each get the response of a handler that served them one
// by one: the same status, header fields and bytes, in each format and
// language, with and without ?lang=, for GET, HEAD and a conditional GET.
// Run with -race, it also shows that rendering a page once is safe.
func TestPagesConcurrent(t *testing.T) {
	cat := pagesCatalog(t)
	type request struct {
		method, path string
		header       []string
	}
	var requests []request
	for _, path := range []string{"/errors/APIGW.0308", "/errors/limits/body", "/errors/status/429", "/errors/", "/errors/APIGW.0308?lang=de", "/errors/?lang=en"} {
		for _, header := range [][]string{
			nil,
			{"Accept", browserAccept},
			{"Accept", browserAccept, "Accept-Language", "de"},
			{"Accept-Language", "de-CH"},
			{"Accept", browserAccept, "If-None-Match", "*"},
		} {
			requests = append(requests, request{http.MethodGet, path, header}, request{http.MethodHead, path, header})
		}
	}
	serve := func(h http.Handler, rq request) (int, http.Header, string) {
		r := httptest.NewRequest(rq.method, rq.path, nil)
		for i := 0; i+1 < len(rq.header); i += 2 {
			r.Header.Set(rq.header[i], rq.header[i+1])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec.Code, rec.Result().Header, rec.Body.String()
	}
	type response struct {
		status int
		header http.Header
		body   string
	}
	one := cat.Pages(nil)
	want := make([]response, len(requests))
	for i, rq := range requests {
		want[i].status, want[i].header, want[i].body = serve(one, rq)
	}
	require.NotEqual(t, want[0*10+2*2].body, want[4*10+1*2].body, "the German HTML page with ?lang=de differs from the one Accept-Language chose (its links keep the query)")

	all := cat.Pages(nil)
	got := make([]response, len(requests)*4)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			rq := requests[i%len(requests)]
			got[i].status, got[i].header, got[i].body = serve(all, rq)
		})
	}
	wg.Wait()
	for i, g := range got {
		rq, w := requests[i%len(requests)], want[i%len(requests)]
		assert.Equal(t, w.status, g.status, "%s %s %q", rq.method, rq.path, rq.header)
		assert.Equal(t, w.header, g.header, "%s %s %q", rq.method, rq.path, rq.header)
		assert.Equal(t, w.body, g.body, "%s %s %q", rq.method, rq.path, rq.header)
	}
}

// TestPagesMethods checks HEAD (the GET headers, no body), 405 with Allow
// for other methods on a page, and 404 for paths that hold no page, whatever
// the method.
func TestPagesMethods(t *testing.T) {
	url := servePages(t, pagesCatalog(t).Pages(nil))
	get, getBody := testkit.Do(t, http.DefaultClient, "GET", url+"/errors/status/404", nil, "Accept", browserAccept)
	head, headBody := testkit.Do(t, http.DefaultClient, "HEAD", url+"/errors/status/404", nil, "Accept", browserAccept)
	require.Equal(t, http.StatusOK, head.StatusCode)
	assert.Empty(t, headBody)
	assert.Equal(t, strings.Repeat("x", len(getBody)), strings.Repeat("x", int(head.ContentLength)))
	for _, k := range []string{"Content-Type", "Content-Language", "Etag", "Vary", "Content-Security-Policy"} {
		assert.Equal(t, get.Header.Values(k), head.Header.Values(k), k)
	}

	tests := []struct {
		name, method, path string
		wantStatus         int
		wantAllow          string
	}{
		{"POST on a page", "POST", "/errors/APIGW.0301", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"DELETE on the index", "DELETE", "/errors/", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"OPTIONS on a status page", "OPTIONS", "/errors/status/500", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"unknown code", "GET", "/errors/APIGW.0000", http.StatusNotFound, ""},
		{"POST on an unknown code", "POST", "/errors/APIGW.0000", http.StatusNotFound, ""},
		{"status the catalog lacks", "GET", "/errors/status/403", http.StatusNotFound, ""},
		{"status no problem carries", "GET", "/errors/status/200", http.StatusNotFound, ""},
		{"status not a number", "GET", "/errors/status/4o4", http.StatusNotFound, ""},
		{"type outside the base", "GET", "/errors/gateway", http.StatusNotFound, ""},
		{"type's path under another prefix", "GET", "/errors/errors/APIGW.0301", http.StatusNotFound, ""},
		{"trailing slash", "GET", "/errors/APIGW.0301/", http.StatusNotFound, ""},
		{"status directory", "GET", "/errors/status/", http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := testkit.Do(t, http.DefaultClient, tt.method, url+tt.path, nil)
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, tt.wantAllow, resp.Header.Get("Allow"))
			if tt.wantStatus != http.StatusOK {
				assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
				assert.Empty(t, resp.Header.Get("Etag"))
			}
		})
	}
}

// TestPagesMount serves the pages under the type base's path, behind
// http.StripPrefix and under another prefix.
func TestPagesMount(t *testing.T) {
	cat := pagesCatalog(t)
	tests := []struct {
		name    string
		pattern string
		h       http.Handler
		path    string // of the page of APIGW.0201, whose URI is https://docs.example.com/errors/limits/body
	}{
		{"at the base's path", "/errors/", cat.Pages(nil), "/errors/limits/body"},
		{"behind StripPrefix of the base's path", "/errors/", http.StripPrefix("/errors/", cat.Pages(nil)), "/errors/limits/body"},
		{"behind StripPrefix, Prefix /", "/errors/", http.StripPrefix("/errors", cat.Pages(&catalog.PagesOptions{Prefix: "/"})), "/errors/limits/body"},
		{"under another prefix", "/docs/v1/errors/", cat.Pages(&catalog.PagesOptions{Prefix: "/docs/v1/errors/"}), "/docs/v1/errors/limits/body"},
		{"another base", "/", cat.Pages(&catalog.PagesOptions{Base: "https://docs.example.com/"}), "/errors/limits/body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux := http.NewServeMux()
			mux.Handle(tt.pattern, tt.h)
			srv := httptest.NewServer(mux)
			defer srv.Close()
			resp, body := testkit.Do(t, http.DefaultClient, "GET", srv.URL+tt.path, nil)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Contains(t, body, `"code": "APIGW.0201"`)
		})
	}

	t.Run("another base: status pages under it", func(t *testing.T) {
		h := cat.Pages(&catalog.PagesOptions{Base: "https://docs.example.com/"})
		for path, want := range map[string]int{"/status/429": 200, "/": 200, "/errors/APIGW.0301": 200, "/errors/status/429": 404, "/errors/": 404} {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
			assert.Equal(t, want, rec.Code, path)
		}
	})

	t.Run("a base that ends inside a segment", func(t *testing.T) {
		cat, err := catalog.Load(strings.NewReader(`{"typeBase": "https://docs.example.com/errors/e-", "statuses": [],
		  "types": [{"code": "X1", "status": 400, "title": "X one"}, {"code": "Y", "status": 400, "title": "Y nested", "type": "e-y/1"}]}`))
		require.NoError(t, err)
		url := servePages(t, cat.Pages(nil))
		for _, tt := range []struct{ path, link string }{
			{"/errors/e-", `<a href="./e-X1">`},
			{"/errors/e-", `<a href="./e-y/1">`},
			{"/errors/e-", `<a href="./e-status/400">`},
			{"/errors/e-X1", `<a href="./e-">All problem types</a>`},
			{"/errors/e-y/1", `<a href="../e-">All problem types</a>`},
			{"/errors/e-status/400", `<a href="../e-">All problem types</a>`},
		} {
			resp, body := testkit.Do(t, http.DefaultClient, "GET", url+tt.path, nil, "Accept", browserAccept)
			require.Equal(t, http.StatusOK, resp.StatusCode, tt.path)
			assert.Contains(t, body, tt.link, tt.path)
		}
	})

	t.Run("an escaped slash is not a slash", func(t *testing.T) {
		cat, err := catalog.Load(strings.NewReader(`{"typeBase": "https://docs.example.com/errors/", "statuses": [],
		  "types": [{"code": "status/404", "status": 400, "title": "A code with a slash"}]}`))
		require.NoError(t, err)
		url := servePages(t, cat.Pages(nil))
		_, body := testkit.Do(t, http.DefaultClient, "GET", url+"/errors/status%2F404", nil)
		assert.Contains(t, body, `"title": "A code with a slash"`)
		_, body = testkit.Do(t, http.DefaultClient, "GET", url+"/errors/status/404", nil)
		assert.Contains(t, body, `"title": "Not Found"`)
		_, body = testkit.Do(t, http.DefaultClient, "GET", url+"/errors/status%2f404", nil)
		assert.Contains(t, body, `"title": "A code with a slash"`, "percent-encoding in either case")
	})
}

// TestPagesCodeMember checks that a catalog whose codes travel in a member
// of another name documents that name.
func TestPagesCodeMember(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(`{"typeBase": "https://docs.example.com/errors/", "codeMember": "errorCode",
	  "statuses": [], "types": [{"code": "E1", "status": 400, "title": "Bad thing"}]}`))
	require.NoError(t, err)
	url := servePages(t, cat.Pages(nil))
	_, body := testkit.Do(t, http.DefaultClient, "GET", url+"/errors/E1", nil)
	assert.Contains(t, body, `"code": "E1",`+"\n"+`  "codeMember": "errorCode",`)
	_, body = testkit.Do(t, http.DefaultClient, "GET", url+"/errors/E1", nil, "Accept", browserAccept)
	assert.Contains(t, body, "<tr><td><code>errorCode</code></td><td><code>E1</code></td><td>The error code.</td></tr>")
	assert.Contains(t, body, "  &#34;errorCode&#34;: &#34;E1&#34;\n}</pre>")

	def, err := catalog.Load(strings.NewReader(pagesFile))
	require.NoError(t, err)
	url = servePages(t, def.Pages(nil))
	_, body = testkit.Do(t, http.DefaultClient, "GET", url+"/errors/APIGW.0301", nil)
	assert.NotContains(t, body, "codeMember", "left out when it is the default")
}

func TestPagesOptionsPanics(t *testing.T) {
	cat := pagesCatalog(t)
	assert.PanicsWithValue(t, `catalog: PagesOptions.Base "docs/errors/" is not an absolute URI`, func() {
		cat.Pages(&catalog.PagesOptions{Base: "docs/errors/"})
	})
	assert.PanicsWithValue(t, `catalog: PagesOptions.Prefix "errors/" does not start with "/"`, func() {
		cat.Pages(&catalog.PagesOptions{Prefix: "errors/"})
	})
}

// TestPagesHeaders checks what every HTML page carries to keep a browser
// safe: the Content-Security-Policy of package problem's HTML page (no
// script, no requests, inline style only) and nosniff.
func TestPagesHeaders(t *testing.T) {
	vals, err := wire.Shared()
	require.NoError(t, err)
	url := servePages(t, pagesCatalog(t).Pages(nil))
	for _, path := range []string{"/errors/", "/errors/APIGW.0301", "/errors/status/404", "/errors/none"} {
		resp, _ := testkit.Do(t, http.DefaultClient, "GET", url+path, nil, "Accept", browserAccept)
		assert.Equal(t, vals.One(wire.CSP), resp.Header.Values("Content-Security-Policy"), path)
		assert.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"), path)
	}
}

// TestPagesKeepVary: the pages add the request fields they vary on to a
// Vary set outside, such as CORS middleware's Origin, and never drop one
// (RFC 9110 §12.5.5: a cache that lost Origin would serve one origin's
// Access-Control-Allow-Origin to another), on pages, 304s and error
// answers alike; a name already listed, in any case, is not listed twice.
func TestPagesKeepVary(t *testing.T) {
	outside := func(vary ...string) http.Handler {
		pages := pagesCatalog(t).Pages(nil)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			for _, v := range vary {
				w.Header().Add("Vary", v)
			}
			pages.ServeHTTP(w, r)
		})
	}
	page := "/errors/APIGW.0301"
	first, _ := testkit.Do(t, http.DefaultClient, "GET", servePages(t, outside())+page, nil)
	etag := first.Header.Get("Etag")
	require.NotEmpty(t, etag)

	tests := []struct {
		name       string
		vary       []string
		method     string
		path       string
		header     []string
		wantStatus int
		want       []string
	}{
		{name: "a page", vary: []string{"Origin"}, method: "GET", path: page, wantStatus: 200,
			want: []string{"Origin", "Accept, Accept-Language"}},
		{name: "HEAD", vary: []string{"Origin"}, method: "HEAD", path: page, wantStatus: 200,
			want: []string{"Origin", "Accept, Accept-Language"}},
		{name: "304", vary: []string{"Origin"}, method: "GET", path: page, header: []string{"If-None-Match", etag}, wantStatus: 304,
			want: []string{"Origin", "Accept, Accept-Language"}},
		{name: "404", vary: []string{"Origin"}, method: "GET", path: "/errors/none", wantStatus: 404,
			want: []string{"Origin", "Accept, Accept-Language"}},
		{name: "412", vary: []string{"Origin"}, method: "GET", path: page, header: []string{"If-Match", `"other"`}, wantStatus: 412,
			want: []string{"Origin", "Accept, Accept-Language"}},
		{name: "a name listed already, in another case", vary: []string{"origin, accept"}, method: "GET", path: page, wantStatus: 200,
			want: []string{"origin, accept", "Accept-Language"}},
		{name: "all listed already", vary: []string{"Accept-Language", "ACCEPT"}, method: "GET", path: page, wantStatus: 200,
			want: []string{"Accept-Language", "ACCEPT"}},
		{name: "*, which varies on everything", vary: []string{"*"}, method: "GET", path: page, wantStatus: 200,
			want: []string{"*"}},
		{name: "none outside", method: "GET", path: page, wantStatus: 200,
			want: []string{"Accept, Accept-Language"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := servePages(t, outside(tt.vary...))
			resp, _ := testkit.Do(t, http.DefaultClient, tt.method, url+tt.path, nil, tt.header...)
			require.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, tt.want, resp.Header.Values("Vary"))
		})
	}
}

// TestRetryGuidance checks the words of the docs for each policy.
func TestRetryGuidance(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"never", catalog.Entry{Code: 400}.RetryGuidance(), "Change the request before repeating it"},
		{"anytime", catalog.Entry{Code: 500, Retry: catalog.RetryAnytime}.RetryGuidance(), "May be repeated"},
		{"after a delay", catalog.Entry{Code: 503, Retry: catalog.RetryAfterDelay}.RetryGuidance(), "Repeat after Retry-After"},
		{"after a default delay", catalog.Entry{Code: 429, Retry: catalog.RetryAfterDelay, RetryAfter: 30 * time.Second}.RetryGuidance(), "Repeat after Retry-After (30 s by default)"},
		{"not an error", catalog.Entry{Code: 200}.RetryGuidance(), "—"},
		{"type", catalog.Type{Status: 429, Retry: catalog.RetryAfterDelay, RetryAfter: 10 * time.Second}.RetryGuidance(), "Repeat after Retry-After (10 s by default)"},
		{"in zh", catalog.Entry{Code: 429, Retry: catalog.RetryAfterDelay, RetryAfter: 30 * time.Second}.RetryGuidanceIn(language.Chinese), "请在 Retry-After 指定的时间后重试（默认 30 秒）"},
		{"in zh-Hant: zh", catalog.Entry{Code: 400}.RetryGuidanceIn(language.TraditionalChinese), "请修改请求后再重试"},
		{"in de-CH: de", catalog.Entry{Code: 500, Retry: catalog.RetryAnytime}.RetryGuidanceIn(language.MustParse("de-CH")), "Kann wiederholt werden"},
		{"in fr: en", catalog.Entry{Code: 503, Retry: catalog.RetryAfterDelay}.RetryGuidanceIn(language.French), "Repeat after Retry-After"},
		{"type in de", catalog.Type{Status: 429, Retry: catalog.RetryAfterDelay, RetryAfter: 10 * time.Second}.RetryGuidanceIn(language.German), "Nach Retry-After wiederholen (standardmäßig 10 s)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.got)
		})
	}
}

// TestPagesError checks that PagesOptions.Error writes every error answer
// of the handler, so that a service's own writer sends them like its other
// problems: the requests that find no page, and those of a page that
// http.ServeContent refuses (an unsatisfiable Range, a failed
// precondition). It is given the header fields its status calls for
// already set (Allow of a 405, Content-Range of a 416, the validators of a
// 412) and none of the page's, and is not called for the pages, their
// parts (206) and 304s.
func TestPagesError(t *testing.T) {
	var got []int
	hook := func(w http.ResponseWriter, r *http.Request, status int) {
		got = append(got, status)
		given := "nothing"
		if len(w.Header()) > 0 {
			var fields []string
			for _, k := range slices.Sorted(maps.Keys(w.Header())) {
				fields = append(fields, k+": "+strings.Join(w.Header()[k], ", "))
			}
			given = strings.Join(fields, "; ")
		}
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(status)
		fmt.Fprintf(w, "own %d, given %s", status, given)
	}
	url := servePages(t, pagesCatalog(t).Pages(&catalog.PagesOptions{Error: hook}))
	modifiedURL := servePages(t, pagesCatalog(t).Pages(&catalog.PagesOptions{Error: hook, LastModified: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}))
	const jsonTag = `"ZqoGwrIuGx897ZT4iSjpwQ"` // of the JSON page of APIGW.0301, as TestPagesServeContentErrors pins it
	tests := []struct {
		name, method, path string
		header             []string
		wantStatus         int
		wantBody           string // "" for no call of Error
		modified           bool   // served with PagesOptions.LastModified
	}{
		{"no page", "GET", "/errors/APIGW.0000", nil, http.StatusNotFound, `own 404, given nothing`, false},
		{"no page, HTML", "GET", "/errors/APIGW.0000", []string{"Accept", browserAccept}, http.StatusNotFound, `own 404, given nothing`, false},
		{"other method", "POST", "/errors/APIGW.0301", nil, http.StatusMethodNotAllowed, `own 405, given Allow: GET, HEAD`, false},
		{"unsatisfiable range", "GET", "/errors/APIGW.0301", []string{"Range", "bytes=99999-"}, http.StatusRequestedRangeNotSatisfiable, `own 416, given Content-Range: bytes */239`, false},
		{"unsatisfiable range, HTML", "GET", "/errors/APIGW.0301", []string{"Accept", browserAccept, "Range", "bytes=99999-"}, http.StatusRequestedRangeNotSatisfiable, `own 416, given Content-Range: bytes */2742`, false},
		{"unsatisfiable range, HEAD", "HEAD", "/errors/APIGW.0301", []string{"Range", "bytes=99999-"}, http.StatusRequestedRangeNotSatisfiable, ``, false},
		{"failed If-Match", "GET", "/errors/APIGW.0301", []string{"If-Match", `"nope"`}, http.StatusPreconditionFailed, `own 412, given nothing`, false},
		{"failed If-Match, HEAD", "HEAD", "/errors/APIGW.0301", []string{"If-Match", `"nope"`}, http.StatusPreconditionFailed, ``, false},
		{"failed If-Unmodified-Since", "GET", "/errors/APIGW.0301", []string{"If-Unmodified-Since", "Mon, 30 Nov 2026 11:59:59 GMT"}, http.StatusPreconditionFailed,
			`own 412, given nothing`, true},
		{"a page", "GET", "/errors/APIGW.0301", nil, http.StatusOK, "", false},
		{"a page, HEAD", "HEAD", "/errors/APIGW.0301", nil, http.StatusOK, "", false},
		{"a satisfiable range", "GET", "/errors/APIGW.0301", []string{"Range", "bytes=0-9"}, http.StatusPartialContent, "", false},
		{"matching If-Match", "GET", "/errors/APIGW.0301", []string{"If-Match", jsonTag}, http.StatusOK, "", false},
		{"not modified", "GET", "/errors/APIGW.0301", []string{"If-None-Match", jsonTag}, http.StatusNotModified, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got = nil
			base := url
			if tt.modified {
				base = modifiedURL
			}
			resp, body := testkit.Do(t, http.DefaultClient, tt.method, base+tt.path, nil, tt.header...)
			require.Equal(t, tt.wantStatus, resp.StatusCode)
			if tt.wantStatus < 400 {
				assert.Empty(t, got, "Error is not called for a page")
				return
			}
			assert.Equal(t, []int{tt.wantStatus}, got)
			assert.Equal(t, tt.wantBody, body)
			assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"))
			for _, k := range []string{"Content-Language", "Content-Security-Policy", "Vary", "Accept-Ranges"} {
				assert.Empty(t, resp.Header.Values(k), "the page's %s is not set for the hook", k)
			}
		})
	}
}

// TestLabelsIn: the labels of a problem's members in each language of the
// fixed words, a language falling back as MatchLanguage has it, English
// otherwise.
func TestLabelsIn(t *testing.T) {
	en := catalog.Labels{Type: "Type", Code: "Code", Instance: "Instance", Retry: "Retry"}
	zh := catalog.Labels{Type: "类型", Code: "错误码", Instance: "实例", Retry: "重试"}
	de := catalog.Labels{Type: "Typ", Code: "Code", Instance: "Instanz", Retry: "Wiederholen"}
	tests := []struct {
		tag  string
		want catalog.Labels
	}{
		{"en", en}, {"en-GB", en}, {"zh", zh}, {"zh-Hans", zh}, {"zh-Hant", zh}, {"de", de}, {"gsw", de}, {"fr", en}, {"und", en},
	}
	for _, tt := range tests {
		t.Run(tt.tag, func(t *testing.T) {
			assert.Equal(t, tt.want, catalog.LabelsIn(language.MustParse(tt.tag)))
		})
	}
}

// chineseTypes is a Chinese translation of pagesFile.
const chineseTypes = `{
  "language": "zh",
  "statuses": [{"code": 429, "phrase": "请求过多"}, {"code": 404, "phrase": "未找到"}],
  "types": [{"code": "APIGW.0308", "title": "已达到限流阈值", "description": "该 API 密钥在一分钟内发送的请求超过了其套餐的限额。"}]
}`

// TestPagesWords: a page in Chinese or German has its labels, headings
// and retry guidance in that language, as the Markdown docs do; the
// Chinese type page is pinned whole.
func TestPagesWords(t *testing.T) {
	cat, err := pagesCatalog(t).WithTranslation(strings.NewReader(chineseTypes))
	require.NoError(t, err)
	url := servePages(t, cat.Pages(nil))
	resp := testkit.Send(t, http.DefaultClient, http.MethodGet, url+"/errors/APIGW.0308", nil, "Accept", browserAccept, "Accept-Language", "zh-CN")
	golden.Assert(t, "pages/type-zh.html.http", golden.Response(t, resp))

	english := []string{">Type<", ">Retry<", ">Members<", ">Member<", ">Value<", ">Meaning<", ">Example<", "All problem types", "Problem types",
		"Error codes", "Status codes", ">Title<", "Repeat", "Change the request", "May be repeated", "Identifies", "Summarizes", "Explains this occurrence", "The status code", "The error code",
		"No problem type is documented", "does not meet", "lies outside", `aria-label="Language"`}
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"zh", []string{"<dt>类型</dt>", "<dt>重试</dt>", "<h2>成员</h2>", "<h2>示例</h2>", "全部问题类型", "<h2>错误码</h2>", "<h2>状态码</h2>", "请在 Retry-After 指定的时间后重试", "未记载",
			"此页面不满足请求的条件", "请求的范围超出了此页面"}},
		{"de", []string{"<dt>Typ</dt>", "<dt>Wiederholen</dt>", "<h2>Felder</h2>", "<h2>Beispiel</h2>", "Alle Problemtypen", "<h2>Fehlercodes</h2>", "<h2>Statuscodes</h2>", "Nach Retry-After wiederholen", "kein Problemtyp dokumentiert",
			"erfüllt die Bedingungen der Anfrage nicht", "Bereich liegt außerhalb dieser Seite"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			var body strings.Builder
			for _, rq := range []struct{ path, name, value string }{
				{"/errors/APIGW.0308", "", ""}, {"/errors/APIGW.0301", "", ""}, {"/errors/status/429", "", ""}, {"/errors/", "", ""}, {"/errors/APIGW.9999", "", ""},
				{"/errors/APIGW.0301", "If-Match", `"nope"`}, {"/errors/APIGW.0301", "Range", "bytes=99999-"},
			} {
				header := []string{"Accept", browserAccept, "Accept-Language", tc.lang}
				if rq.name != "" {
					header = append(header, rq.name, rq.value)
				}
				resp := testkit.Send(t, http.DefaultClient, http.MethodGet, url+rq.path, nil, header...)
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				require.NoError(t, err)
				body.Write(b)
			}
			for _, w := range tc.want {
				assert.Contains(t, body.String(), w)
			}
			for _, w := range english {
				assert.NotContains(t, body.String(), w)
			}
		})
	}
}

// TestPagesStatusPaths: only the canonical form of a status that
// the catalog lists has a page; any other spelling of a number (leading
// zeros, a sign, digits beyond an int, a code no response may carry) is a
// path without a page, a 404 problem, and never a panic.
func TestPagesStatusPaths(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(`{"typeBase": "https://e.example/errors/",
		"statuses": [], "types": [{"code": "E1", "status": 400, "title": "Bad"}]}`))
	require.NoError(t, err)
	h := cat.Pages(nil)
	const notFound = `{"type":"about:blank","title":"Not Found","status":404}`
	for _, tt := range []struct {
		name, path string
		status     int
	}{
		{"canonical", "/errors/status/404", http.StatusOK},
		{"leading zero", "/errors/status/0404", http.StatusNotFound},
		{"plus sign", "/errors/status/+404", http.StatusNotFound},
		{"minus sign", "/errors/status/-404", http.StatusNotFound},
		{"beyond an int", "/errors/status/99999999999999999999999", http.StatusNotFound},
		{"unused code", "/errors/status/418", http.StatusNotFound},
		{"not a number", "/errors/status/abc", http.StatusNotFound},
		{"no number", "/errors/status/", http.StatusNotFound},
		{"trailing slash", "/errors/status/404/", http.StatusNotFound},
		{"escaped slash", "/errors/status%2F404", http.StatusNotFound},
		{"type code escaped", "/errors/%45%31", http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "http://docs.example"+tt.path, nil)
			req.Header.Set("Accept", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			assert.Equal(t, tt.status, rec.Code)
			if tt.status == http.StatusNotFound {
				assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
				assert.Equal(t, notFound, rec.Body.String())
			}
		})
	}
}
