package catalog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/golden"
)

// openapiResponses returns the names of the responses a document's
// components hold, by the status each describes (the number its
// description starts with).
func openapiResponses(t *testing.T, doc []byte) map[int]string {
	t.Helper()
	var d struct {
		Components struct {
			Responses map[string]struct {
				Description string `json:"description"`
			} `json:"responses"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(doc, &d))
	out := make(map[int]string)
	for name, r := range d.Components.Responses {
		code, _, _ := strings.Cut(r.Description, " ")
		n, err := strconv.Atoi(code)
		require.NoError(t, err, "response %s: description %q", name, r.Description)
		out[n] = name
	}
	return out
}

func TestOpenAPIListsOnlyTheCatalogsCodes(t *testing.T) {
	vendor, err := catalog.Load(strings.NewReader(vendorCatalog))
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, vendor.WriteOpenAPI(&buf))
	got := openapiResponses(t, buf.Bytes())
	assert.ElementsMatch(t, []int{400, 408, 418, 429, 504, 520}, slices.Collect(maps.Keys(got)),
		"the statuses the file lists (418 with a phrase of its own), not the default table's")
}

// openapiValidate fails t unless doc is a valid OpenAPI document, examples
// checked against their schemas, as kin-openapi judges it.
func openapiValidate(t *testing.T, doc []byte) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	d, err := loader.LoadFromData(doc)
	require.NoError(t, err)
	require.NoError(t, d.Validate(context.Background(), openapi3.EnableExamplesValidation()))
	return d
}

// openapiDoc is the part of a document the tests look into.
type openapiDoc struct {
	OpenAPI    string `json:"openapi"`
	Components struct {
		Schemas   map[string]map[string]any `json:"schemas"`
		Responses map[string]struct {
			Description string                    `json:"description"`
			Headers     map[string]map[string]any `json:"headers"`
			Content     map[string]struct {
				Schema   map[string]any `json:"schema"`
				Examples map[string]struct {
					Value map[string]any `json:"value"`
				} `json:"examples"`
			} `json:"content"`
		} `json:"responses"`
	} `json:"components"`
}

func openapiParse(t *testing.T, doc []byte) openapiDoc {
	t.Helper()
	var d openapiDoc
	require.NoError(t, json.Unmarshal(doc, &d))
	return d
}

func TestWriteOpenAPI(t *testing.T) {
	vendor, err := catalog.Load(strings.NewReader(vendorCatalog))
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, vendor.WriteOpenAPI(&buf))
	golden.Assert(t, "vendor-openapi.json", buf.Bytes())
	openapiValidate(t, buf.Bytes())

	doc := openapiParse(t, buf.Bytes())
	assert.Equal(t, "3.1.0", doc.OpenAPI)
	schema := doc.Components.Schemas["Problem"]
	props := schema["properties"].(map[string]any)
	status := props["status"].(map[string]any)
	assert.Equal(t, "integer", status["type"])
	assert.Equal(t, 100.0, status["minimum"])
	assert.Equal(t, 599.0, status["maximum"])
	assert.Equal(t, "uri-reference", props["type"].(map[string]any)["format"])
	assert.Equal(t, "uri-reference", props["instance"].(map[string]any)["format"])
	assert.NotContains(t, schema, "required", "every member is optional (RFC 9457 Appendix A)")
	assert.Equal(t, map[string]any{"name": "problem", "namespace": "urn:ietf:rfc:7807"}, schema["xml"])

	for name, r := range doc.Components.Responses {
		assert.Regexp(t, `^[A-Za-z0-9]+$`, name)
		assert.Equal(t, map[string]any{"$ref": "#/components/schemas/" + name}, r.Content["application/problem+json"].Schema,
			"%s: one status, no type: the status's about:blank schema", name)
		assert.Equal(t, map[string]any{"$ref": "#/components/schemas/Problem"}, r.Content["application/problem+xml"].Schema, name)
		example := r.Content["application/problem+json"].Examples[name+"-en"].Value
		assert.Equal(t, "about:blank", example["type"], name)
		s := doc.Components.Schemas[name]
		assert.Equal(t, []any{"type", "title", "status"}, s["required"], name)
		assert.Equal(t, map[string]any{"const": "about:blank"}, s["properties"].(map[string]any)["type"], name)
		assert.Equal(t, map[string]any{"const": example["status"]}, s["properties"].(map[string]any)["status"], name)
	}
	assert.Contains(t, doc.Components.Responses, "RequestTimeOut")
	assert.Contains(t, doc.Components.Responses["TooManyRequests"].Headers, "Retry-After")
	assert.Empty(t, doc.Components.Responses["BadRequest"].Headers)
	assert.Equal(t, 418.0, doc.Components.Responses["Teapot"].Content["application/problem+json"].Examples["Teapot-en"].Value["status"],
		"a catalog that gives 418 a phrase of its own can send it")
	assert.Contains(t, doc.Components.Schemas["BadRequest"]["properties"], "errors", "400 problems may carry input errors")
	assert.NotContains(t, doc.Components.Schemas["ServerTimeout"]["properties"], "errors")
}

func TestOpenAPIAllStatuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		cat  *catalog.Catalog
		opts *catalog.OpenAPIOptions
	}{
		{"default table", catalog.Default(), nil},
		{"vendor, all statuses", func() *catalog.Catalog {
			c, err := catalog.Load(strings.NewReader(vendorCatalog))
			require.NoError(t, err)
			return c
		}(), &catalog.OpenAPIOptions{AllStatuses: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := tc.cat.OpenAPI(tc.opts)
			require.NoError(t, err)
			openapiValidate(t, out)
			var want []int
			for e := range tc.cat.All() {
				if tc.cat.Sendable(e.Code) {
					want = append(want, e.Code)
				}
			}
			got := openapiResponses(t, out)
			assert.ElementsMatch(t, want, slices.Collect(maps.Keys(got)))
			doc := openapiParse(t, out)
			assert.Contains(t, doc.Components.Responses[got[405]].Headers, "Allow")
			assert.Equal(t, true, doc.Components.Responses[got[401]].Headers["WWW-Authenticate"]["required"])
			assert.Contains(t, doc.Components.Responses[got[407]].Headers, "Proxy-Authenticate")
			assert.Empty(t, doc.Components.Responses[got[404]].Headers)
			if tc.opts == nil {
				assert.NotContains(t, got, 418, "418 is (Unused) in the default table")
			}
		})
	}
}

func TestOpenAPINameCollisions(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(`{"statuses":[
		{"code":400,"phrase":"Failed"},{"code":500,"phrase":"Failed"},{"code":501,"phrase":"%%%"},
		{"code":403,"phrase":"A"},{"code":404,"phrase":"A405"},{"code":405,"phrase":"A"},
		{"code":409,"phrase":"Problem"}]}`))
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, cat.WriteOpenAPI(&buf))
	openapiValidate(t, buf.Bytes())
	got := openapiResponses(t, buf.Bytes())
	assert.Equal(t, map[int]string{400: "Failed", 500: "Failed500", 501: "501", 403: "A", 404: "A405", 405: "A405_2", 409: "Problem409"}, got,
		"no response is lost to a name collision, and none takes the Problem schema's name")
}

// openapiTypesCatalog is typesFile with a validation type and a German
// translation.
func openapiTypesCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	cat := loadTypes(t, strings.Replace(typesFile, `"types": [`, `"types": [
    {"code": "VALIDATION", "status": 422, "title": "Your request is not valid", "type": "validation"},`, 1))
	cat, err := cat.WithTranslation(strings.NewReader(`{"language": "de",
		"statuses": [{"code": 429, "phrase": "Zu viele Anfragen"}],
		"types": [{"code": "APIGW.0308", "title": "Die Drosselungsschwelle ist erreicht"}]}`))
	require.NoError(t, err)
	return cat
}

func openapiBuiltIn(t *testing.T, get func(string) (catalog.Type, bool), name string) catalog.Type {
	t.Helper()
	typ, ok := get(name)
	require.True(t, ok, name)
	return typ
}

func TestOpenAPITypes(t *testing.T) {
	cat := openapiTypesCatalog(t)
	opts := &catalog.OpenAPIOptions{
		Prefix: "Gw",
		Types: []catalog.Type{
			openapiBuiltIn(t, catalog.RateLimitType, "quota-exceeded"),
			openapiBuiltIn(t, catalog.IANA, "digest-unsupported-algorithms"),
		},
		InputErrorTypes: []string{"VALIDATION"},
		Extensions:      []string{"correlationId"},
	}
	out, err := cat.OpenAPI(opts)
	require.NoError(t, err)
	golden.Assert(t, "types-openapi.json", out)
	openapiValidate(t, out)
	doc := openapiParse(t, out)

	for name := range doc.Components.Schemas {
		assert.True(t, strings.HasPrefix(name, "Gw"), "schema %s has the prefix", name)
	}
	props := func(schema string) map[string]any {
		require.Contains(t, doc.Components.Schemas, schema)
		return doc.Components.Schemas[schema]["properties"].(map[string]any)
	}
	assert.Equal(t, map[string]any{"const": "APIGW.0301", "description": "The error code."}, props("GwAPIGW0301")["code"])
	assert.Equal(t, map[string]any{"const": "https://docs.example.com/errors/APIGW.0301"}, props("GwAPIGW0301")["type"])
	assert.Equal(t, map[string]any{"const": 401.0}, props("GwAPIGW0301")["status"])
	assert.Equal(t, []any{"type", "title", "status", "code"}, doc.Components.Schemas["GwAPIGW0301"]["required"])
	assert.Equal(t, map[string]any{"type": "array", "items": map[string]any{"type": "string"},
		"description": "The names of the quota policies the client's requests exceeded."}, props("GwQuotaExceeded")["violated-policies"])
	assert.Equal(t, "object", props("GwDigestUnsupportedAlgorithms")["unsupported-algorithms"].(map[string]any)["items"].(map[string]any)["type"])
	assert.Equal(t, "#/components/schemas/GwInputError", props("GwVALIDATION")["errors"].(map[string]any)["items"].(map[string]any)["$ref"])
	assert.NotContains(t, props("GwAPIGW0301"), "errors")
	assert.Contains(t, props("GwAPIGW0301"), "correlationId")
	assert.NotContains(t, doc.Components.Schemas["GwAPIGW0301"], "additionalProperties", "open unless Closed")

	ref := func(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }
	for _, tc := range []struct {
		name     string
		response string
		schema   map[string]any
	}{
		{"one type, status not listed", "GwUnauthorized", ref("GwAPIGW0301")},
		{"status and types", "GwTooManyRequests", map[string]any{"oneOf": []any{ref("GwTooManyRequests"), ref("GwAPIGW0308"), ref("GwQuotaExceeded")}}},
		{"two types, status not listed", "GwBadRequest", map[string]any{"oneOf": []any{ref("GwAPIGW0201"), ref("GwDigestUnsupportedAlgorithms")}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Contains(t, doc.Components.Responses, tc.response)
			assert.Equal(t, tc.schema, doc.Components.Responses[tc.response].Content["application/problem+json"].Schema)
		})
	}

	r := doc.Components.Responses["GwTooManyRequests"]
	examples := r.Content["application/problem+json"].Examples
	assert.Equal(t, "Zu viele Anfragen", examples["GwTooManyRequests-de"].Value["title"])
	assert.Equal(t, "TooManyRequests", examples["GwTooManyRequests-en"].Value["title"])
	assert.Equal(t, "Die Drosselungsschwelle ist erreicht", examples["GwAPIGW0308-de"].Value["title"])
	assert.Equal(t, "APIGW.0308", examples["GwAPIGW0308-de"].Value["code"])
	assert.Equal(t, "Quota Exceeded", examples["GwQuotaExceeded-de"].Value["title"], "a built-in type has English texts only")
	assert.Len(t, examples, 6, "three schemas in two languages")
	assert.Equal(t, []any{"en", "de"}, r.Headers["Content-Language"]["schema"].(map[string]any)["enum"])
	assert.Contains(t, r.Headers, "Retry-After")
	assert.Contains(t, doc.Components.Responses["GwUnauthorized"].Headers, "WWW-Authenticate")
	assert.NotContains(t, doc.Components.Responses["GwUnauthorized"].Headers, "Retry-After")
}

func TestOpenAPIClosed(t *testing.T) {
	cat := openapiTypesCatalog(t)
	out, err := cat.OpenAPI(&catalog.OpenAPIOptions{Closed: true, Extensions: []string{"correlationId"}})
	require.NoError(t, err)
	openapiValidate(t, out)
	d, err := openapi3.NewLoader().LoadFromData(out)
	require.NoError(t, err)
	schema := d.Components.Schemas["APIGW0301"].Value
	valid := map[string]any{"type": "https://docs.example.com/errors/APIGW.0301", "title": "t", "status": 401.0,
		"code": "APIGW.0301", "detail": "d", "instance": "/x", "correlationId": "abc"}
	require.NoError(t, schema.VisitJSON(valid, openapi3.EnableJSONSchema2020()))
	for _, tc := range []struct {
		name   string
		change func(map[string]any)
	}{
		{"an undocumented member", func(p map[string]any) { p["debug"] = "stack" }},
		{"another code", func(p map[string]any) { p["code"] = "APIGW.0302" }},
		{"no code", func(p map[string]any) { delete(p, "code") }},
		{"another status", func(p map[string]any) { p["status"] = 403.0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := maps.Clone(valid)
			tc.change(p)
			assert.Error(t, schema.VisitJSON(p, openapi3.EnableJSONSchema2020()))
		})
	}
}

func TestOpenAPIOptionsErrors(t *testing.T) {
	cat := openapiTypesCatalog(t)
	quota := openapiBuiltIn(t, catalog.RateLimitType, "quota-exceeded")
	for _, tc := range []struct {
		name string
		opts catalog.OpenAPIOptions
		want string
	}{
		{"prefix", catalog.OpenAPIOptions{Prefix: "My API"}, `catalog: OpenAPI prefix "My API" may hold only ASCII letters, digits, ".", "-" and "_"`},
		{"input-error type", catalog.OpenAPIOptions{InputErrorTypes: []string{"NOPE"}}, `catalog: OpenAPI input-error type "NOPE" is not a type of the catalog nor of the options`},
		{"type without URI", catalog.OpenAPIOptions{Types: []catalog.Type{{Status: 400}}}, "catalog: OpenAPI type 0 has no URI of its own"},
		{"type with a status no problem has", catalog.OpenAPIOptions{Types: []catalog.Type{{URI: "https://e.com/x", Status: 200}}},
			`catalog: OpenAPI type "https://e.com/x": status 200 is not one a problem can be sent with`},
		{"type twice", catalog.OpenAPIOptions{Types: []catalog.Type{quota, quota}}, `catalog: OpenAPI type "https://iana.org/assignments/http-problem-types#quota-exceeded" is listed twice`},
		{"extension", catalog.OpenAPIOptions{Extensions: []string{"Status"}}, `catalog: OpenAPI extension "Status" is blank or a standard member`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cat.OpenAPI(&tc.opts)
			assert.EqualError(t, err, tc.want)
			_, err = cat.MergeOpenAPI([]byte(`{"openapi":"3.1.0","info":{"title":"t","version":"1"}}`), &tc.opts)
			assert.EqualError(t, err, tc.want)
		})
	}
}

// openapiSpec is a service's own document, with a Problem schema and a
// NotFound response of its own.
const openapiSpec = `{
  "openapi": "3.1.0",
  "info": {"title": "Parcelly", "version": "2.0.0"},
  "paths": {
    "/parcels/{id}": {
      "get": {
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {
          "200": {"description": "The parcel."},
          "404": {"$ref": "#/components/responses/NotFound"},
          "429": {"$ref": "#/components/responses/ParcellyTooManyRequests"}
        }
      }
    }
  },
  "components": {
    "schemas": {"Problem": {"type": "object", "description": "Our own <b>older</b> problem."}},
    "responses": {"NotFound": {"description": "Our own 404.",
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}
  }
}`

const openapiMergeCatalog = `{"statuses": [
  {"code": 404, "phrase": "Not Found"},
  {"code": 429, "phrase": "Too Many Requests", "retry": "after-delay", "retryAfter": 30}]}`

func TestMergeOpenAPI(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(openapiMergeCatalog))
	require.NoError(t, err)
	parcelly := &catalog.OpenAPIOptions{Prefix: "Parcelly"}

	_, err = cat.MergeOpenAPI([]byte(openapiSpec), nil)
	assert.EqualError(t, err, `catalog: OpenAPI: components/schemas/Problem and components/responses/NotFound are the document's own (it has no x-problemkit member of prefix ""), and the catalog's would overwrite it; set OpenAPIOptions.Prefix to keep the names apart`)

	merged, err := cat.MergeOpenAPI([]byte(openapiSpec), parcelly)
	require.NoError(t, err)
	golden.Assert(t, "merged-openapi.json", merged)
	openapiValidate(t, merged)

	var in, out struct {
		Components struct {
			Schemas   map[string]json.RawMessage `json:"schemas"`
			Responses map[string]json.RawMessage `json:"responses"`
		} `json:"components"`
		Paths json.RawMessage `json:"paths"`
	}
	require.NoError(t, json.Unmarshal([]byte(openapiSpec), &in))
	require.NoError(t, json.Unmarshal(merged, &out))
	assert.JSONEq(t, string(in.Components.Schemas["Problem"]), string(out.Components.Schemas["Problem"]), "the document's own schema is kept")
	assert.JSONEq(t, string(in.Components.Responses["NotFound"]), string(out.Components.Responses["NotFound"]), "the document's own response is kept")
	assert.JSONEq(t, string(in.Paths), string(out.Paths))
	assert.Contains(t, string(merged), "<b>older</b>", "texts are not HTML-escaped")
	assert.Regexp(t, `(?s)^\{\s*"openapi".*"info".*"paths".*"components"`, string(merged), "the document's order is kept")
	assert.ElementsMatch(t, []string{"Problem", "ParcellyProblem", "ParcellyInputError", "ParcellyNotFound", "ParcellyTooManyRequests"},
		slices.Collect(maps.Keys(out.Components.Schemas)))

	t.Run("again", func(t *testing.T) {
		again, err := cat.MergeOpenAPI(merged, parcelly)
		require.NoError(t, err)
		assert.Equal(t, string(merged), string(again), "merging is idempotent")
	})
	t.Run("after the catalog changed", func(t *testing.T) {
		fewer, err := catalog.Load(strings.NewReader(`{"statuses": [{"code": 429, "phrase": "Too Many Requests", "retry": "after-delay"}]}`))
		require.NoError(t, err)
		updated, err := fewer.MergeOpenAPI(merged, parcelly)
		require.NoError(t, err)
		openapiValidate(t, updated)
		doc := openapiParse(t, updated)
		assert.NotContains(t, doc.Components.Schemas, "ParcellyNotFound", "what the catalog no longer writes is removed")
		assert.NotContains(t, doc.Components.Responses, "ParcellyNotFound")
		assert.Contains(t, doc.Components.Responses, "NotFound", "the document's own stays")
		assert.Contains(t, doc.Components.Responses, "ParcellyTooManyRequests")
	})
	t.Run("a removed component still referred to", func(t *testing.T) {
		// The document's own path refers to ParcellyTooManyRequests, which
		// the first merge wrote; without 429 in the catalog, removing it
		// would leave the $ref pointing nowhere, and the document would no
		// longer load.
		only404, err := catalog.Load(strings.NewReader(`{"statuses": [{"code": 404, "phrase": "Not Found"}]}`))
		require.NoError(t, err)
		_, err = only404.MergeOpenAPI(merged, parcelly)
		assert.EqualError(t, err, `catalog: OpenAPI: /paths/~1parcels~1{id}/get/responses/429 refers to components/responses/ParcellyTooManyRequests, `+
			`which the catalog no longer writes; remove the reference, or keep what it refers to in the catalog`)

		// A schema of the document's own that refers into a removed one.
		ownRef := strings.Replace(string(merged), `"Problem": {`,
			`"Own": {"allOf": [{"$ref": "#/components/schemas/ParcellyTooManyRequests/properties/status"}]}, "Problem": {`, 1)
		require.NotEqual(t, string(merged), ownRef)
		only429, err := catalog.Load(strings.NewReader(`{"statuses": [{"code": 429, "phrase": "Too Many Requests"}]}`))
		require.NoError(t, err)
		_, err = only404.MergeOpenAPI([]byte(ownRef), parcelly)
		assert.EqualError(t, err, `catalog: OpenAPI: /components/schemas/Own/allOf/0 refers to components/schemas/ParcellyTooManyRequests, `+
			`/paths/~1parcels~1{id}/get/responses/429 refers to components/responses/ParcellyTooManyRequests, `+
			`which the catalog no longer writes; remove the reference, or keep what it refers to in the catalog`)
		_, err = only429.MergeOpenAPI([]byte(ownRef), parcelly)
		assert.NoError(t, err, "a component the catalog still writes may be referred to")
	})
	t.Run("a second prefix", func(t *testing.T) {
		both, err := cat.MergeOpenAPI(merged, &catalog.OpenAPIOptions{Prefix: "Other"})
		require.NoError(t, err)
		openapiValidate(t, both)
		doc := openapiParse(t, both)
		assert.Contains(t, doc.Components.Schemas, "ParcellyNotFound", "another prefix's components are not this merge's")
		assert.Contains(t, doc.Components.Schemas, "OtherNotFound")
	})
	t.Run("into a document without components", func(t *testing.T) {
		out, err := cat.MergeOpenAPI([]byte(`{"openapi": "3.1.1", "info": {"title": "t", "version": "1"}}`), nil)
		require.NoError(t, err)
		openapiValidate(t, out)
		want, err := cat.OpenAPI(&catalog.OpenAPIOptions{Title: "t", Version: "1"})
		require.NoError(t, err)
		assert.JSONEq(t, string(want), strings.Replace(string(out), `"3.1.1"`, `"3.1.0"`, 1))
	})
}

func TestMergeOpenAPIErrors(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(openapiMergeCatalog))
	require.NoError(t, err)
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"OpenAPI 3.0", `{"openapi": "3.0.3", "info": {}, "paths": {}}`, `catalog: OpenAPI: the document is OpenAPI "3.0.3"; the components need 3.1 or later`},
		{"no version", `{"info": {}}`, `catalog: OpenAPI: the document has no "openapi" version`},
		{"not an object", `[]`, "catalog: OpenAPI: the document is not a JSON object"},
		{"not JSON", `{"openapi": "3.1.0",`, "catalog: OpenAPI: the document: unexpected EOF"},
		{"trailing data", `{"openapi": "3.1.0"} {}`, "catalog: OpenAPI: the document has data after its object"},
		{"repeated member", `{"openapi": "3.1.0", "components": {"schemas": {}, "schemas": {}}}`, `catalog: OpenAPI: components holds "schemas" more than once`},
		{"schemas not an object", `{"openapi": "3.1.0", "components": {"schemas": []}}`, "catalog: OpenAPI: components/schemas is not a JSON object"},
		{"another prefix's marker", `{"openapi": "3.1.0", "components": {"schemas": {"Problem": {"x-problemkit": {"prefix": "P"}}}}}`,
			`catalog: OpenAPI: components/schemas/Problem is the document's own (it has no x-problemkit member of prefix ""), and the catalog's would overwrite it; set OpenAPIOptions.Prefix to keep the names apart`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cat.MergeOpenAPI([]byte(tc.doc), nil)
			assert.EqualError(t, err, tc.want)
		})
	}
}

// FuzzMergeOpenAPI checks that any input gives a document or an error, no
// panic, and that a merged document merges again into itself.
func FuzzMergeOpenAPI(f *testing.F) {
	f.Add([]byte(openapiSpec))
	f.Add([]byte(`{"openapi": "3.1.0", "components": {"schemas": {"NotFound": {"x-problemkit": {"prefix": ""}}}}}`))
	f.Add([]byte(`{"openapi": "3.2", "components": null}`))
	cat, err := catalog.Load(strings.NewReader(openapiMergeCatalog))
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, doc []byte) {
		merged, err := cat.MergeOpenAPI(doc, &catalog.OpenAPIOptions{Prefix: "P"})
		if err != nil {
			return
		}
		require.True(t, json.Valid(merged))
		again, err := cat.MergeOpenAPI(merged, &catalog.OpenAPIOptions{Prefix: "P"})
		require.NoError(t, err)
		assert.Equal(t, string(merged), string(again))
	})
}
