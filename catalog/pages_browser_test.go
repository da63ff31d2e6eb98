package catalog_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/internal/browsertest"
)

// TestPagesInBrowser renders the pages in Chromium: each shows its texts,
// loads without a console error (the Content-Security-Policy lets the
// inline style through and nothing else is loaded), and its links lead
// where they say, also when the language was chosen with a link.
func TestPagesInBrowser(t *testing.T) {
	b := browsertest.New(t)
	url := servePages(t, pagesCatalog(t).Pages(nil))
	tests := []struct {
		name, path string
		status     int
		want       []string
	}{
		{"type", "/errors/APIGW.0301", http.StatusOK, []string{
			"All problem types\nen de", "401 Unauthorized", "Incorrect IAM authentication information",
			"The token is missing, malformed or expired.", "Type\nhttps://docs.example.com/errors/APIGW.0301",
			"Code\nAPIGW.0301", "Retry\nChange the request before repeating it", "code\tAPIGW.0301\tThe error code.",
			`"type": "https://docs.example.com/errors/APIGW.0301"`,
		}},
		{"type in German", "/errors/APIGW.0308?lang=de", http.StatusOK, []string{
			"Die Drosselungsschwelle ist erreicht", "Später erneut versuchen.", "429 Zu viele Anfragen",
			"Wiederholen\nNach Retry-After wiederholen (standardmäßig 10 s)", "Felder", "Beispiel",
		}},
		{"status", "/errors/status/429", http.StatusOK, []string{
			"429", "Too Many Requests", "The client has sent too many requests in a given time (RFC 6585).",
			"Type\nabout:blank", "Retry\nRepeat after Retry-After (30 s by default)",
		}},
		{"index", "/errors/", http.StatusOK, []string{
			"Problem types", "APIGW.0201\t400\tRequest body too large", "429\tToo Many Requests\tRepeat after Retry-After (30 s by default)",
		}},
		{"not found", "/errors/APIGW.9999", http.StatusNotFound, []string{"404", "Not Found", "No problem type is documented at this address."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, text := b.Open(t, url+tt.path)
			assert.Equal(t, tt.status, status)
			for _, want := range tt.want {
				assert.Contains(t, text, want)
			}
			assert.Empty(t, b.ConsoleErrors(url+tt.path), "console of %s", tt.path)
		})
	}

	t.Run("links", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(b.Context(), 30*time.Second)
		defer cancel()
		b.Open(t, url+"/errors/limits/body")
		steps := []struct {
			link, wantURL, wantText string
		}{
			{"de", "/errors/limits/body?lang=de", "Request body too large"},
			{"Alle Problemtypen", "/errors/?lang=de", "Problemtypen"},
			{"429", "/errors/status/429?lang=de", "Zu viele Anfragen"},
			{"Alle Problemtypen", "/errors/?lang=de", "Die Drosselungsschwelle ist erreicht"},
			{"APIGW.0201", "/errors/limits/body?lang=de", "Request body too large"},
			{"en", "/errors/limits/body?lang=en", "Request body too large"},
		}
		for _, s := range steps {
			resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.Search(`//a[normalize-space()=`+xpathString(s.link)+`]`)))
			require.NoError(t, err, "following %q", s.link)
			assert.Equal(t, int64(http.StatusOK), resp.Status, "after following %q", s.link)
			loc, err := chromedp.Run(ctx, chromedp.Location())
			require.NoError(t, err)
			assert.Equal(t, url+s.wantURL, loc, "after following %q", s.link)
			text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
			require.NoError(t, err)
			assert.Contains(t, text, s.wantText, "after following %q", s.link)
		}
		assert.Empty(t, b.ConsoleErrors(""))
	})

	t.Run("screenshot", func(t *testing.T) {
		if !browsertest.Screenshots() {
			t.Skip("run with -screenshots to write docs/screenshots/type-page.png")
		}
		b.Open(t, url+"/errors/APIGW.0308")
		b.Screenshot(t, "type-page.png")
	})
}

// xpathString quotes s for XPath 1.0, which has no escapes.
func xpathString(s string) string {
	if !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	return `'` + s + `'`
}
