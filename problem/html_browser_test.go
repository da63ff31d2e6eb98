package problem_test

import (
	"context"
	"flag"
	"net/http"
	"net/http/httptest"
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

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/problem"
)

var screenshots = flag.Bool("screenshots", false, "write the screenshots under docs/screenshots/ from the browser tests")

// htmlBrowser is a headless Chromium for one test, with a fresh profile,
// that collects what the pages write to the console. It skips the test
// when no chromium is on PATH. (catalog/pages_browser_test.go has its
// twin: chromedp may only be imported by tests, so they cannot share it.)
type htmlBrowser struct {
	ctx context.Context

	mu      sync.Mutex
	console []chromedp.ConsoleMessage // errors and warnings, exceptions, failed loads
}

func newHTMLBrowser(t *testing.T) *htmlBrowser {
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
	b := &htmlBrowser{ctx: ctx}
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

// load runs the steps, which navigate, and returns the status of the
// response and the page's visible text, once the page has loaded and had a
// moment to report late failures (a favicon the policy blocks).
func (b *htmlBrowser) load(t *testing.T, steps ...chromedp.Action[chromedp.Void]) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, steps...)
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
func (b *htmlBrowser) consoleErrors(errorPage string) []string {
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

// TestHTMLInBrowser renders the HTML error page in Chromium, as a browser
// that asks for text/html gets it: it shows the problem and the catalog's
// words on it, loads without a console error under its
// Content-Security-Policy, and its type link leads to the type's page,
// served by catalog.Pages at the type's URI.
func TestHTMLInBrowser(t *testing.T) {
	b := newHTMLBrowser(t)
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
		status, text := b.load(t, chromedp.Navigate(srv.URL+"/items/42"))
		assert.Equal(t, http.StatusNotFound, status)
		for _, want := range []string{"404", "Not Found", "item 42 does not exist",
			"There is no resource at this URI, or the server will not say whether there is.",
			"Retry\nChange the request before repeating it", "Instance\n/items/42"} {
			assert.Contains(t, text, want)
		}
		assert.NotContains(t, text, "Type", "about:blank is no link and no member worth showing")
		assert.Empty(t, b.consoleErrors(srv.URL+"/items/42"))
		if *screenshots {
			png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
			require.NoError(t, err)
			path := filepath.Join("..", "docs", "screenshots", "error-page-404.png")
			require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
			require.NoError(t, os.WriteFile(path, png, 0o644))
		}
	})

	t.Run("type link", func(t *testing.T) {
		status, text := b.load(t, chromedp.Navigate(srv.URL+"/search"))
		assert.Equal(t, http.StatusTooManyRequests, status)
		for _, want := range []string{"The throttling threshold has been reached", "42 requests in the last minute; the plan allows 40.",
			"The API key has sent more requests than its plan allows in a minute.",
			"Retry\nRepeat after Retry-After (10 s by default)", "Type\n" + srv.URL + "/errors/APIGW.0308"} {
			assert.Contains(t, text, want)
		}
		assert.Empty(t, b.consoleErrors(srv.URL+"/search"))

		status, text = b.load(t, chromedp.Click(chromedp.Search(`//a[normalize-space()="`+srv.URL+`/errors/APIGW.0308"]`)))
		assert.Equal(t, http.StatusOK, status)
		loc, err := chromedp.Run(b.ctx, chromedp.Location())
		require.NoError(t, err)
		assert.Equal(t, srv.URL+"/errors/APIGW.0308", loc)
		for _, want := range []string{"All problem types", "429 Too Many Requests", "Code\nAPIGW.0308"} {
			assert.Contains(t, text, want)
		}
		assert.Empty(t, b.consoleErrors(""))
	})
}
