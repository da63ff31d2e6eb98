// Package browsertest runs pages in a headless Chromium for the browser
// tests of this module, through chromedp, and collects what they write to
// the console. Only _test.go files import it, so that chromedp is never a
// dependency of a package a service builds (a test of this package checks
// it).
package browsertest

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

var screenshots = flag.Bool("screenshots", false, "write the screenshots under docs/screenshots/ from the browser tests")

// Screenshots reports whether the tests run with -screenshots, which
// [Browser.Screenshot] writes the screenshots under docs/screenshots/ for.
func Screenshots() bool { return *screenshots }

// Browser is a headless Chromium for one test, with a fresh profile, that
// collects what the pages write to the console: errors and warnings,
// exceptions and failed loads.
type Browser struct {
	ctx context.Context

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

// New starts a Browser for t, stopped when t ends. It skips t when no
// chromium is on PATH.
func New(t *testing.T) *Browser {
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
	b := &Browser{ctx: ctx}
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

// Context returns the browser's context, for chromedp actions of a test's
// own.
func (b *Browser) Context() context.Context { return b.ctx }

// Open loads url and returns what [Browser.Load] returns.
func (b *Browser) Open(t *testing.T, url string) (int, string) {
	t.Helper()
	return b.Load(t, chromedp.Navigate(url))
}

// Load runs the steps, which navigate (chromedp.Navigate, a click on a
// link), and returns the status of the response and the page's visible
// text, once the page has loaded and had a moment to report late failures
// (a favicon the policy blocks). It gives up after 30 s.
func (b *Browser) Load(t *testing.T, steps ...chromedp.Action[chromedp.Void]) (int, string) {
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

// ConsoleErrors returns what the pages have written to the console so
// far, and forgets it. The one entry an error page cannot help, the
// browser's note that the document itself came with an error status, is
// left out for the page at errorPage.
func (b *Browser) ConsoleErrors(errorPage string) []string {
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

// Screenshot writes the whole page to docs/screenshots/name, under the
// module's root, when the tests run with -screenshots; otherwise it does
// nothing.
func (b *Browser) Screenshot(t *testing.T, name string) {
	t.Helper()
	if !*screenshots {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	root, err := moduleRoot()
	require.NoError(t, err)
	path := filepath.Join(root, "docs", "screenshots", name)
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, png, 0o644))
}

// moduleRoot returns the directory of the go.mod above the working
// directory, which is the package's when tests run.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
