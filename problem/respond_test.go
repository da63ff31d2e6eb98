package problem_test

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	chimw "github.com/go-chi/chi/v5/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/golden"
	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/problem"
)

// serve answers every request with the problem that build returns, after
// letting prepare set up the response headers, and reports Respond's errors
// on errs.
func serve(t *testing.T, rs *problem.Responder, prepare func(http.Header), build func() *problem.Problem) (*httptest.Server, <-chan error) {
	t.Helper()
	errs := make(chan error, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if prepare != nil {
			prepare(w.Header())
		}
		errs <- rs.Respond(w, r, build())
	}))
	t.Cleanup(srv.Close)
	return srv, errs
}

func get(t *testing.T, method, url string, header ...string) *http.Response {
	t.Helper()
	return testkit.Send(t, http.DefaultClient, method, url, nil, header...)
}

func TestRespondWire(t *testing.T) {
	tests := []struct {
		name    string
		method  string
		accept  string
		html    bool
		prepare func(http.Header)
		problem func() *problem.Problem
	}{
		{name: "not-found", problem: func() *problem.Problem { return problem.New(404, "item 42 does not exist") }},
		{name: "out-of-credit", problem: outOfCredit},
		{name: "validation", problem: validationProblem},
		{name: "validation-xml", accept: "application/xml", problem: validationProblem},
		{name: "out-of-credit-xml", accept: "application/problem+xml", problem: outOfCredit},
		{name: "head", method: http.MethodHead, problem: outOfCredit},
		{name: "html", accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", html: true, problem: func() *problem.Problem {
			p := outOfCredit()
			p.Detail = `<script>alert("x")</script> & more`
			p.Extensions["note"] = "</pre><img src=x onerror=alert(1)>"
			return p
		}},
		{name: "html-not-found", accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", html: true, problem: func() *problem.Problem {
			return problem.New(404, "item 42 does not exist")
		}},
		{name: "stale-headers", prepare: func(h http.Header) {
			h.Set("Content-Length", "1000")
			h.Set("ETag", `"v1"`)
			h.Set("Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT")
			h.Set("Content-Disposition", `attachment; filename="report.csv"`)
			h.Set("Content-Language", "de")
			h.Set("Content-Location", "/reports/7.csv")
			h.Set("Content-Digest", "sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:")
			h.Set("Cache-Control", "public, max-age=3600")
			h.Set("Content-Type", "text/html")
			h.Set("Allow", "GET, HEAD")
			h.Set("Access-Control-Allow-Origin", "https://example.com")
			h.Set("Vary", "Origin")
			h.Set("WWW-Authenticate", `Bearer realm="api"`)
		}, problem: func() *problem.Problem { return problem.New(405, "") }},
		{name: "retry-after-catalog", problem: func() *problem.Problem { return problem.New(429, "slow down") }},
		{name: "refused-status", problem: func() *problem.Problem { return problem.New(302, "not an error") }},
	}
	vendor, err := catalog.Load(strings.NewReader(vendorCatalog))
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := &problem.Responder{Catalog: vendor, HTML: tt.html}
			srv, _ := serve(t, rs, tt.prepare, tt.problem)
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			var header []string
			if tt.accept != "" {
				header = []string{"Accept", tt.accept}
			}
			resp := get(t, method, srv.URL+"/account/12345/msgs/abc", header...)
			golden.Assert(t, "respond/"+tt.name+".http", golden.Response(t, resp))
		})
	}
}

func TestRespondStatusLineEqualsMember(t *testing.T) {
	rs := &problem.Responder{}
	for e := range catalog.Default().All() {
		if e.Code < 400 || e.Phrase == "(Unused)" {
			continue
		}
		p := problem.New(e.Code, "")
		switch e.Code { // the headers these need, or Respond reports them missing
		case http.StatusMethodNotAllowed:
			p = p.WithAllow("GET")
		case http.StatusProxyAuthRequired:
			p = p.WithHeader("Proxy-Authenticate", "Basic")
		case http.StatusUpgradeRequired:
			p = p.WithHeader("Upgrade", "HTTP/2.0")
		}
		rec := httptest.NewRecorder()
		require.NoError(t, rs.Respond(rec, httptest.NewRequest("GET", "/", nil), p))
		assert.Equal(t, e.Code, rec.Code)
		assert.Equal(t, `{"type":"about:blank","title":"`+e.Phrase+`","status":`+strconv.Itoa(e.Code)+`}`, rec.Body.String())
		assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
	}
}

func TestRespondRefusesNonErrorStatuses(t *testing.T) {
	rs := &problem.Responder{}
	for _, status := range []int{0, 99, 100, 200, 204, 302, 304, 399, 418, 600, 1000, -1} {
		rec := httptest.NewRecorder()
		p := problem.New(status, "secret detail").WithExtension("correlationId", "abc").WithHeader("Location", "/elsewhere")
		p.Instance = "/orders/7"
		err := rs.Respond(rec, httptest.NewRequest("GET", "/", nil), p)
		require.Error(t, err, "status %d", status)
		assert.Contains(t, err.Error(), "status "+strconv.Itoa(status)+" cannot be sent as a problem")
		assert.Equal(t, 500, rec.Code)
		assert.Equal(t, `{"type":"about:blank","title":"Internal Server Error","status":500,"instance":"/orders/7","correlationId":"abc"}`, rec.Body.String(),
			"the instance and the extensions are kept, the rest describes the refused status")
		assert.Empty(t, rec.Header().Get("Location"), "the refused problem's headers are not sent")
	}

	// A catalog that gives 418 a phrase of its own makes it sendable.
	teapot, err := catalog.Load(strings.NewReader(`{"statuses":[{"code":418,"phrase":"I'm a teapot"}]}`))
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	require.NoError(t, (&problem.Responder{Catalog: teapot}).Respond(rec, httptest.NewRequest("GET", "/", nil), problem.New(418, "")))
	assert.Equal(t, 418, rec.Code)
	assert.Equal(t, `{"type":"about:blank","title":"I'm a teapot","status":418}`, rec.Body.String())

	rec = httptest.NewRecorder()
	err = rs.Respond(rec, httptest.NewRequest("GET", "/", nil), nil)
	assert.EqualError(t, err, "problem: asked to write a nil problem; sent 500")
	assert.Equal(t, 500, rec.Code)
}

// TestRespondRefusedStatusDropsTheTypesCode: a Type whose status Respond
// refuses is sent as a bare 500, without the type's URI, title and code:
// the code, like the title, belongs to the refused status, and a 500 that
// claimed it would name an error of another status. The instance and the
// extensions, the problem's own, are kept; so is an extension named as the
// code member, which replaces the code (see problem.Type.Code).
func TestRespondRefusedStatusDropsTheTypesCode(t *testing.T) {
	tests := []struct {
		name     string
		p        *problem.Problem
		want     string
		wantCode string // of the prepared problem
	}{
		{name: "200", p: problem.Type{URI: "https://example.com/probs/done", Title: "Done", Status: 200, Code: "APP.0200"}.New("all good"),
			want: `{"type":"about:blank","title":"Internal Server Error","status":500}`},
		{name: "399", p: problem.Type{Status: 399, Code: "APP.0399"}.New(""),
			want: `{"type":"about:blank","title":"Internal Server Error","status":500}`},
		{name: "0, a code member of its own", p: problem.Type{Status: 0, Code: "APP.0000", CodeMember: "errorCode"}.New(""),
			want: `{"type":"about:blank","title":"Internal Server Error","status":500}`},
		{name: "600, with instance and extensions", p: func() *problem.Problem {
			p := problem.Type{Status: 600, Code: "APP.0600"}.New("").WithExtension("correlationId", "abc")
			p.Instance = "/orders/7"
			return p
		}(),
			want: `{"type":"about:blank","title":"Internal Server Error","status":500,"instance":"/orders/7","correlationId":"abc"}`},
		{name: "an extension in the code's place is the problem's own", p: problem.Type{Status: 200, Code: "APP.0200"}.New("").WithExtension("code", "E7"),
			want: `{"type":"about:blank","title":"Internal Server Error","status":500,"code":"E7"}`, wantCode: "E7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			err := (&problem.Responder{}).Respond(rec, httptest.NewRequest("GET", "/", nil), tt.p)
			assert.ErrorContains(t, err, "cannot be sent as a problem")
			assert.Equal(t, 500, rec.Code)
			assert.Equal(t, tt.want, rec.Body.String())

			prepared, err := (&problem.Responder{}).Prepare(tt.p)
			assert.Error(t, err)
			assert.Equal(t, tt.wantCode, prepared.Code(), "Prepare gives the problem Respond sends")
		})
	}
}

func TestRespondUnknownCodes(t *testing.T) {
	rec := httptest.NewRecorder()
	require.NoError(t, (&problem.Responder{}).Respond(rec, httptest.NewRequest("GET", "/", nil), problem.New(520, "")))
	assert.Equal(t, 520, rec.Code)
	assert.Equal(t, `{"type":"about:blank","title":"Server Error","status":520}`, rec.Body.String())
}

func TestRespondKeepsOwnTitle(t *testing.T) {
	rec := httptest.NewRecorder()
	p := problem.Type{URI: "https://example.com/probs/x", Title: "Custom", Status: 404}.New("")
	require.NoError(t, (&problem.Responder{}).Respond(rec, httptest.NewRequest("GET", "/", nil), p))
	assert.Equal(t, `{"type":"https://example.com/probs/x","title":"Custom","status":404}`, rec.Body.String())
}

func TestRespondHidesWrappedTextIn5xx(t *testing.T) {
	cause := errors.New("pq: relation users does not exist")
	for _, tt := range []struct {
		p      *problem.Problem
		expose bool
		want   string
	}{
		{problem.Newf(500, "load user: %w", cause), false, ""},
		{problem.Newf(500, "load user: %w", cause), true, "load user: pq: relation users does not exist"},
		{problem.Newf(503, "upstream %s is down", "billing"), false, "upstream billing is down"},
		{problem.Newf(400, "bad id: %w", cause), false, "bad id: pq: relation users does not exist"},
		{problem.New(500, "the author's own words"), false, "the author's own words"},
	} {
		rec := httptest.NewRecorder()
		require.NoError(t, (&problem.Responder{ExposeErrors: tt.expose}).Respond(rec, httptest.NewRequest("GET", "/", nil), tt.p))
		var got problem.Problem
		require.NoError(t, got.UnmarshalJSON(rec.Body.Bytes()))
		assert.Equal(t, tt.want, got.Detail)
		if !tt.expose {
			assert.False(t, tt.p.Status >= 500 && strings.Contains(rec.Body.String(), "pq:"), "5xx leaks the cause")
		}
	}
}

func TestRespondRetryAfterPrecedence(t *testing.T) {
	slow, err := catalog.Load(strings.NewReader(`{"statuses":[{"code":503,"phrase":"Down","retryAfter":30}]}`))
	require.NoError(t, err)
	rs := &problem.Responder{Catalog: slow}
	respond := func(p *problem.Problem, preset string) string {
		rec := httptest.NewRecorder()
		if preset != "" {
			rec.Header().Set("Retry-After", preset)
		}
		require.NoError(t, rs.Respond(rec, httptest.NewRequest("GET", "/", nil), p))
		return rec.Header().Get("Retry-After")
	}
	assert.Equal(t, "5", respond(problem.New(503, "").WithRetryAfter(5*time.Second), "7"), "the problem's own value first")
	assert.Equal(t, "7", respond(problem.New(503, ""), "7"), "then one the stack set")
	assert.Equal(t, "30", respond(problem.New(503, ""), ""), "then the catalog's default")
	assert.Equal(t, "", respond(problem.New(500, ""), ""), "never for a status that is not after-delay")
	assert.Equal(t, "", (func() string {
		rec := httptest.NewRecorder()
		require.NoError(t, (&problem.Responder{}).Respond(rec, httptest.NewRequest("GET", "/", nil), problem.New(429, "")))
		return rec.Header().Get("Retry-After")
	})(), "the default catalog sets no delay")
}

func TestRespondVary(t *testing.T) {
	for preset, want := range map[string][]string{
		"":               {"Accept"},
		"Origin":         {"Origin", "Accept"},
		"Origin, accept": {"Origin, accept"},
		"*":              {"*"},
	} {
		rec := httptest.NewRecorder()
		if preset != "" {
			rec.Header().Set("Vary", preset)
		}
		require.NoError(t, (&problem.Responder{}).Respond(rec, httptest.NewRequest("GET", "/", nil), problem.New(404, "")))
		assert.Equal(t, want, rec.Header().Values("Vary"), "preset %q", preset)
	}
}

func TestRespondDropsUnsafeHeaders(t *testing.T) {
	p := problem.New(401, "").
		WithHeader("WWW-Authenticate", "Bearer\r\nSet-Cookie: a=b").
		WithHeader("Allow", "GET").
		WithHeader("X-Reason", "a\x01b").
		WithHeader("X-Del", "a\x7fb").
		WithHeader("X-Tab", "a\tb")
	p.Header["Bad Name"] = []string{"x"}
	p.Header["retry-after"] = []string{"5"} // not canonical: still applied
	p.Header["RETRY-AFTER"] = []string{"9"} // sorts first of the two, and one value is sent
	rec := httptest.NewRecorder()
	err := (&problem.Responder{}).Respond(rec, httptest.NewRequest("GET", "/", nil), p)
	require.Error(t, err)
	for _, name := range []string{"Www-Authenticate", "X-Reason", "X-Del"} {
		assert.Contains(t, err.Error(), "problem: header "+name+" has a value with a control character; dropped")
	}
	assert.Empty(t, rec.Header().Values("X-Reason"))
	assert.Empty(t, rec.Header().Values("X-Del"))
	assert.Equal(t, "a\tb", rec.Header().Get("X-Tab"))
	assert.Contains(t, err.Error(), `problem: header name "Bad Name" is invalid; dropped`)
	assert.Equal(t, []string{"Bearer"}, rec.Header().Values("WWW-Authenticate"), "the default challenge, for the dropped one")
	assert.Equal(t, "GET", rec.Header().Get("Allow"))
	assert.Equal(t, []string{"9"}, rec.Header().Values("Retry-After"))
	assert.Contains(t, err.Error(), "problem: Retry-After has 2 values; sent the first")
	assert.Equal(t, 401, rec.Code)
}

func TestRespondReportsDroppedExtensions(t *testing.T) {
	rec := httptest.NewRecorder()
	p := problem.New(400, "bad").WithExtension("c", make(chan int))
	err := (&problem.Responder{}).Respond(rec, httptest.NewRequest("GET", "/", nil), p)
	assert.ErrorContains(t, err, `extension "c" dropped`)
	assert.Equal(t, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"bad"}`, rec.Body.String())
}

type failingWriter struct{ *httptest.ResponseRecorder }

func (failingWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }

func TestRespondReportsWriteErrors(t *testing.T) {
	err := (&problem.Responder{}).Respond(failingWriter{httptest.NewRecorder()}, httptest.NewRequest("GET", "/", nil), problem.New(400, ""))
	assert.ErrorIs(t, err, io.ErrClosedPipe)
}

func TestRespondHTMLOnlyWhenEnabled(t *testing.T) {
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Accept", "text/html")
	rec := httptest.NewRecorder()
	require.NoError(t, (&problem.Responder{}).Respond(rec, req, problem.New(404, "")))
	assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"), "never 406, never HTML unless asked for")

	rec = httptest.NewRecorder()
	require.NoError(t, (&problem.Responder{HTML: true}).Respond(rec, req, problem.New(404, "")))
	assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
	assert.Contains(t, rec.Header().Get("Content-Security-Policy"), "default-src 'none'")
	assert.NotContains(t, strings.ToLower(rec.Body.String()), "<script")
}

func TestRespondXMLIsWellFormed(t *testing.T) {
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Accept", "application/problem+xml")
	rec := httptest.NewRecorder()
	require.NoError(t, (&problem.Responder{}).Respond(rec, req, validationProblem()))
	var p problem.Problem
	require.NoError(t, xml.Unmarshal(rec.Body.Bytes(), &p))
	assert.Equal(t, 422, p.Status)
	assert.Equal(t, "application/problem+xml", rec.Header().Get("Content-Type"))
}

// TestRespondProblemHeadersWin: a header the problem sets itself is kept,
// even one that would be stale on the response; Content-Length is not.
func TestRespondProblemHeadersWin(t *testing.T) {
	rec := httptest.NewRecorder()
	rec.Header().Set("Content-Language", "de")
	p := problem.New(404, "no such report").WithHeader("Content-Language", "en").WithHeader("Content-Length", "3")
	err := (&problem.Responder{}).Respond(rec, httptest.NewRequest("GET", "/", nil), p)
	assert.ErrorContains(t, err, "problem: Content-Length is the server's to set; dropped")
	assert.Equal(t, "en", rec.Header().Get("Content-Language"))
	assert.Empty(t, rec.Header().Get("Content-Length"))
}

func TestRespondDropsContentRangeButOn416(t *testing.T) {
	for status, want := range map[int]string{416: "bytes */1000", 500: "", 404: ""} {
		rec := httptest.NewRecorder()
		rec.Header().Set("Content-Range", "bytes */1000")
		require.NoError(t, (&problem.Responder{}).Respond(rec, httptest.NewRequest("GET", "/", nil), problem.New(status, "")))
		assert.Equal(t, want, rec.Header().Get("Content-Range"), "status %d", status)
	}
}

func TestRespondNonCanonicalHeaderKeys(t *testing.T) {
	for range 50 {
		p := problem.New(401, "")
		p.Header = http.Header{"WWW-Authenticate": {`Basic realm="x"`}, "Www-Authenticate": {`Bearer`}, "retry-after": {"9"}}
		rec := httptest.NewRecorder()
		require.NoError(t, (&problem.Responder{}).Respond(rec, httptest.NewRequest("GET", "/", nil), p))
		assert.Equal(t, []string{"Bearer", `Basic realm="x"`}, rec.Header().Values("WWW-Authenticate"), "merged, in a fixed order")
		assert.Equal(t, "9", rec.Header().Get("Retry-After"))
	}
}

func TestNewfDetailReplaced(t *testing.T) {
	p := problem.Newf(500, "load: %w", errors.New("pq: secret"))
	p.Detail = "Try again in a minute."
	rec := httptest.NewRecorder()
	require.NoError(t, (&problem.Responder{}).Respond(rec, httptest.NewRequest("GET", "/", nil), p))
	assert.Contains(t, rec.Body.String(), `"detail":"Try again in a minute."`, "a detail of the author's own is sent")
	assert.NotContains(t, rec.Body.String(), "pq:")
}

// TestRespondHeaderValuesStayPerResponse: the values Respond sets are shared
// by responses to save an allocation, yet each response's headers stay its
// own: appending to one gets a new array, and a value written over in place
// changes that response alone.
func TestRespondHeaderValuesStayPerResponse(t *testing.T) {
	rs, r := &problem.Responder{}, httptest.NewRequest("GET", "/", nil)
	respond := func() (http.Header, error) {
		w := httptest.NewRecorder()
		err := rs.Respond(w, r, problem.New(http.StatusNotFound, ""))
		return w.Header(), err
	}
	want := http.Header{
		"Content-Type":           {"application/problem+json"},
		"X-Content-Type-Options": {"nosniff"},
		"Cache-Control":          {"no-store"},
		"Vary":                   {"Accept"},
	}
	shared := func(a, b http.Header) bool {
		for k := range want {
			if &a[k][0] != &b[k][0] {
				return false
			}
		}
		return true
	}

	first, err := respond()
	require.NoError(t, err)
	first.Add("Vary", "Origin")
	first.Add("Cache-Control", "private")
	assert.Equal(t, []string{"Accept", "Origin"}, first["Vary"])
	assert.Equal(t, []string{"no-store", "private"}, first["Cache-Control"])
	second, err := respond()
	require.NoError(t, err)
	third, err := respond()
	require.NoError(t, err)
	assert.Equal(t, want, second, "after Add on another response")
	assert.True(t, shared(second, third), "Add wrote into no shared value")

	nosniff := first["X-Content-Type-Options"]
	nosniff[0] = "sniff" // in place, as no Header method does
	t.Cleanup(func() { nosniff[0] = "nosniff" })
	fourth, err := respond()
	assert.ErrorContains(t, err, "written into in place", "reported")
	assert.Equal(t, want, fourth, "after a value was written over in place")
	assert.Equal(t, []string{"sniff"}, first["X-Content-Type-Options"])

	fifth, err := respond()
	assert.NoError(t, err, "a write is reported once")
	assert.True(t, shared(fourth, fifth), "new values shared from then on")

	fifth["Content-Type"][0] = "text/plain"
	sixth, err := respond()
	assert.ErrorContains(t, err, "written into in place", "each write reported")
	assert.Equal(t, want, sixth, "after a second write")
	assert.False(t, shared(fifth, sixth))
}

// TestRespondChallengeShared: the challenge of a 401 without one is shared
// by the responses as the other values are (see
// TestRespondHeaderValuesStayPerResponse): a write into it in place is
// reported and changes no later response, and a Challenge changed between
// uses is the one sent.
func TestRespondChallengeShared(t *testing.T) {
	rs, r := &problem.Responder{Challenge: `Bearer realm="api"`}, httptest.NewRequest("GET", "/", nil)
	respond := func() ([]string, error) {
		w := httptest.NewRecorder()
		err := rs.Respond(w, r, problem.New(http.StatusUnauthorized, ""))
		return w.Header()["Www-Authenticate"], err
	}
	first, err := respond()
	require.NoError(t, err)
	second, err := respond()
	require.NoError(t, err)
	assert.Equal(t, []string{`Bearer realm="api"`}, second)
	assert.Same(t, &first[0], &second[0], "shared")

	second[0] = "Basic" // in place, as no Header method does
	t.Cleanup(func() { second[0] = `Bearer realm="api"` })
	third, err := respond()
	assert.ErrorContains(t, err, "written into in place", "reported")
	assert.Equal(t, []string{`Bearer realm="api"`}, third)
	fourth, err := respond()
	assert.NoError(t, err, "a write is reported once")
	assert.Same(t, &third[0], &fourth[0], "new values shared from then on")

	rs.Challenge = `Bearer realm="admin"`
	fifth, err := respond()
	require.NoError(t, err)
	assert.Equal(t, []string{`Bearer realm="admin"`}, fifth)

	rs.Challenge = "=x"
	for range 2 {
		sixth, err := respond()
		assert.EqualError(t, err, `problem: Responder.Challenge "=x" holds no challenge (RFC 9110 §11.6.1); sent "Bearer"`, "reported on every response")
		assert.Equal(t, []string{"Bearer"}, sixth)
	}
}

// TestPrepare returns what Respond sends.
func TestPrepare(t *testing.T) {
	rs := &problem.Responder{}
	sent, err := rs.Prepare(problem.New(http.StatusOK, "fine"))
	assert.Error(t, err)
	assert.Equal(t, []any{problem.AboutBlank, "Internal Server Error", 500, ""}, []any{sent.Type, sent.Title, sent.Status, sent.Detail})

	sent, err = rs.Prepare(problem.Newf(http.StatusBadGateway, "db: %w", errors.New("password=hunter2")))
	require.NoError(t, err)
	assert.Equal(t, "Bad Gateway", sent.Title)
	assert.Empty(t, sent.Detail, "wrapped text is internal")
	sent, _ = (&problem.Responder{ExposeErrors: true}).Prepare(problem.Newf(http.StatusBadGateway, "db: %w", errors.New("down")))
	assert.Equal(t, "db: down", sent.Detail)

	p := problem.New(http.StatusConflict, "stale").WithExtension("version", 3)
	sent, err = rs.Prepare(p)
	require.NoError(t, err)
	assert.Equal(t, "Conflict", sent.Title)
	assert.Equal(t, "stale", sent.Detail)
	assert.Empty(t, p.Title, "p is not changed")

	w, r := httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil)
	require.NoError(t, rs.Respond(w, r, p))
	var onWire problem.Problem
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &onWire))
	assert.Equal(t, sent.Title, onWire.Title)
	assert.Equal(t, sent.Detail, onWire.Detail)
	assert.Equal(t, sent.Status, onWire.Status)
}

// TestRespondSendsAPreparedProblemAsIs: what Prepare returns is what
// Respond sends, without a second preparation, so that what a caller logs
// and reports is what goes out, whichever Responder sends it. A problem
// changed since (its status, or a copy made by Clone or a With... method)
// is prepared again.
func TestRespondSendsAPreparedProblemAsIs(t *testing.T) {
	leaky := problem.Newf(http.StatusBadGateway, "db: %w", errors.New("down"))
	exposed, err := (&problem.Responder{ExposeErrors: true}).Prepare(leaky)
	require.NoError(t, err)
	require.Equal(t, "db: down", exposed.Detail)

	body := func(p *problem.Problem) (string, error) {
		w := httptest.NewRecorder()
		err := (&problem.Responder{}).Respond(w, httptest.NewRequest("GET", "/", nil), p)
		return w.Body.String(), err
	}
	got, err := body(&exposed)
	require.NoError(t, err)
	assert.Equal(t, `{"type":"about:blank","title":"Bad Gateway","status":502,"detail":"db: down"}`, got, "as prepared, by a Responder that would not expose it")

	got, _ = body(exposed.WithExtension("x", 1))
	assert.Equal(t, `{"type":"about:blank","title":"Bad Gateway","status":502,"x":1}`, got, "a With... copy is prepared again")
	got, _ = body(exposed.Clone())
	assert.Equal(t, `{"type":"about:blank","title":"Bad Gateway","status":502}`, got, "a clone is prepared again")

	changed := exposed
	changed.Status = http.StatusOK
	got, err = body(&changed)
	assert.ErrorContains(t, err, "status 200 cannot be sent as a problem")
	assert.Equal(t, `{"type":"about:blank","title":"Internal Server Error","status":500}`, got, "a status changed since is judged again")

	changed.Status = http.StatusNotFound
	got, _ = body(&changed)
	assert.Equal(t, `{"type":"about:blank","title":"Not Found","status":404,"detail":"db: down"}`, got, "a title for the status it has now")
}

// TestRespondClosesAfterMaxBytes: a 413 caused by http.MaxBytesReader
// closes the connection (the rest of the body was not read, and
// MaxBytesReader closes it itself only when given the server's own
// ResponseWriter); a 413 of any other cause leaves it open.
func TestRespondClosesAfterMaxBytes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		p     *problem.Problem
		close bool
	}{
		{"resolved", problem.Resolve(fmt.Errorf("decode: %w", &http.MaxBytesError{Limit: 10})), true},
		{"wrapped", problem.Wrap(fmt.Errorf("decode: %w", &http.MaxBytesError{Limit: 10}), http.StatusRequestEntityTooLarge), true},
		{"a 413 of its own", problem.New(http.StatusRequestEntityTooLarge, "at most 10 items"), false},
		{"a 400 with that cause", problem.Wrap(&http.MaxBytesError{Limit: 10}, http.StatusBadRequest), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, errs := serve(t, &problem.Responder{}, nil, func() *problem.Problem { return tc.p })
			resp := get(t, "GET", srv.URL)
			require.NoError(t, <-errs)
			assert.Equal(t, tc.p.Status, resp.StatusCode)
			assert.Equal(t, tc.close, resp.Close, "Connection: %q", resp.Header["Connection"])
		})
	}
}

// TestRespondKeepsHTTP2ConnectionAfterMaxBytes: Connection is an HTTP/1
// field (RFC 9113 §8.2.2); Go's HTTP/2 server takes a Connection: close
// for a GOAWAY that ends the whole connection, every other stream on it
// included. A 413 from http.MaxBytesReader over HTTP/2 needs none (the
// stream is reset, the connection is fine) and leaves the connection open,
// as net/http's own http.Error does.
func TestRespondKeepsHTTP2ConnectionAfterMaxBytes(t *testing.T) {
	rs := &problem.Responder{}
	errs := make(chan error, 4)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 4)
		_, err := io.ReadAll(r.Body)
		require.Error(t, err)
		errs <- rs.Respond(w, r, problem.Resolve(err))
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)

	var reused []bool
	for range 2 {
		trace := &httptrace.ClientTrace{GotConn: func(ci httptrace.GotConnInfo) { reused = append(reused, ci.Reused) }}
		req, err := http.NewRequestWithContext(httptrace.WithClientTrace(t.Context(), trace), "POST", srv.URL, strings.NewReader(strings.Repeat("x", 64<<10)))
		require.NoError(t, err)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		require.NoError(t, resp.Body.Close())
		require.NoError(t, <-errs)
		require.Equal(t, "HTTP/2.0", resp.Proto)
		assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	}
	assert.Equal(t, []bool{false, true}, reused, "the second request goes over the first one's connection")
}

// TestRespondHTTP2ConnectionFields: an HTTP/2 message must not carry the
// fields of an HTTP/1 connection (RFC 9113 §8.2.2: Connection,
// Keep-Alive, Proxy-Connection, Transfer-Encoding, Upgrade), and clients
// that check (curl, through nghttp2) refuse such a response as malformed:
// the client gets no problem at all. Go's HTTP/2 server drops Connection
// and Transfer-Encoding itself, not the others. Over HTTP/2 Respond sends
// none of them: a problem's own Upgrade is dropped and reported, the
// stack's are removed, and a 426, which can name no protocol to upgrade
// to there (HTTP/2 has no Upgrade mechanism, §8.6), is not reported for
// lacking one.
func TestRespondHTTP2ConnectionFields(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(http.Header)
		problem *problem.Problem
		err     string // what Respond reports, or "" for nothing
	}{
		{
			name:    "a 426's own Upgrade",
			problem: problem.New(http.StatusUpgradeRequired, "").WithHeader("Upgrade", "TLS/1.3"),
			err:     "problem: header Upgrade is about an HTTP/1 connection, which an HTTP/2 response must not carry (RFC 9113 §8.2.2); dropped",
		},
		{
			name: "the stack's fields",
			prepare: func(h http.Header) {
				h.Set("Upgrade", "TLS/1.3")
				h.Set("Keep-Alive", "timeout=5")
				h.Set("Proxy-Connection", "keep-alive")
				h["upgrade"] = []string{"h2c"}
			},
			problem: problem.New(http.StatusBadRequest, ""),
		},
		{
			name:    "a 426 without Upgrade",
			problem: problem.New(http.StatusUpgradeRequired, ""),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := make(chan error, 1)
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.prepare != nil {
					tt.prepare(w.Header())
				}
				errs <- (&problem.Responder{}).Respond(w, r, tt.problem)
			}))
			srv.EnableHTTP2 = true
			srv.StartTLS()
			t.Cleanup(srv.Close)
			resp, _ := testkit.Do(t, srv.Client(), "GET", srv.URL, nil)
			require.Equal(t, "HTTP/2.0", resp.Proto)
			assert.Equal(t, tt.problem.Status, resp.StatusCode)
			for _, name := range []string{"Upgrade", "Keep-Alive", "Proxy-Connection", "Connection"} {
				assert.Empty(t, resp.Header.Values(name), name)
			}
			err := <-errs
			if tt.err == "" {
				assert.NoError(t, err)
			} else {
				assert.EqualError(t, err, tt.err)
			}
		})
	}
}

// TestRespondHeadAsGet: a HEAD response carries the header fields a GET
// would, Content-Length included (RFC 9110 §9.3.2, §8.6), also through a
// writer between Respond and the server that changes the body, such as a
// compressor (chi's Compress here): Respond writes the body for HEAD as
// for GET, as any net/http handler does, and the server sends none of it.
func TestRespondHeadAsGet(t *testing.T) {
	tests := []struct {
		name string
		wrap func(http.Handler) http.Handler
	}{
		{"to the server", func(h http.Handler) http.Handler { return h }},
		{"through a compressor", chimw.Compress(5, "application/problem+json")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				assert.NoError(t, (&problem.Responder{}).Respond(w, r, problem.New(http.StatusConflict, "version 3 is stale")))
			})))
			t.Cleanup(srv.Close)
			client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
			get, getBody := testkit.Do(t, client, "GET", srv.URL, nil, "Accept-Encoding", "gzip")
			head, headBody := testkit.Do(t, client, "HEAD", srv.URL, nil, "Accept-Encoding", "gzip")
			require.NotEmpty(t, getBody)
			assert.Empty(t, headBody)
			assert.Equal(t, get.StatusCode, head.StatusCode)
			for _, name := range []string{"Content-Type", "Content-Encoding", "Content-Length", "Vary"} {
				assert.Equal(t, get.Header.Values(name), head.Header.Values(name), name)
			}
		})
	}
}

// rawResponse sends a GET for url over a plain connection and returns the
// header fields of the response as they crossed the wire, one a line in the
// server's order, Date left out, and the body. Go's client would merge
// fields whose names differ in case, which is what the callers test.
func rawResponse(t *testing.T, url string) (fields []string, body string) {
	t.Helper()
	host := strings.TrimPrefix(url, "http://")
	conn, err := net.Dial("tcp", host)
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "GET /item HTTP/1.1\r\nHost: "+host+"\r\nConnection: close\r\n\r\n")
	require.NoError(t, err)
	data, err := io.ReadAll(conn)
	require.NoError(t, err)
	head, body, ok := strings.Cut(string(data), "\r\n\r\n")
	require.True(t, ok, "no end of the header section in %q", data)
	lines := strings.Split(head, "\r\n")
	for _, line := range lines[1:] { // after the status line
		if !strings.HasPrefix(line, "Date: ") {
			fields = append(fields, line)
		}
	}
	return fields, body
}

// TestRespondNonCanonicalResponseKeys: a handler may write a header under a
// key that is not canonical (h["content-type"] = ...). Respond treats such a
// key as the name it stands for wherever it removes, sets or reads that
// name, so that the wire never carries two fields for it (RFC 9110 §5.3
// lets a recipient combine only list fields), and leaves other keys alone.
func TestRespondNonCanonicalResponseKeys(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(http.Header)
		problem *problem.Problem
		want    []string // the handler's fields, as the server orders them
	}{
		{
			name: "content-type",
			prepare: func(h http.Header) {
				h["content-type"] = []string{"text/html"}
				h["x-trace"] = []string{"kept as written"}
			},
			problem: problem.New(http.StatusNotFound, ""),
			want: []string{
				"Cache-Control: no-store", "Content-Type: application/problem+json", "Vary: Accept",
				"X-Content-Type-Options: nosniff", "x-trace: kept as written",
			},
		},
		{
			name: "stale and replaced",
			prepare: func(h http.Header) {
				h["content-length"] = []string{"1000"}
				h["etag"] = []string{`"v1"`}
				h["last-modified"] = []string{"Sun, 06 Nov 1994 08:49:37 GMT"}
				h["cache-control"] = []string{"public, max-age=3600"}
				h["x-reason"] = []string{"the handler's"}
			},
			problem: problem.New(http.StatusNotFound, "").WithHeader("X-Reason", "the problem's"),
			want: []string{
				"Cache-Control: no-store", "Content-Type: application/problem+json", "Vary: Accept",
				"X-Content-Type-Options: nosniff", "X-Reason: the problem's",
			},
		},
		{
			name: "vary merged",
			prepare: func(h http.Header) {
				h["Vary"] = []string{"Accept-Encoding"}
				h["vary"] = []string{"Origin"}
				h["VARY"] = []string{"Accept-Language"}
			},
			problem: problem.New(http.StatusNotFound, ""),
			want: []string{
				"Cache-Control: no-store", "Content-Type: application/problem+json",
				"Vary: Accept-Encoding", "Vary: Accept-Language", "Vary: Origin", "Vary: Accept",
				"X-Content-Type-Options: nosniff",
			},
		},
		{
			name:    "uppercase vary",
			prepare: func(h http.Header) { h["VARY"] = []string{"Origin"} },
			problem: problem.New(http.StatusNotFound, ""),
			want: []string{
				"Cache-Control: no-store", "Content-Type: application/problem+json",
				"Vary: Origin", "Vary: Accept", "X-Content-Type-Options: nosniff",
			},
		},
		{
			name:    "vary that already names accept",
			prepare: func(h http.Header) { h["vary"] = []string{"accept"} },
			problem: problem.New(http.StatusNotFound, ""),
			want: []string{
				"Cache-Control: no-store", "Content-Type: application/problem+json",
				"Vary: accept", "X-Content-Type-Options: nosniff",
			},
		},
		{
			name:    "retry-after read",
			prepare: func(h http.Header) { h["retry-after"] = []string{"7"} },
			problem: problem.New(http.StatusServiceUnavailable, ""),
			want: []string{
				"Cache-Control: no-store", "Content-Type: application/problem+json",
				"Retry-After: 7", "Vary: Accept", "X-Content-Type-Options: nosniff",
			},
		},
		{
			name:    "retry-after replaced",
			prepare: func(h http.Header) { h["retry-after"] = []string{"7"} },
			problem: problem.New(http.StatusServiceUnavailable, "").WithRetryAfter(5 * time.Second),
			want: []string{
				"Cache-Control: no-store", "Content-Type: application/problem+json",
				"Retry-After: 5", "Vary: Accept", "X-Content-Type-Options: nosniff",
			},
		},
		{
			name:    "challenge read",
			prepare: func(h http.Header) { h["www-authenticate"] = []string{`Digest realm="x"`} },
			problem: problem.New(http.StatusUnauthorized, ""),
			want: []string{
				"Cache-Control: no-store", "Content-Type: application/problem+json", "Vary: Accept",
				`Www-Authenticate: Digest realm="x"`, "X-Content-Type-Options: nosniff",
			},
		},
		{
			name:    "upgrade read",
			prepare: func(h http.Header) { h["upgrade"] = []string{"HTTP/2.0"} },
			problem: problem.New(http.StatusUpgradeRequired, ""),
			want: []string{
				"Cache-Control: no-store", "Content-Type: application/problem+json", "Upgrade: HTTP/2.0", "Vary: Accept",
				"X-Content-Type-Options: nosniff",
			},
		},
		{
			name:    "allow read",
			prepare: func(h http.Header) { h["allow"] = []string{"GET, HEAD"} },
			problem: problem.New(http.StatusMethodNotAllowed, ""),
			want: []string{
				"Allow: GET, HEAD", "Cache-Control: no-store", "Content-Type: application/problem+json", "Vary: Accept",
				"X-Content-Type-Options: nosniff",
			},
		},
	}
	slow, err := catalog.Load(strings.NewReader(`{"statuses":[{"code":503,"phrase":"Service Unavailable","retryAfter":30}]}`))
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, errs := serve(t, &problem.Responder{Catalog: slow}, tt.prepare, func() *problem.Problem { return tt.problem })
			fields, body := rawResponse(t, srv.URL)
			require.NoError(t, <-errs)
			// The server adds its own fields after the handler's.
			want := append(slices.Clone(tt.want), "Content-Length: "+strconv.Itoa(len(body)), "Connection: close")
			assert.Equal(t, want, fields, "body %s", body)
		})
	}
}

// TestRespondDropsHopByHopHeaders: the fields that describe the connection
// are the server's to set; a problem that sets them has them dropped, and
// the error says so. Upgrade stays: a 426 must send it.
func TestRespondDropsHopByHopHeaders(t *testing.T) {
	p := problem.New(http.StatusUpgradeRequired, "").
		WithHeader("Transfer-Encoding", "gzip, chunked").
		WithHeader("Connection", "Upgrade, close").
		WithHeader("Keep-Alive", "timeout=5").
		WithHeader("TE", "trailers").
		WithHeader("Trailer", "Expires").
		WithHeader("Proxy-Connection", "keep-alive").
		WithHeader("Upgrade", "HTTP/2.0")
	srv, errs := serve(t, &problem.Responder{}, nil, func() *problem.Problem { return p })
	fields, body := rawResponse(t, srv.URL)
	err := <-errs
	require.Error(t, err)
	for _, name := range []string{"Transfer-Encoding", "Connection", "Keep-Alive", "Te", "Trailer", "Proxy-Connection"} {
		assert.Contains(t, err.Error(), "problem: header "+name+" is about the connection, not a problem's to set; dropped")
	}
	assert.NotContains(t, err.Error(), "Upgrade")
	assert.Equal(t, []string{
		"Cache-Control: no-store", "Content-Type: application/problem+json", "Upgrade: HTTP/2.0", "Vary: Accept",
		"X-Content-Type-Options: nosniff", "Content-Length: " + strconv.Itoa(len(body)), "Connection: close",
	}, fields, "only the server's own Connection, for the request's")
	assert.Equal(t, `{"type":"about:blank","title":"Upgrade Required","status":426}`, body)
}

// TestRespondContentEncoding: the body Respond writes is not encoded, so
// the problem's own Content-Encoding is dropped and reported (RFC 9110
// §8.4); one already on the response belongs to a compressor outside
// Respond that encodes whatever passes, and stays.
func TestRespondContentEncoding(t *testing.T) {
	const dropped = "problem: Content-Encoding cannot describe the body Respond writes, which is not encoded (RFC 9110 §8.4); dropped"
	tests := []struct {
		name    string
		preset  []string // the response's Content-Encoding
		problem *problem.Problem
		want    []string
		wantErr string
	}{
		{name: "the problem's", problem: problem.New(400, "").WithHeader("Content-Encoding", "gzip"), wantErr: dropped},
		{name: "the problem's, spelled otherwise", problem: problem.New(400, "").WithHeader("content-encoding", "br"), wantErr: dropped},
		{name: "the response's", preset: []string{"gzip"}, problem: problem.New(400, ""), want: []string{"gzip"}},
		{name: "the response's over the problem's", preset: []string{"br"},
			problem: problem.New(400, "").WithHeader("Content-Encoding", "gzip"), want: []string{"br"}, wantErr: dropped},
		{name: "none", problem: problem.New(400, "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			if tt.preset != nil {
				rec.Header()["Content-Encoding"] = tt.preset
			}
			err := (&problem.Responder{}).Respond(rec, httptest.NewRequest("GET", "/", nil), tt.problem)
			if tt.wantErr == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tt.wantErr)
			}
			assert.Equal(t, tt.want, rec.Header()["Content-Encoding"])
			assert.Equal(t, 400, rec.Code)
		})
	}
}

// TestRespondDefaultChallenge: a 401 always carries a challenge (RFC 9110
// §15.5.2): the problem's, else the response's, else the Responder's
// Challenge, also when the problem's own was dropped for a control
// character, and when no value holds a challenge (§11.6.1), which is
// reported. Values that hold one are sent exactly as they are.
func TestRespondDefaultChallenge(t *testing.T) {
	tests := []struct {
		name      string
		challenge string
		preset    []string
		problem   *problem.Problem
		want      []string
		wantErr   string
	}{
		{name: "default", problem: problem.New(401, ""), want: []string{"Bearer"}},
		{name: "configured", challenge: `Bearer realm="api"`, problem: problem.New(401, ""), want: []string{`Bearer realm="api"`}},
		{name: "the problem's", challenge: "Bearer", problem: problem.New(401, "").WithAuthenticate(`Basic realm="x"`), want: []string{`Basic realm="x"`}},
		{name: "the response's", preset: []string{`Digest realm="y"`}, problem: problem.New(401, ""), want: []string{`Digest realm="y"`}},
		{name: "empty is none", preset: []string{""}, problem: problem.New(401, ""), want: []string{"Bearer"}},
		{
			name: "the problem's dropped", challenge: `Bearer realm="api"`,
			problem: problem.New(401, "").WithAuthenticate("Bearer\r\nSet-Cookie: a=b"),
			want:    []string{`Bearer realm="api"`},
			wantErr: "problem: header Www-Authenticate has a value with a control character; dropped",
		},
		{
			name: "bad configuration", challenge: "Bearer\x00",
			problem: problem.New(401, ""),
			want:    []string{"Bearer"},
			wantErr: `problem: Responder.Challenge "Bearer\x00" holds a control character; sent "Bearer"`,
		},
		{name: "not a 401", challenge: "Bearer", problem: problem.New(403, "")},
		// Valid challenges stay exactly as they are (RFC 9110 §11.6.1).
		{name: "a scheme alone", problem: problem.New(401, "").WithAuthenticate("Bearer"), want: []string{"Bearer"}},
		{name: "two in one value", problem: problem.New(401, "").WithAuthenticate(`Bearer, Basic realm="a"`), want: []string{`Bearer, Basic realm="a"`}},
		{name: "auth-params", problem: problem.New(401, "").WithAuthenticate(`Newauth realm="apps", type=1`), want: []string{`Newauth realm="apps", type=1`}},
		{name: "token68", problem: problem.New(401, "").WithAuthenticate("Negotiate a87421000492aa874209af8bc028=="), want: []string{"Negotiate a87421000492aa874209af8bc028=="}},
		{name: "an empty element first", problem: problem.New(401, "").WithAuthenticate(", Bearer"), want: []string{", Bearer"}},
		{name: "one of two values", problem: problem.New(401, "").WithAuthenticate(`"realm"`, `Basic realm="x"`), want: []string{`"realm"`, `Basic realm="x"`}},
		{name: "the response's, lowercase", preset: []string{`basic realm="Restricted"`}, problem: problem.New(401, ""), want: []string{`basic realm="Restricted"`}},
		// Values that hold no challenge are replaced, and reported.
		{name: "blank", problem: problem.New(401, "").WithAuthenticate(" "), want: []string{"Bearer"},
			wantErr: `problem: WWW-Authenticate [" "] holds no challenge, which a 401 response must carry (RFC 9110 §11.6.1, §15.5.2); sent "Bearer" instead`},
		{name: "empty elements only", problem: problem.New(401, "").WithAuthenticate(" , ,"), want: []string{"Bearer"}, wantErr: "holds no challenge"},
		{name: "a parameter without a scheme", challenge: `Bearer realm="api"`, problem: problem.New(401, "").WithAuthenticate("=x"),
			want: []string{`Bearer realm="api"`}, wantErr: `problem: WWW-Authenticate ["=x"] holds no challenge`},
		{name: "a quoted string", problem: problem.New(401, "").WithAuthenticate(`"realm"`), want: []string{"Bearer"}, wantErr: "holds no challenge"},
		{name: "an auth-param", problem: problem.New(401, "").WithAuthenticate(`realm="x"`), want: []string{"Bearer"}, wantErr: "holds no challenge"},
		{name: "the response's without one", preset: []string{"=x", " "}, problem: problem.New(401, ""), want: []string{"Bearer"},
			wantErr: `problem: WWW-Authenticate ["=x" " "] holds no challenge`},
		{name: "a configured one without a challenge", challenge: "=x", problem: problem.New(401, ""), want: []string{"Bearer"},
			wantErr: `problem: Responder.Challenge "=x" holds no challenge (RFC 9110 §11.6.1); sent "Bearer"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			if tt.preset != nil {
				rec.Header()["Www-Authenticate"] = tt.preset
			}
			err := (&problem.Responder{Challenge: tt.challenge}).Respond(rec, httptest.NewRequest("GET", "/", nil), tt.problem)
			if tt.wantErr == "" {
				require.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tt.wantErr)
			}
			assert.Equal(t, tt.want, rec.Header().Values("WWW-Authenticate"))
			assert.Equal(t, tt.problem.Status, rec.Code)
		})
	}
}

// TestRespondReportsMissingHeaders: a 405 without Allow, a 407 without
// Proxy-Authenticate and a 426 without Upgrade break RFC 9110 (§15.5.6,
// §15.5.8, §15.5.22). Respond cannot invent them, so it sends the problem
// as it is and reports what is missing.
func TestRespondReportsMissingHeaders(t *testing.T) {
	tests := []struct {
		name    string
		preset  http.Header
		problem *problem.Problem
		wantErr string // "" for none
	}{
		{name: "405 without Allow", problem: problem.New(405, ""),
			wantErr: "problem: a 405 response must carry Allow (RFC 9110 §15.5.6), and neither the problem nor the response sets it; sent without"},
		{name: "405 whose Allow is dropped", problem: problem.New(405, "").WithAllow("GET\n"),
			wantErr: "a 405 response must carry Allow"},
		{name: "405 with the problem's Allow", problem: problem.New(405, "").WithAllow("GET")},
		{name: "405 with an empty Allow", problem: problem.New(405, "").WithAllow()},
		{name: "405 with the response's Allow", preset: http.Header{"Allow": {"GET, HEAD"}}, problem: problem.New(405, "")},
		{name: "407 without Proxy-Authenticate", problem: problem.New(407, ""),
			wantErr: "problem: a 407 response must carry Proxy-Authenticate (RFC 9110 §15.5.8), and neither the problem nor the response sets it; sent without"},
		{name: "407 with an empty Proxy-Authenticate", problem: problem.New(407, "").WithHeader("Proxy-Authenticate", ""),
			wantErr: "a 407 response must carry Proxy-Authenticate"},
		{name: "407 with the problem's", problem: problem.New(407, "").WithHeader("Proxy-Authenticate", `Basic realm="proxy"`)},
		{name: "407 with a Proxy-Authenticate that holds no challenge", problem: problem.New(407, "").WithHeader("Proxy-Authenticate", `realm="proxy"`),
			wantErr: `problem: Proxy-Authenticate ["realm=\"proxy\""] holds no challenge, which a 407 response must carry (RFC 9110 §11.7.1, §15.5.8); sent as is`},
		{name: "407 with the response's", preset: http.Header{"Proxy-Authenticate": {"Basic"}}, problem: problem.New(407, "")},
		{name: "426 without Upgrade", problem: problem.New(426, ""),
			wantErr: "problem: a 426 response must carry Upgrade (RFC 9110 §15.5.22), and neither the problem nor the response sets it; sent without"},
		{name: "426 with an empty Upgrade", problem: problem.New(426, "").WithHeader("Upgrade", ""),
			wantErr: "a 426 response must carry Upgrade"},
		{name: "426 whose Upgrade is dropped", problem: problem.New(426, "").WithHeader("Upgrade", "HTTP/2.0\r\n"),
			wantErr: "a 426 response must carry Upgrade"},
		{name: "426 with the problem's", problem: problem.New(426, "").WithHeader("Upgrade", "HTTP/2.0")},
		{name: "426 with the response's", preset: http.Header{"Upgrade": {"TLS/1.2, HTTP/1.1"}}, problem: problem.New(426, "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			for k, v := range tt.preset {
				rec.Header()[k] = v
			}
			err := (&problem.Responder{}).Respond(rec, httptest.NewRequest("GET", "/", nil), tt.problem)
			assert.Equal(t, tt.problem.Status, rec.Code, "sent as it is")
			if tt.wantErr == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tt.wantErr)
			}
		})
	}
}

// TestRespondReportsNonURIReferences: type and instance are URI references
// (RFC 9457 §3.1.1, §3.1.5). One that is not is sent as it is, and
// reported.
func TestRespondReportsNonURIReferences(t *testing.T) {
	tests := []struct {
		name, typ, instance string
		wantErr             string // "" for none
	}{
		{name: "absolute and path", typ: "https://example.com/probs/out-of-credit", instance: "/account/12345/msgs/abc"},
		{name: "urn and tag", typ: "tag:example.com,2024:out-of-credit", instance: "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"},
		{name: "relative, query and fragment", typ: "probs/x?v=1#top", instance: "../x"},
		{name: "percent-encoded", typ: "https://example.com/probs/%C3%A9", instance: "/items/a%20b"},
		{name: "port and user", typ: "https://user@example.com:8443/probs/x", instance: "//cdn.example.com/x"},
		{name: "not ASCII in type (RFC 3986 §2: percent-encode it)", typ: "https://example.com/probs/é", instance: "/items/%E6%97%A5",
			wantErr: `problem: type "https://example.com/probs/é" is not a URI reference: it holds U+00E9, which is not ASCII (percent-encode its UTF-8 bytes, RFC 3986 §2.1); sent as is`},
		{name: "not ASCII in instance", instance: "/items/日本",
			wantErr: `problem: instance "/items/日本" is not a URI reference: it holds U+65E5, which is not ASCII`},
		{name: "not ASCII in a plain-looking path", instance: "/ü",
			wantErr: `problem: instance "/ü" is not a URI reference: it holds U+00FC`},
		{name: "space in type", typ: "out of credit",
			wantErr: `problem: type "out of credit" is not a URI reference: it holds U+0020; sent as is`},
		{name: "control in instance", typ: "about:blank", instance: "/a\x01b",
			wantErr: `problem: instance "/a\x01b" is not a URI reference: it holds U+0001; sent as is`},
		{name: "no-break space", typ: "https://example.com/a\u00a0b",
			wantErr: `is not a URI reference: it holds U+00A0`},
		{name: "bad escape", typ: "https://example.com/%zz",
			wantErr: `problem: type "https://example.com/%zz" is not a URI reference: "%" is not followed by two hex digits; sent as is`},
		{name: "bad escape in the query, which url.Parse passes", instance: "/items?q=%zz",
			wantErr: `problem: instance "/items?q=%zz" is not a URI reference: "%" is not followed by two hex digits; sent as is`},
		{name: "brace (RFC 3986 §2: not a URI character)", instance: "/items/{id}",
			wantErr: `problem: instance "/items/{id}" is not a URI reference: it holds U+007B '{', which a URI cannot; sent as is`},
		{name: "backslash", typ: `https://example.com/probs\x`,
			wantErr: `problem: type "https://example.com/probs\\x" is not a URI reference: it holds U+005C '\', which a URI cannot; sent as is`},
		{name: "hash twice", typ: "https://example.com/probs#a#b",
			wantErr: `problem: type "https://example.com/probs#a#b" is not a URI reference: it holds "#" twice; sent as is`},
		{name: "brackets in the path", instance: "/items[0]",
			wantErr: `problem: instance "/items[0]" is not a URI reference: it holds "[" or "]" outside the host; sent as is`},
		{name: "IPv6 host", typ: "https://[2001:db8::1]/probs/x", instance: "//[::1]:8080/x"},
		{name: "colon in first segment", instance: "1a:b",
			wantErr: `problem: instance "1a:b" is not a URI reference`},
		{name: "bad port", typ: "https://example.com:port/x",
			wantErr: `problem: type "https://example.com:port/x" is not a URI reference`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := problem.New(404, "")
			p.Type, p.Instance = tt.typ, tt.instance
			rec := httptest.NewRecorder()
			err := (&problem.Responder{}).Respond(rec, httptest.NewRequest("GET", "/", nil), p)
			if tt.wantErr == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tt.wantErr)
			}
			var got problem.Problem
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
			if tt.typ != "" {
				assert.Equal(t, strings.ToValidUTF8(tt.typ, "\ufffd"), got.Type, "sent as it is")
			}
			assert.Equal(t, tt.instance, got.Instance, "sent as it is")
		})
	}
}

// TestRespondAboutBlankTitle: the title of an about:blank problem is the
// status phrase (RFC 9457 §4.2.1). A title of the problem's own is replaced
// by the catalog's phrase, and the first replacement a Responder makes is
// reported; the later ones are not, so that the log does not get a record
// per request.
func TestRespondAboutBlankTitle(t *testing.T) {
	vendor, err := catalog.Load(strings.NewReader(vendorCatalog))
	require.NoError(t, err)
	rs := &problem.Responder{Catalog: vendor}
	respond := func(p *problem.Problem) (string, error) {
		rec := httptest.NewRecorder()
		err := rs.Respond(rec, httptest.NewRequest("GET", "/", nil), p)
		return rec.Body.String(), err
	}

	body, err := respond(problem.Type{Title: "No such order", Status: 404}.New(""))
	assert.Equal(t, `{"type":"about:blank","title":"Not Found","status":404}`, body)
	assert.EqualError(t, err, `problem: an about:blank problem's title is its status phrase (RFC 9457 §4.2.1); sent "Not Found" instead of "No such order" (reported once per Responder)`)

	p := problem.New(400, "")
	p.Type, p.Title = "", "Bad input"
	body, err = respond(p)
	assert.Equal(t, `{"type":"about:blank","title":"BadRequest","status":400}`, body, "an empty type is about:blank, and the phrase is the catalog's")
	assert.NoError(t, err, "reported once")

	body, err = respond(problem.New(404, ""))
	assert.Equal(t, `{"type":"about:blank","title":"Not Found","status":404}`, body)
	assert.NoError(t, err)

	body, err = respond(problem.Type{URI: "https://example.com/probs/x", Title: "Custom", Status: 404}.New(""))
	assert.Equal(t, `{"type":"https://example.com/probs/x","title":"Custom","status":404}`, body, "a type of its own keeps its title")
	assert.NoError(t, err)

	once := &problem.Responder{}
	sent, err := once.Prepare(problem.Type{Title: "No such order", Status: 404}.New(""))
	assert.ErrorContains(t, err, `sent "Not Found" instead of "No such order"`, "Prepare reports it, as Respond does")
	assert.Equal(t, "Not Found", sent.Title)
	err = once.Respond(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil), problem.Type{Title: "No such order", Status: 404}.New(""))
	assert.NoError(t, err, "once per Responder, by Prepare or Respond")

	_, err = (&problem.Responder{}).Prepare(problem.New(404, "").WithExtension("Status", 200))
	assert.NoError(t, err, "Prepare reports what it changes, not what encoding drops")

	err = (&problem.Responder{}).Respond(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil), problem.Type{Title: "Gone away", Status: 410}.New(""))
	assert.ErrorContains(t, err, `sent "Gone" instead of "Gone away"`, "another Responder reports its own first")
}

// TestRespondShadowsReachNoClient: encoding/json decodes object keys into
// struct fields without regard to case, and the last key wins, so an
// extension "Status" would override the status of a Go client that decodes
// into a struct. It is dropped, as "status" would be, and reported.
func TestRespondShadowsReachNoClient(t *testing.T) {
	p := problem.New(404, "the real detail").
		WithExtension("Status", 200).
		WithExtension("DETAIL", "a fake detail").
		WithExtension("ſtatus", 201) // U+017F folds to s, in encoding/json too
	for _, accept := range []string{"application/json", "application/xml", "text/html"} {
		t.Run(accept, func(t *testing.T) {
			srv, errs := serve(t, &problem.Responder{HTML: true}, nil, func() *problem.Problem { return p })
			resp, body := testkit.Do(t, srv.Client(), "GET", srv.URL, nil, "Accept", accept)
			err := <-errs
			require.Error(t, err)
			for _, name := range []string{"Status", "DETAIL", "ſtatus"} {
				assert.Contains(t, err.Error(), `problem: extension "`+name+`" dropped: it would shadow the standard member`)
			}
			assert.NotContains(t, body, "200")
			assert.NotContains(t, body, "fake")
			if accept != "application/json" {
				return
			}
			var client struct {
				Status int    `json:"status"`
				Detail string `json:"detail"`
			}
			require.NoError(t, json.Unmarshal([]byte(body), &client))
			assert.Equal(t, 404, client.Status)
			assert.Equal(t, "the real detail", client.Detail)
			assert.Equal(t, 404, resp.StatusCode)
		})
	}
}

// Retry-After has one value on the wire (RFC 9110 §10.2.3), wherever the
// values came from: keys of the response that differ in case only, or the
// stack and the problem.
func TestRespondSendsOneRetryAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		header  http.Header // on the response before Respond
		p       *problem.Problem
		want    string
		reports bool // Respond reports the values it dropped
	}{
		{"response keys differing in case", http.Header{"Retry-After": {"10"}, "retry-after": {"120"}}, problem.New(503, ""), "10", true},
		{"two values on the response", http.Header{"Retry-After": {"10", "20"}}, problem.New(503, ""), "10", true},
		{"the problem's own wins", http.Header{"retry-after": {"120"}}, problem.New(503, "").WithRetryAfter(5 * time.Second), "5", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			for k, vs := range tt.header {
				rec.Header()[k] = vs
			}
			var rs problem.Responder
			err := rs.Respond(rec, httptest.NewRequest("GET", "/", nil), tt.p)
			assert.Equal(t, []string{tt.want}, rec.Result().Header["Retry-After"])
			if tt.reports {
				assert.ErrorContains(t, err, "Retry-After")
			}
		})
	}
}

// TestRespondRetryAfterForm: the Retry-After sent is delay-seconds or an
// IMF-fixdate (RFC 9110 §10.2.3, §5.6.7), whether the problem, the stack
// or an upstream set it. A value of another form is dropped and reported,
// and the response is then one without: the catalog's default applies, and
// a used-up rate limit holds that default but adds none of its own. An
// obsolete date form is sent as an IMF-fixdate, and reported.
func TestRespondRetryAfterForm(t *testing.T) {
	t.Parallel()
	slow, err := catalog.Load(strings.NewReader(`{"statuses":[{"code":503,"phrase":"Service Unavailable","retryAfter":30}]}`))
	require.NoError(t, err)
	const (
		dropped = "is neither delay-seconds nor an HTTP-date (RFC 9110 §10.2.3); dropped"
		fixdate = "Sun, 06 Nov 1994 08:49:37 GMT"
	)
	usedUp := func(p *problem.Problem) *problem.Problem {
		p, err := p.WithRateLimit(problem.RateLimit{Limits: []problem.ServiceLimit{{Policy: "default", Remaining: 0, Reset: time.Minute}}})
		require.NoError(t, err)
		return p
	}
	tests := []struct {
		name    string
		catalog *catalog.Catalog
		preset  []string // the response's Retry-After
		p       *problem.Problem
		want    []string
		wantErr []string // each in the error; none for no error
	}{
		{name: "delay-seconds", p: problem.New(503, "").WithHeader("Retry-After", "120"), want: []string{"120"}},
		{name: "zero", p: problem.New(503, "").WithHeader("Retry-After", "0"), want: []string{"0"}},
		{name: "more seconds than a duration holds", p: problem.New(503, "").WithHeader("Retry-After", "99999999999999999999"),
			want: []string{"99999999999999999999"}},
		{name: "an IMF-fixdate", p: problem.New(503, "").WithHeader("Retry-After", fixdate), want: []string{fixdate}},
		{name: "the stack's delay", preset: []string{"7"}, p: problem.New(503, ""), want: []string{"7"}},
		{name: "white space around", p: problem.New(503, "").WithHeader("Retry-After", " 120\t"), want: []string{"120"}},
		{name: "an RFC 850 date", p: problem.New(503, "").WithHeader("Retry-After", "Sunday, 06-Nov-94 08:49:37 GMT"),
			want:    []string{fixdate},
			wantErr: []string{`problem: Retry-After "Sunday, 06-Nov-94 08:49:37 GMT" is not an IMF-fixdate, the one date form senders may generate (RFC 9110 §5.6.7); sent "` + fixdate + `"`}},
		{name: "an asctime date", preset: []string{"Sun Nov  6 08:49:37 1994"}, p: problem.New(503, ""),
			want: []string{fixdate}, wantErr: []string{"is not an IMF-fixdate"}},
		{name: "a wrong day name", p: problem.New(503, "").WithHeader("Retry-After", "Mon, 06 Nov 1994 08:49:37 GMT"),
			want: []string{fixdate}, wantErr: []string{"is not an IMF-fixdate"}},
		{name: "a word", p: problem.New(503, "").WithHeader("Retry-After", "soon"),
			wantErr: []string{`problem: Retry-After "soon" ` + dropped}},
		{name: "a negative delay", p: problem.New(503, "").WithHeader("Retry-After", "-1"), wantErr: []string{dropped}},
		{name: "an empty value", preset: []string{""}, p: problem.New(503, ""), wantErr: []string{dropped}},
		{name: "the stack's word, the catalog's default", catalog: slow, preset: []string{"later"}, p: problem.New(503, ""),
			want: []string{"30"}, wantErr: []string{`problem: Retry-After "later" ` + dropped}},
		{name: "the problem's word over the stack's delay", preset: []string{"7"}, p: problem.New(503, "").WithHeader("Retry-After", "soon"),
			wantErr: []string{dropped}},
		{name: "the first of two is a word", p: problem.New(503, "").WithHeader("Retry-After", "soon", "10"),
			wantErr: []string{"problem: Retry-After has 2 values; sent the first", dropped}},
		{name: "a word and a used-up limit: the reset", p: usedUp(problem.New(503, "").WithHeader("Retry-After", "soon")),
			want: []string{"60"}, wantErr: []string{dropped}},
		{name: "a fraction of a second is no HTTP-date", p: problem.New(503, "").WithHeader("Retry-After", "Sun, 06 Nov 1994 08:49:36.2 GMT"),
			wantErr: []string{dropped}},
		{name: "an RFC 850 date in another zone", p: problem.New(503, "").WithHeader("Retry-After", "Sunday, 06-Nov-94 08:49:37 PST"),
			wantErr: []string{dropped}},
		{name: "an RFC 850 date in an unknown zone", p: problem.New(503, "").WithHeader("Retry-After", "Sunday, 06-Nov-94 08:49:37 XYZ"),
			wantErr: []string{dropped}},
		{name: "a word, a used-up limit and the catalog's default", catalog: slow, p: usedUp(problem.New(503, "").WithHeader("Retry-After", "soon")),
			want: []string{"60"}, wantErr: []string{dropped}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			if tt.preset != nil {
				rec.Header()["Retry-After"] = tt.preset
			}
			err := (&problem.Responder{Catalog: tt.catalog}).Respond(rec, httptest.NewRequest("GET", "/", nil), tt.p)
			if len(tt.wantErr) == 0 {
				assert.NoError(t, err)
			}
			for _, want := range tt.wantErr {
				assert.ErrorContains(t, err, want)
			}
			assert.Equal(t, tt.want, rec.Result().Header["Retry-After"])
			assert.Equal(t, 503, rec.Code)
		})
	}
}

// The Connection: close Respond sets after a body cut off replaces a
// connection field the handler set under a key that is not canonical.
func TestRespondCloseReplacesNonCanonicalConnection(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	rec.Header()["connection"] = []string{"keep-alive"}
	var rs problem.Responder
	_ = rs.Respond(rec, httptest.NewRequest("POST", "/", nil), problem.Wrap(&http.MaxBytesError{Limit: 10}, http.StatusRequestEntityTooLarge))
	h := rec.Result().Header
	assert.Equal(t, []string{"close"}, h["Connection"])
	assert.NotContains(t, h, "connection")
}

// TestRespondRetryAfterSyntax: whatever a problem, the stack or an upstream
// puts in Retry-After, the response carries delay-seconds or an
// IMF-fixdate (RFC 9110 §10.2.3; §5.6.7: senders MUST generate the
// IMF-fixdate form), or no Retry-After: a value of another form is
// dropped, as a header with a control character is, and one of the
// obsolete date forms is written as an IMF-fixdate.
func TestRespondRetryAfterSyntax(t *testing.T) {
	relayed := func(value string) *problem.Problem {
		resp := &http.Response{StatusCode: http.StatusServiceUnavailable,
			Header:  http.Header{"Content-Type": {"application/problem+json"}, "Retry-After": {value}},
			Body:    io.NopCloser(strings.NewReader(`{"title":"Down"}`)),
			Request: httptest.NewRequest(http.MethodGet, "https://up.example/x", nil)}
		p, err := problem.FromResponse(resp)
		require.NoError(t, err)
		return problem.Relay(&problem.RelayOptions{Header: []string{"Retry-After"}})(p)
	}
	tests := []struct {
		name  string
		p     *problem.Problem
		stack string // a Retry-After already on the response
		want  []string
		quiet bool // sent as it is, without a report
	}{
		{name: "the problem's word", p: problem.New(503, "").WithHeader("Retry-After", "soon")},
		{name: "the problem's fraction", p: problem.New(503, "").WithHeader("Retry-After", "1.5")},
		{name: "the problem's signed delay", p: problem.New(503, "").WithHeader("Retry-After", "+5")},
		{name: "the problem's asctime date", p: problem.New(503, "").WithHeader("Retry-After", "Sun Nov  6 08:49:37 1994"),
			want: []string{"Sun, 06 Nov 1994 08:49:37 GMT"}},
		{name: "the stack's word", p: problem.New(503, ""), stack: "later"},
		{name: "an upstream's word, relayed", p: relayed("tomorrow")},
		{name: "a valid delay stays", p: problem.New(503, "").WithHeader("Retry-After", "120"), want: []string{"120"}, quiet: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NotNil(t, tt.p)
			rec := httptest.NewRecorder()
			if tt.stack != "" {
				rec.Header().Set("Retry-After", tt.stack)
			}
			err := (&problem.Responder{}).Respond(rec, httptest.NewRequest(http.MethodGet, "/", nil), tt.p)
			assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
			assert.Equal(t, tt.want, rec.Header()["Retry-After"])
			if tt.quiet {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, "problem: Retry-After", "what was dropped or rewritten is reported")
			}
		})
	}
}

// TestRespondOwnContentEncoding: Respond writes the problem's body itself,
// unencoded, so a Content-Encoding the problem carries in its Header
// cannot describe it (RFC 9110 §8.4): sent, it makes the body undecodable
// (Go's client fails with "gzip: invalid header"). It must be dropped and
// reported, as the problem's Content-Length and Transfer-Encoding are; a
// Content-Encoding of the stack's, a compressor's, is another matter.
func TestRespondOwnContentEncoding(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := problem.New(http.StatusBadRequest, "bad").WithHeader("Content-Encoding", "gzip")
		err := (&problem.Responder{}).Respond(w, r, p)
		assert.ErrorContains(t, err, "problem: Content-Encoding cannot describe the body Respond writes, which is not encoded (RFC 9110 §8.4); dropped",
			"the dropped header is reported")
	}))
	t.Cleanup(srv.Close)
	resp, err := srv.Client().Get(srv.URL)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, resp.Body.Close())
	require.NoError(t, err, "the body decodes")
	assert.Empty(t, resp.Header["Content-Encoding"])
	assert.Equal(t, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"bad"}`, string(body))
}

// TestRespondOwnDate: a problem read from an upstream's response keeps its
// Date (to count a Retry-After date by), and a mapper may return it as it
// is; the Date of this server's response is this server's (RFC 9110
// §6.6.1), which net/http sets only where the handler set none.
func TestRespondOwnDate(t *testing.T) {
	upstream := "Sun, 06 Nov 1994 08:49:37 GMT"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := problem.New(http.StatusBadGateway, "").WithHeader("Date", upstream)
		err := (&problem.Responder{}).Respond(w, r, p)
		assert.ErrorContains(t, err, "problem: Date is the server's to set; dropped", "the dropped header is reported")
	}))
	t.Cleanup(srv.Close)
	resp, err := srv.Client().Get(srv.URL)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.NotEqual(t, upstream, resp.Header.Get("Date"))
	date, err := http.ParseTime(resp.Header.Get("Date"))
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now(), date, time.Minute, "the server's own")
}

// TestRespondBlankChallenge: a 401 always carries a challenge (RFC 9110
// §15.5.2, §11.6.1: WWW-Authenticate = #challenge, challenge = auth-scheme
// ...). A blank or scheme-less value from the problem is no challenge; it
// is dropped and replaced by Challenge, as one with a control character
// is.
func TestRespondBlankChallenge(t *testing.T) {
	for _, value := range []string{" ", "=x", `"realm"`} {
		t.Run(value, func(t *testing.T) {
			rec := httptest.NewRecorder()
			err := (&problem.Responder{}).Respond(rec, httptest.NewRequest(http.MethodGet, "/", nil),
				problem.New(http.StatusUnauthorized, "").WithAuthenticate(value))
			assert.Equal(t, []string{"Bearer"}, rec.Header()["Www-Authenticate"])
			assert.ErrorContains(t, err, "holds no challenge", "the replaced value is reported")
		})
	}
}

// TestRespondUpgradeRequired: a 426 MUST carry Upgrade (RFC 9110
// §15.5.22), as a 405 must carry Allow and a 407 Proxy-Authenticate.
// Respond cannot invent the protocol, so, as for those two, it sends the
// response and reports what is missing.
func TestRespondUpgradeRequired(t *testing.T) {
	rec := httptest.NewRecorder()
	err := (&problem.Responder{}).Respond(rec, httptest.NewRequest(http.MethodGet, "/", nil), problem.New(http.StatusUpgradeRequired, ""))
	assert.Equal(t, http.StatusUpgradeRequired, rec.Code)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Upgrade")

	rec = httptest.NewRecorder()
	err = (&problem.Responder{}).Respond(rec, httptest.NewRequest(http.MethodGet, "/", nil),
		problem.New(http.StatusUpgradeRequired, "").WithHeader("Upgrade", "HTTP/2.0"))
	assert.NoError(t, err)
	assert.Equal(t, []string{"HTTP/2.0"}, rec.Header()["Upgrade"])
	assert.Equal(t, []string{"upgrade"}, rec.Header()["Connection"], "a sender of Upgrade names it in Connection (RFC 9110 §7.8)")

	rec = httptest.NewRecorder()
	rec.Header().Set("Connection", "Upgrade")
	_ = (&problem.Responder{}).Respond(rec, httptest.NewRequest(http.MethodGet, "/", nil),
		problem.New(http.StatusUpgradeRequired, "").WithHeader("Upgrade", "HTTP/2.0"))
	assert.Equal(t, []string{"Upgrade"}, rec.Header()["Connection"], "named already")
}
