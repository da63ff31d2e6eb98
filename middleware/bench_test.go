package middleware_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
	"github.com/stretchr/testify/assert"
)

func quiet() *middleware.Middleware {
	return middleware.New(&middleware.Options{Logger: slog.New(slog.DiscardHandler), Instance: func(*http.Request) string { return "" }})
}

var okBody = []byte("ok")

var okHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(okBody)
})

// TestWrapSuccessAllocs holds Wrap to its budget on the success path: one
// allocation, its writer. (A pooled writer would cost none, but code that
// keeps the writer past Wrap, as echo.WrapMiddleware does, could then
// write into another request's response: see TestWriterKeptPastWrap.)
func TestWrapSuccessAllocs(t *testing.T) {
	h := quiet().Wrap(okHandler)
	w, r := testkit.NewBenchWriter(), httptest.NewRequest("GET", "/", nil)
	allocs := testing.AllocsPerRun(1000, func() {
		w.Reset()
		h.ServeHTTP(w, r)
	})
	if allocs != 1 {
		t.Errorf("Wrap allocates %v times per successful request, want 1", allocs)
	}
}

// TestHandleAllocs holds Handle to its budget: its writer is pooled, so a
// success allocates nothing, and a 404 only the handler's own problem.
func TestHandleAllocs(t *testing.T) {
	m := quiet()
	for _, tt := range []struct {
		name string
		h    middleware.HandlerFunc
		want float64
	}{
		{"success", func(w http.ResponseWriter, r *http.Request) error { okHandler(w, r); return nil }, 0},
		{"404", func(w http.ResponseWriter, r *http.Request) error {
			return problem.New(http.StatusNotFound, "no such item")
		}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := m.Handle(tt.h)
			w, r := testkit.NewBenchWriter(), httptest.NewRequest("GET", "/items/7", nil)
			allocs := testing.AllocsPerRun(1000, func() {
				w.Reset()
				h.ServeHTTP(w, r)
			})
			assert.Equal(t, tt.want, allocs)
		})
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

// Header values set by the floors that assign them, as a hand-written
// handler that cares for speed does: one slice each, shared by every
// response, which Set, Add and Del never write into.
var (
	problemJSON = []string{"application/problem+json"}
	nosniff     = []string{"nosniff"}
	noStore     = []string{"no-store"}
	varyAccept  = []string{"Accept"}
)

// BenchmarkNotFound is a 404 through Handle against its floors: handlers
// that write the same body with the same headers, on the same
// ResponseWriter. The floors run bare, not behind Wrap: the question is
// what Handle costs over a handler written by hand without problemkit, and
// Wrap is part of that cost. "floor", the one the budget is judged
// against, sets its headers with Header.Set, as a careful hand-written
// handler does (four small allocations); "floor-assign" assigns prebuilt
// values (none), as Respond does internally, and bounds what any writer
// could reach; "floor-Wrap" is floor-assign behind Wrap, to tell Wrap's
// share from the rest.
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
	floorAssign := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = problemJSON
		h["X-Content-Type-Options"] = nosniff
		h["Cache-Control"] = noStore
		h["Vary"] = varyAccept
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(body)
	})
	handle := quiet().Handle(func(w http.ResponseWriter, r *http.Request) error {
		return problem.New(http.StatusNotFound, "item 42 does not exist")
	})
	mux := http.NewServeMux()
	bare := quiet().Wrap(mux)

	rows := []testkit.Row{
		{Name: "floor", H: floor},
		{Name: "floor-assign", H: floorAssign},
		{Name: "floor-Wrap", H: quiet().Wrap(floorAssign)},
		{Name: "Handle", H: handle},
	}
	testkit.RequireSameResponse(b, r, rows...)
	rows = append(rows, testkit.Row{Name: "Wrap-ServeMux", H: bare}) // "404 page not found" made a problem
	for _, row := range rows {
		b.Run(row.Name, func(b *testing.B) { serve(b, row.H, r) })
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

// BenchmarkCatalogType is a problem of a catalog's error-code type through
// Handle, beside an about:blank problem of the same status and detail: the
// type's URI, title and code member are what it adds.
func BenchmarkCatalogType(b *testing.B) {
	cat, err := catalog.Load(strings.NewReader(`{"typeBase":"https://docs.example.com/errors/","statuses":[],
		"types":[{"code":"APIGW.0301","status":401,"title":"Incorrect IAM authentication information"}]}`))
	if err != nil {
		b.Fatal(err)
	}
	expired := problem.MustType(cat, "APIGW.0301")
	m := middleware.New(&middleware.Options{Catalog: cat, Logger: slog.New(slog.DiscardHandler), Instance: func(*http.Request) string { return "" }})
	r := httptest.NewRequest("GET", "/x", nil)
	for _, bench := range []struct {
		name string
		h    http.Handler
		want string
	}{
		{"about-blank", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			return problem.New(http.StatusUnauthorized, "token expired")
		}), `{"type":"about:blank","title":"Unauthorized","status":401,"detail":"token expired"}`},
		{"catalog-type", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			return expired.New("token expired")
		}), `{"type":"https://docs.example.com/errors/APIGW.0301","title":"Incorrect IAM authentication information","status":401,"detail":"token expired","code":"APIGW.0301"}`},
	} {
		rec := httptest.NewRecorder()
		bench.h.ServeHTTP(rec, r)
		if rec.Code != http.StatusUnauthorized || rec.Body.String() != bench.want {
			b.Fatalf("%s: status %d and body %s, want 401 and %s", bench.name, rec.Code, rec.Body, bench.want)
		}
		b.Run(bench.name, func(b *testing.B) { serve(b, bench.h, r) })
	}
}
