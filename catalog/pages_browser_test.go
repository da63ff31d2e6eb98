package catalog_test

import (
	"context"
	"flag"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var screenshots = flag.Bool("screenshots", false, "write the screenshots under docs/screenshots/ from the browser tests")

// pagesBrowser is a headless Chromium for one test, with a fresh profile,
// that collects what the pages write to the console. It skips the test
// when no chromium is on PATH.
type pagesBrowser struct {
	ctx context.Context

	mu      sync.Mutex
	console []chromedp.ConsoleMessage // errors and warnings, exceptions, failed loads
}

func newPagesBrowser(t *testing.T) *pagesBrowser {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("no chromium on PATH, so the browser tests are skipped (.ci/run installs Debian's chromium package)")
	}
	profile := t.TempDir() // removed after the browser has stopped: cleanups run last first
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(960, 720),
	)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	b := &pagesBrowser{ctx: ctx}
	messages := chromedp.Console(ctx) // starts the browser; subscribed before any page loads
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() {
				b.mu.Lock()
				b.console = append(b.console, m)
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// open loads url and returns the status of the response and the page's
// visible text, once the page has loaded and had a moment to report late
// failures (a favicon the policy blocks).
func (b *pagesBrowser) open(t *testing.T, url string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(url))
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond)))
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	require.NoError(t, err)
	return int(resp.Status), text
}

// consoleErrors returns what the pages have written to the console so
// far, and forgets it. The one entry an error page cannot help, the
// browser's note that the document itself came with an error status, is
// left out for the page at errorPage.
func (b *pagesBrowser) consoleErrors(errorPage string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, m := range b.console {
		if m.URL == errorPage && m.Source == "network" && strings.HasPrefix(m.Text, "Failed to load resource: the server responded with a status of ") {
			continue
		}
		out = append(out, m.String()+" ("+m.URL+")")
	}
	b.console = nil
	return out
}

// screenshot writes the whole page to docs/screenshots/name when the tests
// run with -screenshots.
func (b *pagesBrowser) screenshot(t *testing.T, name string) {
	t.Helper()
	if !*screenshots {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	path := filepath.Join("..", "docs", "screenshots", name)
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, png, 0o644))
}

// TestPagesInBrowser renders the pages in Chromium: each shows its texts,
// loads without a console error (the Content-Security-Policy lets the
// inline style through and nothing else is loaded), and its links lead
// where they say, also when the language was chosen with a link.
func TestPagesInBrowser(t *testing.T) {
	b := newPagesBrowser(t)
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
			status, text := b.open(t, url+tt.path)
			assert.Equal(t, tt.status, status)
			for _, want := range tt.want {
				assert.Contains(t, text, want)
			}
			assert.Empty(t, b.consoleErrors(url+tt.path), "console of %s", tt.path)
		})
	}

	t.Run("links", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
		defer cancel()
		b.open(t, url+"/errors/limits/body")
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
		assert.Empty(t, b.consoleErrors(""))
	})

	t.Run("screenshot", func(t *testing.T) {
		if !*screenshots {
			t.Skip("run with -screenshots to write docs/screenshots/type-page.png")
		}
		b.open(t, url+"/errors/APIGW.0308")
		b.screenshot(t, "type-page.png")
	})
}

// xpathString quotes s for XPath 1.0, which has no escapes.
func xpathString(s string) string {
	if !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	return `'` + s + `'`
}
