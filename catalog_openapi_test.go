package problemkit_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemvalidator"
)

// openapiLiveCatalog is a vendor catalog whose problems the live server
// sends.
const openapiLiveCatalog = `{
  "typeBase": "https://docs.example.com/errors/",
  "statuses": [
    {"code": 404, "phrase": "NotFound"},
    {"code": 422, "phrase": "ValidationFailed"},
    {"code": 429, "phrase": "TooManyRequests", "retry": "after-delay", "retryAfter": 30},
    {"code": 500, "phrase": "InternalError", "retry": "anytime"}
  ],
  "types": [
    {"code": "APIGW.0301", "status": 401, "title": "Incorrect IAM authentication information"},
    {"code": "VALIDATION", "status": 422, "title": "Your request is not valid", "type": "validation"}
  ]
}`

// openapiLiveSpec is the service's document before the catalog's
// components are merged into it; its operations refer to them.
const openapiLiveSpec = `{
  "openapi": "3.1.0",
  "info": {"title": "Parcelly", "version": "1.0.0"},
  "servers": [{"url": "SERVER"}],
  "paths": {
    "/parcels/{id}": {"get": {
      "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
      "responses": {"200": {"description": "The parcel."}, "404": {"$ref": "#/components/responses/PkNotFound"}}}},
    "/token": {"get": {"responses": {"401": {"$ref": "#/components/responses/PkUnauthorized"}}}},
    "/quota": {"get": {"responses": {"429": {"$ref": "#/components/responses/PkTooManyRequests"}}}},
    "/signup": {"post": {"responses": {"422": {"$ref": "#/components/responses/PkValidationFailed"}}}},
    "/signup-typed": {"post": {"responses": {"422": {"$ref": "#/components/responses/PkValidationFailed"}}}},
    "/boom": {"get": {"responses": {"500": {"$ref": "#/components/responses/PkInternalError"}}}},
    "/debug": {"get": {"responses": {"404": {"$ref": "#/components/responses/PkNotFound"}}}}
  }
}`

type openapiSignup struct {
	Name string `json:"name" validate:"required,min=3"`
}

// TestOpenAPIDescribesLiveResponses validates the responses of a real
// server, problems of the catalog sent by middleware.Handle, against the
// document the catalog's components were merged into, with kin-openapi's
// response validation.
func TestOpenAPIDescribesLiveResponses(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(openapiLiveCatalog))
	require.NoError(t, err)
	m := middleware.New(&middleware.Options{Catalog: cat, Logger: slog.New(slog.DiscardHandler)})
	typed := problemvalidator.New(nil)
	typed.Type = problem.MustType(cat, "VALIDATION")
	plain := problemvalidator.New(nil)
	mux := http.NewServeMux()
	mux.Handle("GET /parcels/{id}", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		return problem.New(http.StatusNotFound, "no parcel "+r.PathValue("id"))
	}))
	mux.Handle("GET /token", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		return problem.MustType(cat, "APIGW.0301").New("the token expired")
	}))
	mux.Handle("GET /quota", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		p, err := problem.RateLimited("quota-exceeded", problem.RateLimit{}, "per-minute")
		require.NoError(t, err)
		return p
	}))
	mux.Handle("POST /signup", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		return plain.Validate(&openapiSignup{Name: "x"})
	}))
	mux.Handle("POST /signup-typed", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		return typed.Validate(&openapiSignup{})
	}))
	mux.Handle("GET /boom", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		panic("boom")
	}))
	mux.Handle("GET /debug", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		return problem.New(http.StatusNotFound, "").WithExtension("debug", "a member the document does not describe")
	}))
	srv := httptest.NewServer(m.Wrap(mux))
	defer srv.Close()

	quota, _ := catalog.RateLimitType("quota-exceeded")
	merged, err := cat.MergeOpenAPI([]byte(strings.Replace(openapiLiveSpec, "SERVER", srv.URL, 1)), &catalog.OpenAPIOptions{
		Prefix:          "Pk",
		Types:           []catalog.Type{quota},
		InputErrorTypes: []string{"VALIDATION"},
		Closed:          true,
	})
	require.NoError(t, err)
	doc, err := openapi3.NewLoader().LoadFromData(merged)
	require.NoError(t, err)
	router, err := legacy.NewRouter(doc)
	require.NoError(t, err)

	for _, tc := range []struct {
		name, method, path string
		status             int
		wantErr            string // "" when the response is described
	}{
		{"about:blank 404", "GET", "/parcels/P9", 404, ""},
		{"a catalog type without its status listed", "GET", "/token", 401, ""},
		{"a rate-limit type beside its status", "GET", "/quota", 429, ""},
		{"validation, about:blank", "POST", "/signup", 422, ""},
		{"validation, the catalog's type", "POST", "/signup-typed", 422, ""},
		{"a panic", "GET", "/boom", 500, ""},
		{"an undescribed member", "GET", "/debug", 404, `additional properties 'debug' not allowed`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, nil)
			require.NoError(t, err)
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			require.Equal(t, tc.status, resp.StatusCode, "%s", body)

			route, params, err := router.FindRoute(req)
			require.NoError(t, err)
			in := &openapi3filter.ResponseValidationInput{
				RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
				Status:                 resp.StatusCode,
				Header:                 resp.Header,
				Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: false},
			}
			in.SetBodyBytes(body)
			err = openapi3filter.ValidateResponse(context.Background(), in)
			if tc.wantErr == "" {
				assert.NoError(t, err, "%s", body)
			} else {
				require.Error(t, err, "%s", body)
				assert.Contains(t, err.Error(), tc.wantErr)
			}
		})
	}
}
