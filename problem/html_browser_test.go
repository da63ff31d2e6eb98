package problem_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/browsertest"
	"github.com/problemkit/problemkit/problem"
)

// TestHTMLInBrowser renders the HTML error page in Chromium, as a browser
// that asks for text/html gets it: it shows the problem and the catalog's
// words on it, loads without a console error under its
// Content-Security-Policy, and its type link leads to the type's page,
// served by catalog.Pages at the type's URI.
func TestHTMLInBrowser(t *testing.T) {
	b := browsertest.New(t)
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	cat, err := catalog.Load(strings.NewReader(`{"typeBase": "` + srv.URL + `/errors/",
	  "statuses": [{"code": 429, "phrase": "Too Many Requests", "retry": "after-delay", "retryAfter": 30}],
	  "types": [{"code": "APIGW.0308", "status": 429, "title": "The throttling threshold has been reached",
	             "description": "The API key has sent more requests than its plan allows in a minute.", "retryAfter": 10}]}`))
	require.NoError(t, err)
	throttled := problem.MustType(cat, "APIGW.0308")
	rs := &problem.Responder{Catalog: cat, HTML: true}
	mux := http.NewServeMux()
	mux.Handle("/errors/", cat.Pages(nil))
	mux.HandleFunc("/items/42", func(w http.ResponseWriter, r *http.Request) {
		p := problem.New(404, "item 42 does not exist")
		p.Instance = "/items/42"
		_ = rs.Respond(w, r, p)
	})
	mux.HandleFunc("/search", func(w http.ResponseWriter, r *http.Request) {
		_ = rs.Respond(w, r, throttled.New("42 requests in the last minute; the plan allows 40."))
	})
	h = mux

	t.Run("404", func(t *testing.T) {
		status, text := b.Load(t, chromedp.Navigate(srv.URL+"/items/42"))
		assert.Equal(t, http.StatusNotFound, status)
		for _, want := range []string{"404", "Not Found", "item 42 does not exist",
			"There is no resource at this URI, or the server will not say whether there is.",
			"Retry\nChange the request before repeating it", "Instance\n/items/42"} {
			assert.Contains(t, text, want)
		}
		assert.NotContains(t, text, "Type", "about:blank is no link and no member worth showing")
		assert.Empty(t, b.ConsoleErrors(srv.URL+"/items/42"))
		b.Screenshot(t, "error-page-404.png")
	})

	t.Run("type link", func(t *testing.T) {
		status, text := b.Load(t, chromedp.Navigate(srv.URL+"/search"))
		assert.Equal(t, http.StatusTooManyRequests, status)
		for _, want := range []string{"The throttling threshold has been reached", "42 requests in the last minute; the plan allows 40.",
			"The API key has sent more requests than its plan allows in a minute.",
			"Retry\nRepeat after Retry-After (10 s by default)", "Type\n" + srv.URL + "/errors/APIGW.0308"} {
			assert.Contains(t, text, want)
		}
		assert.Empty(t, b.ConsoleErrors(srv.URL+"/search"))

		status, text = b.Load(t, chromedp.Click(chromedp.Search(`//a[normalize-space()="`+srv.URL+`/errors/APIGW.0308"]`)))
		assert.Equal(t, http.StatusOK, status)
		loc, err := chromedp.Run(b.Context(), chromedp.Location())
		require.NoError(t, err)
		assert.Equal(t, srv.URL+"/errors/APIGW.0308", loc)
		for _, want := range []string{"All problem types", "429 Too Many Requests", "Code\nAPIGW.0308"} {
			assert.Contains(t, text, want)
		}
		assert.Empty(t, b.ConsoleErrors(""))
	})
}
