//go:build !race

// The race detector makes sync.Pool drop values at random, so allocation
// counts only hold without it.

package problem_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/problem"
)

// TestRespondAllocs holds the writer to its budget: a problem without
// headers of its own is written without allocating, in JSON and in XML.
func TestRespondAllocs(t *testing.T) {
	rs, p := &problem.Responder{}, problem.New(http.StatusNotFound, "no order 7")
	for _, accept := range []string{"", "application/problem+xml"} {
		w, r := testkit.NewBenchWriter(), httptest.NewRequest("GET", "/orders/7", nil)
		if accept != "" {
			r.Header.Set("Accept", accept)
		}
		allocs := testing.AllocsPerRun(100, func() {
			w.Reset()
			_ = rs.Respond(w, r, p)
		})
		if allocs != 0 {
			t.Errorf("Accept %q: Respond allocates %v times, want 0", accept, allocs)
		}
	}
}

// TestRespondAllocsWithHeaders: a response header the stack has filled,
// with canonical keys only, and a problem with a type and an instance of
// its own, cost nothing more: the checks for keys not in canonical form and
// for URI references allocate only when they find something.
func TestRespondAllocsWithHeaders(t *testing.T) {
	rs := &problem.Responder{}
	p := problem.Type{URI: "https://example.com/probs/out-of-stock", Title: "The item is out of stock.", Status: http.StatusConflict}.New("")
	p.Instance = "/orders/7"
	allow, origin := []string{"GET, HEAD"}, []string{"https://example.com"}
	w, r := testkit.NewBenchWriter(), httptest.NewRequest("GET", "/orders/7", nil)
	allocs := testing.AllocsPerRun(100, func() {
		w.Reset()
		w.H["Allow"] = allow
		w.H["Access-Control-Allow-Origin"] = origin
		_ = rs.Respond(w, r, p)
	})
	if allocs != 0 {
		t.Errorf("Respond allocates %v times, want 0", allocs)
	}
}

// TestRespondChallengeAllocs: the challenge a 401 gets is shared between
// responses as the other values Respond sets are, the default one and a
// Challenge of the Responder's alike.
func TestRespondChallengeAllocs(t *testing.T) {
	p := problem.New(http.StatusUnauthorized, "token expired")
	for _, challenge := range []string{"", `Bearer realm="api"`} {
		rs := &problem.Responder{Challenge: challenge}
		w, r := testkit.NewBenchWriter(), httptest.NewRequest("GET", "/orders/7", nil)
		allocs := testing.AllocsPerRun(100, func() {
			w.Reset()
			_ = rs.Respond(w, r, p)
		})
		if allocs != 0 {
			t.Errorf("Challenge %q: Respond allocates %v times, want 0", challenge, allocs)
		}
	}
}

// TestResolveLongChainAllocs: following a chain of wrapped errors allocates
// nothing, up to 16 deep.
func TestResolveLongChainAllocs(t *testing.T) {
	err := error(problem.New(http.StatusNotFound, ""))
	for range 15 {
		err = fmt.Errorf("layer: %w", err)
	}
	allocs := testing.AllocsPerRun(100, func() { _ = problem.Resolve(err) })
	if allocs != 0 {
		t.Errorf("Resolve allocates %v times for a 16-deep chain, want 0", allocs)
	}
}

// TestInputErrorsAllocs: an "errors" extension is encoded into a reused
// buffer without allocating, as the standard members are.
func TestInputErrorsAllocs(t *testing.T) {
	p := problem.New(http.StatusUnprocessableEntity, "").WithExtension("errors", problem.InputErrors{
		{Detail: "must be at least 3 characters long", Pointer: "#/name", Rule: "min", Param: "3"},
		{Detail: "is required", Parameter: "limit", Rule: "required"},
	})
	buf := make([]byte, 0, 512)
	allocs := testing.AllocsPerRun(100, func() { buf, _ = p.AppendJSON(buf[:0]) })
	if allocs != 0 {
		t.Errorf("AppendJSON allocates %v times for InputErrors, want 0", allocs)
	}
}

// TestRespondAllocsAfterInPlaceWrite: a value of a problem response written
// into in place by some stack costs later responses nothing.
func TestRespondAllocsAfterInPlaceWrite(t *testing.T) {
	rs, p := &problem.Responder{}, problem.New(http.StatusNotFound, "no order 7")
	written := httptest.NewRecorder()
	_ = rs.Respond(written, httptest.NewRequest("GET", "/", nil), p)
	written.Header()["Vary"][0] = "Accept, Origin"
	w, r := testkit.NewBenchWriter(), httptest.NewRequest("GET", "/orders/7", nil)
	allocs := testing.AllocsPerRun(100, func() {
		w.Reset()
		_ = rs.Respond(w, r, p)
	})
	if allocs != 0 {
		t.Errorf("Respond allocates %v times after an in-place write, want 0", allocs)
	}
}

// typeAllocsCatalog holds the type TestTypeNewAllocs makes problems of
// with MustType and Of in the loop, as a handler may.
var typeAllocsCatalog, typeAllocsType = func() (*catalog.Catalog, catalog.Type) {
	cat, err := catalog.Load(strings.NewReader(`{"typeBase": "https://docs.example.com/errors/", "statuses": [],
		"types": [{"code": "APIGW.0301", "status": 401, "title": "Token expired"}]}`))
	if err != nil {
		panic(err)
	}
	t, _ := cat.Type("APIGW.0301")
	return cat, t
}()

// TestTypeNewAllocs: a problem of a catalog's error-code type costs what an
// about:blank problem costs, one allocation: the code travels with the
// problem, not in a map of its own, and that holds for a Type made by
// MustType or Of for each problem, which is a plain value.
func TestTypeNewAllocs(t *testing.T) {
	coded := problem.Type{URI: "https://docs.example.com/errors/APIGW.0301", Title: "Token expired", Status: http.StatusUnauthorized, Code: "APIGW.0301"}
	tests := []struct {
		name string
		new  func() *problem.Problem
	}{
		{"New", func() *problem.Problem { return coded.New("token expired") }},
		{"Wrap", func() *problem.Problem { return coded.Wrap(nil) }},
		{"MustType inline", func() *problem.Problem { return problem.MustType(typeAllocsCatalog, "APIGW.0301").New("token expired") }},
		{"Of inline", func() *problem.Problem { return problem.Of(typeAllocsType).New("token expired") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p *problem.Problem
			if allocs := testing.AllocsPerRun(100, func() { p = tt.new() }); allocs != 1 {
				t.Errorf("%s of a type with a code allocates %v times, want 1", tt.name, allocs)
			}
			if got := p.Code(); got != "APIGW.0301" {
				t.Errorf("Code() = %q, want %q", got, "APIGW.0301")
			}
		})
	}
}

// TestRespondLanguageAllocs: with a catalog of three languages, a 404 is
// written without allocating, as with one, for no Accept-Language and for
// a value clients have sent before: the language negotiated for it is
// remembered, with the header values a response in it gets.
func TestRespondLanguageAllocs(t *testing.T) {
	rs, p := &problem.Responder{Catalog: multilingual(t)}, problem.New(http.StatusNotFound, "no order 7")
	for _, accept := range []string{"", "de", "de-CH,de;q=0.9,en;q=0.8", "fr, *;q=0.5"} {
		w, r := testkit.NewBenchWriter(), httptest.NewRequest("GET", "/orders/7", nil)
		if accept != "" {
			r.Header.Set("Accept-Language", accept)
		}
		allocs := testing.AllocsPerRun(100, func() {
			w.Reset()
			_ = rs.Respond(w, r, p)
		})
		if allocs != 0 {
			t.Errorf("Accept-Language %q: Respond allocates %v times, want 0", accept, allocs)
		}
	}
}
