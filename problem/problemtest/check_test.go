package problemtest_test

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemtest"
)

// ptRecord returns a recorder that holds a response with the given status,
// header fields (name, value, ...) and body, as a handler would write it.
func ptRecord(status int, body string, header ...string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	for i := 0; i+1 < len(header); i += 2 {
		rec.Header().Add(header[i], header[i+1])
	}
	rec.WriteHeader(status)
	rec.WriteString(body)
	return rec
}

const (
	ptJSON = "application/problem+json"
	ptXML  = "application/problem+xml"
	ptNS   = `<problem xmlns="urn:ietf:rfc:7807">`
)

// TestCheckViolations gives Check responses that each break one rule, and
// otherwise none, and checks that it reports that rule alone.
func TestCheckViolations(t *testing.T) {
	tests := []struct {
		name   string
		rec    *httptest.ResponseRecorder
		rule   string
		saying string // part of the message
	}{
		// The media type (conformance A1, A19).
		{name: "no content type", rec: ptRecord(404, `{}`), rule: "RFC 9457 §3, Appendix B", saying: "no Content-Type"},
		{name: "plain json", rec: ptRecord(404, `{}`, "Content-Type", "application/json"), rule: "RFC 9457 §3, Appendix B", saying: `"application/json" is not application/problem+json`},
		{name: "content type does not parse", rec: ptRecord(404, `{}`, "Content-Type", "application/problem+json; =x"), rule: "RFC 9457 §3, Appendix B", saying: "does not parse"},

		// JSON bodies (RFC 8259, RFC 9457 §3, Appendix A: A18).
		{name: "not utf-8", rec: ptRecord(404, "{\"title\":\"\xff\"}", "Content-Type", ptJSON), rule: "RFC 8259 §8.1", saying: "not UTF-8"},
		{name: "not json", rec: ptRecord(404, `{"title":`, "Content-Type", ptJSON), rule: "RFC 8259 §2", saying: "not one JSON value"},
		{name: "trailing data", rec: ptRecord(404, `{}{}`, "Content-Type", ptJSON), rule: "RFC 8259 §2", saying: "not one JSON value"},
		{name: "empty body", rec: ptRecord(404, ``, "Content-Type", ptJSON), rule: "RFC 8259 §2", saying: "not one JSON value"},
		{name: "array", rec: ptRecord(404, `[{"status":404}]`, "Content-Type", ptJSON), rule: "RFC 9457 §3", saying: "not a JSON object"},
		{name: "member twice", rec: ptRecord(404, `{"title":"a","title":"b"}`, "Content-Type", ptJSON), rule: "RFC 8259 §4", saying: `member "title" appears more than once`},
		{name: "type a number", rec: ptRecord(404, `{"type":5}`, "Content-Type", ptJSON), rule: "RFC 9457 §3.1.1", saying: "type is a number, not a string"},
		{name: "type null", rec: ptRecord(404, `{"type":null}`, "Content-Type", ptJSON), rule: "RFC 9457 §3.1.1", saying: "type is null (leave an unset member out)"},
		{name: "type with a space", rec: ptRecord(404, `{"type":"https://example.com/a b"}`, "Content-Type", ptJSON), rule: "RFC 9457 §3.1.1", saying: `holds ' '`},
		{name: "type beyond ascii", rec: ptRecord(404, `{"type":"https://example.com/ü"}`, "Content-Type", ptJSON), rule: "RFC 9457 §3.1.1", saying: `holds 'ü'`},
		{name: "type with a bad escape", rec: ptRecord(404, `{"type":"/probs/%zz"}`, "Content-Type", ptJSON), rule: "RFC 9457 §3.1.1", saying: "two hex digits"},
		{name: "type with a bad scheme", rec: ptRecord(404, `{"type":"1a:b"}`, "Content-Type", ptJSON), rule: "RFC 9457 §3.1.1", saying: `"1a" is not a scheme`},
		{name: "type with brackets in the path", rec: ptRecord(404, `{"type":"https://example.com/[x]"}`, "Content-Type", ptJSON), rule: "RFC 9457 §3.1.1", saying: "outside the host"},
		{name: "title a number", rec: ptRecord(404, `{"title":404}`, "Content-Type", ptJSON), rule: "RFC 9457 §3.1.3", saying: "title is a number"},
		{name: "title null", rec: ptRecord(404, `{"title":null}`, "Content-Type", ptJSON), rule: "RFC 9457 §3.1.3", saying: "title is null"},
		{name: "detail an array", rec: ptRecord(404, `{"detail":["x"]}`, "Content-Type", ptJSON), rule: "RFC 9457 §3.1.4", saying: "detail is an array"},
		{name: "instance an object", rec: ptRecord(404, `{"instance":{}}`, "Content-Type", ptJSON), rule: "RFC 9457 §3.1.5", saying: "instance is an object"},
		{name: "instance with two fragments", rec: ptRecord(404, `{"instance":"/a#b#c"}`, "Content-Type", ptJSON), rule: "RFC 9457 §3.1.5", saying: `"#" twice`},
		{name: "status a string", rec: ptRecord(404, `{"status":"404"}`, "Content-Type", ptJSON), rule: "RFC 9457 §3.1.2", saying: "status is a string, not a number"},
		{name: "status a boolean", rec: ptRecord(404, `{"status":true}`, "Content-Type", ptJSON), rule: "RFC 9457 §3.1.2", saying: "status is a boolean"},
		{name: "status a fraction", rec: ptRecord(404, `{"status":404.5}`, "Content-Type", ptJSON), rule: "RFC 9457 §3.1.2", saying: "404.5 is not an integer"},
		{name: "status above 599", rec: ptRecord(404, `{"status":600}`, "Content-Type", ptJSON), rule: "RFC 9457 §3.1.2", saying: "600 is not between 100 and 599"},
		{name: "status below 100", rec: ptRecord(404, `{"status":99}`, "Content-Type", ptJSON), rule: "RFC 9457 §3.1.2", saying: "99 is not between 100 and 599"},
		{name: "status member not the status line", rec: ptRecord(410, `{"status":404}`, "Content-Type", ptJSON), rule: "RFC 9457 §3.1.2", saying: "status member is 404, the status line 410"},
		{name: "pointer without a slash", rec: ptRecord(422, `{"errors":[{"detail":"x","pointer":"#/a"},{"detail":"y","pointer":"age"}]}`, "Content-Type", ptJSON), rule: "RFC 9457 §3, RFC 6901", saying: `errors[1].pointer "age"`},
		{name: "pointer with a bad tilde", rec: ptRecord(422, `{"errors":[{"pointer":"#/a~2"}]}`, "Content-Type", ptJSON), rule: "RFC 9457 §3, RFC 6901", saying: `"~" not followed`},
		{name: "pointer with a space", rec: ptRecord(422, `{"errors":[{"pointer":"#/a b"}]}`, "Content-Type", ptJSON), rule: "RFC 9457 §3, RFC 6901", saying: "which a URI fragment cannot"},

		// XML bodies (RFC 9457 Appendix B: A19).
		{name: "xml not well-formed", rec: ptRecord(404, ptNS+`<title>x</problem>`, "Content-Type", ptXML), rule: "RFC 9457 Appendix B", saying: "not well-formed"},
		{name: "xml empty", rec: ptRecord(404, ``, "Content-Type", ptXML), rule: "RFC 9457 Appendix B", saying: "0 root elements"},
		{name: "xml root not problem", rec: ptRecord(404, `<error xmlns="urn:ietf:rfc:7807"/>`, "Content-Type", ptXML), rule: "RFC 9457 Appendix B", saying: "root element is <error>"},
		{name: "xml without the namespace", rec: ptRecord(404, `<problem><status>404</status></problem>`, "Content-Type", ptXML), rule: "RFC 9457 Appendix B", saying: `<problem> is in namespace ""`},
		{name: "xml extension in another namespace", rec: ptRecord(404, ptNS+`<x:b xmlns:x="urn:other">1</x:b></problem>`, "Content-Type", ptXML), rule: "RFC 9457 Appendix B", saying: `<b> is in namespace "urn:other"`},
		{name: "xml title twice", rec: ptRecord(404, ptNS+`<title>a</title><title>b</title></problem>`, "Content-Type", ptXML), rule: "RFC 9457 Appendix B", saying: "<title> appears more than once"},
		{name: "xml title holds an element", rec: ptRecord(404, ptNS+`<title><b>a</b></title></problem>`, "Content-Type", ptXML), rule: "RFC 9457 §3.1.3", saying: "<title> holds an element"},
		{name: "xml status not an integer", rec: ptRecord(404, ptNS+`<status>404.0</status></problem>`, "Content-Type", ptXML), rule: "RFC 9457 Appendix B", saying: `<status> "404.0" is not a positive integer`},
		{name: "xml status zero", rec: ptRecord(404, ptNS+`<status>0</status></problem>`, "Content-Type", ptXML), rule: "RFC 9457 Appendix B", saying: "not a positive integer"},
		{name: "xml status above 599", rec: ptRecord(404, ptNS+`<status>700</status></problem>`, "Content-Type", ptXML), rule: "RFC 9457 §3.1.2", saying: "700 is not between"},
		{name: "xml status not the status line", rec: ptRecord(404, ptNS+`<status>410</status></problem>`, "Content-Type", ptXML), rule: "RFC 9457 §3.1.2", saying: "status member is 410, the status line 404"},
		{name: "xml type not a uri", rec: ptRecord(404, ptNS+`<type>a b</type></problem>`, "Content-Type", ptXML), rule: "RFC 9457 §3.1.1", saying: "not a URI reference"},
		{name: "xml two roots", rec: ptRecord(404, ptNS+`</problem>`+ptNS+`</problem>`, "Content-Type", ptXML), rule: "RFC 9457 Appendix B", saying: "2 root elements"},
		{name: "xml text outside the root", rec: ptRecord(404, ptNS+`</problem>x`, "Content-Type", ptXML), rule: "RFC 9457 Appendix B", saying: "text outside the root"},

		// Headers per status (RFC 9110: B1, B2, B3, B7, B8, B10, B12).
		{name: "405 without allow", rec: ptRecord(405, `{"status":405}`, "Content-Type", ptJSON), rule: "RFC 9110 §15.5.6", saying: "405 response without Allow"},
		{name: "405 allow not a method", rec: ptRecord(405, `{"status":405}`, "Content-Type", ptJSON, "Allow", "GET, (x)"), rule: "RFC 9110 §15.5.6", saying: `holds "(x)"`},
		{name: "401 without a challenge", rec: ptRecord(401, `{"status":401}`, "Content-Type", ptJSON), rule: "RFC 9110 §15.5.2", saying: "401 response without WWW-Authenticate"},
		{name: "401 with an empty challenge", rec: ptRecord(401, `{"status":401}`, "Content-Type", ptJSON, "WWW-Authenticate", ""), rule: "RFC 9110 §15.5.2", saying: "does not start with an auth-scheme"},
		{name: "407 without a challenge", rec: ptRecord(407, `{"status":407}`, "Content-Type", ptJSON), rule: "RFC 9110 §15.5.8", saying: "without Proxy-Authenticate"},
		{name: "426 without upgrade", rec: ptRecord(426, `{"status":426}`, "Content-Type", ptJSON), rule: "RFC 9110 §15.5.22", saying: "without Upgrade"},
		{name: "retry-after a fraction", rec: ptRecord(503, `{}`, "Content-Type", ptJSON, "Retry-After", "1.5"), rule: "RFC 9110 §10.2.3", saying: `"1.5" is neither`},
		{name: "retry-after negative", rec: ptRecord(429, `{}`, "Content-Type", ptJSON, "Retry-After", "-1"), rule: "RFC 9110 §10.2.3", saying: `"-1" is neither`},
		{name: "retry-after in utc", rec: ptRecord(503, `{}`, "Content-Type", ptJSON, "Retry-After", "Sun, 06 Nov 1994 08:49:37 UTC"), rule: "RFC 9110 §10.2.3", saying: "is neither"},
		{name: "retry-after in rfc 850 form", rec: ptRecord(503, `{}`, "Content-Type", ptJSON, "Retry-After", "Sunday, 06-Nov-94 08:49:37 GMT"), rule: "RFC 9110 §10.2.3", saying: "is neither"},
		{name: "retry-after wrong weekday", rec: ptRecord(503, `{}`, "Content-Type", ptJSON, "Retry-After", "Mon, 06 Nov 1994 08:49:37 GMT"), rule: "RFC 9110 §10.2.3", saying: "is neither"},
		{name: "retry-after twice", rec: ptRecord(503, `{}`, "Content-Type", ptJSON, "Retry-After", "1", "Retry-After", "2"), rule: "RFC 9110 §10.2.3", saying: "sent 2 times"},
		{name: "stale content-length", rec: ptRecord(404, `{}`, "Content-Type", ptJSON, "Content-Length", "1000"), rule: "RFC 9110 §8.6", saying: `Content-Length "1000", but the body has 2 bytes`},
		{name: "204 with a body", rec: ptRecord(204, `{}`, "Content-Type", ptJSON), rule: "RFC 9110 §6.4.1", saying: "a 204 response has a body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := problemtest.Check(tt.rec)
			require.Error(t, err)
			vs, ok := errors.AsType[problemtest.Violations](err)
			require.True(t, ok, "%T: %v", err, err)
			require.Len(t, vs, 1, "%v", err)
			assert.Equal(t, tt.rule, vs[0].Rule)
			assert.Contains(t, vs[0].Message, tt.saying)
			assert.Equal(t, "problemtest: "+vs[0].Message+" ("+tt.rule+")", err.Error())
		})
	}
}

// TestCheckAccepts gives Check responses at the edges of the rules, which
// break none.
func TestCheckAccepts(t *testing.T) {
	tests := []struct {
		name string
		rec  *httptest.ResponseRecorder
	}{
		{name: "empty object", rec: ptRecord(404, `{}`, "Content-Type", ptJSON)},
		{name: "media type with a parameter", rec: ptRecord(404, `{}`, "Content-Type", "application/problem+json; charset=utf-8")},
		{name: "status as a float", rec: ptRecord(404, `{"status":404.0}`, "Content-Type", ptJSON)},
		{name: "status with an exponent", rec: ptRecord(404, `{"status":4.04e2}`, "Content-Type", ptJSON)},
		{name: "null extension", rec: ptRecord(404, `{"balance":null}`, "Content-Type", ptJSON)},
		{name: "relative type", rec: ptRecord(404, `{"type":"/probs/out-of-credit","instance":"?id=1#x"}`, "Content-Type", ptJSON)},
		{name: "tag uri", rec: ptRecord(404, `{"type":"tag:example.com,2023:probs/x"}`, "Content-Type", ptJSON)},
		{name: "ipv6 host", rec: ptRecord(404, `{"type":"https://[::1]:8080/probs/x"}`, "Content-Type", ptJSON)},
		{name: "empty type", rec: ptRecord(404, `{"type":""}`, "Content-Type", ptJSON)},
		{name: "escaped pointers", rec: ptRecord(422, `{"errors":[{"pointer":"#/tags/a~1b"},{"pointer":"#/%20"},{"pointer":"/m~0n"},{"pointer":"#"}]}`, "Content-Type", ptJSON)},
		{name: "errors of another shape", rec: ptRecord(422, `{"errors":"bad"}`, "Content-Type", ptJSON)},
		{name: "405 with an empty allow", rec: ptRecord(405, `{}`, "Content-Type", ptJSON, "Allow", "")},
		{name: "401 with two challenges", rec: ptRecord(401, `{}`, "Content-Type", ptJSON, "WWW-Authenticate", `Basic realm="x", Bearer`)},
		{name: "retry-after zero", rec: ptRecord(503, `{}`, "Content-Type", ptJSON, "Retry-After", "0")},
		{name: "retry-after a date", rec: ptRecord(429, `{}`, "Content-Type", ptJSON, "Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT")},
		{name: "retry-after on a 413", rec: ptRecord(413, `{}`, "Content-Type", ptJSON, "Retry-After", "120")},
		{name: "content-length right", rec: ptRecord(404, `{}`, "Content-Type", ptJSON, "Content-Length", "2")},
		{name: "xml with whitespace and attributes", rec: ptRecord(404, "<?xml version=\"1.0\"?>\n"+ptNS+"\n  <status> 404 </status>\n  <a x=\"1\"><i>1</i></a>\n</problem>\n", "Content-Type", ptXML)},
		{name: "xml with a prefix", rec: ptRecord(404, `<p:problem xmlns:p="urn:ietf:rfc:7807"><p:status>404</p:status></p:problem>`, "Content-Type", ptXML)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.NoError(t, problemtest.Check(tt.rec))
		})
	}
}

// TestCheckProblemkit checks what problemkit itself sends: every response
// of the net/http middleware here must pass.
func TestCheckProblemkit(t *testing.T) {
	m := middleware.New(&middleware.Options{Logger: ptDiscard()})
	tests := []struct {
		name   string
		accept string
		err    error
	}{
		{name: "404", err: problem.New(http.StatusNotFound, "item 42 does not exist")},
		{name: "404 xml", accept: "application/problem+xml", err: problem.New(http.StatusNotFound, "item 42 does not exist")},
		{name: "401 with the default challenge", err: problem.New(http.StatusUnauthorized, "")},
		{name: "405", err: problem.New(http.StatusMethodNotAllowed, "").WithAllow("GET", "HEAD")},
		{name: "429 after a delay", err: problem.New(http.StatusTooManyRequests, "slow down").WithRetryAfter(1500 * time.Millisecond)},
		{name: "503 until a date", err: problem.New(http.StatusServiceUnavailable, "").WithRetryAt(time.Date(2030, 1, 2, 3, 4, 5, 6, time.FixedZone("X", 3600)))},
		{name: "422 validation", err: ptValidation()},
		{name: "422 validation xml", accept: "application/xml", err: ptValidation()},
		{name: "413", err: &http.MaxBytesError{Limit: 10}},
		{name: "500 unknown", err: errors.New("pq: relation items does not exist")},
		{name: "extensions", err: problem.New(http.StatusForbidden, "").WithExtension("balance", 30).WithExtension("accounts", []string{"/a", "/b"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := m.Handle(func(http.ResponseWriter, *http.Request) error { return tt.err })
			req := httptest.NewRequest(http.MethodGet, "/items/42", nil)
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			assert.NoError(t, problemtest.Check(rec))
			assert.True(t, problemtest.AssertValid(t, rec))
		})
	}
}

// TestCheckAgreesWithRespond: a type or instance that Check flags as no
// URI reference (RFC 9457 §3.1.1, §3.1.5; RFC 3986, ASCII only) is one
// that problem.Responder.Respond reports as it sends it, and one that
// Respond sends without a word passes Check.
func TestCheckAgreesWithRespond(t *testing.T) {
	tests := []struct {
		name, typ, instance string
		bad                 bool
	}{
		{name: "absolute and path", typ: "https://example.com/probs/out-of-credit", instance: "/account/12345/msgs/abc"},
		{name: "urn and tag", typ: "tag:example.com,2024:x", instance: "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"},
		{name: "relative, query and fragment", typ: "probs/x?v=1#top", instance: "../x"},
		{name: "percent-encoded UTF-8", typ: "https://example.com/%C3%BC", instance: "/items/%E6%97%A5"},
		{name: "type beyond ASCII", typ: "https://example.com/ü", bad: true},
		{name: "instance beyond ASCII", instance: "/items/日本", bad: true},
		{name: "instance beyond ASCII in the query", instance: "/items?q=é", bad: true},
		{name: "no-break space", typ: "https://example.com/a\u00a0b", bad: true},
		{name: "space", typ: "https://example.com/a b", bad: true},
		{name: "bad escape", typ: "/probs/%zz", bad: true},
		{name: "bad scheme", instance: "1a:b", bad: true},
		{name: "IPv6 host", typ: "https://[2001:db8::1]:8443/probs/x", instance: "//[2001:db8::1]/a"},
		{name: "IPvFuture host, which url.Parse rejects", instance: "//[v1.x]/a", bad: true},
		{name: "less-than", typ: "https://example.com/<x>", bad: true},
		{name: "greater-than", instance: "/a>b", bad: true},
		{name: "double quote", typ: `https://example.com/"x"`, bad: true},
		{name: "braces", instance: "/items/{id}", bad: true},
		{name: "close brace", typ: "https://example.com/a}", bad: true},
		{name: "vertical bar", instance: "/a|b", bad: true},
		{name: "backslash in the host", typ: `https://example.com\probs`, bad: true},
		{name: "backslash", instance: `/a\b`, bad: true},
		{name: "caret", instance: "/a^b", bad: true},
		{name: "backtick", typ: "https://example.com/`x`", bad: true},
		{name: "hash twice", typ: "https://example.com/probs#a#b", bad: true},
		{name: "hash twice in a path", instance: "/a#b#", bad: true},
		{name: "brackets in the path", typ: "https://example.com/a[0]", bad: true},
		{name: "bracket in a relative path", instance: "/items]", bad: true},
		{name: "brackets in the query", instance: "/items?a[]=1", bad: true},
		{name: "bracket in the fragment", typ: "tag:example.com,2024:x#[", bad: true},
		{name: "brackets around a name", instance: "http://[example.com]/", bad: true},
		{name: "bad escape in the query", instance: "/items?q=%zz", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			flagged, reported := ptRespondAndCheck(tt.typ, tt.instance)
			if tt.bad {
				assert.Error(t, reported, "Respond reports it")
				assert.NotEmpty(t, flagged, "Check flags it")
			} else {
				assert.NoError(t, reported)
				assert.Empty(t, flagged)
			}
		})
	}
}

// FuzzCheckAgreesWithRespond: for any type and instance, Respond reports
// one as no URI reference exactly when Check flags it.
func FuzzCheckAgreesWithRespond(f *testing.F) {
	for _, s := range []string{
		"https://example.com/probs/x", "/items/42", "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6", "probs/x?v=1#top",
		"https://example.com/%C3%BC", "https://example.com/ü", "/a b", "/%zz", "/items?q=%zz", "1a:b", "/{id}", "/a|b", `/a\b`,
		"/a#b#c", "/a[0]", "http://[::1]:8080/x", "http://[v1.x]/", "http://[example.com]/", "//a[::1]/", "https://h:port/",
	} {
		f.Add(s, "")
		f.Add("", s)
	}
	f.Fuzz(func(t *testing.T, typ, instance string) {
		flagged, reported := ptRespondAndCheck(typ, instance)
		if (reported != nil) != (len(flagged) > 0) {
			t.Fatalf("type %q, instance %q: Respond reports %v, Check flags %q", typ, instance, reported, flagged)
		}
	})
}

// ptRespondAndCheck sends a 404 of type typ and instance instance through
// a Responder and returns what Check flags about the type and the
// instance, and what Respond reports.
func ptRespondAndCheck(typ, instance string) (flagged []string, reported error) {
	p := problem.New(http.StatusNotFound, "")
	p.Type, p.Instance = typ, instance
	rec := httptest.NewRecorder()
	reported = (&problem.Responder{}).Respond(rec, httptest.NewRequest(http.MethodGet, "/", nil), p)
	var vs problemtest.Violations
	if errors.As(problemtest.Check(rec), &vs) {
		for _, v := range vs {
			if v.Rule == "RFC 9457 §3.1.1" || v.Rule == "RFC 9457 §3.1.5" {
				flagged = append(flagged, v.Message)
			}
		}
	}
	return flagged, reported
}

// TestCheckProblemkitServer checks responses that crossed the wire, GET and
// HEAD, and that the body is still there to read after.
func TestCheckProblemkitServer(t *testing.T) {
	m := middleware.New(&middleware.Options{Logger: ptDiscard()})
	srv := httptest.NewServer(m.Handle(func(http.ResponseWriter, *http.Request) error {
		return problem.New(http.StatusTooManyRequests, "slow down").WithRetryAfter(time.Minute)
	}))
	t.Cleanup(srv.Close)
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		t.Run(method, func(t *testing.T) {
			req, err := http.NewRequest(method, srv.URL+"/x", nil)
			require.NoError(t, err)
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.NoError(t, problemtest.Check(resp))
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			if method == http.MethodHead {
				assert.Empty(t, body)
				return
			}
			assert.Equal(t, `{"type":"about:blank","title":"Too Many Requests","status":429,"detail":"slow down","instance":"/x"}`, string(body), "the body is still there")
		})
	}
}

// TestCheckHEADRecorded checks a response to HEAD recorded by a recorder,
// as Check's doc says: through Result with the request set.
func TestCheckHEADRecorded(t *testing.T) {
	m := middleware.New(&middleware.Options{Logger: ptDiscard()})
	h := m.Handle(func(http.ResponseWriter, *http.Request) error { return problem.New(http.StatusNotFound, "") })
	req := httptest.NewRequest(http.MethodHead, "/x", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	require.Empty(t, rec.Body.String())

	assert.Error(t, problemtest.Check(rec), "the recorder does not know it was HEAD")
	res := rec.Result()
	res.Request = req
	assert.NoError(t, problemtest.Check(res))
}

// TestCheckGolden runs Check over every golden response file of the
// module: each is a response problemkit sends, and each must pass but
// the HTML pages (html*.http), which are not of a problem media type.
func TestCheckGolden(t *testing.T) {
	var files []string
	for _, dir := range []string{"../testdata/respond", "../../middleware/testdata", "../../middleware/problemecho/testdata", "../../testdata"} {
		matches, err := filepath.Glob(filepath.Join(dir, "*.http"))
		require.NoError(t, err)
		files = append(files, matches...)
	}
	require.GreaterOrEqual(t, len(files), 20, "the golden files are where this test looks")
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			resp := ptReadGolden(t, file)
			err := problemtest.Check(resp)
			if strings.HasPrefix(filepath.Base(file), "html") {
				assert.ErrorContains(t, err, `Content-Type "text/html; charset=utf-8" is not application/problem+json`)
				return
			}
			assert.NoError(t, err)
		})
	}
}

// TestCheckGoldenBodies runs Check over the golden bodies of package
// problem, JSON and XML, sent with the status each is for.
func TestCheckGoldenBodies(t *testing.T) {
	tests := []struct {
		file   string
		status int
	}{
		{"out-of-credit.json", 403},
		{"out-of-credit.xml", 403},
		{"rfc9457-section3.json", 403},
		{"rfc9457-appendix-b.xml", 403},
		{"rfc9457-validation.json", 422},
		{"validation.json", 422},
		{"validation.xml", 422},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("../testdata", tt.file))
			require.NoError(t, err)
			ct := ptJSON
			if strings.HasSuffix(tt.file, ".xml") {
				ct = ptXML
			}
			assert.NoError(t, problemtest.Check(ptRecord(tt.status, string(body), "Content-Type", ct)))
		})
	}
}

// ptReadGolden reads a golden response file: a status line, header
// fields, a blank line and the body. A file whose body is empty but whose
// Content-Length is not is a response to HEAD.
func ptReadGolden(t *testing.T, file string) *http.Response {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	method := http.MethodGet
	if head, body, ok := bytes.Cut(data, []byte("\n\n")); ok && len(body) == 0 && !bytes.Contains(head, []byte("\nContent-Length: 0\n")) {
		method = http.MethodHead
	}
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(data)), &http.Request{Method: method})
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func ptValidation() *problem.Problem {
	return problem.Type{URI: "https://example.net/validation-error", Title: "Your request is not valid.", Status: http.StatusUnprocessableEntity}.
		New("").WithExtension("errors", problem.InputErrors{
		{Detail: "must be a positive integer", Pointer: problem.Pointer("age")},
		{Detail: "must be 'green', 'red' or 'blue'", Pointer: problem.Pointer("profile", "color")},
		{Detail: "must be a number", Parameter: "page"},
	})
}

func ptDiscard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// TestCheckAgreesWithSchema runs Check and a JSON Schema validator with
// RFC 9457 Appendix A over the same bodies: where the schema rejects a
// body, Check does too, for the same member. Check is stricter on URI
// references than the validator's uri-reference format, which is
// url.Parse: those cases are listed apart.
func TestCheckAgreesWithSchema(t *testing.T) {
	f, err := os.Open("../../testdata/rfc9457-appendix-a.json")
	require.NoError(t, err)
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	require.NoError(t, c.AddResource("https://problemkit.test/problem.json", doc))
	schema, err := c.Compile("https://problemkit.test/problem.json")
	require.NoError(t, err)

	tests := []struct {
		body     string
		stricter bool // Check rejects what the schema's format accepts
	}{
		{body: `{}`},
		{body: `{"type":"about:blank","title":"Not Found","status":404,"detail":"x","instance":"/items/42","balance":30}`},
		{body: `{"status":404.0}`},
		{body: `{"status":404.5}`},
		{body: `{"status":99}`},
		{body: `{"status":600}`},
		{body: `{"status":"404"}`},
		{body: `{"status":null}`},
		{body: `{"title":5}`},
		{body: `{"title":null}`},
		{body: `{"detail":[]}`},
		{body: `{"type":{}}`},
		{body: `{"instance":true}`},
		{body: `{"type":"%zz"}`},
		{body: `{"type":"http://[::1/x"}`},
		{body: `{"type":"https://[zz]/x"}`},
		{body: `{"type":"a\\b"}`},
		{body: `{"type":"1a:b"}`},
		{body: `{"type":"tag:example.com,2023:x"}`},
		{body: `{"type":"https://example.com/a b"}`, stricter: true},
		{body: `{"type":"https://example.com/ü"}`, stricter: true},
		{body: `{"type":"https://example.com/[x]"}`, stricter: true},
		{body: `{"instance":"/a#b#c"}`, stricter: true},
		{body: `{"type":"https://example.com/\"x\""}`, stricter: true},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			inst, err := jsonschema.UnmarshalJSON(strings.NewReader(tt.body))
			require.NoError(t, err)
			schemaErr := schema.Validate(inst)
			checkErr := problemtest.Check(ptRecord(404, tt.body, "Content-Type", ptJSON))
			if tt.stricter {
				assert.NoError(t, schemaErr, "the schema's format accepts it")
				assert.Error(t, checkErr)
				return
			}
			assert.Equal(t, schemaErr == nil, checkErr == nil, "schema: %v\ncheck: %v", schemaErr, checkErr)
		})
	}
}

// FuzzCheck gives Check arbitrary bodies under both problem media types:
// it never panics, AssertValid and Assert with an empty Want agree with it,
// and Assert compares any body without panicking.
func FuzzCheck(f *testing.F) {
	for _, file := range []string{"out-of-credit.json", "rfc9457-validation.json", "out-of-credit.xml", "rfc9457-appendix-b.xml", "validation.xml"} {
		body, err := os.ReadFile(filepath.Join("../testdata", file))
		require.NoError(f, err)
		f.Add(403, strings.HasSuffix(file, ".xml"), string(body), "")
	}
	f.Add(405, false, `{"status":405,"errors":[{"pointer":"#/a~1b"}]}`, "GET, HEAD")
	f.Add(401, true, ptNS+`<status>401</status><x><i>1</i></x></problem>`, "Bearer")
	f.Fuzz(func(t *testing.T, status int, isXML bool, body, header string) {
		if status < 100 || status > 999 {
			return // WriteHeader panics outside these
		}
		ct := ptJSON
		if isXML {
			ct = ptXML
		}
		rec := ptRecord(status, body, "Content-Type", ct, "Allow", header, "WWW-Authenticate", header, "Retry-After", header)
		err := problemtest.Check(rec)
		ft := &ptFakeT{TB: t}
		assert.Equal(t, err == nil, problemtest.AssertValid(ft, rec))
		assert.Equal(t, err == nil, problemtest.Assert(ft, rec, problemtest.Want{}))
		problemtest.Assert(ft, rec, problemtest.Want{ // compares whatever the body holds
			Type: "x", Title: "x", Detail: "x", Instance: "x",
			Extensions: map[string]any{"x": []any{1, "x", map[string]any{"x": nil}}},
			Errors:     []problemtest.InputError{{Detail: "x", Pointer: "#", Parameter: "x", Header: "x"}},
			Absent:     []string{"x"},
		})
	})
}

// TestCheckContentEncoding: Check judges the body a client gets once the
// content coding is removed (RFC 9110 §8.4), as problem.FromResponse reads
// it: gzip and x-gzip are decoded, within MaxBody decoded bytes; a coding
// it cannot decode is an error, not a body judged from compressed bytes.
// Content-Length counts the bytes sent (RFC 9110 §8.6). The responses come
// from a loopback server to a client that asked with its own
// Accept-Encoding, so that the Transport leaves the body as it came.
func TestCheckContentEncoding(t *testing.T) {
	const sound = `{"type":"https://example.com/probs/out-of-credit","title":"Out of credit","status":403}`
	tests := []struct {
		name    string
		ct      string
		coding  string
		body    []byte
		length  bool   // send Content-Length
		rule    string // the one rule broken, or ""
		wantErr string // Check's error when it cannot read the body, or ""
	}{
		{name: "gzip json", ct: ptJSON, coding: "gzip", body: testkit.Gzipped(t, sound)},
		{name: "gzip json with its Content-Length", ct: ptJSON, coding: "gzip", body: testkit.Gzipped(t, sound), length: true},
		{name: "x-gzip xml, any case", ct: ptXML, coding: "X-GZip", body: testkit.Gzipped(t, ptNS+"<status>403</status></problem>")},
		{name: "identity", ct: ptJSON, coding: "identity", body: []byte(sound)},
		{name: "a rule broken inside the gzip body", ct: ptJSON, coding: "gzip", body: testkit.Gzipped(t, `{"status":404}`),
			rule: "RFC 9457 §3.1.2"},
		{name: "a bad body inside the gzip body", ct: ptJSON, coding: "gzip", body: testkit.Gzipped(t, "{\"title\":\"\xff\"}"),
			rule: "RFC 8259 §8.1"},
		{name: "larger than MaxBody once decoded", ct: ptJSON, coding: "gzip", body: testkit.Gzipped(t, `{"detail":"`+strings.Repeat("a", problemtest.MaxBody)+`"}`),
			wantErr: "problemtest: the body is larger than 1048576 bytes"},
		{name: "not gzip", ct: ptJSON, coding: "gzip", body: []byte(sound),
			wantErr: "problemtest: decoding Content-Encoding gzip: gzip: invalid header"},
		{name: "a coding not decoded", ct: ptJSON, coding: "br", body: []byte("\x1b\x00"),
			wantErr: `problemtest: Content-Encoding "br" not decoded`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.ct)
				w.Header().Set("Content-Encoding", tt.coding)
				if tt.length {
					w.Header().Set("Content-Length", strconv.Itoa(len(tt.body)))
				}
				w.WriteHeader(http.StatusForbidden)
				_, _ = w.Write(tt.body)
			}))
			defer srv.Close()
			req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
			require.NoError(t, err)
			req.Header.Set("Accept-Encoding", "gzip")
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			require.Equal(t, tt.coding, resp.Header.Get("Content-Encoding"), "the Transport left the body as it came")

			rec := ptRecord(http.StatusForbidden, string(tt.body), "Content-Type", tt.ct, "Content-Encoding", tt.coding)
			for _, got := range []error{problemtest.Check(resp), problemtest.Check(rec)} {
				switch {
				case tt.wantErr != "":
					assert.EqualError(t, got, tt.wantErr)
				case tt.rule != "":
					var vs problemtest.Violations
					require.ErrorAs(t, got, &vs)
					require.Len(t, vs, 1, "%v", got)
					assert.Equal(t, tt.rule, vs[0].Rule)
				default:
					assert.NoError(t, got)
				}
			}
			sent, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.body, sent, "Check leaves the body as it came, encoded")
		})
	}
}
