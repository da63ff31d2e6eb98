package problem_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/problem"
)

// docsCatalog is a catalog with error-code types whose URIs lead to their
// pages (see catalog.Catalog.Pages), with descriptions in English and
// German.
func docsCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Load(strings.NewReader(`{
	  "typeBase": "https://docs.example.com/errors/",
	  "statuses": [{"code": 429, "phrase": "Too Many Requests", "description": "Too many requests in a minute.",
	                "retry": "after-delay", "retryAfter": 30}],
	  "types": [{"code": "APIGW.0308", "status": 429, "title": "The throttling threshold has been reached",
	             "description": "The API key has sent more requests than its plan allows.", "retryAfter": 10},
	            {"code": "APIGW.0301", "status": 401, "title": "Incorrect IAM authentication information",
	             "description": "The token is missing, malformed or <expired>.", "retry": "never"}]
	}`))
	require.NoError(t, err)
	cat, err = cat.WithTranslation(strings.NewReader(`{"language": "de",
	  "statuses": [{"code": 429, "phrase": "Zu viele Anfragen", "description": "Zu viele Anfragen in einer Minute."}],
	  "types": [{"code": "APIGW.0308", "title": "Die Drosselungsschwelle ist erreicht",
	             "description": "Der API-Schlüssel hat mehr Anfragen gesendet, als sein Tarif erlaubt."}]}`))
	require.NoError(t, err)
	return cat
}

// TestRespondHTMLAbout checks what the HTML page adds to the problem's own
// members: a link to the type's page when the type is a URI a browser can
// follow, and the catalog's description and retry guidance of the type, or
// else of the status, in the negotiated language.
func TestRespondHTMLAbout(t *testing.T) {
	docs := docsCatalog(t)
	tests := []struct {
		name           string
		cat            *catalog.Catalog
		acceptLanguage string
		problem        *problem.Problem
		want, notWant  []string
	}{
		{name: "catalog type", cat: docs, problem: problem.MustType(docs, "APIGW.0308").New("slow down"), want: []string{
			`<a href="https://docs.example.com/errors/APIGW.0308">https://docs.example.com/errors/APIGW.0308</a>`,
			`<p class="about">The API key has sent more requests than its plan allows.</p>`,
			`<dt>Retry</dt><dd>Repeat after Retry-After (10 s by default)</dd>`,
		}},
		{name: "catalog type, escaped", cat: docs, problem: problem.MustType(docs, "APIGW.0301").New(""), want: []string{
			`<p class="about">The token is missing, malformed or &lt;expired&gt;.</p>`,
			`<dt>Retry</dt><dd>Change the request before repeating it</dd>`,
		}},
		{name: "catalog type in German", cat: docs, acceptLanguage: "de-DE", problem: problem.MustType(docs, "APIGW.0308").New(""), want: []string{
			`<html lang="de">`, `<h1>Die Drosselungsschwelle ist erreicht</h1>`,
			`<p class="about">Der API-Schlüssel hat mehr Anfragen gesendet, als sein Tarif erlaubt.</p>`,
		}},
		{name: "status in German", cat: docs, acceptLanguage: "de", problem: problem.New(429, ""), want: []string{
			`<h1>Zu viele Anfragen</h1>`, `<p class="about">Zu viele Anfragen in einer Minute.</p>`,
			`<dt>Wiederholen</dt><dd>Nach Retry-After wiederholen (standardmäßig 30 s)</dd>`,
		}, notWant: []string{"<dt>Typ</dt>", "<dt>Retry</dt>"}},
		{name: "about:blank, default catalog", problem: problem.New(404, "item 42 does not exist"), want: []string{
			`<p>item 42 does not exist</p>`,
			`<p class="about">There is no resource at this URI, or the server will not say whether there is.</p>`,
			`<dt>Retry</dt><dd>Change the request before repeating it</dd>`,
		}, notWant: []string{"<dt>Type</dt>", "about:blank"}},
		{name: "type the catalog lacks: the status's", problem: problem.Type{URI: "https://example.com/probs/out-of-credit", Title: "You do not have enough credit.", Status: 403}.New(""), want: []string{
			`<a href="https://example.com/probs/out-of-credit">`,
			`<p class="about">The server understood the request but refuses it; other credentials will not help.</p>`,
		}},
		{name: "relative type", problem: problem.Type{URI: "/errors/out-of-credit", Title: "Out of credit", Status: 403}.New(""), want: []string{
			`<dt>Type</dt><dd><a href="/errors/out-of-credit">/errors/out-of-credit</a></dd>`,
		}},
		{name: "tag URI: no link", problem: problem.Type{URI: "tag:example.com,2026:credit", Title: "Out of credit", Status: 403}.New(""), want: []string{
			`<dt>Type</dt><dd>tag:example.com,2026:credit</dd>`,
		}},
		{name: "script URI: no link", problem: problem.Type{URI: "javascript:alert(1)", Title: "Out of credit", Status: 403}.New(""), want: []string{
			`<dt>Type</dt><dd>javascript:alert(1)</dd>`,
		}, notWant: []string{"href"}},
		{name: "status the catalog lacks: its class's retry", problem: problem.New(499, ""), want: []string{
			`<dt>Retry</dt><dd>Change the request before repeating it</dd>`,
		}, notWant: []string{`class="about"`}},
		{name: "5xx", problem: problem.New(503, ""), want: []string{
			`<p class="about">The server cannot handle the request now, because of load or maintenance.</p>`,
			`<dt>Retry</dt><dd>Repeat after Retry-After</dd>`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/items/42", nil)
			r.Header.Set("Accept", "text/html")
			if tt.acceptLanguage != "" {
				r.Header.Set("Accept-Language", tt.acceptLanguage)
			}
			rec := httptest.NewRecorder()
			_ = (&problem.Responder{Catalog: tt.cat, HTML: true}).Respond(rec, r, tt.problem)
			require.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
			for _, want := range tt.want {
				assert.Contains(t, rec.Body.String(), want)
			}
			for _, notWant := range tt.notWant {
				assert.NotContains(t, rec.Body.String(), notWant)
			}
		})
	}
}
