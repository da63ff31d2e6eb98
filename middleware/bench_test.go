package middleware_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
)

func quiet() *middleware.Middleware {
	return middleware.New(&middleware.Options{Logger: slog.New(slog.DiscardHandler), Instance: func(*http.Request) string { return "" }})
}

var okBody = []byte("ok")

var okHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(okBody)
})

// TestWrapSuccessAllocs holds Wrap to its budget: nothing allocated on the
// success path.
func TestWrapSuccessAllocs(t *testing.T) {
	h := quiet().Wrap(okHandler)
	w, r := testkit.NewBenchWriter(), httptest.NewRequest("GET", "/", nil)
	allocs := testing.AllocsPerRun(1000, func() {
		w.Reset()
		h.ServeHTTP(w, r)
	})
	if allocs != 0 {
		t.Errorf("Wrap allocates %v times per successful request, want 0", allocs)
	}
}

// serve benchmarks h on r.
func serve(b *testing.B, h http.Handler, r *http.Request) {
	w := testkit.NewBenchWriter()
	b.ReportAllocs()
	for b.Loop() {
		w.Reset()
		h.ServeHTTP(w, r)
	}
}

func BenchmarkSuccess(b *testing.B) {
	r := httptest.NewRequest("GET", "/", nil)
	for _, bench := range []struct {
		name string
		h    http.Handler
	}{
		{"bare", okHandler},
		{"Wrap", quiet().Wrap(okHandler)},
	} {
		b.Run(bench.name, func(b *testing.B) { serve(b, bench.h, r) })
	}
}

// notFoundBody is what Handle writes for problem.New(404, "item 42 does not
// exist") without an instance.
const notFoundBody = `{"type":"about:blank","title":"Not Found","status":404,"detail":"item 42 does not exist"}`

func BenchmarkNotFound(b *testing.B) {
	r := httptest.NewRequest("GET", "/items/42", nil)
	body := []byte(notFoundBody)
	floor := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/problem+json")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
		h.Add("Vary", "Accept")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(body)
	})
	handle := quiet().Handle(func(w http.ResponseWriter, r *http.Request) error {
		return problem.New(http.StatusNotFound, "item 42 does not exist")
	})
	mux := http.NewServeMux()
	bare := quiet().Wrap(mux)

	for _, h := range []http.Handler{floor, handle} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != http.StatusNotFound || rec.Body.String() != notFoundBody {
			b.Fatalf("status %d and body %s, want 404 and %s", rec.Code, rec.Body, notFoundBody)
		}
	}
	for _, bench := range []struct {
		name string
		h    http.Handler
	}{
		{"floor", floor},
		{"Handle", handle},
		{"Wrap-ServeMux", bare},
	} {
		b.Run(bench.name, func(b *testing.B) { serve(b, bench.h, r) })
	}
}

// BenchmarkNotFoundAccept is a 404 through Handle for Accept header values
// as clients send them: none, curl's, an API client's, a browser's, and a
// hostile 1 MiB one.
func BenchmarkNotFoundAccept(b *testing.B) {
	handle := quiet().Handle(func(w http.ResponseWriter, r *http.Request) error {
		return problem.New(http.StatusNotFound, "item 42 does not exist")
	})
	const r = "application/x;q=0.5, "
	for _, bench := range []struct{ name, accept string }{
		{"none", ""},
		{"any", "*/*"},
		{"json", "application/json"},
		{"xml", "application/xml"},
		{"chromium", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"},
		{"hostile-1MiB", strings.Repeat(r, (1<<20)/len(r))},
	} {
		req := httptest.NewRequest("GET", "/items/42", nil)
		if bench.accept != "" {
			req.Header.Set("Accept", bench.accept)
		}
		b.Run(bench.name, func(b *testing.B) { serve(b, handle, req) })
	}
}
