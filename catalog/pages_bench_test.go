package catalog_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/problemkit/problemkit/internal/testkit"
)

// BenchmarkPagesType serves a type page, as HTML to a browser and as JSON,
// beside its floor: a handler that sends the same bytes and header fields,
// made once, with http.ServeContent, the least a handler that answers
// conditional requests can do.
func BenchmarkPagesType(b *testing.B) {
	pages := pagesCatalog(b).Pages(nil)
	for _, bb := range []struct {
		name   string
		header []string
	}{
		{"html", []string{"Accept", browserAccept, "Accept-Language", "de-CH, en;q=0.5"}},
		{"json", nil},
	} {
		b.Run(bb.name, func(b *testing.B) {
			r := httptest.NewRequest(http.MethodGet, "/errors/APIGW.0308", nil)
			for i := 0; i+1 < len(bb.header); i += 2 {
				r.Header.Set(bb.header[i], bb.header[i+1])
			}
			testkit.RunRows(b, r, []testkit.Row{
				{Name: "floor", H: pagesFloor(b, pages, r)},
				{Name: "pages", H: pages},
			}, "floor", "pages")
		})
	}
}

// pagesFloor returns a handler that answers every request with the
// response h gives r, its header fields set one by one with Header.Set
// and its body sent by http.ServeContent.
func pagesFloor(tb testing.TB, h http.Handler, r *http.Request) http.Handler {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	res := rec.Result()
	if res.StatusCode != http.StatusOK {
		tb.Fatalf("status %d", res.StatusCode)
	}
	body := bytes.Clone(rec.Body.Bytes())
	var names, values []string
	for k, vs := range res.Header {
		if k == "Content-Length" {
			continue // ServeContent sets it
		}
		for _, v := range vs {
			names, values = append(names, k), append(values, v)
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		for i, k := range names {
			hdr.Set(k, values[i])
		}
		http.ServeContent(w, r, "", timeZero, bytes.NewReader(body))
	})
}

var timeZero = time.Time{}
