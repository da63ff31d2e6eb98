package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/problemkit/problemkit/internal/golden"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemtest"
)

// typeBase is vendor.json's "typeBase".
const typeBase = "https://docs.parcelly.example/errors/"

// TestDocsMatchCatalog fails when the docs in this directory no longer
// match vendor.json, vendor.zh.json and api.json. Regenerate them with
//
//	go run ./examples/catalog > examples/catalog/errors.en.md
//	go run ./examples/catalog -lang zh > examples/catalog/errors.zh.md
//	go run ./examples/catalog -openapi > examples/catalog/openapi.json
func TestDocsMatchCatalog(t *testing.T) {
	cat, err := load()
	require.NoError(t, err)
	for _, tc := range []struct {
		file  string
		write func(io.Writer) error
	}{
		{"errors.en.md", func(w io.Writer) error { return writeDocs(w, cat, language.English) }},
		{"errors.zh.md", func(w io.Writer) error { return writeDocs(w, cat, language.Chinese) }},
		{"openapi.json", func(w io.Writer) error { return writeOpenAPI(w, cat) }},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var want bytes.Buffer
			require.NoError(t, tc.write(&want))
			got, err := os.ReadFile(tc.file)
			require.NoError(t, err)
			assert.Equal(t, want.String(), string(got), "%s is out of date: regenerate it from the catalog files", tc.file)
		})
	}
}

// TestDocsInBothLanguages: the docs hold the vendor's statuses and error
// codes, each in its language.
func TestDocsInBothLanguages(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"errors.en.md", []string{
			"| 404 | NotFound | No parcel, route or depot has this identifier. | Change the request before repeating it |\n",
			"| 429 | PCL.0430 | The daily label quota is used up | A key may print 1000 labels a day. The quota resets at midnight UTC. | Repeat after Retry-After (3600 s by default) |\n",
		}},
		{"errors.zh.md", []string{
			"| 404 | 未找到 | 没有与此标识符对应的包裹、线路或网点。 | 请修改请求后再重试 |\n",
			"| 429 | PCL.0430 | 今日面单配额已用完 | 每个密钥每天最多打印 1000 张面单，配额于 UTC 零点重置。 | 请在 Retry-After 指定的时间后重试（默认 3600 秒） |\n",
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got, err := os.ReadFile(tc.file)
			require.NoError(t, err)
			for _, line := range tc.want {
				assert.Contains(t, string(got), line)
			}
			assert.NotContains(t, string(got), "| 402 |", "only the vendor's statuses are documented")
		})
	}
}

// TestTryItAligned: the comments of the curl commands -serve prints line
// up in each block, whatever the length of the address.
func TestTryItAligned(t *testing.T) {
	for _, base := range []string{"http://localhost:8080", "http://127.0.0.1:38767", "http://[::1]:8080"} {
		t.Run(base, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, writeTryIt(&b, base))
			col, commented := -1, 0
			for line := range strings.Lines(b.String()) {
				i := strings.Index(line, " # ")
				if !strings.HasPrefix(line, "  curl ") || i < 0 {
					col = -1 // the end of a block
					continue
				}
				commented++
				if col < 0 {
					col = i
				}
				assert.Equal(t, col, i, "the comment of %q", line)
			}
			assert.Equal(t, 13, commented, "the commands with a comment")
		})
	}
}

// demoRequest is a request the tests send to the API, with what it
// answers: its golden file, its status and, for a problem of one of the
// catalog's error codes, the code.
type demoRequest struct {
	name, method, path, lang, auth, body string
	golden                               string
	status                               int
	code                                 string
}

const (
	badShipment  = `{"postcode":"12","weightKg":45}`
	goodShipment = `{"recipient":"Ada","postcode":"10115","weightKg":2.5}`
)

// demoRequests are the requests of the API tests, in order: the second
// GET /quota is the one over the quota.
var demoRequests = []demoRequest{
	{name: "parcel found", method: "GET", path: "/parcels/P1", golden: "parcel-found.http", status: 200},
	{name: "parcel missing", method: "GET", path: "/parcels/P9", golden: "parcel-missing.en.http", status: 404, code: "PCL.0404"},
	{name: "parcel missing zh", method: "GET", path: "/parcels/P9", lang: "zh", golden: "parcel-missing.zh.http", status: 404, code: "PCL.0404"},
	{name: "parcel missing zh-CN", method: "GET", path: "/parcels/P9", lang: "zh-CN", golden: "parcel-missing.zh.http", status: 404, code: "PCL.0404"},
	{name: "parcel missing de falls back to English", method: "GET", path: "/parcels/P9", lang: "de", golden: "parcel-missing.en.http", status: 404, code: "PCL.0404"},
	{name: "method not allowed zh", method: "DELETE", path: "/parcels/P1", lang: "zh", golden: "method-not-allowed.zh.http", status: 405},
	{name: "track without key zh", method: "GET", path: "/track/P1", lang: "zh-CN,zh;q=0.9,en;q=0.5", golden: "track-no-key.zh.http", status: 401, code: "PCL.0401"},
	{name: "track with key", method: "GET", path: "/track/P1", auth: "Bearer demo", golden: "track-forbidden.en.http", status: 403, code: "PCL.0403"},
	{name: "shipment invalid", method: "POST", path: "/shipments", body: badShipment, golden: "shipment-invalid.en.http", status: 422, code: "PCL.0422"},
	{name: "shipment invalid zh", method: "POST", path: "/shipments", lang: "zh", body: badShipment, golden: "shipment-invalid.zh.http", status: 422, code: "PCL.0422"},
	{name: "shipment created", method: "POST", path: "/shipments", body: goodShipment, golden: "shipment-created.http", status: 201},
	{name: "shipment postcode not digits", method: "POST", path: "/shipments", body: `{"recipient":"Ada","postcode":"1.234","weightKg":2.5}`, golden: "shipment-postcode.en.http", status: 422, code: "PCL.0422"},
	{name: "shipment not JSON zh", method: "POST", path: "/shipments", lang: "zh", body: "postcode=12", golden: "shipment-not-json.zh.http", status: 400, code: "PCL.0400"},
	{name: "quota first", method: "GET", path: "/quota", golden: "quota-first.http", status: 200},
	{name: "quota used up zh", method: "GET", path: "/quota", lang: "zh", golden: "quota-used-up.zh.http", status: 429, code: "PCL.0429"},
	{name: "labels in maintenance", method: "GET", path: "/labels/P1", golden: "labels-maintenance.en.http", status: 503, code: "PCL.0503"},
	{name: "depot timeout zh", method: "GET", path: "/depots/slow", lang: "zh", golden: "depot-timeout.zh.http", status: 504, code: "PCL.0504"},
}

// demoServer serves the API on a loopback connection.
func demoServer(t *testing.T) *httptest.Server {
	t.Helper()
	cat, err := load()
	require.NoError(t, err)
	srv := httptest.NewServer(newAPI(cat, slog.New(slog.DiscardHandler)))
	t.Cleanup(srv.Close)
	return srv
}

// send sends tc's request to srv, and returns it and the response.
func (tc demoRequest) send(t *testing.T, srv *httptest.Server) (*http.Request, *http.Response) {
	t.Helper()
	req, err := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
	require.NoError(t, err)
	if tc.lang != "" {
		req.Header.Set("Accept-Language", tc.lang)
	}
	if tc.auth != "" {
		req.Header.Set("Authorization", tc.auth)
	}
	if tc.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	return req, resp
}

// want is what problemtest.Assert expects of tc's problem.
func (tc demoRequest) want() problemtest.Want {
	if tc.code == "" {
		return problemtest.Want{Status: tc.status, Type: problem.AboutBlank, Absent: []string{"code"}}
	}
	return problemtest.Want{Status: tc.status, Type: typeBase + tc.code, Extensions: map[string]any{"code": tc.code}}
}

// TestAPIAnswersAsDocumented sends requests over a loopback connection and
// compares each response, status line, header fields and body, with its
// golden file under testdata/: the titles are the catalog's in the language
// negotiated on Accept-Language, which Content-Language names, with
// Accept-Language in Vary; zh-CN falls back to zh, and de, which the
// catalog lacks, gets English. Each problem is one of RFC 9457, of the
// catalog's type for its code.
func TestAPIAnswersAsDocumented(t *testing.T) {
	srv := demoServer(t)
	for _, tc := range demoRequests {
		t.Run(tc.name, func(t *testing.T) {
			_, resp := tc.send(t, srv)
			if tc.status >= 400 {
				problemtest.Assert(t, resp, tc.want())
			}
			golden.Assert(t, tc.golden, golden.Response(t, resp))
		})
	}
}

// TestProblemTypesLeadToPages follows the type of each problem the API
// sends to its path on the same server, which serves the type's page
// there (RFC 9457 §3.1.1: the type URI leads to documentation), in HTML
// for browsers and in JSON otherwise; a problem of type about:blank has
// its status's page.
func TestProblemTypesLeadToPages(t *testing.T) {
	srv := demoServer(t)
	pages := newPageClient(t, srv)
	for _, tc := range demoRequests {
		t.Run(tc.name, func(t *testing.T) {
			_, resp := tc.send(t, srv)
			if tc.status < 400 {
				require.NoError(t, resp.Body.Close())
				return // no problem
			}
			require.True(t, problemtest.Assert(t, resp, tc.want()))
			require.NoError(t, resp.Body.Close())
			if tc.code == "" {
				// about:blank: the status's page.
				var doc struct{ Type string }
				path := fmt.Sprintf("/errors/status/%d", tc.status)
				require.NoError(t, json.Unmarshal(readAll(t, pages.get(t, path, "", tc.lang, http.StatusOK)), &doc))
				assert.Equal(t, problem.AboutBlank, doc.Type)
				return
			}
			typ := typeBase + tc.code
			u, err := url.Parse(typ)
			require.NoError(t, err)

			page := pages.get(t, u.Path, "text/html", tc.lang, http.StatusOK)
			assert.Equal(t, "text/html; charset=utf-8", page.Header.Get("Content-Type"))
			assert.Contains(t, string(readAll(t, page)), tc.code)

			page = pages.get(t, u.Path, "", tc.lang, http.StatusOK)
			assert.Equal(t, "application/json", page.Header.Get("Content-Type"))
			var doc struct{ Type, Code string }
			require.NoError(t, json.Unmarshal(readAll(t, page), &doc))
			assert.Equal(t, typ, doc.Type)
			assert.Equal(t, tc.code, doc.Code)
		})
	}
}

// TestTypePagesServed gets the page of every type and status the catalog
// has, at the path of its type URI, from the API's server, and compares
// the page of PCL.0404, in HTML and in Chinese JSON, with its golden file.
// Each page, and the problem for a path that holds none, is as
// openapi.json describes it.
func TestTypePagesServed(t *testing.T) {
	pages := newPageClient(t, demoServer(t))
	cat, err := load()
	require.NoError(t, err)
	var index struct {
		Types []struct{ Type, Page string }
	}
	require.NoError(t, json.Unmarshal(readAll(t, pages.get(t, "/errors/", "", "", http.StatusOK)), &index))
	links := map[string]string{}
	for _, e := range index.Types {
		links[e.Type] = e.Page
	}
	for ty := range cat.Types() {
		t.Run(ty.Code, func(t *testing.T) {
			u, err := url.Parse(ty.URI)
			require.NoError(t, err)
			require.Equal(t, "/errors/"+ty.Code, u.Path)
			var doc struct{ Type, Code string }
			require.NoError(t, json.Unmarshal(readAll(t, pages.get(t, u.Path, "", "", http.StatusOK)), &doc))
			assert.Equal(t, ty.URI, doc.Type)
			assert.Equal(t, ty.Code, doc.Code)
			assert.Equal(t, "./"+ty.Code, links[ty.URI], "the index links to the page")
		})
	}
	for e := range cat.All() {
		if !cat.Sendable(e.Code) {
			continue
		}
		t.Run(fmt.Sprint(e.Code), func(t *testing.T) {
			path := fmt.Sprintf("/errors/status/%d", e.Code)
			var doc struct {
				Type   string
				Status int
			}
			require.NoError(t, json.Unmarshal(readAll(t, pages.get(t, path, "", "", http.StatusOK)), &doc))
			assert.Equal(t, problem.AboutBlank, doc.Type)
			assert.Equal(t, e.Code, doc.Status)
		})
	}
	t.Run("index in HTML", func(t *testing.T) {
		assert.Contains(t, string(readAll(t, pages.get(t, "/errors/", "text/html", "zh", http.StatusOK))), `<a href="./PCL.0404">`)
	})
	t.Run("no such page", func(t *testing.T) {
		resp := pages.get(t, "/errors/PCL.9999", "", "", http.StatusNotFound)
		problemtest.Assert(t, resp, problemtest.Want{
			Status: http.StatusNotFound, Type: problem.AboutBlank, Title: "NotFound", Instance: "/errors/PCL.9999",
			Header: http.Header{"Cache-Control": {"no-store"}}, // the middleware's answer, as for any unknown path
		})
	})
	for _, tc := range []struct{ name, accept, lang, golden string }{
		{"html", "text/html", "", "page-PCL.0404.en.html.http"},
		{"json zh", "", "zh", "page-PCL.0404.zh.json.http"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			golden.Assert(t, tc.golden, golden.Response(t, pages.get(t, "/errors/PCL.0404", tc.accept, tc.lang, http.StatusOK)))
		})
	}
}

// pageClient gets pages from the API's server and checks each against
// openapi.json.
type pageClient struct {
	srv    *httptest.Server
	spec   *problemtest.Spec
	router routers.Router
}

func newPageClient(t *testing.T, srv *httptest.Server) pageClient {
	t.Helper()
	spec, router := loadOpenAPI(t)
	return pageClient{srv: srv, spec: spec, router: router}
}

// get gets path with Accept and Accept-Language as given (none when
// empty), requires status, and validates the response against openapi.json
// with kin-openapi and problemtest.Described.
func (c pageClient) get(t *testing.T, path, accept, lang string, status int) *http.Response {
	t.Helper()
	req, err := http.NewRequest("GET", c.srv.URL+path, nil)
	require.NoError(t, err)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	resp, err := c.srv.Client().Do(req)
	require.NoError(t, err)
	require.Equal(t, status, resp.StatusCode, "GET %s", path)
	assert.NoError(t, validateResponse(t, c.router, req, resp), "GET %s", path)
	problemtest.Described(t, c.spec, nil, resp)
	return resp
}

func readAll(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return body
}

// kin-openapi decodes only the bodies of the media types it knows; an
// HTML page is, as text/plain, a string.
func init() { openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder) }

// loadOpenAPI reads openapi.json, validates it as an OpenAPI document
// with kin-openapi, and returns it and a router for its operations.
func loadOpenAPI(t *testing.T) (*problemtest.Spec, routers.Router) {
	t.Helper()
	spec, err := os.ReadFile("openapi.json")
	require.NoError(t, err)
	doc, err := openapi3.NewLoader().LoadFromData(spec)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()), "openapi.json is not a valid OpenAPI document")
	router, err := legacy.NewRouter(doc)
	require.NoError(t, err)
	parsed, err := problemtest.ParseSpec(spec)
	require.NoError(t, err)
	return parsed, router
}

// validateResponse validates resp to req against the document of router
// with kin-openapi's openapi3filter, reading the body and putting back a
// reader of it.
func validateResponse(t *testing.T, router routers.Router, req *http.Request, resp *http.Response) error {
	t.Helper()
	route, params, err := router.FindRoute(req)
	if err != nil {
		return err
	}
	body := readAll(t, resp)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	in.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(context.Background(), in)
}

// validateRequest validates tc's request against the document of router
// with kin-openapi's openapi3filter.
func validateRequest(t *testing.T, router routers.Router, tc demoRequest) error {
	t.Helper()
	req, err := http.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	route, params, err := router.FindRoute(req)
	require.NoError(t, err)
	return openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route})
}

// TestOpenAPIDescribesAPI validates each response of the API, in English
// and in Chinese, against openapi.json, with kin-openapi and with
// problemtest.Described, and each request body with kin-openapi: valid
// exactly when the API accepts it. The 405 of DELETE /parcels/P1 is the answer to
// an operation the API does not have, which an OpenAPI document has no
// place for: both find no operation for it.
func TestOpenAPIDescribesAPI(t *testing.T) {
	spec, router := loadOpenAPI(t)
	srv := demoServer(t)
	for _, tc := range demoRequests {
		t.Run(tc.name, func(t *testing.T) {
			req, resp := tc.send(t, srv)
			require.Equal(t, tc.status, resp.StatusCode)
			err := validateResponse(t, router, req, resp)
			if tc.status == http.StatusMethodNotAllowed {
				// The legacy router tells a missing method from a missing
				// path only on paths without templates.
				assert.ErrorContains(t, err, routers.ErrPathNotFound.Error())
				var rec problemtestRecorder
				assert.False(t, problemtest.Described(&rec, spec, req, resp))
				assert.Contains(t, rec.String(), "path /parcels/{id} has no DELETE operation")
				return
			}
			assert.NoError(t, err)
			problemtest.Described(t, spec, req, resp)
			if tc.body != "" {
				// The document's schema of the body agrees with the validator.
				err := validateRequest(t, router, tc)
				if tc.status < 400 {
					assert.NoError(t, err)
				} else {
					assert.Error(t, err)
				}
			}
		})
	}
}

// TestOpenAPICatchesUndocumented serves, beside the API, a response the
// document does not describe: a 409 PCL.0409 for GET /parcels/P0, whose
// operation lists no 409. kin-openapi and problemtest.Described both
// report it.
func TestOpenAPICatchesUndocumented(t *testing.T) {
	spec, router := loadOpenAPI(t)
	cat, err := load()
	require.NoError(t, err)
	m := middleware.New(&middleware.Options{Catalog: cat, Logger: slog.New(slog.DiscardHandler)})
	conflict := problem.MustType(cat, "PCL.0409")
	mux := http.NewServeMux()
	mux.Handle("GET /parcels/P0", m.Handle(func(w http.ResponseWriter, r *http.Request) error { return conflict }))
	mux.Handle("/", newAPI(cat, slog.New(slog.DiscardHandler)))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	tc := demoRequest{method: "GET", path: "/parcels/P0", status: 409, code: "PCL.0409"}
	req, resp := tc.send(t, srv)
	require.True(t, problemtest.Assert(t, resp, tc.want()), "the extra route sends its problem")
	assert.ErrorContains(t, validateResponse(t, router, req, resp), "status is not supported")

	var rec problemtestRecorder
	assert.False(t, problemtest.Described(&rec, spec, req, resp))
	assert.Contains(t, rec.String(), "GET /parcels/P0 -> 409 is not described")
}

// problemtestRecorder is a testing.TB that records what is reported to
// it, so that a test can check what problemtest.Described reports.
type problemtestRecorder struct {
	testing.TB
	failures []string
}

func (r *problemtestRecorder) Helper() {}

func (r *problemtestRecorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

func (r *problemtestRecorder) String() string { return strings.Join(r.failures, "\n") }
