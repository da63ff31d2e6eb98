package problemtest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemtest"
)

// ptFakeT is a testing.TB that keeps what Errorf reports.
type ptFakeT struct {
	testing.TB
	reports []string
	helper  bool
}

func (f *ptFakeT) Helper() { f.helper = true }

func (f *ptFakeT) Errorf(format string, args ...any) {
	f.reports = append(f.reports, fmt.Sprintf(format, args...))
}

// ptServe records the response of the middleware to a GET of /items/42
// whose handler returns err.
func ptServe(err error, header ...string) *httptest.ResponseRecorder {
	m := middleware.New(&middleware.Options{Logger: ptDiscard()})
	req := httptest.NewRequest(http.MethodGet, "/items/42", nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	m.Handle(func(http.ResponseWriter, *http.Request) error { return err }).ServeHTTP(rec, req)
	return rec
}

func ptOutOfCredit() *problem.Problem {
	return problem.Type{URI: "https://example.com/probs/out-of-credit", Title: "You do not have enough credit.", Status: http.StatusForbidden}.
		New("Your current balance is 30, but that costs 50.").
		WithExtension("balance", 30).
		WithExtension("accounts", []string{"/account/12345", "/account/67890"}).
		WithExtension("limits", map[string]any{"daily": 100, "monthly": 1000})
}

// TestAssertMatches gives Assert responses that are as wanted.
func TestAssertMatches(t *testing.T) {
	tests := []struct {
		name string
		rec  *httptest.ResponseRecorder
		want problemtest.Want
	}{
		{name: "nothing wanted", rec: ptServe(problem.New(404, "")), want: problemtest.Want{}},
		{name: "status and title", rec: ptServe(problem.New(404, "")), want: problemtest.Want{Status: 404, Title: "Not Found"}},
		{name: "about:blank", rec: ptServe(problem.New(404, "")), want: problemtest.Want{Type: problem.AboutBlank, Instance: "/items/42"}},
		{name: "about:blank when the type is left out", rec: ptRecord(404, `{"status":404}`, "Content-Type", ptJSON), want: problemtest.Want{Type: problem.AboutBlank}},
		{name: "media type", rec: ptServe(problem.New(404, ""), "Accept", "application/xml"), want: problemtest.Want{MediaType: "application/problem+xml"}},
		{name: "every member", rec: ptServe(ptOutOfCredit()), want: problemtest.Want{
			Status:   403,
			Type:     "https://example.com/probs/out-of-credit",
			Title:    "You do not have enough credit.",
			Detail:   "Your current balance is 30, but that costs 50.",
			Instance: "/items/42",
			Extensions: map[string]any{
				"balance":  30,
				"accounts": []string{"/account/12345", "/account/67890"},
				"limits":   map[string]int{"monthly": 1000, "daily": 100},
			},
		}},
		{name: "numbers however spelt", rec: ptServe(ptOutOfCredit()), want: problemtest.Want{Extensions: map[string]any{
			"balance": json.RawMessage(`3.0e1`),
			"limits":  json.RawMessage(`{ "monthly": 1e3, "daily": 100.00 }`),
		}}},
		{name: "extensions in xml", rec: ptServe(ptOutOfCredit(), "Accept", "application/xml"), want: problemtest.Want{Extensions: map[string]any{
			"balance":  30,
			"accounts": []string{"/account/12345", "/account/67890"},
			"limits":   map[string]int{"monthly": 1000, "daily": 100},
		}}},
		{name: "errors", rec: ptServe(ptValidation()), want: problemtest.Want{Status: 422, Errors: []problemtest.InputError{
			{Pointer: "#/age"},
			{Detail: "must be 'green', 'red' or 'blue'", Pointer: "#/profile/color"},
			{Parameter: "page"},
		}}},
		{name: "errors in xml", rec: ptServe(ptValidation(), "Accept", "application/xml"), want: problemtest.Want{Errors: []problemtest.InputError{
			{Pointer: "#/age"}, {Pointer: "#/profile/color"}, {Detail: "must be a number", Parameter: "page"},
		}}},
		{name: "errors by header", rec: ptRecord(400, `{"errors":[{"detail":"must be a number","header":"X-Page"}]}`, "Content-Type", ptJSON), want: problemtest.Want{Errors: []problemtest.InputError{
			{Detail: "must be a number", Header: "X-Page"},
		}}},
		{name: "no errors", rec: ptServe(problem.New(404, "")), want: problemtest.Want{Errors: []problemtest.InputError{}}},
		{name: "header", rec: ptServe(problem.New(405, "").WithAllow("GET", "HEAD")), want: problemtest.Want{Header: http.Header{
			"Allow":        {"GET, HEAD"},
			"content-type": {"application/problem+json"},
			"Vary":         nil, // present
		}}},
		{name: "absent", rec: ptServe(problem.New(404, "")), want: problemtest.Want{Absent: []string{"detail", "balance"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := &ptFakeT{TB: t}
			assert.True(t, problemtest.Assert(ft, tt.rec, tt.want))
			assert.Empty(t, ft.reports)
			assert.True(t, ft.helper, "Assert calls t.Helper")
		})
	}
}

// TestAssertDiffers gives Assert responses that differ from what is
// wanted, and checks the lines that say how.
func TestAssertDiffers(t *testing.T) {
	tests := []struct {
		name string
		rec  *httptest.ResponseRecorder
		want problemtest.Want
		says []string
	}{
		{
			name: "status and title", rec: ptServe(problem.New(404, "")),
			want: problemtest.Want{Status: 410, Title: "Gone"},
			says: []string{"status = 404, want 410", `title = "Not Found", want "Gone"`},
		},
		{
			name: "media type", rec: ptServe(problem.New(404, "")),
			want: problemtest.Want{MediaType: "application/problem+xml"},
			says: []string{`media type = "application/problem+json", want "application/problem+xml"`},
		},
		{
			name: "type", rec: ptServe(problem.New(404, "")),
			want: problemtest.Want{Type: "https://example.com/probs/missing"},
			says: []string{`type = "about:blank", want "https://example.com/probs/missing"`},
		},
		{
			name: "type left out", rec: ptRecord(404, `{}`, "Content-Type", ptJSON),
			want: problemtest.Want{Type: "https://example.com/probs/missing"},
			says: []string{`type absent (about:blank), want "https://example.com/probs/missing"`},
		},
		{
			name: "detail absent", rec: ptServe(problem.New(404, "")),
			want: problemtest.Want{Detail: "item 42 does not exist"},
			says: []string{`detail absent, want "item 42 does not exist"`},
		},
		{
			name: "title not a string", rec: ptRecord(404, `{"title":404}`, "Content-Type", ptJSON),
			want: problemtest.Want{Title: "Not Found"},
			says: []string{`title = 404, want "Not Found"`, "title is a number, not a string (RFC 9457 §3.1.3)"},
		},
		{
			name: "extensions", rec: ptServe(ptOutOfCredit()),
			want: problemtest.Want{Extensions: map[string]any{
				"balance":  31,
				"accounts": []string{"/account/12345"},
				"limits":   map[string]any{"daily": 100, "monthly": "1000"},
				"currency": "EUR",
			}},
			says: []string{
				`member "accounts" = ["/account/12345","/account/67890"], want ["/account/12345"]`,
				`member "balance" = 30, want 31`,
				`member "currency" absent, want "EUR"`,
				`member "limits" = {"daily":100,"monthly":1000}, want {"daily":100,"monthly":"1000"}`,
			},
		},
		{
			name: "extension in xml", rec: ptServe(ptOutOfCredit(), "Accept", "application/xml"),
			want: problemtest.Want{Extensions: map[string]any{"balance": 31}},
			says: []string{`member "balance" = "30", want "31"`},
		},
		{
			name: "extension that cannot be encoded", rec: ptServe(ptOutOfCredit()),
			want: problemtest.Want{Extensions: map[string]any{"balance": func() {}}},
			says: []string{`member "balance": want cannot be encoded: json: unsupported type: func()`},
		},
		{
			name: "errors", rec: ptServe(ptValidation()),
			want: problemtest.Want{Errors: []problemtest.InputError{{Pointer: "#/name"}, {Detail: "required", Parameter: "color"}}},
			says: []string{
				"errors has 3 items, want 2",
				`errors[0].pointer = "#/age", want "#/name"`,
				`errors[1].detail = "must be 'green', 'red' or 'blue'", want "required"`,
				`errors[1].parameter absent, want "color"`,
			},
		},
		{
			name: "errors absent", rec: ptServe(problem.New(422, "")),
			want: problemtest.Want{Errors: []problemtest.InputError{{Pointer: "#/age"}}},
			says: []string{"errors absent, want 1 item"},
		},
		{
			name: "errors not a list", rec: ptRecord(422, `{"errors":{"age":"bad"}}`, "Content-Type", ptJSON),
			want: problemtest.Want{Errors: []problemtest.InputError{{Pointer: "#/age"}}},
			says: []string{`errors = {"age":"bad"}, want 1 item`},
		},
		{
			name: "errors when none are wanted", rec: ptServe(ptValidation()),
			want: problemtest.Want{Errors: []problemtest.InputError{}},
			says: []string{"errors has 3 items, want 0"},
		},
		{
			name: "header", rec: ptServe(problem.New(405, "").WithAllow("GET")),
			want: problemtest.Want{Header: http.Header{"Allow": {"GET, HEAD"}, "Retry-After": nil}},
			says: []string{`header Allow = ["GET"], want ["GET, HEAD"]`, `header Retry-After absent, want it present`},
		},
		{
			name: "absent", rec: ptServe(problem.New(404, "item 42 does not exist").WithExtension("balance", nil)),
			want: problemtest.Want{Absent: []string{"detail", "balance"}},
			says: []string{`member "detail" = "item 42 does not exist", want it absent`, `member "balance" = null, want it absent`},
		},
		{
			name: "not a problem", rec: ptRecord(404, "404 page not found\n", "Content-Type", "text/plain; charset=utf-8"),
			want: problemtest.Want{Status: 404, Title: "Not Found"},
			says: []string{
				"the body is not a problem; want its members",
				`Content-Type "text/plain; charset=utf-8" is not application/problem+json or application/problem+xml (RFC 9457 §3, Appendix B)`,
				"    404 page not found",
			},
		},
		{
			name: "as wanted but unsound", rec: ptRecord(405, `{"status":405,"title":"Method Not Allowed"}`, "Content-Type", ptJSON),
			want: problemtest.Want{Status: 405, Title: "Method Not Allowed"},
			says: []string{
				"problemtest.Assert: the response breaks RFC 9457 or RFC 9110:\n    a 405 response without Allow (RFC 9110 §15.5.6)\nresponse:",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := &ptFakeT{TB: t}
			assert.False(t, problemtest.Assert(ft, tt.rec, tt.want))
			require.Len(t, ft.reports, 1, "one report for all that differs")
			for _, line := range tt.says {
				assert.Contains(t, ft.reports[0], line)
			}
		})
	}
}

// TestAssertMessage pins a whole failure message.
func TestAssertMessage(t *testing.T) {
	ft := &ptFakeT{TB: t}
	rec := ptServe(problem.New(405, "")) // sent without Allow, which Respond cannot invent
	problemtest.Assert(ft, rec, problemtest.Want{Status: 405, Detail: "use GET"})
	require.Len(t, ft.reports, 1)
	assert.Equal(t, `problemtest.Assert: the response differs from Want:
    detail absent, want "use GET"
and breaks RFC 9457 or RFC 9110:
    a 405 response without Allow (RFC 9110 §15.5.6)
response:
    HTTP/1.1 405 Method Not Allowed
    Cache-Control: no-store
    Content-Type: application/problem+json
    Vary: Accept
    X-Content-Type-Options: nosniff

    {
      "type": "about:blank",
      "title": "Method Not Allowed",
      "status": 405,
      "instance": "/items/42"
    }`, ft.reports[0])
}

// TestAssertResponse checks a response that crossed the wire: Assert
// leaves its body to be read after, and reports a HEAD response's members
// as missing.
func TestAssertResponse(t *testing.T) {
	m := middleware.New(&middleware.Options{Logger: ptDiscard()})
	srv := httptest.NewServer(m.Handle(func(http.ResponseWriter, *http.Request) error {
		return problem.New(http.StatusNotFound, "item 42 does not exist")
	}))
	t.Cleanup(srv.Close)

	resp, err := srv.Client().Get(srv.URL + "/items/42")
	require.NoError(t, err)
	defer resp.Body.Close()
	problemtest.Assert(t, resp, problemtest.Want{Status: 404, Detail: "item 42 does not exist"})
	problemtest.Assert(t, resp, problemtest.Want{Title: "Not Found"}) // the body again
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, `{"type":"about:blank","title":"Not Found","status":404,"detail":"item 42 does not exist","instance":"/items/42"}`, string(body))

	head, err := srv.Client().Head(srv.URL + "/items/42")
	require.NoError(t, err)
	defer head.Body.Close()
	problemtest.Assert(t, head, problemtest.Want{Status: 404, MediaType: "application/problem+json"})
	ft := &ptFakeT{TB: t}
	problemtest.Assert(ft, head, problemtest.Want{Title: "Not Found"})
	require.Len(t, ft.reports, 1)
	assert.Contains(t, ft.reports[0], "a response to HEAD has no body; want its members")
	assert.Contains(t, ft.reports[0], "(no body: a response to HEAD)")
}

// TestAssertUnreadable gives Assert and Check what they cannot read.
func TestAssertUnreadable(t *testing.T) {
	big := ptRecord(404, `{"detail":"`+strings.Repeat("x", problemtest.MaxBody)+`"}`, "Content-Type", ptJSON)
	failing := &http.Response{StatusCode: 404, Header: http.Header{}, Body: io.NopCloser(ptFailingReader{})}
	tests := []struct {
		name  string
		check func() error
		fail  func(t testing.TB) bool
		says  string
	}{
		{
			name:  "nil recorder",
			check: func() error { return problemtest.Check((*httptest.ResponseRecorder)(nil)) },
			fail: func(t testing.TB) bool {
				return problemtest.Assert(t, (*httptest.ResponseRecorder)(nil), problemtest.Want{})
			},
			says: "nil *httptest.ResponseRecorder",
		},
		{
			name:  "nil response",
			check: func() error { return problemtest.Check((*http.Response)(nil)) },
			fail:  func(t testing.TB) bool { return problemtest.AssertValid(t, (*http.Response)(nil)) },
			says:  "nil *http.Response",
		},
		{
			name:  "body too large",
			check: func() error { return problemtest.Check(big) },
			fail:  func(t testing.TB) bool { return problemtest.Assert(t, big, problemtest.Want{}) },
			says:  "the body is larger than 1048576 bytes",
		},
		{
			name:  "body fails",
			check: func() error { return problemtest.Check(failing) },
			fail:  func(t testing.TB) bool { return problemtest.AssertValid(t, failing) },
			says:  "reading the body: broken",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.check()
			assert.ErrorContains(t, err, "problemtest: "+tt.says)
			_, isViolations := err.(problemtest.Violations)
			assert.False(t, isViolations, "not a violation: the response could not be judged")
			ft := &ptFakeT{TB: t}
			assert.False(t, tt.fail(ft))
			require.Len(t, ft.reports, 1)
			assert.Contains(t, ft.reports[0], tt.says)
		})
	}
}

type ptFailingReader struct{}

func (ptFailingReader) Read([]byte) (int, error) { return 0, fmt.Errorf("broken") }

// TestAssertBodyPutBack checks that an *http.Response's body, larger than
// Assert reads, is put back whole, and closes as the original.
func TestAssertBodyPutBack(t *testing.T) {
	body := `{"detail":"` + strings.Repeat("x", problemtest.MaxBody) + `"}`
	closed := false
	resp := &http.Response{
		StatusCode: 404,
		Header:     http.Header{"Content-Type": {ptJSON}},
		Body:       ptCloser{Reader: strings.NewReader(body), closed: &closed},
	}
	assert.Error(t, problemtest.Check(resp))
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, body, string(got))
	require.NoError(t, resp.Body.Close())
	assert.True(t, closed)
}

type ptCloser struct {
	io.Reader
	closed *bool
}

func (c ptCloser) Close() error { *c.closed = true; return nil }

// TestAssertMessageXML pins a failure message for an XML body, which is
// shown indented.
func TestAssertMessageXML(t *testing.T) {
	ft := &ptFakeT{TB: t}
	rec := ptServe(problem.New(404, "").WithExtension("accounts", []string{"/a", "/b"}), "Accept", "application/xml")
	problemtest.Assert(ft, rec, problemtest.Want{Extensions: map[string]any{"accounts": []string{"/a"}}})
	require.Len(t, ft.reports, 1)
	assert.Equal(t, `problemtest.Assert: the response differs from Want:
    member "accounts" = ["/a","/b"], want ["/a"]
response:
    HTTP/1.1 404 Not Found
    Cache-Control: no-store
    Content-Type: application/problem+xml
    Vary: Accept
    X-Content-Type-Options: nosniff

    <?xml version="1.0" encoding="UTF-8"?>
    <problem xmlns="urn:ietf:rfc:7807">
      <type>about:blank</type>
      <title>Not Found</title>
      <status>404</status>
      <instance>/items/42</instance>
      <accounts>
        <i>/a</i>
        <i>/b</i>
      </accounts>
    </problem>`, ft.reports[0])
}
