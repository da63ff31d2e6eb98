package problemtest_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemtest"
)

// openapiFakeTB records the failures Described reports.
type openapiFakeTB struct {
	testing.TB
	errors []string
}

func (f *openapiFakeTB) Helper() {}

func (f *openapiFakeTB) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

const openapiCatalog = `{
  "typeBase": "https://docs.example.com/errors/",
  "statuses": [{"code": 404, "phrase": "NotFound"}, {"code": 422, "phrase": "ValidationFailed"}],
  "types": [{"code": "PARCEL.404", "status": 404, "title": "No such parcel"}]
}`

const openapiSpec = `{
  "openapi": "3.1.0",
  "info": {"title": "Parcelly", "version": "1.0.0"},
  "servers": [{"url": "https://api.example.com/v1"}],
  "paths": {
    "/parcels/{id}": {"get": {
      "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
      "responses": {"200": {"description": "The parcel.", "content": {"text/plain": {}}},
                    "404": {"$ref": "#/components/responses/PkNotFound"}}}},
    "/parcels/new": {"get": {"responses": {"4XX": {"$ref": "#/components/responses/PkValidationFailed"}}}},
    "/login": {"get": {"responses": {"401": {"description": "Log in.", "headers": {"WWW-Authenticate": {"required": true, "schema": {"type": "string"}}}},
                                     "default": {"description": "Anything else."}}}}
  }
}`

func TestDescribed(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(openapiCatalog))
	require.NoError(t, err)
	doc, err := cat.MergeOpenAPI([]byte(openapiSpec), &catalog.OpenAPIOptions{Prefix: "Pk", Closed: true})
	require.NoError(t, err)
	spec, err := problemtest.ParseSpec(doc)
	require.NoError(t, err)
	parcel := problem.MustType(cat, "PARCEL.404")

	m := middleware.New(&middleware.Options{Catalog: cat, Logger: slog.New(slog.DiscardHandler)})
	answers := map[string]func(w http.ResponseWriter) error{
		"documented about:blank": func(http.ResponseWriter) error { return problem.New(404, "no parcel P9") },
		"documented type":        func(http.ResponseWriter) error { return parcel.New("no parcel P9") },
		"ok":                     func(w http.ResponseWriter) error { _, err := io.WriteString(w, "in transit"); return err },
		"undocumented status":    func(http.ResponseWriter) error { return problem.New(409, "") },
		"unknown type": func(http.ResponseWriter) error {
			return problem.Type{URI: "https://docs.example.com/errors/GONE", Status: 404}.New("")
		},
		"undocumented member": func(http.ResponseWriter) error { return problem.New(404, "").WithExtension("debug", "x") },
		"wrong code":          func(http.ResponseWriter) error { return parcel.New("").WithExtension("code", "PARCEL.405") },
		"missing code": func(http.ResponseWriter) error {
			return problem.Type{URI: parcel.URI, Title: parcel.Title, Status: parcel.Status}.New("") // the type without its code
		},
		"range":         func(http.ResponseWriter) error { return problem.New(422, "") },
		"range, status": func(http.ResponseWriter) error { return problem.New(404, "") },
	}
	srv := httptest.NewServer(m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.Handle(func(w http.ResponseWriter, r *http.Request) error { return answers[r.URL.Query().Get("answer")](w) }).ServeHTTP(w, r)
	})))
	defer srv.Close()

	for _, tc := range []struct {
		name, path string
		want       []string // the lines of the failure; none when described
	}{
		{"documented about:blank", "/parcels/P9", nil},
		{"documented type", "/parcels/P9", nil},
		{"ok", "/parcels/P1", nil},
		{"server path", "/v1/parcels/P9", nil},
		{"range", "/parcels/new", nil},
		{"undocumented status", "/parcels/P9", []string{
			"problemtest.Described: GET /parcels/P9 -> 409 is not described by the document:",
			"status 409: GET /parcels/{id} describes no response for it, its range or default (it describes 200, 404)"}},
		{"unknown type", "/parcels/P9", []string{
			"problemtest.Described: GET /parcels/P9 -> 404 is not described by the document:",
			`body: problem type "https://docs.example.com/errors/GONE" is not one the document describes here (it describes "about:blank", "https://docs.example.com/errors/PARCEL.404")`}},
		{"undocumented member", "/parcels/P9", []string{
			"problemtest.Described: GET /parcels/P9 -> 404 is not described by the document:",
			`body: {"debug":"x","instance":"/parcels/P9","status":404,"title":"NotFound","type":"about:blank"} matches none of the schemas of a oneOf:`,
			`  #/components/schemas/PkNotFound: member "debug" is not one the schema allows (it allows detail, instance, status, title, type)`}},
		{"wrong code", "/parcels/P9", []string{
			"problemtest.Described: GET /parcels/P9 -> 404 is not described by the document:",
			`body: {"code":"PARCEL.405","instance":"/parcels/P9","status":404,"title":"No such parcel","type":"https://docs.example.com/errors/PARCEL.404"} matches none of the schemas of a oneOf:`,
			`  #/components/schemas/PkPARCEL404 at /code: "PARCEL.405", where the document has "PARCEL.404"`}},
		{"missing code", "/parcels/P9", []string{
			"problemtest.Described: GET /parcels/P9 -> 404 is not described by the document:",
			`body: {"instance":"/parcels/P9","status":404,"title":"No such parcel","type":"https://docs.example.com/errors/PARCEL.404"} matches none of the schemas of a oneOf:`,
			`  #/components/schemas/PkPARCEL404: member "code" is required, and missing`}},
		{"undocumented path", "/depots/D1", []string{
			"problemtest.Described: GET /depots/D1 -> 404 is not described by the document:",
			`no path of the document matches "/depots/D1" (it has /login, /parcels/new, /parcels/{id})`}},
		{"range, status", "/parcels/new", []string{
			"problemtest.Described: GET /parcels/new -> 404 is not described by the document:",
			`body at /status: 404, where the document has 422`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			answer := tc.name
			if tc.name == "server path" || tc.name == "undocumented path" {
				answer = "documented about:blank"
			}
			resp, err := srv.Client().Get(srv.URL + tc.path + "?answer=" + strings.ReplaceAll(answer, " ", "+"))
			require.NoError(t, err)
			defer resp.Body.Close()
			fake := &openapiFakeTB{TB: t}
			ok := problemtest.Described(fake, spec, nil, resp) // the client set resp.Request
			if tc.want == nil {
				assert.True(t, ok)
				assert.Empty(t, fake.errors)
				return
			}
			assert.False(t, ok)
			require.Len(t, fake.errors, 1, "one failure, all of it")
			assert.Equal(t, strings.Join(tc.want, "\n\t"), fake.errors[0])
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.NotEmpty(t, body, "the body can be read again")
		})
	}
}

func TestDescribedHandMade(t *testing.T) {
	response := func(status int, contentType, body string, header ...string) *http.Response {
		h := http.Header{}
		if contentType != "" {
			h.Set("Content-Type", contentType)
		}
		for i := 0; i+1 < len(header); i += 2 {
			h.Set(header[i], header[i+1])
		}
		return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body))}
	}
	for _, tc := range []struct {
		name, method, path string
		resp               *http.Response
		want               string // the failure's lines after the first; "" when described
	}{
		{"required header", "GET", "/login", response(401, "", "", "WWW-Authenticate", "Bearer"), ""},
		{"default", "GET", "/login", response(500, "", ""), ""},
		{"missing required header", "GET", "/login", response(401, "", ""),
			"header WWW-Authenticate: GET /login response 401 requires it, and the response has none"},
		{"method", "POST", "/login", response(401, "", ""), "path /login has no POST operation"},
		{"content type", "GET", "/parcels/P1", response(200, "application/json", `{}`),
			"Content-Type application/json: GET /parcels/{id} response 200 describes text/plain"},
		{"undescribed body", "GET", "/login", response(500, "text/plain", "boom"),
			"body: GET /login response default describes no content, and the response has 4 bytes"},
		{"not JSON", "GET", "/parcels/P9", response(404, "application/problem+json", `{"type":`),
			"body: not the JSON application/problem+json says: unexpected end of JSON input"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := &openapiFakeTB{TB: t}
			ok := problemtest.Described(fake, openapiSpecResolved(t), httptest.NewRequest(tc.method, tc.path, nil), tc.resp)
			if tc.want == "" {
				assert.True(t, ok)
				assert.Empty(t, fake.errors)
				return
			}
			assert.False(t, ok)
			require.Len(t, fake.errors, 1)
			_, got, _ := strings.Cut(fake.errors[0], "\n\t")
			assert.Equal(t, tc.want, got)
		})
	}
}

// openapiSpecResolved is openapiSpec with the catalog's components.
func openapiSpecResolved(t *testing.T) *problemtest.Spec {
	t.Helper()
	cat, err := catalog.Load(strings.NewReader(openapiCatalog))
	require.NoError(t, err)
	doc, err := cat.MergeOpenAPI([]byte(openapiSpec), &catalog.OpenAPIOptions{Prefix: "Pk"})
	require.NoError(t, err)
	spec, err := problemtest.ParseSpec(doc)
	require.NoError(t, err)
	return spec
}

func TestDescribedOddDocuments(t *testing.T) {
	resp := func() *http.Response {
		return &http.Response{StatusCode: 404, Header: http.Header{"Content-Type": {"application/problem+json"}},
			Body: io.NopCloser(strings.NewReader(`{"type":"about:blank"}`))}
	}
	doc := func(schema string) []byte {
		return []byte(`{"openapi": "3.1.0", "paths": {"/x": {"get": {"responses": {"404": {"description": "d",
			"content": {"application/problem+json": {"schema": ` + schema + `}}}}}}},
			"components": {"schemas": {"A": {"allOf": [{"$ref": "#/components/schemas/A"}]}, "B": {"$ref": "#/components/schemas/C"}, "C": {"$ref": "#/components/schemas/B"}}}}`)
	}
	for _, tc := range []struct {
		name, method string
		doc          []byte
		want         string
	}{
		{"a schema that contains itself", "GET", doc(`{"$ref": "#/components/schemas/A"}`), "body: the schema nests too deep"},
		{"a $ref loop", "GET", doc(`{"$ref": "#/components/schemas/B"}`), "body: $refs nest too deep"},
		{"a $ref to another document", "GET", doc(`{"$ref": "other.json#/A"}`), `body: $ref "other.json#/A" is not local to the document, and cannot be resolved`},
		{"a $ref to nothing", "GET", doc(`{"$ref": "#/components/schemas/Z"}`), `body: $ref "#/components/schemas/Z" points to nothing in the document`},
		{"a Reference Object loop", "GET", []byte(`{"openapi": "3.1.0", "paths": {"/x": {"get": {"responses": {"404": {"$ref": "#/components/responses/R"}}}}},
			"components": {"responses": {"R": {"$ref": "#/components/responses/R", "description": "d"}}}}`), "GET /x response 404: $refs nest too deep"},
		{"HEAD", "HEAD", []byte(`{"openapi": "3.1.0", "paths": {"/x": {"head": {"responses": {"404": {"description": "d",
			"content": {"application/problem+json": {"schema": false}}}}}}}}`), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec, err := problemtest.ParseSpec(tc.doc)
			require.NoError(t, err)
			fake := &openapiFakeTB{TB: t}
			ok := problemtest.Described(fake, spec, httptest.NewRequest(tc.method, "/x", nil), resp())
			if tc.want == "" {
				assert.True(t, ok)
				assert.Empty(t, fake.errors)
				return
			}
			require.Len(t, fake.errors, 1)
			assert.False(t, ok)
			_, got, _ := strings.Cut(fake.errors[0], "\n\t")
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestDescribedReferenceWithDescription: a response that is a $ref with
// a description beside it (OpenAPI 3.1 §4.8.23, Reference Object: summary
// and description override the target's) is checked against the target's
// headers and content.
func TestDescribedReferenceWithDescription(t *testing.T) {
	doc := []byte(`{"openapi": "3.1.0", "info": {"title": "x", "version": "1"},
	  "paths": {"/p": {"$ref": "#/components/pathItems/P", "summary": "The p."}},
	  "components": {
	    "pathItems": {"P": {"get": {"responses": {"404": {"$ref": "#/components/responses/NotFound", "description": "No such parcel."}}}}},
	    "responses": {"NotFound": {"description": "Not found",
	      "headers": {"X-Need": {"$ref": "#/components/headers/Need", "description": "Needed."}},
	      "content": {"application/problem+json": {"schema": {"type": "object", "required": ["type"]}}}}},
	    "headers": {"Need": {"required": true, "schema": {"type": "string"}}}}}`)
	spec, err := problemtest.ParseSpec(doc)
	require.NoError(t, err)
	response := func(body string, header ...string) *http.Response {
		h := http.Header{"Content-Type": {"application/problem+json"}}
		for i := 0; i+1 < len(header); i += 2 {
			h.Set(header[i], header[i+1])
		}
		return &http.Response{StatusCode: 404, Header: h, Body: io.NopCloser(strings.NewReader(body))}
	}
	for _, tc := range []struct {
		name string
		resp *http.Response
		want []string // the failure's lines after the first; none when described
	}{
		{"described", response(`{"type":"about:blank"}`, "X-Need", "1"), nil},
		{"the target's header", response(`{"type":"about:blank"}`), []string{
			"header X-Need: GET /p response 404 requires it, and the response has none"}},
		{"the target's content", response(`{"title":"Not Found","status":404}`, "X-Need", "1"), []string{
			`body: member "type" is required, and missing`}},
		{"both", response(`{"title":"Not Found","status":404}`), []string{
			"header X-Need: GET /p response 404 requires it, and the response has none",
			`body: member "type" is required, and missing`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := &openapiFakeTB{TB: t}
			ok := problemtest.Described(fake, spec, httptest.NewRequest(http.MethodGet, "/p", nil), tc.resp)
			if tc.want == nil {
				assert.True(t, ok)
				assert.Empty(t, fake.errors)
				return
			}
			assert.False(t, ok)
			require.Len(t, fake.errors, 1)
			_, got, _ := strings.Cut(fake.errors[0], "\n\t")
			assert.Equal(t, strings.Join(tc.want, "\n\t"), got)
		})
	}
}

func TestParseSpec(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"not JSON", `openapi: 3.1.0`, "problemtest: ParseSpec: the document is not JSON: invalid character 'o' looking for beginning of value"},
		{"not an object", `[]`, "problemtest: ParseSpec: the document is not a JSON object"},
		{"no version", `{"paths": {}}`, `problemtest: ParseSpec: the document's "openapi" is null, not a version 3.x`},
		{"Swagger 2.0", `{"swagger": "2.0", "openapi": 2}`, `problemtest: ParseSpec: the document's "openapi" is 2, not a version 3.x`},
		{"paths not an object", `{"openapi": "3.1.0", "paths": []}`, `problemtest: ParseSpec: the document's "paths" is not an object`},
		{"no paths", `{"openapi": "3.1.0"}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec, err := problemtest.ParseSpec([]byte(tc.doc))
			if tc.want == "" {
				require.NoError(t, err)
				assert.NotNil(t, spec)
				return
			}
			assert.EqualError(t, err, tc.want)
			assert.Nil(t, spec)
		})
	}
}

// TestDescribedRecorder: a recorded response is checked with the request
// the handler served, and fails without one; a body larger than MaxBody
// fails, unread past it; a nil Spec fails.
func TestDescribedRecorder(t *testing.T) {
	spec := openapiSpecResolved(t)
	record := func(status int, body string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		rec.Header().Set("Content-Type", "application/problem+json")
		rec.WriteHeader(status)
		_, err := io.WriteString(rec, body)
		require.NoError(t, err)
		return rec
	}
	described := record(404, `{"type":"about:blank","title":"NotFound","status":404}`)
	big := `{"type":"about:blank","detail":"` + strings.Repeat("x", problemtest.MaxBody) + `"}`
	for _, tc := range []struct {
		name string
		spec *problemtest.Spec
		req  *http.Request
		rec  *httptest.ResponseRecorder
		want string // the failure; "" when described
	}{
		{"described", spec, httptest.NewRequest(http.MethodGet, "/parcels/P9?x=1", nil), described, ""},
		{"the method and path of the request", spec, httptest.NewRequest(http.MethodPost, "/parcels/P9", nil), described,
			"problemtest.Described: POST /parcels/P9 -> 404 is not described by the document:\n\tpath /parcels/{id} has no POST operation"},
		{"no request", spec, nil, described,
			"problemtest.Described: no request to take the method and path from: pass the one the response answers (a recorder, or a response made by hand, has none)"},
		{"a body larger than MaxBody", spec, httptest.NewRequest(http.MethodGet, "/parcels/P9", nil), record(404, big),
			"problemtest.Described: GET /parcels/P9: problemtest: the body is larger than 1048576 bytes"},
		{"no spec", nil, httptest.NewRequest(http.MethodGet, "/parcels/P9", nil), described, "problemtest.Described: nil *Spec (see ParseSpec)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := &openapiFakeTB{TB: t}
			ok := problemtest.Described(fake, tc.spec, tc.req, tc.rec)
			if tc.want == "" {
				assert.True(t, ok)
				assert.Empty(t, fake.errors)
				return
			}
			assert.False(t, ok)
			assert.Equal(t, []string{tc.want}, fake.errors)
		})
	}
}

// TestDescribedBoundedRead: a response body larger than MaxBody fails,
// and is read no further than MaxBody and a byte.
func TestDescribedBoundedRead(t *testing.T) {
	body := &openapiCountingReader{r: strings.NewReader(strings.Repeat(" ", 4*problemtest.MaxBody))}
	resp := &http.Response{StatusCode: 404, Header: http.Header{"Content-Type": {"application/problem+json"}},
		Body: io.NopCloser(body), Request: httptest.NewRequest(http.MethodGet, "/parcels/P9", nil)}
	fake := &openapiFakeTB{TB: t}
	assert.False(t, problemtest.Described(fake, openapiSpecResolved(t), nil, resp))
	assert.Equal(t, []string{"problemtest.Described: GET /parcels/P9: problemtest: the body is larger than 1048576 bytes"}, fake.errors)
	assert.LessOrEqual(t, body.n, problemtest.MaxBody+1+4096, "read no further than MaxBody, give or take a buffer")
}

type openapiCountingReader struct {
	r io.Reader
	n int
}

func (c *openapiCountingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestDescribedConcurrent: one Spec checks responses at once (run with
// -race).
func TestDescribedConcurrent(t *testing.T) {
	spec := openapiSpecResolved(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			resp := &http.Response{StatusCode: 404, Header: http.Header{"Content-Type": {"application/problem+json"}},
				Body:    io.NopCloser(strings.NewReader(`{"type":"about:blank","title":"NotFound","status":404}`)),
				Request: httptest.NewRequest(http.MethodGet, "/v1/parcels/P9", nil)}
			assert.True(t, problemtest.Described(t, spec, nil, resp))
		})
	}
	wg.Wait()
}
