package problem_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/problem"
)

func TestFromResponseRoundTrip(t *testing.T) {
	rs := &problem.Responder{}
	srv, _ := serve(t, rs, func(h http.Header) { h.Set("Set-Cookie", "session=secret") }, func() *problem.Problem {
		return outOfCredit().WithRetryAfter(90 * time.Second).WithAllow("GET").WithAuthenticate(`Bearer realm="api"`)
	})
	for _, accept := range []string{"application/problem+json", "application/problem+xml"} {
		t.Run(accept, func(t *testing.T) {
			resp := get(t, "GET", srv.URL, "Accept", accept)
			p, err := problem.FromResponse(resp)
			require.NoError(t, err)
			assert.Equal(t, "https://example.com/probs/out-of-credit", p.Type)
			assert.Equal(t, "You do not have enough credit.", p.Title)
			assert.Equal(t, 403, p.Status)
			assert.Equal(t, "Your current balance is 30, but that costs 50.", p.Detail)
			assert.Equal(t, srv.URL+"/account/12345/msgs/abc", p.Instance, "resolved against the request's URL")
			assert.Len(t, p.Extensions, 2)
			require.NotEmpty(t, resp.Header.Get("Date"))
			assert.Equal(t, http.Header{
				"Retry-After":      {"90"},
				"Allow":            {"GET"},
				"Www-Authenticate": {`Bearer realm="api"`},
				"Date":             {resp.Header.Get("Date")},
			}, p.Header, "only the headers that say what to do next are kept, and the clock of Retry-After")
			assert.Equal(t, `Bearer realm="api"`, p.Header.Get("WWW-Authenticate"))

			// Usable as an error, with its Retry-After.
			var err2 error = fmt.Errorf("call billing: %w", p)
			var retry interface{ RetryAfter() time.Duration }
			require.True(t, errors.As(err2, &retry))
			assert.Equal(t, 90*time.Second, retry.RetryAfter())
			assert.ErrorIs(t, err2, problem.Type{URI: "https://example.com/probs/out-of-credit"})
		})
	}
}

func TestFromResponseStatusFromStatusLine(t *testing.T) {
	resp := &http.Response{
		StatusCode: 502,
		Header:     http.Header{"Content-Type": {"application/problem+json; charset=utf-8"}},
		Body:       io.NopCloser(strings.NewReader(`{"status":404,"title":"Not Found"}`)),
	}
	p, err := problem.FromResponse(resp)
	require.NoError(t, err)
	assert.Equal(t, 502, p.Status, "the status line wins: intermediaries change it, not the body")
	assert.Equal(t, problem.AboutBlank, p.Type)
}

type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }

func TestFromResponseErrors(t *testing.T) {
	resp := func(ct, body string) *http.Response {
		return &http.Response{StatusCode: 500, Header: http.Header{"Content-Type": {ct}}, Body: io.NopCloser(strings.NewReader(body))}
	}
	tests := []struct {
		name string
		resp *http.Response
		want string
	}{
		{"nil", nil, "problem: nil response"},
		{"html", resp("text/html", "<h1>oops</h1>"), `problem: response is not a problem: status 500, Content-Type "text/html"`},
		{"plain json", resp("application/json", `{"status":500}`), `problem: response is not a problem: status 500, Content-Type "application/json"`},
		{"no content type", resp("", `{}`), `problem: response is not a problem: status 500, Content-Type ""`},
		{"broken json", resp("application/problem+json", `{"status":`), "problem: status 500: unexpected end of JSON input"},
		{"json array", resp("application/problem+json", `[1]`), "problem: status 500: problem: decoding JSON: json: cannot unmarshal array into Go value of type map[string]json.RawMessage"},
		{"json null", resp("application/problem+json", `null`), "problem: status 500: body is not a problem object"},
		{"empty", resp("application/problem+json", ``), "problem: status 500: unexpected end of JSON input"},
		{"broken xml", resp("application/problem+xml", `<problem xmlns="urn:ietf:rfc:7807"><title>`), "problem: status 500: problem: decoding XML: XML syntax error on line 1: unexpected EOF"},
		{"wrong root", resp("application/problem+xml", `<error/>`), "problem: status 500: problem: decoding XML: root element is {}error, want {urn:ietf:rfc:7807}problem"},
		{"too large", resp("application/problem+json", `{"detail":"`+strings.Repeat("a", problem.MaxResponseBody)+`"}`), "problem: status 500: body larger than 1048576 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var again *http.Response
			if tt.resp != nil {
				copied := *tt.resp
				body, err := io.ReadAll(tt.resp.Body)
				require.NoError(t, err)
				tt.resp.Body, copied.Body = io.NopCloser(bytes.NewReader(body)), io.NopCloser(bytes.NewReader(body))
				again = &copied
			}
			p, err := problem.FromResponse(tt.resp)
			assert.Nil(t, p)
			assert.EqualError(t, err, tt.want)

			p, err = problem.PeekResponse(again)
			assert.Nil(t, p)
			assert.EqualError(t, err, tt.want, "PeekResponse fails as FromResponse does")
		})
	}
	_, err := problem.FromResponse(resp("text/plain", "x"))
	assert.ErrorIs(t, err, problem.ErrNotProblem)

	body := &closeRecorder{Reader: strings.NewReader(`{}`)}
	_, err = problem.FromResponse(&http.Response{StatusCode: 400, Header: http.Header{"Content-Type": {"application/problem+json"}}, Body: body})
	require.NoError(t, err)
	assert.True(t, body.closed, "the body is closed")
}

// TestPeekResponse: PeekResponse reads the problem FromResponse reads, and
// leaves the body as it came, open, for the caller; a body it cannot take
// is left too.
func TestPeekResponse(t *testing.T) {
	srv, _ := serve(t, &problem.Responder{}, nil, func() *problem.Problem { return outOfCredit().WithRetryAfter(90 * time.Second) })
	for _, accept := range []string{"application/problem+json", "application/problem+xml"} {
		t.Run(accept, func(t *testing.T) {
			resp := get(t, "GET", srv.URL, "Accept", accept)
			orig := resp.Body
			body, err := io.ReadAll(orig)
			require.NoError(t, err)
			require.NoError(t, orig.Close())
			tracked := &closeRecorder{Reader: bytes.NewReader(body)}
			resp.Body = tracked

			p, err := problem.PeekResponse(resp)
			require.NoError(t, err)
			assert.False(t, tracked.closed, "the body is left open")
			again, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, body, again, "the body reads as it came")

			resp.Body = io.NopCloser(bytes.NewReader(body))
			want, err := problem.FromResponse(resp)
			require.NoError(t, err)
			assert.Equal(t, want, p)
			assert.True(t, p.Foreign())
		})
	}

	t.Run("too large", func(t *testing.T) {
		body := `{"detail":"` + strings.Repeat("a", problem.MaxResponseBody) + `"}`
		resp := &http.Response{StatusCode: 500, Header: http.Header{"Content-Type": {"application/problem+json"}}, Body: io.NopCloser(strings.NewReader(body))}
		_, err := problem.PeekResponse(resp)
		require.Error(t, err)
		again, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Equal(t, body, string(again), "the body reads as it came")
	})

	t.Run("not a problem", func(t *testing.T) {
		tracked := &closeRecorder{Reader: strings.NewReader("<h1>oops</h1>")}
		resp := &http.Response{StatusCode: 500, Header: http.Header{"Content-Type": {"text/html"}}, Body: tracked}
		_, err := problem.PeekResponse(resp)
		assert.ErrorIs(t, err, problem.ErrNotProblem)
		assert.Same(t, tracked, resp.Body, "the body is not read")
		assert.False(t, tracked.closed)
	})
}

func TestFromResponseOverHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "plain failure", 500)
	}))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	require.NoError(t, err)
	_, err = problem.FromResponse(resp)
	assert.ErrorIs(t, err, problem.ErrNotProblem)
}

func TestFromResponseToHEAD(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = (&problem.Responder{}).Respond(w, r, problem.New(http.StatusServiceUnavailable, "down").WithRetryAfter(30*time.Second))
	}))
	defer srv.Close()
	resp, err := http.Head(srv.URL)
	require.NoError(t, err)
	p, err := problem.FromResponse(resp)
	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, p.Status)
	assert.Equal(t, problem.AboutBlank, p.Type)
	assert.Equal(t, 30*time.Second, p.RetryAfter())

	resp, err = http.Get(srv.URL)
	require.NoError(t, err)
	p, err = problem.FromResponse(resp)
	require.NoError(t, err)
	assert.Equal(t, "down", p.Detail, "a GET still reads the body")
}

// TestFromResponseResolvesReferences: a relative type or instance is
// resolved against the URL of the request that got the response (RFC 9457
// §3.1.1, §3.1.5; RFC 3986 §5), the last one after redirects; an absolute
// one is kept as it was sent.
func TestFromResponseResolvesReferences(t *testing.T) {
	type answer struct{ contentType, body string }
	answers := map[string]answer{
		"/api/orders/absolute-path": {"application/problem+json", `{"type":"/probs/out-of-credit","instance":"/orders/7/attempts/3"}`},
		"/api/orders/relative-path": {"application/problem+json", `{"type":"out-of-credit","instance":"attempts/3"}`},
		"/api/orders/dot-segments":  {"application/problem+json", `{"type":"../probs/out-of-credit","instance":"./attempts/3"}`},
		"/api/orders/absolute":      {"application/problem+json", `{"type":"HTTPS://Example.com/a/../probs/x","instance":"urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"}`},
		"/api/orders/network-path":  {"application/problem+json", `{"type":"//types.example/out-of-credit"}`},
		"/api/orders/tag":           {"application/problem+json", `{"type":"tag:example.com,2024:out-of-credit"}`},
		"/api/orders/blank":         {"application/problem+json", `{"type":"about:blank"}`},
		"/api/orders/no-type":       {"application/problem+json", `{"title":"Gone"}`},
		"/api/orders/unparsable":    {"application/problem+json", `{"type":"%zz","instance":":x"}`},
		"/api/orders/fragment":      {"application/problem+json", `{"type":"#out-of-credit","instance":"#attempt-3"}`},
		"/api/orders/xml":           {"application/problem+xml", `<problem xmlns="urn:ietf:rfc:7807"><type>/probs/out-of-credit</type><instance>attempts/3</instance></problem>`},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := answers[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", a.contentType)
		w.Header().Set("Content-Location", "/elsewhere/deep/") // not a base URI (RFC 9110 §8.7, RFC 7231 App. B)
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, a.body)
	}))
	t.Cleanup(srv.Close)
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, srv.URL+"/api/orders/relative-path", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(redirector.Close)
	withUser := strings.Replace(srv.URL, "http://", "http://alice:secret@", 1)

	tests := []struct {
		name         string
		url          string
		wantType     string
		wantInstance string
	}{
		{"absolute path", srv.URL + "/api/orders/absolute-path", srv.URL + "/probs/out-of-credit", srv.URL + "/orders/7/attempts/3"},
		{"relative path", srv.URL + "/api/orders/relative-path?page=2", srv.URL + "/api/orders/out-of-credit", srv.URL + "/api/orders/attempts/3"},
		{"dot segments", srv.URL + "/api/orders/dot-segments", srv.URL + "/api/probs/out-of-credit", srv.URL + "/api/orders/attempts/3"},
		{"after a redirect, against the last request's URL", redirector.URL + "/old/orders/8", srv.URL + "/api/orders/out-of-credit", srv.URL + "/api/orders/attempts/3"},
		{"absolute URIs are kept as sent", srv.URL + "/api/orders/absolute", "HTTPS://Example.com/a/../probs/x", "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"},
		{"network-path reference", srv.URL + "/api/orders/network-path", "http://types.example/out-of-credit", ""},
		{"tag URI", srv.URL + "/api/orders/tag", "tag:example.com,2024:out-of-credit", ""},
		{"about:blank", srv.URL + "/api/orders/blank", problem.AboutBlank, ""},
		{"no type", srv.URL + "/api/orders/no-type", problem.AboutBlank, ""},
		{"references that do not parse are kept", srv.URL + "/api/orders/unparsable", "%zz", ":x"},
		{"the request's user info stays out", withUser + "/api/orders/relative-path", srv.URL + "/api/orders/out-of-credit", srv.URL + "/api/orders/attempts/3"},
		{"the request's query stays out of a same-document reference", srv.URL + "/api/orders/fragment?api_key=secret",
			srv.URL + "/api/orders/fragment#out-of-credit", srv.URL + "/api/orders/fragment#attempt-3"},
		{"XML", srv.URL + "/api/orders/xml", srv.URL + "/probs/out-of-credit", srv.URL + "/api/orders/attempts/3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := get(t, "GET", tt.url)
			require.Equal(t, http.StatusForbidden, resp.StatusCode)
			p, err := problem.FromResponse(resp)
			require.NoError(t, err)
			assert.Equal(t, tt.wantType, p.Type)
			assert.Equal(t, tt.wantInstance, p.Instance)
			assert.ErrorIs(t, fmt.Errorf("call: %w", p), problem.Type{URI: tt.wantType, Status: http.StatusForbidden},
				"errors.Is matches the resolved type")
		})
	}

	// A response without a request has no base: references stay as sent.
	p, err := problem.FromResponse(&http.Response{
		StatusCode: http.StatusForbidden,
		Header:     http.Header{"Content-Type": {"application/problem+json"}},
		Body:       io.NopCloser(strings.NewReader(`{"type":"/probs/out-of-credit","instance":"attempts/3"}`)),
	})
	require.NoError(t, err)
	assert.Equal(t, "/probs/out-of-credit", p.Type)
	assert.Equal(t, "attempts/3", p.Instance)
}

// TestFromResponseMarksForeign: FromResponse marks what it reads as
// foreign, whatever the format; copies stay foreign; problems made here,
// or decoded by hand, are not.
func TestFromResponseMarksForeign(t *testing.T) {
	srv, _ := serve(t, &problem.Responder{}, nil, outOfCredit)
	for _, tt := range []struct{ name, method, accept string }{
		{"JSON", "GET", "application/problem+json"},
		{"XML", "GET", "application/problem+xml"},
		{"HEAD", "HEAD", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := problem.FromResponse(get(t, tt.method, srv.URL, "Accept", tt.accept))
			require.NoError(t, err)
			assert.True(t, p.Foreign())
			assert.True(t, p.Clone().Foreign())
			assert.True(t, p.WithExtension("note", "x").Foreign())
		})
	}

	assert.False(t, outOfCredit().Foreign())
	assert.False(t, problem.New(http.StatusNotFound, "").Foreign())
	var decoded problem.Problem
	require.NoError(t, json.Unmarshal([]byte(`{"type":"https://example.com/probs/x","status":404}`), &decoded))
	assert.False(t, decoded.Foreign())
	assert.False(t, (*problem.Problem)(nil).Foreign())
}

// TestRelay: Relay makes a problem of this server's from a foreign one:
// its type, title, status and the detail of a 4xx, and only what it is
// told to keep besides. A status that cannot be relayed, or that is about
// the hop to the upstream, is a 502.
func TestRelay(t *testing.T) {
	const body = `{"type":"https://billing.example/probs/p","title":"Billing says no.","detail":"because",` +
		`"instance":"/accounts/7","balance":30,"stack":["billing.main()"]}`
	header := http.Header{"Retry-After": {"30"}, "Www-Authenticate": {`Bearer realm="billing"`}, "Allow": {"GET"}}

	t.Run("statuses", func(t *testing.T) {
		tests := []struct {
			name       string
			status     int
			want       int
			wantDetail string
		}{
			{"400", 400, 400, "because"},
			{"404", 404, 404, "because"},
			{"422", 422, 422, "because"},
			{"429", 429, 429, "because"},
			{"451", 451, 451, "because"},
			{"500 without its detail", 500, 500, ""},
			{"503 without its detail", 503, 503, ""},
			{"200 is not an error", 200, 502, ""},
			{"302 is not an error", 302, 502, ""},
			{"418 is unused", 418, 502, ""},
			{"499 is nginx's own", 499, 502, ""},
			{"460 is unassigned", 460, 502, ""},
			{"599 is unassigned", 599, 502, ""},
			{"600 is no status", 600, 502, ""},
			{"401 without its challenge kept is this server's credentials failing", 401, 502, ""},
			{"405 without Allow kept (RFC 9110 §15.5.6)", 405, 502, ""},
			{"407 without Proxy-Authenticate kept (RFC 9110 §15.5.8)", 407, 502, ""},
			{"408 is about this server's request to the upstream (RFC 9110 §15.5.9)", 408, 502, ""},
			{"411 is about this server's framing", 411, 502, ""},
			{"417 is about this server's Expect", 417, 502, ""},
			{"421 is about this server's connection", 421, 502, ""},
			{"426 is about this server's connection", 426, 502, ""},
			{"505 is about this server's protocol", 505, 502, ""},
			{"511 is about this server's network", 511, 502, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				fp := foreignProblem(t, tt.status, header, body)
				p := problem.Resolve(fmt.Errorf("billing: %w", fp), problem.Relay(nil))
				assert.Equal(t, tt.want, p.Status)
				assert.Equal(t, tt.wantDetail, p.Detail)
				assert.Empty(t, p.Instance)
				assert.Nil(t, p.Extensions)
				assert.Nil(t, p.Header)
				if tt.want == tt.status {
					assert.Equal(t, "https://billing.example/probs/p", p.Type)
					assert.Equal(t, "Billing says no.", p.Title)
				} else {
					assert.Equal(t, problem.AboutBlank, p.Type, "nothing of the upstream's")
					assert.Empty(t, p.Title)
				}
			})
		}
	})

	t.Run("a status about the hop, with the header it needs kept", func(t *testing.T) {
		all := []string{"Retry-After", "Allow", "WWW-Authenticate", "Proxy-Authenticate"}
		header := header.Clone()
		header.Set("Proxy-Authenticate", "Basic")
		tests := []struct {
			name       string
			status     int
			header     http.Header // the upstream's
			keep       []string
			want       int
			wantHeader http.Header
		}{
			{"401 with its challenge", 401, header, []string{"www-authenticate"}, 401, http.Header{"Www-Authenticate": {`Bearer realm="billing"`}}},
			{"401 with another header kept", 401, header, []string{"Allow"}, 502, nil},
			{"401 whose upstream sent no challenge", 401, nil, all, 502, nil},
			{"405 with Allow", 405, header, []string{"Allow"}, 405, http.Header{"Allow": {"GET"}}},
			{"405 whose upstream sent no Allow", 405, nil, all, 502, nil},
			{"407 with Proxy-Authenticate", 407, header, []string{"Proxy-Authenticate"}, 407, http.Header{"Proxy-Authenticate": {"Basic"}}},
			{"407 with WWW-Authenticate kept", 407, header, []string{"WWW-Authenticate"}, 502, nil},
			{"408, whatever is kept", 408, header, all, 502, nil},
			{"411, whatever is kept", 411, header, all, 502, nil},
			{"426, whatever is kept", 426, header, all, 502, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				fp := foreignProblem(t, tt.status, tt.header, body)
				p := problem.Resolve(fp, problem.Relay(&problem.RelayOptions{Header: tt.keep}))
				assert.Equal(t, tt.want, p.Status)
				assert.Equal(t, tt.wantHeader, p.Header)
			})
		}
	})

	t.Run("the detail of a 5xx, asked for", func(t *testing.T) {
		relay := problem.Relay(&problem.RelayOptions{Detail5xx: true})
		for _, status := range []int{400, 500, 503} {
			p := problem.Resolve(foreignProblem(t, status, nil, body), relay)
			assert.Equal(t, "because", p.Detail, "%d", status)
		}
	})

	t.Run("never the upstream's Date", func(t *testing.T) {
		fp := foreignProblem(t, http.StatusServiceUnavailable,
			http.Header{"Date": {"Sun, 06 Nov 1994 08:49:37 GMT"}, "Retry-After": {"Sun, 06 Nov 1994 08:50:07 GMT"}}, body)
		require.Equal(t, "Sun, 06 Nov 1994 08:49:37 GMT", fp.Header.Get("Date"), "FromResponse keeps it, for RetryAfter")
		require.Equal(t, 30*time.Second, fp.RetryAfter())
		p := problem.Resolve(fp, problem.Relay(&problem.RelayOptions{Header: []string{"date", "Retry-After"}}))
		assert.Equal(t, http.Header{"Retry-After": {"Sun, 06 Nov 1994 08:50:07 GMT"}}, p.Header, "this server's response has its own Date")
	})

	t.Run("what to keep", func(t *testing.T) {
		opts := &problem.RelayOptions{Extensions: []string{"balance", "absent"}, Header: []string{"retry-after", "Proxy-Authenticate"}}
		relay := problem.Relay(opts)
		opts.Extensions[0], opts.Header[0] = "stack", "WWW-Authenticate" // copied: no effect

		fp := foreignProblem(t, http.StatusTooManyRequests, header, body)
		p := problem.Resolve(fmt.Errorf("billing: %w", fp), relay)
		assert.Equal(t, map[string]any{"balance": json.Number("30")}, p.Extensions)
		assert.Equal(t, http.Header{"Retry-After": {"30"}}, p.Header)
		assert.False(t, p.Foreign())

		p.Header["Retry-After"][0] = "1"
		assert.Equal(t, "30", fp.Header.Get("Retry-After"), "the relayed header is a copy")
	})

	// An about:blank problem's title is its status phrase (RFC 9457
	// §4.2.1), which Respond writes in the client's language: the
	// upstream's own words for it are not relayed, and the relayed
	// problem is one Respond sends without a report, which it keeps for
	// the service's own mistitled problems.
	t.Run("about:blank without the upstream's title", func(t *testing.T) {
		for _, status := range []int{404, 503} {
			t.Run(fmt.Sprint(status), func(t *testing.T) {
				fp := foreignProblem(t, status, nil, `{"title":"pq: password authentication failed for user \"admin\""}`)
				p := problem.Resolve(fp, problem.Relay(nil))
				require.Equal(t, status, p.Status)
				assert.Equal(t, problem.AboutBlank, p.Type)
				assert.Empty(t, p.Title)

				rs := &problem.Responder{}
				rec := httptest.NewRecorder()
				assert.NoError(t, rs.Respond(rec, httptest.NewRequest("GET", "/", nil), p))
				assert.Equal(t, fmt.Sprintf(`{"type":"about:blank","title":%q,"status":%d}`, http.StatusText(status), status), rec.Body.String())
				own := problem.New(status, "")
				own.Title = "Oops"
				err := rs.Respond(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil), own)
				assert.ErrorContains(t, err, "about:blank problem's title", "the service's own mistake is still reported")
			})
		}
	})

	t.Run("other errors pass", func(t *testing.T) {
		relay := problem.Relay(nil)
		for _, err := range []error{errors.New("x"), problem.New(http.StatusNotFound, ""), (*problem.Problem)(nil), problem.Type{Status: 404}} {
			assert.Nil(t, relay(err), "%v", err)
		}
	})
}

// TestProblemExtension: Extension decodes a member as json.Unmarshal
// decodes the JSON a client gets, for a problem built here and for one
// read from a response; an absent or mistyped member is a clear error.
func TestProblemExtension(t *testing.T) {
	srv, _ := serve(t, &problem.Responder{}, nil, outOfCredit)
	read := func(accept string) *problem.Problem {
		p, err := problem.FromResponse(get(t, "GET", srv.URL, "Accept", accept))
		require.NoError(t, err)
		return p
	}
	built, fromJSON, fromXML := outOfCredit(), read("application/problem+json"), read("application/problem+xml")
	withOdd := built.WithExtension("ch", make(chan int)).WithExtension("Status", 7).WithExtension("none", nil)

	tests := []struct {
		name    string
		p       *problem.Problem
		member  string
		into    func() any
		want    any
		wantErr string
		absent  bool
	}{
		{name: "int, built in Go", p: built, member: "balance", into: func() any { return new(int) }, want: 30},
		{name: "int, read from JSON", p: fromJSON, member: "balance", into: func() any { return new(int) }, want: 30},
		{name: "float64, read from JSON", p: fromJSON, member: "balance", into: func() any { return new(float64) }, want: 30.0},
		{name: "json.Number, read from JSON", p: fromJSON, member: "balance", into: func() any { return new(json.Number) }, want: json.Number("30")},
		{name: "slice, built in Go", p: built, member: "accounts", into: func() any { return new([]string) }, want: []string{"/account/12345", "/account/67890"}},
		{name: "slice, read from JSON", p: fromJSON, member: "accounts", into: func() any { return new([]string) }, want: []string{"/account/12345", "/account/67890"}},
		{name: "slice, read from XML", p: fromXML, member: "accounts", into: func() any { return new([]string) }, want: []string{"/account/12345", "/account/67890"}},
		{name: "XML holds text", p: fromXML, member: "balance", into: func() any { return new(string) }, want: "30"},
		{name: "null leaves the value", p: withOdd, member: "none", into: func() any { n := 5; return &n }, want: 5},
		{name: "mistyped, read from JSON", p: fromJSON, member: "balance", into: func() any { return new(string) },
			wantErr: `problem: extension member "balance": json: cannot unmarshal number into Go value of type string`},
		{name: "mistyped, built in Go", p: built, member: "accounts", into: func() any { return new(map[string]int) },
			wantErr: `problem: extension member "accounts": json: cannot unmarshal array into Go value of type map[string]int`},
		{name: "number from XML into an int", p: fromXML, member: "balance", into: func() any { return new(int) },
			wantErr: `problem: extension member "balance": json: cannot unmarshal string into Go value of type int`},
		{name: "not a pointer", p: built, member: "balance", into: func() any { return 0 },
			wantErr: `problem: extension member "balance": json: Unmarshal(non-pointer int)`},
		{name: "cannot be encoded", p: withOdd, member: "ch", into: func() any { return new(any) },
			wantErr: `problem: extension member "ch": json: unsupported type: chan int`},
		{name: "absent", p: fromJSON, member: "credit", into: func() any { return new(int) },
			wantErr: `problem: no extension member "credit"`, absent: true},
		{name: "a standard member's name", p: withOdd, member: "Status", into: func() any { return new(int) },
			wantErr: `problem: no extension member "Status": a standard member's name`, absent: true},
		{name: "nil problem", p: nil, member: "balance", into: func() any { return new(int) },
			wantErr: `problem: no extension member "balance": nil problem`, absent: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.into()
			err := tt.p.Extension(tt.member, v)
			if tt.wantErr != "" {
				assert.EqualError(t, err, tt.wantErr)
				assert.Equal(t, tt.absent, errors.Is(err, problem.ErrNoExtension), "errors.Is(err, ErrNoExtension)")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, reflect.ValueOf(v).Elem().Interface())
		})
	}

}

// outOfCreditMembers is what a client keeps of an out-of-credit problem.
type outOfCreditMembers struct {
	Balance  int      `json:"balance"`
	Accounts []string `json:"accounts"`
	Detail   string   `json:"detail"`
}

func (e *outOfCreditMembers) Error() string {
	return fmt.Sprintf("out of credit: balance %d", e.Balance)
}

// pretender is a registered type with the methods Resolve takes a problem
// or a status from: they must not make the upstream's problem this
// server's.
type pretender struct {
	Detail string `json:"detail"`
}

func (e *pretender) Error() string             { return "pretender" }
func (e *pretender) StatusCode() int           { return http.StatusForbidden }
func (e *pretender) Problem() *problem.Problem { return problem.New(http.StatusForbidden, e.Detail) }
func (e *pretender) RetryAfter() time.Duration { return time.Minute }

const outOfCreditURI = "https://example.com/probs/out-of-credit"

// TestRegistry: a Registry gives a problem read from a response the Go
// value registered for its type, which errors.As finds; the problem stays
// foreign, and the value does not make it this server's.
func TestRegistry(t *testing.T) {
	srv, _ := serve(t, &problem.Responder{}, nil, outOfCredit)
	reg := problem.NewRegistry(problem.Register[outOfCreditMembers](outOfCreditURI))
	want := &outOfCreditMembers{Balance: 30, Accounts: []string{"/account/12345", "/account/67890"}, Detail: "Your current balance is 30, but that costs 50."}

	t.Run("errors.As finds the value", func(t *testing.T) {
		p, err := reg.FromResponse(get(t, "GET", srv.URL))
		require.NoError(t, err)
		err = fmt.Errorf("charge card: %w", p)

		got, ok := errors.AsType[*outOfCreditMembers](err)
		require.True(t, ok, "errors.AsType[*outOfCreditMembers]")
		assert.Equal(t, want, got)
		var target *outOfCreditMembers
		assert.True(t, errors.As(err, &target))
		assert.ErrorIs(t, err, problem.Type{URI: outOfCreditURI})
		assert.True(t, p.Foreign())
		assert.Equal(t, "charge card: 403 You do not have enough credit.: Your current balance is 30, but that costs 50.", err.Error(),
			"the value is not repeated in the text")
		assert.NotContains(t, fmt.Sprint(p.LogValue()), "out of credit: balance")
	})

	t.Run("the problem stays foreign", func(t *testing.T) {
		p, err := reg.FromResponse(get(t, "GET", srv.URL))
		require.NoError(t, err)
		err = fmt.Errorf("charge card: %w", p)

		r := problem.Resolve(err)
		assert.Equal(t, http.StatusInternalServerError, r.Status)
		assert.Empty(t, r.Detail)
		assert.Nil(t, r.Extensions)
		assert.Equal(t, http.StatusForbidden, problem.Resolve(err, problem.Relay(nil)).Status, "Relay still relays it")
		mapped := problem.Resolve(err, problem.MapAs(func(e *outOfCreditMembers) *problem.Problem {
			return problem.New(http.StatusPaymentRequired, fmt.Sprintf("balance %d", e.Balance))
		}))
		assert.Equal(t, http.StatusPaymentRequired, mapped.Status, "MapAs finds the value")
		assert.Equal(t, "balance 30", mapped.Detail)
	})

	t.Run("a value's own methods do not resolve it", func(t *testing.T) {
		reg := problem.NewRegistry(problem.Register[pretender](outOfCreditURI))
		p, err := reg.FromResponse(get(t, "GET", srv.URL))
		require.NoError(t, err)
		_, ok := errors.AsType[*pretender](p)
		require.True(t, ok)
		r := problem.Resolve(fmt.Errorf("charge card: %w", p))
		assert.Equal(t, http.StatusInternalServerError, r.Status)
		assert.Empty(t, r.Detail)
		assert.Nil(t, r.Header, "no Retry-After from the value")
	})

	t.Run("XML, with numbers as strings", func(t *testing.T) {
		reg := problem.NewRegistry(problem.Register[xmlOutOfCredit](outOfCreditURI))
		p, err := reg.FromResponse(get(t, "GET", srv.URL, "Accept", "application/problem+xml"))
		require.NoError(t, err)
		got, ok := errors.AsType[*xmlOutOfCredit](p)
		require.True(t, ok)
		assert.Equal(t, 30, got.Balance)
	})

	t.Run("mistyped members", func(t *testing.T) {
		reg := problem.NewRegistry(problem.Register[mistyped](outOfCreditURI))
		p, err := reg.FromResponse(get(t, "GET", srv.URL))
		assert.Nil(t, p)
		require.Error(t, err)
		assert.EqualError(t, err, "problem: status 403: the members of "+outOfCreditURI+
			" do not decode into *problem_test.mistyped: json: cannot unmarshal number into Go struct field mistyped.balance of type string")
		fp, ok := errors.AsType[*problem.Problem](err)
		require.True(t, ok, "the error holds the problem")
		assert.True(t, fp.Foreign())
		assert.ErrorIs(t, err, problem.Type{URI: outOfCreditURI})
		_, ok = errors.AsType[*json.UnmarshalTypeError](err)
		assert.True(t, ok, "and the decoding error")
		assert.Equal(t, http.StatusInternalServerError, problem.Resolve(err).Status)
	})

	t.Run("other types and no registry", func(t *testing.T) {
		other := problem.NewRegistry(problem.Register[outOfCreditMembers]("https://example.com/probs/other"))
		for name, reg := range map[string]*problem.Registry{"other type": other, "nil": nil, "empty": problem.NewRegistry()} {
			p, err := reg.FromResponse(get(t, "GET", srv.URL))
			require.NoError(t, err, name)
			_, ok := errors.AsType[*outOfCreditMembers](p)
			assert.False(t, ok, name)
			var balance int
			require.NoError(t, p.Extension("balance", &balance), name)
			assert.Equal(t, 30, balance, name)
		}
	})
}

type xmlOutOfCredit struct {
	Balance int `json:"balance,string"`
}

func (e *xmlOutOfCredit) Error() string { return "out of credit" }

type mistyped struct {
	Balance string `json:"balance"`
}

func (e *mistyped) Error() string { return "mistyped" }

// TestRegisterRefuses: a registration that could never match, or that
// would make an upstream's problem this server's, stops the program where
// the registry is built.
func TestRegisterRefuses(t *testing.T) {
	tests := []struct {
		name string
		f    func()
		want string
	}{
		{"empty URI", func() { problem.Register[outOfCreditMembers]("") }, `problem: Register needs an absolute problem type URI, not ""`},
		{"relative URI", func() { problem.Register[outOfCreditMembers]("/probs/x") }, `problem: Register needs an absolute problem type URI, not "/probs/x"`},
		{"about:blank", func() { problem.Register[outOfCreditMembers](problem.AboutBlank) }, `problem: about:blank has no members to register a type for`},
		{"Problem", func() { problem.Register[problem.Problem](outOfCreditURI) }, `problem: Register[Problem] would make an upstream's problem this server's`},
		{"twice", func() {
			problem.NewRegistry(problem.Register[outOfCreditMembers](outOfCreditURI), problem.Register[mistyped](outOfCreditURI))
		}, `problem: type ` + outOfCreditURI + ` is registered twice (*problem_test.outOfCreditMembers, *problem_test.mistyped)`},
		{"zero Registration", func() { problem.NewRegistry(problem.Registration{}) }, `problem: a Registration not made by Register`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.PanicsWithValue(t, tt.want, tt.f)
		})
	}
}

// TestCheckResponse: CheckResponse passes a success untouched and turns a
// failure into an error: the problem, or what FromResponse says.
func TestCheckResponse(t *testing.T) {
	reg := problem.NewRegistry(problem.Register[outOfCreditMembers](outOfCreditURI))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
			_, _ = io.WriteString(w, "fine")
		case "/plain":
			http.Error(w, "bad gateway", http.StatusBadGateway)
		default:
			_ = (&problem.Responder{}).Respond(w, r, outOfCredit())
		}
	}))
	t.Cleanup(srv.Close)

	resp := get(t, "GET", srv.URL+"/ok")
	require.NoError(t, reg.CheckResponse(resp))
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "fine", string(body), "a success's body is left to the caller")

	err = reg.CheckResponse(get(t, "GET", srv.URL+"/credit"))
	got, ok := errors.AsType[*outOfCreditMembers](err)
	require.True(t, ok)
	assert.Equal(t, 30, got.Balance)
	p, ok := errors.AsType[*problem.Problem](err)
	require.True(t, ok)
	assert.Equal(t, http.StatusForbidden, p.Status)

	err = problem.CheckResponse(get(t, "GET", srv.URL+"/credit"))
	_, ok = errors.AsType[*outOfCreditMembers](err)
	assert.False(t, ok, "no registry, no value")
	assert.ErrorIs(t, err, problem.Type{URI: outOfCreditURI})

	err = problem.CheckResponse(get(t, "GET", srv.URL+"/plain"))
	assert.ErrorIs(t, err, problem.ErrNotProblem)
	assert.EqualError(t, err, `problem: response is not a problem: status 502, Content-Type "text/plain; charset=utf-8"`)
	assert.EqualError(t, problem.CheckResponse(nil), "problem: nil response")
	assert.NoError(t, problem.CheckResponse(&http.Response{StatusCode: http.StatusNoContent}))
}

// TestFromResponseContentEncoding: a body in a content coding (RFC 9110
// §8.4), as a server sends it to a client that asked with its own
// Accept-Encoding (net/http's Transport then leaves the body as it came),
// is decoded before it is read: gzip (and x-gzip, §8.4.1.3), within
// MaxResponseBody decoded bytes. A coding FromResponse cannot decode is a
// clear error, not JSON read from compressed bytes.
func TestFromResponseContentEncoding(t *testing.T) {
	const body = `{"type":"https://example.com/probs/out-of-credit","title":"Out of credit","detail":"balance 30"}`
	zip := func(s string) []byte { return testkit.Gzipped(t, s) }
	bomb := zip(`{"detail":"` + strings.Repeat("a", 4*problem.MaxResponseBody) + `"}`)
	require.Less(t, len(bomb), problem.MaxResponseBody/10, "small on the wire")
	tests := []struct {
		name       string
		coding     string
		body       []byte
		wantDetail string
		wantErr    string
	}{
		{name: "gzip", coding: "gzip", body: zip(body), wantDetail: "balance 30"},
		{name: "x-gzip, any case", coding: "X-GZip", body: zip(body), wantDetail: "balance 30"},
		{name: "identity", coding: "identity", body: []byte(body), wantDetail: "balance 30"},
		{name: "larger than MaxResponseBody once decoded", coding: "gzip", body: bomb, wantErr: "problem: status 403: body larger than 1048576 bytes"},
		{name: "not gzip", coding: "gzip", body: []byte(body), wantErr: "problem: status 403: decoding Content-Encoding gzip: gzip: invalid header"},
		{name: "a coding not decoded", coding: "br", body: []byte("\x1b\x00"), wantErr: `problem: status 403: Content-Encoding "br" not decoded`},
		{name: "two codings", coding: "gzip, gzip", body: zip(string(zip(body))), wantErr: `problem: status 403: Content-Encoding "gzip, gzip" not decoded`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/problem+json")
				w.Header().Set("Content-Encoding", tt.coding)
				w.WriteHeader(http.StatusForbidden)
				_, _ = w.Write(tt.body)
			}))
			defer srv.Close()
			for _, peek := range []bool{false, true} {
				resp := get(t, "GET", srv.URL, "Accept-Encoding", "gzip")
				require.Equal(t, tt.coding, resp.Header.Get("Content-Encoding"), "the Transport left the body as it came")
				read := problem.FromResponse
				if peek {
					read = problem.PeekResponse
				}
				p, err := read(resp)
				if tt.wantErr != "" {
					assert.EqualError(t, err, tt.wantErr)
					assert.Nil(t, p)
				} else {
					require.NoError(t, err)
					assert.Equal(t, tt.wantDetail, p.Detail)
					assert.Equal(t, "https://example.com/probs/out-of-credit", p.Type)
				}
				if peek {
					again, err := io.ReadAll(resp.Body)
					require.NoError(t, err)
					assert.Equal(t, tt.body, again, "PeekResponse leaves the body as it came, encoded")
					require.NoError(t, resp.Body.Close())
				}
			}
		})
	}
}
